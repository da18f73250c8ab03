// The editor packages: the VS Code extension's manifest, language configuration, TextMate
// grammar and client source are consistent and valid; the grammar colours a real intent.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ROOT } from './harness.js';

const VSCODE = join(ROOT, 'editors/vscode');
const readJson = (path: string): Record<string, unknown> => JSON.parse(readFileSync(join(VSCODE, path), 'utf8')) as Record<string, unknown>;

interface Rule {
  name?: string;
  match?: string;
  include?: string;
  patterns?: Rule[];
  captures?: Record<string, { name: string }>;
}

/** The grammar's match rules in order, includes resolved (this grammar has no begin/end rules). */
function flatten(rules: Rule[], repository: Record<string, Rule>): Rule[] {
  return rules.flatMap((r) => {
    if (r.include) return flatten([repository[r.include.slice(1)]!], repository);
    if (r.patterns) return flatten(r.patterns, repository);
    return [r];
  });
}

/** Tokenizes one line as TextMate does for match rules: the leftmost match wins, then rule order. */
function tokenize(line: string, rules: Rule[]): { text: string; scope: string }[] {
  const compiled = rules.map((r) => ({ rule: r, re: new RegExp(r.match!, 'gd') }));
  const out: { text: string; scope: string }[] = [];
  let at = 0;
  while (at < line.length) {
    let best: { rule: Rule; m: RegExpExecArray } | undefined;
    for (const { rule, re } of compiled) {
      re.lastIndex = at;
      const m = re.exec(line);
      if (m && m[0].length > 0 && (!best || m.index < best.m.index)) best = { rule, m };
    }
    if (!best) break;
    const { rule, m } = best;
    if (rule.captures) {
      for (const [group, { name }] of Object.entries(rule.captures)) {
        const span = m.indices![Number(group)];
        if (span) out.push({ text: line.slice(span[0], span[1]), scope: name });
      }
    } else {
      out.push({ text: m[0], scope: rule.name! });
    }
    at = m.index + m[0].length;
  }
  return out;
}

describe('the VS Code extension', () => {
  const manifest = readJson('package.json') as {
    name: string;
    publisher: string;
    version: string;
    license: string;
    engines: { vscode: string };
    main: string;
    dependencies: Record<string, string>;
    contributes: {
      languages: { id: string; extensions: string[]; configuration: string }[];
      grammars: { language: string; scopeName: string; path: string }[];
      commands: { command: string }[];
    };
  };

  it('has a manifest vsce can package: identity, engine, entry point, language and grammar files', () => {
    expect(manifest.name).toMatch(/^[a-z0-9-]+$/);
    expect(manifest.publisher).toBeTruthy();
    expect(manifest.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(manifest.engines.vscode).toMatch(/^\^1\.\d+\.\d+$/);
    expect(manifest.license).toBe('AGPL-3.0-or-later');
    expect(manifest.dependencies['vscode-languageclient']).toBeTruthy();
    for (const f of ['README.md', 'LICENSE', 'language-configuration.json', 'src/extension.ts']) expect(existsSync(join(VSCODE, f))).toBe(true);
    // `main` is where the bundle of src/extension.ts is written (esbuild, `npm run bundle`), in tsconfig's outDir.
    const tsconfig = readJson('tsconfig.json') as { compilerOptions: { rootDir: string; outDir: string } };
    expect(manifest.main).toBe(`./${tsconfig.compilerOptions.outDir}/extension.js`);
    expect(tsconfig.compilerOptions.rootDir).toBe('src');
    const [language] = manifest.contributes.languages;
    expect(language).toMatchObject({ id: 'plumb', extensions: ['.plumb'] });
    expect(existsSync(join(VSCODE, language!.configuration))).toBe(true);
    const [grammar] = manifest.contributes.grammars;
    expect(grammar!.language).toBe('plumb');
    expect(readJson(grammar!.path).scopeName).toBe(grammar!.scopeName);
  });

  it('has a client that parses and starts `plumb lsp`, and declares every command it registers', () => {
    const source = readFileSync(join(VSCODE, 'src/extension.ts'), 'utf8');
    const out = ts.transpileModule(source, { reportDiagnostics: true, compilerOptions: { module: ts.ModuleKind.CommonJS } });
    expect(out.diagnostics).toEqual([]);
    expect(source).toContain("'vscode-languageclient/node'");
    expect(source).toContain("['lsp']");
    const registered = [...source.matchAll(/registerCommand\('([^']+)'/g)].map((m) => m[1]);
    expect(manifest.contributes.commands.map((c) => c.command)).toEqual(registered);
  });

  it('has a language configuration with `#` comments and brace brackets', () => {
    const config = readJson('language-configuration.json') as { comments: { lineComment: string }; brackets: string[][] };
    expect(config.comments.lineComment).toBe('#');
    expect(config.brackets).toContainEqual(['{', '}']);
  });

  it('has a grammar that colours an intent', () => {
    const grammar = readJson('syntaxes/plumb.tmLanguage.json') as unknown as { patterns: Rule[]; repository: Record<string, Rule> };
    const rules = flatten(grammar.patterns, grammar.repository);
    expect(rules.length).toBeGreaterThan(10);
    const scopes = (line: string): Record<string, string> =>
      Object.fromEntries(tokenize(line, rules).map((t) => [t.text, t.scope]));
    expect(scopes('# a comment { with "braces"')).toEqual({ '# a comment { with "braces"': 'comment.line.number-sign.plumb' });
    expect(scopes('  router   edge1 cisco-iosxe   asn 65010')).toMatchObject({
      router: 'keyword.control.declaration.plumb',
      edge1: 'entity.name.type.device.plumb',
      'cisco-iosxe': 'support.type.platform.plumb',
      asn: 'keyword.other.clause.plumb',
      '65010': 'constant.numeric.integer.plumb',
    });
    expect(scopes('segment web    10.10.1.0/24, 2001:db8:10:1::/64 at fra1.fw1 zone dmz')).toMatchObject({
      segment: 'keyword.control.declaration.plumb',
      web: 'entity.name.type.plumb',
      '10.10.1.0/24': 'constant.numeric.ipv4.plumb',
      '2001:db8:10:1::/64': 'constant.numeric.ipv6.plumb',
      at: 'keyword.other.clause.plumb',
      zone: 'keyword.other.clause.plumb',
    });
    expect(scopes('assert reach   internet  -> web : https via fra1.fw1  # proof')).toMatchObject({
      assert: 'keyword.control.statement.plumb',
      reach: 'keyword.other.property.plumb',
      '->': 'keyword.operator.plumb',
      via: 'keyword.other.clause.plumb',
      '# proof': 'comment.line.number-sign.plumb',
    });
    expect(scopes('network acme "ACME edge: Frankfurt # and Amsterdam"')).toMatchObject({
      '"ACME edge: Frankfurt # and Amsterdam"': 'string.quoted.double.plumb',
    });
    // Every line of the example tokenizes without a regex error.
    for (const line of readFileSync(join(ROOT, 'examples/acme/acme.plumb'), 'utf8').split('\n')) tokenize(line, rules);
  });
});
