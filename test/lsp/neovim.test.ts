// End to end with a real editor: headless Neovim, its built-in LSP client and the snippet in
// editors/neovim/plumb.lua open an intent with a mistake; the test checks what Neovim received
// (and that the snippet brought the Vim syntax file's highlighting).
// In CI a missing Neovim fails the test; elsewhere it is skipped with a loud message.

import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { BUILD_TIMEOUT_MS, ensureBuilt, ROOT, SERVER_ENTRY, workspaceDir } from './harness.js';

const nvim = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
const haveNvim = nvim.status === 0;
if (!haveNvim && !process.env.CI) {
  console.warn('\n*** SKIPPING the Neovim end-to-end test: `nvim` is not installed (apt-get install neovim) ***\n');
}

function positionOf(text: string, needle: string, delta = 0): { line: number; character: number } {
  const at = text.indexOf(needle);
  if (at < 0) throw new Error(`${needle} not found`);
  const before = text.slice(0, at + delta);
  return { line: before.split('\n').length - 1, character: before.length - before.lastIndexOf('\n') - 1 };
}

describe('Neovim end to end', () => {
  beforeAll(async () => {
    if (haveNvim || process.env.CI) await ensureBuilt();
  }, BUILD_TIMEOUT_MS);

  it.skipIf(!haveNvim && !process.env.CI)('shows the diagnostic of a misspelt name, answers hover and definition', () => {
    expect(haveNvim, 'nvim must be installed in CI').toBe(true);
    const acme = readFileSync(join(ROOT, 'examples/acme/acme.plumb'), 'utf8');
    const text = acme.replace('allow web -> db : postgres-rw', 'allow web -> dbb : postgres-rw');
    expect(text).not.toBe(acme);
    const ws = workspaceDir({ 'acme.plumb': text });
    try {
      const file = join(ws.dir, 'acme.plumb');
      const out = join(ws.dir, 'nvim-result.json');
      const hover = positionOf(text, 'segment web', 8);
      const definition = positionOf(text, 'allow office', 7); // `office` in the policy
      const result = spawnSync(
        'nvim',
        ['--headless', '--clean', '-n', '-i', 'NONE', '-c', `luafile ${join(ROOT, 'test/lsp/neovim-e2e.lua')}`],
        {
          cwd: ws.dir,
          timeout: 50_000,
          encoding: 'utf8',
          env: {
            ...process.env,
            PLUMB_NVIM_OUT: out,
            PLUMB_NODE: process.execPath,
            PLUMB_SERVER: SERVER_ENTRY,
            PLUMB_SNIPPET: join(ROOT, 'editors/neovim/plumb.lua'),
            PLUMB_FILE: file,
            PLUMB_HOVER_LINE: String(hover.line),
            PLUMB_HOVER_CHAR: String(hover.character),
            PLUMB_DEF_LINE: String(definition.line),
            PLUMB_DEF_CHAR: String(definition.character),
          },
        },
      );
      expect(result.error, result.stderr).toBeUndefined();
      const got = JSON.parse(readFileSync(out, 'utf8')) as {
        error?: string;
        steps: string[];
        filetype: string;
        syntax: string;
        attached: boolean;
        diagnostics: { lnum: number; col: number; message: string; code?: string }[];
        hover: string;
        definition: { uri: string; range: { start: { line: number; character: number } } };
      };
      writeFileSync(join(ws.dir, 'seen.json'), JSON.stringify(got, null, 2));
      expect(got.error).toBeUndefined();
      expect(got.filetype).toBe('plumb');
      expect(got.syntax).toBe('plumbDeclaration');
      expect(got.attached).toBe(true);

      const typo = positionOf(text, 'dbb');
      const unknown = got.diagnostics.filter((d) => d.code === 'P201');
      expect(unknown).toHaveLength(1);
      expect(unknown[0]).toMatchObject({ lnum: typo.line, col: typo.character });
      expect(unknown[0]!.message).toContain('unknown');
      expect(unknown[0]!.message).toContain('did you mean `db`?');

      expect(got.hover).toContain('segment web 10.10.1.0/24');
      expect(got.hover).toContain('paloalto-panos');

      expect(got.definition.uri).toBe(pathToFileURL(file).href);
      expect(got.definition.range.start).toEqual(positionOf(text, 'segment office', 8));
    } finally {
      ws.cleanup();
    }
  });
});
