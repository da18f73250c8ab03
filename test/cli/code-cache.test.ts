// The entries of `check` and `compile` with V8's code cache (cli/code-cache.ts, made by `npm run
// build`): a fresh process takes the saved code and checks (compiles) as the CLI's modules do; the
// saved code is never used for another source, even one of the same length (V8 itself compares
// only the length), nor under other V8 flags; and `plumb check` and `plumb compile -o` run from
// their entries with the same output.

import { spawnSync } from 'node:child_process';
import { build } from 'esbuild';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
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
  /** stdout and stderr together, in the order written; then each apart. */
  out: string;
  stdout: string;
  stderr: string;
}

/** Loads `command`'s entry in `dir` with its cache in a fresh node (with `flags`) and runs
 * `argv` in `cwd`. */
function loadAndRun(dir: string, command: string, argv: readonly string[], flags: readonly string[] = [], cwd = work): Loaded {
  const script = `
    import { readFileSync } from 'node:fs';
    import { loadEntry } from ${JSON.stringify(pathToFileURL(join(ROOT, 'dist', 'cli', 'code-cache.js')).href)};
    const dir = new URL(process.env.ENTRY_DIR);
    const command = process.env.ENTRY_COMMAND;
    const { entry, cacheUsed } = loadEntry(dir, ${JSON.stringify(pathToFileURL(join(ROOT, 'dist', 'cli', 'bundle', 'start.js')).href)}, readFileSync(new URL(command + '.cjs.v8', dir)), command);
    let out = '', stdout = '', stderr = '';
    const io = { stdout: (s) => void ((out += s), (stdout += s)), stderr: (s) => void ((out += s), (stderr += s)), isTTY: false, cwd: process.cwd(), env: {} };
    const code = await entry.run(JSON.parse(process.env.ENTRY_ARGV), io);
    process.stdout.write(JSON.stringify({ cacheUsed, code, out, stdout, stderr }));
  `;
  const child = spawnSync(process.execPath, [...flags, '--input-type=module', '-e', script], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ENTRY_DIR: `${pathToFileURL(dir).href}/`, ENTRY_COMMAND: command, ENTRY_ARGV: JSON.stringify(argv) },
    timeout: 120_000,
  });
  expect(child.stderr).toBe('');
  return JSON.parse(child.stdout) as Loaded;
}

/** Loads the check entry in `dir` with its cache in a fresh node (with `flags`) and checks `path`. */
function loadAndCheck(dir: string, path: string, flags: readonly string[] = []): Loaded {
  return loadAndRun(dir, 'check', ['check', path], flags);
}

/** What the CLI's modules print for `argv` in `cwd` (stdout and stderr together), and its exit code. */
async function ranByModules(argv: readonly string[], cwd = work): Promise<{ code: number; out: string }> {
  const { code, stdout, stderr } = await ranByModulesApart(argv, cwd);
  return { code, out: stdout + stderr };
}

/** What the CLI's modules print for `argv` in `cwd` on each stream, and its exit code. */
async function ranByModulesApart(argv: readonly string[], cwd = work): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s), isTTY: false, cwd, env: {} };
  const code = await run(argv, io);
  return { code, stdout, stderr };
}

/** What the CLI's modules print for `plumb check path`, and its exit code. */
async function checkedByModules(path: string): Promise<{ code: number; out: string }> {
  return ranByModules(['check', path]);
}

/** A copy of examples/acme (its intent and lock: `compile -o` may write the lock) in a new folder. */
function acmeCopy(name: string): string {
  const dir = join(work, name);
  mkdirSync(dir);
  for (const file of readdirSync(ACME)) if (/\.plumb$|^plumb\.lock$/.test(file)) cpSync(join(ACME, file), join(dir, file));
  return dir;
}

/** Every file under `dir` by its path relative to `dir`, with its text. */
function folderFiles(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) files[relative(dir, join(entry.parentPath, entry.name))] = readFileSync(join(entry.parentPath, entry.name), 'utf8');
  }
  return files;
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

