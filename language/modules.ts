// Modules: `import "PATH" [as NAME]` brings another file's or folder's declarations under the
// name NAME. The front end stays free of the file system: the reader of the intent's files
// (pipeline/sources.ts) gives every file of the import closure with its path as shown, made by
// joining the importing file's folder and the import's PATH, and what it could not read (a
// missing file, something that is not a .plumb file) as problems of the import. Here the paths
// alone decide which files each import names, so that the CLI, the language server and texts
// held in memory link the same way.
//
// Linking turns the modules into one intent before name resolution: every declaration of a
// module is renamed to its qualified name (`dp.web`), and every reference, in the module and in
// its importers, to the qualified name it means. Resolution (resolve.ts) then sees one
// namespace in which no module name can meet another, and the compiled network keeps the
// qualified names. The checks of the language itself (cycles, visibility, what a module may
// declare, names of imports) are reported here, at the import or the reference.

import type { Declaration, ImportDecl, NameRef, SourceFile, Token } from './ast.js';
import type { DiagnosticSink } from './check-common.js';
import type { Span } from './diagnostic.js';
import { Codes } from './diagnostics/index.js';
import { stringValue } from './tokens.js';
import { ANY, PRELUDE_BY_NAME } from './prelude.js';
import { isServiceReference } from './resolve.js';
import { linkPaths, moduleBaseName, type ImportProblem } from './module-paths.js';

export type { ImportProblem } from './module-paths.js';

/** The intent's files, linked: every module's declarations under their qualified names. */
export interface Linked {
  files: SourceFile[];
  /** References the linking consumed (`external partners.dp { attach ... }`), for the symbol table. */
  references: { span: Span; key: string }[];
  /**
   * References through an import that did not link (`dp.web` where `import "dp.plumb"` is
   * missing, say): the import's own error is the report, so these are not unknown names too.
   */
  unlinked?: Span[];
}

/** What a module may declare, in this version of the language. */
const MODULE_KINDS = new Set<Declaration['kind']>(['service', 'group', 'external']);

const NAME = /^[A-Za-z](?:[A-Za-z0-9_]|-(?![->]))*$/;

interface Module {
  key: string;
  files: SourceFile[];
  /** The module's declarations by their own names (services, groups, externals). */
  declared: Map<string, { exported: boolean; name: Token }>;
  /** NAME → the imported module's key, for the imports that link. */
  imports: Map<string, string>;
  /** The names of its imports that do not link (an error reported at each). */
  unlinked?: Set<string>;
  /** The prefix of its declarations' qualified names: '' for the root intent. */
  qualifier?: string;
}

/**
 * Links the files of an intent and its modules into one intent of qualified names. `problems`
 * are the reader's, by file path then import path. The files given are not changed.
 */
