// What the architecture tests need to know about a source file, read with TypeScript's own
// parser (never a regular expression over the text, so that comments and strings cannot fool
// it): every module it imports (static, re-export, dynamic `import()`, `require`, `import x =
// require()`, `import('x').T` in a type), whether the import is for types only, and the text of
// every string and template literal. Pure: files come in as text, so the checker can be tested
// on small invented trees.

import { posix } from 'node:path';
import ts from 'typescript';

/** A source file: its path from the repository root (with `/`) and its text. */
export interface SourceText {
  path: string;
  text: string;
}

export interface ImportFact {
  /** The importing file. */
  file: string;
  line: number;
  column: number;
  /** The specifier as written: `../language/ast.js`, `node:fs`, `chevrotain`. */
  specifier: string;
  /** A relative specifier's file from the repository root (`.js` read as the `.ts` source). */
  target?: string;
  /** Erased when compiled: `import type`, every binding `type`, or `import('x').T`. */
  typeOnly: boolean;
}

export interface LiteralFact {
  file: string;
  line: number;
  column: number;
  /** The literal's text; for a template, one piece between substitutions. */
  text: string;
  /** A piece of a template with substitutions (`frr${n}` gives the piece `frr`). */
  piece: boolean;
}

export interface SourceFacts {
  path: string;
  imports: ImportFact[];
  literals: LiteralFact[];
}

/** The source file a relative specifier names, from the repository root. */
export function resolveSpecifier(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('./') && !specifier.startsWith('../')) return undefined;
  const joined = posix.normalize(posix.join(posix.dirname(from), specifier));
  // Sources import each other by their compiled name (`x.js` for `x.ts`); `.mjs` files are
  // plain JavaScript in the source tree.
  return joined.endsWith('.js') ? `${joined.slice(0, -3)}.ts` : joined;
}

function importClauseIsTypeOnly(clause: ts.ImportClause | undefined): boolean {
  if (!clause) return false; // `import 'x'` runs the module
  if (clause.isTypeOnly) return true;
  if (clause.name) return false;
  const bindings = clause.namedBindings;
  return (
    bindings !== undefined &&
    ts.isNamedImports(bindings) &&
    bindings.elements.length > 0 &&
    bindings.elements.every((e) => e.isTypeOnly)
  );
}

function exportIsTypeOnly(node: ts.ExportDeclaration): boolean {
  if (node.isTypeOnly) return true;
  const clause = node.exportClause;
  return (
    clause !== undefined &&
    ts.isNamedExports(clause) &&
    clause.elements.length > 0 &&
    clause.elements.every((e) => e.isTypeOnly)
  );
}

/** Reads one file's imports and literals. */
export function factsOf(source: SourceText): SourceFacts {
  const kind = /\.[cm]?js$/.test(source.path) ? ts.ScriptKind.JS : ts.ScriptKind.TS;
  const sf = ts.createSourceFile(source.path, source.text, ts.ScriptTarget.Latest, true, kind);
  const imports: ImportFact[] = [];
  const literals: LiteralFact[] = [];
  const specifierNodes = new Set<ts.Node>();

  const at = (node: ts.Node): { line: number; column: number } => {
    const p = sf.getLineAndCharacterOfPosition(node.getStart(sf));
    return { line: p.line + 1, column: p.character + 1 };
  };
  const addImport = (node: ts.Node, spec: ts.Node | undefined, typeOnly: boolean): void => {
    if (!spec || !ts.isStringLiteralLike(spec)) return;
    specifierNodes.add(spec);
    const target = resolveSpecifier(source.path, spec.text);
    imports.push({
      file: source.path,
      ...at(node),
      specifier: spec.text,
      typeOnly,
      ...(target ? { target } : {}),
    });
  };

  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      addImport(node, node.moduleSpecifier, importClauseIsTypeOnly(node.importClause));
    } else if (ts.isExportDeclaration(node)) {
      addImport(node, node.moduleSpecifier, exportIsTypeOnly(node));
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      addImport(node, node.moduleReference.expression, node.isTypeOnly);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      addImport(node, node.argument.literal, true);
    } else if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const isDynamicImport = callee.kind === ts.SyntaxKind.ImportKeyword;
      const isRequire = ts.isIdentifier(callee) && callee.text === 'require';
      if (isDynamicImport || isRequire) addImport(node, node.arguments[0], false);
    }
    if ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) && !specifierNodes.has(node)) {
      literals.push({ file: source.path, ...at(node), text: node.text, piece: false });
    } else if (ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) {
      literals.push({ file: source.path, ...at(node), text: node.text, piece: true });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return { path: source.path, imports, literals };
}