describe('the compile entry with its code cache', () => {
  it('is taken by V8 in a fresh process and writes the folder the modules write', async () => {
    const viaEntry = acmeCopy('compile-entry');
    const viaModules = acmeCopy('compile-modules');
    const loaded = loadAndRun(BUILT, 'compile', ['compile', '.', '-o', 'out'], [], viaEntry);
    expect(loaded.cacheUsed).toBe(true);
    const modules = await ranByModulesApart(['compile', '.', '-o', 'out'], viaModules);
    expect(modules.code).toBe(0);
    expect({ code: loaded.code, stdout: loaded.stdout, stderr: loaded.stderr }).toStrictEqual(modules);
    expect(folderFiles(viaEntry)).toStrictEqual(folderFiles(viaModules));
  }, 300_000);

  it('holds only `compile`, as the check entry holds only `check`', () => {
    const compileEntry = readFileSync(join(BUILT, 'compile.cjs'), 'utf8');
    const checkEntry = readFileSync(join(BUILT, 'check.cjs'), 'utf8');
    expect(compileEntry).toContain('the compile entry holds only `compile`, not ./check.js');
    expect(compileEntry).not.toContain('the compile entry holds only `compile`, not ./compile.js');
    expect(checkEntry).toContain('the check entry holds only `check`, not ./compile.js');
    expect(checkEntry).not.toContain('the check entry holds only `check`, not ./check.js');
  });

  it('loads no `node:child_process` nor `node:worker_threads` when either entry loads (each is loaded on first use)', () => {
    for (const command of ['check', 'compile']) {
      const script = `
        import { readFileSync } from 'node:fs';
        import { loadEntry } from ${JSON.stringify(pathToFileURL(join(ROOT, 'dist', 'cli', 'code-cache.js')).href)};
        const dir = new URL(${JSON.stringify(`${pathToFileURL(BUILT).href}/`)});
        loadEntry(dir, ${JSON.stringify(pathToFileURL(join(ROOT, 'dist', 'cli', 'bundle', 'start.js')).href)}, readFileSync(new URL('${command}.cjs.v8', dir)), '${command}');
        process.stdout.write(JSON.stringify(process.moduleLoadList.filter((name) => name.includes('child_process') || name === 'NativeModule worker_threads')));
      `;
      const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: work, encoding: 'utf8', timeout: 120_000 });
      expect(child.stderr).toBe('');
      expect(JSON.parse(child.stdout), command).toStrictEqual([]);
    }
  }, 300_000);

  it('starts Z3’s workers through the stand-in of `node:worker_threads`, which loads the module only then', async () => {
    const { lazyBuiltins } = await import('../../cli/build-code-cache.js');
    const pool = join(ROOT, 'dist', 'verifier', 'solver-pool.js');
    const bundled = join(work, 'solver-pool.cjs');
    // Bundled as the entries bundle it (cli/build-code-cache.ts), beside nothing else.
    await build({
      entryPoints: [pool],
      outfile: bundled,
      bundle: true,
      format: 'cjs',
      platform: 'node',
      target: 'node20',
      external: ['z3-solver'],
      define: { 'import.meta.url': '__importMetaUrl' },
      plugins: [lazyBuiltins],
      logLevel: 'warning',
    });
    const script = `
      const module = { exports: {} };
      const source = require('node:fs').readFileSync(${JSON.stringify(bundled)}, 'utf8');
      new Function('exports', 'require', 'module', '__importMetaUrl', source)(module.exports, require, module, ${JSON.stringify(pathToFileURL(pool).href)});
      const loaded = () => process.moduleLoadList.includes('NativeModule worker_threads');
      const before = loaded();
      const pool = new module.exports.SolverPool(1);
      pool.start().then(async () => {
        const after = loaded();
        await pool.close();
        process.stdout.write(JSON.stringify({ before, after }));
      });
    `;
    const child = spawnSync(process.execPath, ['-e', script], { cwd: work, encoding: 'utf8', timeout: 120_000 });
    expect(child.stderr).toBe('');
    expect(JSON.parse(child.stdout)).toStrictEqual({ before: false, after: true });
  }, 300_000);

  it('runs `plumb compile -o` from the entry with the same output, exit code and files as the modules', async () => {
    const viaCli = acmeCopy('compile-cli');
    const viaModules = acmeCopy('compile-cli-modules');
    const readsLog = join(work, 'reads.json');
    // Records the files the CLI reads, to see that it took the compile entry's saved code.
    const recorder = join(work, 'record-reads.cjs');
    writeFileSync(
      recorder,
      `const fs = require('node:fs'); const read = fs.readFileSync; const seen = [];
       fs.readFileSync = function (file, ...rest) { seen.push(String(file)); return read.call(this, file, ...rest); };
       process.on('exit', () => fs.writeFileSync(${JSON.stringify(readsLog)}, JSON.stringify(seen)));`,
    );
    const cli = spawnSync(process.execPath, ['-r', recorder, join(ROOT, 'dist', 'cli', 'main.js'), 'compile', '.', '-o', 'out'], { cwd: viaCli, encoding: 'utf8', timeout: 120_000 });
    const modules = await ranByModulesApart(['compile', '.', '-o', 'out'], viaModules);
    expect(modules.code).toBe(0);
    expect({ code: cli.status, stdout: cli.stdout, stderr: cli.stderr }).toStrictEqual(modules);
    expect(folderFiles(viaCli)).toStrictEqual(folderFiles(viaModules));
    const reads = JSON.parse(readFileSync(readsLog, 'utf8')) as string[];
    expect(reads.filter((file) => file.endsWith('/cli/code-cache/compile.cjs.v8'))).toHaveLength(1);
  }, 300_000);
});