export function linkModules(
  files: readonly SourceFile[],
  problems: ReadonlyMap<string, Readonly<Record<string, ImportProblem>>>,
  sink: DiagnosticSink,
  roots?: ReadonlySet<string>,
): Linked {
  if (!files.some((f) => f.imports)) return { files: files.map((f) => withoutDottedNames(f, sink)), references: [] };
  const imports = files.flatMap((f) => (f.imports ?? []).map((i) => ({ from: f.path, path: stringValue(i.path.text) })));
  const paths = linkPaths(files.map((f) => f.path), imports, roots);
  const copies = files.map((f) => structuredClone(f));
  const modules = new Map<string, Module>();
  for (const file of copies) {
    const key = paths.moduleOf(file.path);
    let m = modules.get(key);
    if (!m) modules.set(key, (m = { key, files: [], declared: new Map(), imports: new Map() }));
    m.files.push(file);
  }
  const root = modules.get('')!;
  root.qualifier = '';
  const siteNames = new Set(root.files.flatMap((f) => f.declarations.filter((d) => d.kind === 'site').map((d) => d.name.text)));

  // What each module declares; what it may not declare is reported and left out.
  for (const m of modules.values()) {
    for (const file of m.files) {
      if (m.key !== '') file.declarations = file.declarations.filter((d) => allowedInModule(d, sink));
      for (const d of file.declarations) {
        if ((d.kind === 'service' || d.kind === 'group' || d.kind === 'external') && !m.declared.has(d.name.text)) {
          m.declared.set(d.name.text, { exported: d.exported !== undefined, name: d.name });
        }
      }
      // A contract is named through its module like a declaration (`shared.frankfurt`).
      for (const c of file.contracts ?? []) if (!m.declared.has(c.name.text)) m.declared.set(c.name.text, { exported: c.exported !== undefined, name: c.name });
      if (m.key !== '' && file.implements) {
        for (const i of file.implements) {
          sink.report(Codes.agreementMisplaced, keywordSpan(i.span, 'implements'), '`implements` in an imported module: the intent that connects implements its side of a contract', {
            hint: 'move the `implements` block to the intent that imports this module',
          });
        }
        delete file.implements;
      }
    }
  }

  // The imports' names and targets.
  const edges = new Map<string, { decl: ImportDecl; target: string }[]>();
  for (const m of modules.values()) {
    const out: { decl: ImportDecl; target: string }[] = [];
    edges.set(m.key, out);
    for (const file of m.files) {
      for (const decl of file.imports ?? []) {
        const target = importTarget(file, decl, problems, paths, sink);
        if (target === undefined) {
          const name = decl.name?.text ?? moduleBaseName(stringValue(decl.path.text));
          if (NAME.test(name)) (m.unlinked ??= new Set()).add(name);
          continue;
        }
        const name = importName(decl, m, target, sink);
        if (name === undefined) continue;
        if (m.key === '' && siteNames.has(name)) {
          sink.report(Codes.importNameClash, (decl.name ?? decl.path).span, `the import name \`${name}\` is also a site: \`${name}.X\` would name both a device and a declaration of the module`, {
            hint: `import it under another name: \`import ${decl.path.text} as ${name}_mod\``,
          });
          continue;
        }
        m.imports.set(name, target);
        out.push({ decl, target });
      }
    }
  }
  reportCycles(edges, modules, sink);
  assignQualifiers(root, modules);

  const references = attachImportedExternals(root, modules, sink);
  const unlinked: Span[] = [];
  for (const m of modules.values()) {
    if (m.qualifier === undefined) continue;
    for (const file of m.files) {
      for (const d of file.declarations) {
        if (m.key !== '' && (d.kind === 'service' || d.kind === 'group' || d.kind === 'external')) {
          d.name.text = `${m.qualifier}.${d.name.text}`;
        }
      }
      if (m.key !== '') for (const c of file.contracts ?? []) c.name.text = `${m.qualifier}.${c.name.text}`;
      rewriteReferences(file, m, modules, sink, unlinked);
    }
  }
  return { files: copies.filter((f) => modules.get(paths.moduleOf(f.path))!.qualifier !== undefined), references, ...(unlinked.length > 0 ? { unlinked } : {}) };
}

/** The span of a statement's first word. */
function keywordSpan(span: Span, word: string): Span {
  const start = span.start;
  return { file: span.file, start, end: { ...start, column: start.column + word.length, offset: start.offset + word.length } };
}

function allowedInModule(d: Declaration, sink: DiagnosticSink): boolean {
  if (!MODULE_KINDS.has(d.kind)) {
    const start = d.span.start;
    const what = d.kind === 'secret' ? 'a secret stays with the intent that uses it, never in a module' : 'a module imported by another holds only services, groups, externals and contracts';
    sink.report(Codes.notInModule, { file: d.span.file, start, end: { ...start, column: start.column + d.kind.length, offset: start.offset + d.kind.length } }, `\`${d.kind}\` in an imported module: ${what}`, {
      hint: 'move it to the intent that imports this module (docs/language.md, "Modules")',
    });
    return false;
  }
  if (d.kind === 'external') {
    const local = d.items.find((i) => i.kind === 'attach' || i.kind === 'announce' || i.kind === 'password');
    if (local) {
      sink.report(Codes.notInModule, local.span, `\`${local.kind}\` in an external of an imported module: a module's external gives only its \`asn\` and \`prefixes\``, {
        hint: 'attachments, announcements and passwords belong to the network that connects the external',
      });
      d.items = d.items.filter((i) => i.kind === 'asn' || i.kind === 'prefixes');
    }
  }
  return true;
}

function importTarget(
  file: SourceFile,
  decl: ImportDecl,
  problems: ReadonlyMap<string, Readonly<Record<string, ImportProblem>>>,
  paths: ReturnType<typeof linkPaths>,
  sink: DiagnosticSink,
): string | undefined {
  const path = stringValue(decl.path.text);
  if (path.startsWith('/') || path.startsWith('\\') || /^[A-Za-z]:/.test(path)) {
    sink.report(Codes.importAbsolute, decl.path.span, `the import path ${decl.path.text} is absolute`, {
      hint: "write it relative to this file's folder (`../shared/services.plumb`), so that every checkout reads the same intent",
    });
    return undefined;
  }
  const problem = problems.get(file.path)?.[path] ?? paths.problem(file.path, path);
  if (problem) {
    if (problem.kind === 'not-plumb') {
      sink.report(Codes.importNotPlumb, decl.path.span, `${problem.shown} is not a .plumb file or a folder: only .plumb files are read through an import`, {
        hint: 'import a `.plumb` file, or a folder of them',
      });
    } else {
      sink.report(Codes.importNotFound, decl.path.span, `no .plumb file or folder ${problem.shown}`, {
        hint: "the path is taken from the importing file's folder; check its spelling, or add the module's files",
      });
    }
    return undefined;
  }
  return paths.target(file.path, path);
}

