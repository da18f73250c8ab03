// The Vim syntax file (editors/vim), for Vim and for Neovim before 0.9: it names the same
// keywords as the lexer and the VS Code grammar, and headless Neovim (and Vim, where installed)
// with only editors/vim on the runtime path detects the filetype and colours a real intent.
// In CI a missing Neovim fails the test; elsewhere it is skipped with a loud message.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KW } from '../../language/grammar-tokens.js';
import { PLATFORMS } from '../../language/intent.js';
import { ROOT } from '../lsp/harness.js';

const VIM_DIR = join(ROOT, 'editors/vim');
const SYNTAX = readFileSync(join(VIM_DIR, 'syntax/plumb.vim'), 'utf8');
const ACME_PATH = join(ROOT, 'examples/acme/acme.plumb');
const ACME = readFileSync(ACME_PATH, 'utf8');

/** Words the grammars colour as language words besides the lexer's keywords: the protocols and the built-in `any`. */
const LANGUAGE_CONSTANTS = ['any', 'icmp', 'tcp', 'udp'];
/** The words of modules, which the parser reads at the start of a statement (language/parser.ts), not the lexer. */
const MODULE_WORDS = ['export', 'import'];
const sorted = (words: Iterable<string>): string[] => [...new Set(words)].sort();

/** The words of the syntax file's `syntax keyword GROUP ...` lines, by group. */
function vimKeywords(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const m of SYNTAX.matchAll(/^syntax keyword (\w+) (.+)$/gm)) {
    const words = m[2]!.split(/\s+/).filter((w) => w !== 'contained');
    out.set(m[1]!, [...(out.get(m[1]!) ?? []), ...words]);
  }
  return out;
}

interface Rule {
  name?: string;
  match?: string;
  captures?: Record<string, { name: string }>;
}

/**
 * The words of the TextMate grammar's alternations `(a|b|...)` whose scope starts with one of
 * `scopes`: the rule's own scope, or the scope of the capture group the alternation is.
 */
