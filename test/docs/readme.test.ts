// The README's claims run: the quick start's commands succeed (and, from a fresh copy of the
// repository by the shell, in quick-start.test.ts), the "taste" intent gives exactly the verify
// output the README shows (timings aside), and every document it links exists.

import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../cli/io.js';
import { run } from '../../cli/program.js';

const README = readFileSync('README.md', 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'plumb-readme-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function captureIo(cwd: string): CliIo & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    stdout: (s: string) => void (io.out += s),
    stderr: (s: string) => void (io.err += s),
    isTTY: false,
    cwd,
    env: {},
  };
  return io;
}

/** The body of the first fenced block that starts with ```LANG after `marker`. */
function fenced(lang: string, marker = ''): string {
  const from = README.indexOf(marker);
  expect(from, `README mentions ${marker}`).toBeGreaterThanOrEqual(0);
  const open = README.indexOf('```' + lang + '\n', from);
  const close = README.indexOf('\n```', open + 4 + lang.length);
  return README.slice(open + 4 + lang.length, close + 1);
}

const untimed = (text: string): string =>
  text
    .replace(/\(\d+(\.\d+)? (ms|s)\)/g, '(T)')
    .replace(/ in \d+(\.\d+)? (ms|s)( \(solver \d+(\.\d+)? (ms|s)( on \d+ workers)?\))?$/gm, ' in T$3')
    .replace(/\(solver \d+(\.\d+)? (ms|s)/g, '(solver T');

describe('README', () => {
  it('quick start: proves the bundled example and compiles its configs', async () => {
    // The commands themselves run by the shell in a fresh copy of the repository in
    // quick-start.test.ts; here the two plumb commands they end with run in this process.
    const cmd = fenced('sh', '## Quick start');
    expect(cmd).toContain('npm run plumb -- verify examples/acme');
    expect(cmd).toContain('npm run plumb -- compile examples/acme -o out/acme');
    const verify = captureIo(process.cwd());
    expect(await run(['verify', 'examples/acme'], verify)).toBe(0);
    const out = join(dir, 'acme-out');
    const compile = captureIo(process.cwd());
    expect(await run(['compile', 'examples/acme', '-o', out], compile)).toBe(0);
    expect(existsSync(join(out, 'manifest.json'))).toBe(true);
    expect(fenced('sh', 'Then')).toBe('npm test\n');
  }, 120_000);

  it('the taste intent verifies exactly as shown', async () => {
    writeFileSync(join(dir, 'taste.plumb'), fenced('plumb', '## A taste'));
    const io = captureIo(dir);
    expect(await run(['verify', 'taste.plumb'], io)).toBe(1);
    const shown = fenced('', '`plumb verify taste.plumb`');
    const verdicts = io.out.slice(io.out.search(/^(proven|REFUTED|unknown) /m));
    expect(untimed(verdicts)).toBe(untimed(shown));
  }, 120_000);

  it('links only to files that exist', () => {
    const links = [...README.matchAll(/\]\(([^)#]+)\)/g)].map((m) => m[1]!);
    expect(links.length).toBeGreaterThan(5);
    for (const link of links) expect(existsSync(link), link).toBe(true);
  });
});