function importName(decl: ImportDecl, m: Module, target: string, sink: DiagnosticSink): string | undefined {
  const name = decl.name?.text ?? moduleBaseName(stringValue(decl.path.text));
  if (!NAME.test(name)) {
    sink.report(Codes.importNeedsName, decl.path.span, `\`${name}\` is not a name: the import needs \`as NAME\``, {
      hint: `write \`import ${decl.path.text} as NAME\``,
    });
    return undefined;
  }
  const other = m.imports.get(name);
  if (other !== undefined && other !== target) {
    sink.report(Codes.importNeedsName, (decl.name ?? decl.path).span, `the name \`${name}\` is already taken by another import of this module`, {
      hint: `give one of them another name: \`import ${decl.path.text} as OTHER\``,
    });
    return undefined;
  }
  return name;
}

/** Every import that closes a cycle (one module reached again from itself) is an error. */
function reportCycles(edges: Map<string, { decl: ImportDecl; target: string }[]>, modules: Map<string, Module>, sink: DiagnosticSink): void {
  const shown = (key: string): string => (key === '' ? (modules.get('')!.files[0]?.path ?? 'the intent') : key);
  const done = new Set<string>();
  const stack: string[] = [];
  const visit = (key: string): void => {
    stack.push(key);
    for (const edge of edges.get(key) ?? []) {
      const at = stack.indexOf(edge.target);
      if (at >= 0) {
        const chain = [...stack.slice(at), edge.target].map(shown).join(' → ');
        sink.report(Codes.importCycle, edge.decl.path.span, `import cycle: ${chain}`, {
          hint: 'a module cannot import itself, directly or through others: move what both need into a module both import',
        });
        const m = modules.get(key)!;
        for (const [name, target] of m.imports) {
          if (target !== edge.target) continue;
          m.imports.delete(name);
          (m.unlinked ??= new Set()).add(name);
        }
        continue;
      }
      if (!done.has(edge.target)) visit(edge.target);
    }
    stack.pop();
    done.add(key);
  };
  visit('');
}

/** Each module reached from the root gets the qualified name of the first path that reaches it. */
function assignQualifiers(root: Module, modules: Map<string, Module>): void {
  const queue: Module[] = [root];
  while (queue.length > 0) {
    const m = queue.shift()!;
    for (const [name, target] of m.imports) {
      const t = modules.get(target);
      if (!t || t.qualifier !== undefined) continue;
      t.qualifier = m.qualifier === '' ? name : `${m.qualifier}.${name}`;
      queue.push(t);
    }
  }
}

/** Rewrites the names a file references to the qualified names they mean (see the header). */
function rewriteReferences(file: SourceFile, m: Module, modules: Map<string, Module>, sink: DiagnosticSink, unlinked: Span[]): void {
  const qualify = (token: NameRef, service: boolean): void => {
    const dot = token.device?.site ? token.device.site.text : token.text.includes('.') ? token.text.slice(0, token.text.indexOf('.')) : undefined;
    if (dot !== undefined) {
      const target = m.imports.get(dot);
      if (target === undefined) {
        if (m.unlinked?.has(dot)) unlinked.push(token.span);
        return; // otherwise `site.device`, resolved as before
      }
      const t = modules.get(target)!;
      const local = token.device ? token.device.device.text : token.text.slice(dot.length + 1);
      const decl = t.declared.get(local);
      if (decl && !decl.exported) {
        sink.report(Codes.privateName, token.span, `\`${local}\` is private to the module \`${dot}\` (${t.key})`, {
          related: [{ span: decl.name.span, message: 'declared here without `export`' }],
          hint: `mark it \`export\` in the module to use it here`,
        });
      }
      delete token.device;
      token.text = `${t.qualifier}.${local}`;
      return;
    }
    // A module's own names resolve inside the module only.
    if (m.key === '' || token.text === ANY || (service && PRELUDE_BY_NAME.has(token.text) && !m.declared.has(token.text))) return;
    token.text = `${m.qualifier}.${token.text}`;
  };
  for (const d of file.declarations) {
    switch (d.kind) {
      case 'group':
        d.members.forEach((t) => qualify(t, false));
        break;
      case 'service':
        for (const item of d.items) if (isServiceReference(item)) qualify(item.protocol, true);
        break;
      case 'policy':
        for (const rule of d.rules) {
          rule.sources.forEach((t) => qualify(t, false));
          rule.destinations.forEach((t) => qualify(t, false));
          rule.services.forEach((t) => qualify(t, true));
        }
        break;
      case 'assert':
      case 'manage':
        d.sources.forEach((t) => qualify(t, false));
        d.services.forEach((t) => qualify(t, true));
        if (d.kind === 'assert') d.destinations.forEach((t) => qualify(t, false));
        break;
      default:
        break;
    }
  }
  // A contract's services resolve in its own module; an implementation names its contract.
  for (const c of file.contracts ?? []) for (const item of c.items) if (item.kind === 'offers') item.services.forEach((t) => qualify(t, true));
  for (const i of file.implements ?? []) qualify(i.contract, false);
}