function textMateWords(scopes: string[]): string[] {
  const grammar = JSON.parse(readFileSync(join(ROOT, 'editors/vscode/syntaxes/plumb.tmLanguage.json'), 'utf8')) as { repository: Record<string, Rule> };
  const wanted = (scope: string | undefined): boolean => scope !== undefined && scopes.some((s) => scope.startsWith(s));
  const words: string[] = [];
  for (const rule of Object.values(grammar.repository)) {
    if (!rule.match) continue;
    for (const m of rule.match.matchAll(/\(((?:[a-z-]+\|)+[a-z-]+)\)/g)) {
      // The group's number: the capturing `(` before it (not escaped, not `(?`), plus one.
      const before = rule.match.slice(0, m.index);
      const group = [...before.matchAll(/(?<!\\)\((?!\?)/g)].length + 1;
      if (wanted(rule.captures ? rule.captures[String(group)]?.name : rule.name)) words.push(...m[1]!.split('|'));
    }
  }
  return sorted(words);
}

/** 1-based line and byte column of the `n`th occurrence of `needle`, plus `delta` (acme is ASCII). */
function at(needle: string, delta = 0, n = 0): [number, number] {
  let offset = -1;
  for (let i = 0; i <= n; i++) {
    offset = ACME.indexOf(needle, offset + 1);
    if (offset < 0) throw new Error(`${needle} not found`);
  }
  const before = ACME.slice(0, offset + delta);
  return [before.split('\n').length, before.length - before.lastIndexOf('\n')];
}

/** What each probe should be coloured as: [line, column], the syntax group. */
const PROBES: [string, [number, number], string][] = [
  ['top-level keyword', at('network acme'), 'plumbDeclaration'],
  ['declared name', at('network acme', 8), 'plumbName'],
  ['string', at('"ACME edge', 3), 'plumbString'],
  ['comment', at('# internal routing', 4), 'plumbComment'],
  ['constant', at('routing ospf', 8), 'plumbConstant'],
  ['statement in a block', at('  router edge1', 2), 'plumbStatement'],
  ['device name', at('  router edge1', 9), 'plumbDeviceName'],
  ['platform', at('edge1 cisco-iosxe', 10), 'plumbPlatform'],
  ['number', at('asn 65010', 5), 'plumbNumber'],
  ['site.device', at('fra1.core1 -- ams1', 6), 'plumbDevice'],
  ['clause keyword', at('cost 10'), 'plumbClause'],
  ['IPv4 prefix', at('10.10.1.0/24', 3), 'plumbAddress'],
  ['IPv6 prefix', at('2001:db8:10:1::/64', 12), 'plumbAddress'],
  ['IPv4 address', at('peer 169.254.10.2', 9), 'plumbAddress'],
  ['port', at('tcp 5432', 5), 'plumbNumber'],
  ['protocol', at('tcp 5432'), 'plumbConstant'],
  ['hyphenated keyword', at('profile-group internal', 8), 'plumbClause'],
  ['operator', at('edge1 -- fw1', 6), 'plumbOperator'],
  ['assert property', at('assert reach', 7), 'plumbProperty'],
];

/** Runs an editor headless on acme with editors/vim first on the runtime path; returns what it saw. */
function probe(editor: string, args: string[]): { filetype: string; commentstring: string; groups: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'plumb-vim-'));
  try {
    const out = join(dir, 'out.json');
    const script = join(dir, 'probe.vim');
    writeFileSync(
      script,
      [
        `let s:probes = json_decode('${JSON.stringify(PROBES.map((p) => p[1]))}')`,
        "let s:groups = map(copy(s:probes), {_, p -> synIDattr(synID(p[0], p[1], 1), 'name')})",
        `call writefile([json_encode({'filetype': &filetype, 'commentstring': &commentstring, 'groups': s:groups})], '${out}')`,
        'qa!',
      ].join('\n'),
    );
    const result = spawnSync(
      editor,
      [...args, '--cmd', `set rtp^=${VIM_DIR}`, '--cmd', 'filetype plugin on', '--cmd', 'syntax on', ACME_PATH, '-c', `source ${script}`],
      { encoding: 'utf8', timeout: 60_000, cwd: dir },
    );
    expect(result.error, result.stderr).toBeUndefined();
    return JSON.parse(readFileSync(out, 'utf8')) as { filetype: string; commentstring: string; groups: string[] };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function expectColoured(seen: { filetype: string; commentstring: string; groups: string[] }): void {
  expect(seen.filetype).toBe('plumb');
  expect(seen.commentstring).toBe('# %s');
  expect(Object.fromEntries(PROBES.map((p, i) => [p[0], seen.groups[i]]))).toEqual(Object.fromEntries(PROBES.map((p) => [p[0], p[2]])));
}

const haveNvim = spawnSync('nvim', ['--version'], { encoding: 'utf8' }).status === 0;
const haveVim = spawnSync('vim', ['--version'], { encoding: 'utf8' }).status === 0;
if (!haveNvim && !process.env.CI) console.warn('\n*** SKIPPING the Neovim syntax test: `nvim` is not installed (apt-get install neovim) ***\n');

describe('the Vim syntax file', () => {
  it("names the lexer's keywords, and the same ones as the VS Code grammar", () => {
    const groups = vimKeywords();
    const vimWords = sorted([...groups].filter(([g]) => g !== 'plumbPlatform' && g !== 'plumbTodo').flatMap(([, w]) => w));
    const expected = sorted([...Object.keys(KW), ...LANGUAGE_CONSTANTS, ...MODULE_WORDS]);
    expect(vimWords).toEqual(expected);
    expect(textMateWords(['keyword.', 'constant.language'])).toEqual(expected);
    expect(sorted(groups.get('plumbPlatform')!)).toEqual(sorted(PLATFORMS));
    expect(textMateWords(['support.type.platform'])).toEqual(sorted(PLATFORMS));
  });

  it.skipIf(!haveNvim && !process.env.CI)('colours an intent in headless Neovim (0.7 and later) and detects its filetype', () => {
    expect(haveNvim, 'nvim must be installed in CI').toBe(true);
    expectColoured(probe('nvim', ['--headless', '-u', 'NONE', '-i', 'NONE', '-n']));
  });

  it.skipIf(!haveVim)('colours an intent in Vim', () => {
    expectColoured(probe('vim', ['-u', 'NONE', '-N', '-i', 'NONE', '-n', '-X', '-es']));
  });
});
