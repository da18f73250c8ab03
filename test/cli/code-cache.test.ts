// The check entry with V8's code cache (cli/code-cache.ts, made by `npm run build`): a fresh
// process takes the saved code and checks as the CLI's modules do; the saved code is never used
// for another source, even one of the same length (V8 itself compares only the length), nor
// under other V8 flags; and `plumb check` gives the same output through it.

import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../cli/io.js';
import { run } from '../../cli/program.js';

const ROOT = join(import.meta.dirname, '..', '..');
const BUILT = join(ROOT, 'dist', 'cli', 'code-cache');
const ACME = join(ROOT, 'examples', 'acme');
const work = mkdtempSync(join(tmpdir(), 'plumb-code-cache-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

writeFileSync(join(work, 'broken.plumb'), 'pool infra 10.255.0.0/16\nsite s1 {\n  router r1 frr\n}\nsegment web 10.0.1.0/24 at s1.r1\nhost h 10.0.1.5 in wbe\n');

interface Loaded {
  cacheUsed: boolean;
  code: number;
  out: string;
}

/** Loads the entry in `dir` with its cache in a fresh node (with `flags`) and checks `path`. */
function loadAndCheck(dir: string, path: string, flags: readonly string[] = []): Loaded {
  const script = `
    import { readFileSync } from 'node:fs';
    import { loadEntry } from ${JSON.stringify(pathToFileURL(join(ROOT, 'dist', 'cli', 'code-cache.js')).href)};
    const dir = new URL(process.env.ENTRY_DIR);
    const { entry, cacheUsed } = loadEntry(dir, ${JSON.stringify(pathToFileURL(join(ROOT, 'dist', 'cli', 'bundle', 'start.js')).href)}, readFileSync(new URL('check.cjs.v8', dir)));
    let out = '';
    const io = { stdout: (s) => void (out += s), stderr: (s) => void (out += s), isTTY: false, cwd: process.cwd(), env: {} };
    const code = await entry.run(['check', process.env.CHECK_PATH], io);
    process.stdout.write(JSON.stringify({ cacheUsed, code, out }));
  `;
  const child = spawnSync(process.execPath, [...flags, '--input-type=module', '-e', script], {
    cwd: work,
    encoding: 'utf8',
    env: { ...process.env, ENTRY_DIR: `${pathToFileURL(dir).href}/`, CHECK_PATH: path },
    timeout: 120_000,
  });
  expect(child.stderr).toBe('');
  return JSON.parse(child.stdout) as Loaded;
}

/** What the CLI's modules print for `plumb check path`, and its exit code. */
async function checkedByModules(path: string): Promise<{ code: number; out: string }> {
  let out = '';
  const io: CliIo = { stdout: (s) => void (out += s), stderr: (s) => void (out += s), isTTY: false, cwd: work, env: {} };
  const code = await run(['check', path], io);
  return { code, out };
}

describe('the check entry with its code cache', () => {
  it('is taken by V8 in a fresh process and checks as the modules do', async () => {
    for (const path of [ACME, 'broken.plumb']) {
      const loaded = loadAndCheck(BUILT, path);
      expect(loaded.cacheUsed, path).toBe(true);
      expect({ code: loaded.code, out: loaded.out }).toStrictEqual(await checkedByModules(path));
    }
    expect(loadAndCheck(BUILT, 'broken.plumb').code).toBe(1);
  }, 300_000);

  it('is not used for a source changed at the same length: the entry compiles afresh', async () => {
    const changed = join(work, 'changed');
    cpSync(BUILT, changed, { recursive: true });
    const entry = join(changed, 'check.cjs');
    const source = readFileSync(entry, 'utf8');
    const at = source.indexOf('the check entry holds only');
    expect(at).toBeGreaterThan(0);
    writeFileSync(entry, `${source.slice(0, at)}The${source.slice(at + 3)}`);
    expect(readFileSync(entry).length).toBe(Buffer.byteLength(source));
    const loaded = loadAndCheck(changed, ACME);
    expect(loaded.cacheUsed).toBe(false);
    expect({ code: loaded.code, out: loaded.out }).toStrictEqual(await checkedByModules(ACME));
  }, 300_000);

  it('is refused by V8 under other flags (as by another V8), and the entry compiles as usual', async () => {
    const loaded = loadAndCheck(BUILT, ACME, ['--no-opt']);
    expect(loaded.cacheUsed).toBe(false);
    expect({ code: loaded.code, out: loaded.out }).toStrictEqual(await checkedByModules(ACME));
  }, 300_000);

  it('runs `plumb check` with the same output and exit code as the modules', async () => {
    for (const path of [ACME, 'broken.plumb']) {
      const cli = spawnSync(process.execPath, [join(ROOT, 'dist', 'cli', 'main.js'), 'check', path], { cwd: work, encoding: 'utf8', timeout: 120_000 });
      const modules = await checkedByModules(path);
      expect({ code: cli.status, out: cli.stdout + cli.stderr }).toStrictEqual(modules);
    }
  }, 300_000);
});