/**
 * `external MODULE.NAME { attach ... }` in the root intent: the module gives the partner's `asn`
 * and `prefixes`, the intent where it connects (its lines join the module's external).
 */
function attachImportedExternals(root: Module, modules: Map<string, Module>, sink: DiagnosticSink): { span: Span; key: string }[] {
  const attached = new Map<string, Token>();
  const references: { span: Span; key: string }[] = [];
  for (const file of root.files) {
    file.declarations = file.declarations.filter((d) => {
      if (d.kind !== 'site' && d.kind !== 'external') return true;
      const dot = d.name.text.indexOf('.');
      if (dot < 0) return true;
      const moduleName = d.name.text.slice(0, dot);
      const target = d.kind === 'external' ? root.imports.get(moduleName) : undefined;
      if (d.kind === 'site' || target === undefined) {
        sink.report(Codes.qualifiedDeclaration, d.name.span, `\`${d.name.text}\` cannot be declared: a declared name has no dot`, {
          hint: d.kind === 'site' ? 'name the site without a dot' : `\`${moduleName}\` is no import of this intent; import the module that declares the external, or name it without a dot`,
        });
        return false;
      }
      const t = modules.get(target)!;
      const local = d.name.text.slice(dot + 1);
      const decl = t.files.flatMap((f) => f.declarations).find((x): x is Extract<Declaration, { kind: 'external' }> => x.kind === 'external' && x.name.text === local);
      if (!decl || !decl.exported) {
        sink.report(decl ? Codes.privateName : Codes.importedExternalLines, d.name.span, decl ? `\`${local}\` is private to the module \`${moduleName}\` (${t.key})` : `the module \`${moduleName}\` declares no external \`${local}\``, {
          ...(decl ? { related: [{ span: decl.name.span, message: 'declared here without `export`' }] } : {}),
          hint: decl ? 'mark it `export` in the module to attach it here' : 'attach an external that the module exports',
        });
        return false;
      }
      const first = attached.get(d.name.text);
      const own = d.items.find((i) => i.kind === 'asn' || i.kind === 'prefixes');
      if (first || own) {
        sink.report(Codes.importedExternalLines, own ? own.span : d.name.span, own ? `\`${own.kind}\` of an imported external is the module's to give` : `\`${d.name.text}\` is already attached`, {
          ...(first ? { related: [{ span: first.span, message: 'attached here first' }] } : {}),
          hint: own ? 'keep only `attach`, `announce` and `password` lines here' : 'put all its lines in one block',
        });
        if (first) return false;
      }
      attached.set(d.name.text, d.name);
      references.push({ span: d.name.span, key: `${t.qualifier}.${local}` });
      decl.items.push(...d.items.filter((i) => i.kind === 'attach' || i.kind === 'announce' || i.kind === 'password'));
      return false;
    });
  }
  return references;
}

/** An intent without imports: a site or external declared with a dot is an error (P239), and left out. */
function withoutDottedNames(file: SourceFile, sink: DiagnosticSink): SourceFile {
  const dotted = (d: Declaration): boolean => (d.kind === 'site' || d.kind === 'external') && d.name.text.includes('.');
  if (!file.declarations.some(dotted)) return file;
  for (const d of file.declarations.filter(dotted)) {
    const name = (d as { name: Token }).name;
    sink.report(Codes.qualifiedDeclaration, name.span, `\`${name.text}\` cannot be declared: a declared name has no dot`, {
      hint: 'name it without a dot; `NAME.EXT` attaches the external EXT of an imported module NAME',
    });
  }
  return { ...file, declarations: file.declarations.filter((d) => !dotted(d)) };
}
