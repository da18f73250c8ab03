// The README's quick start and install lines, run as a new user would: in a fresh copy of the
// repository's files (no node_modules, no dist, no out), with an empty npm cache and a
// home folder of its own, by the shell, exactly as the README writes them. Then the package:
// `npm pack` as the README says, its contents, an install into a folder of its own and `npx` of
// the tarball, with no build on the way (the package holds dist/ prebuilt). The pack takes the
// dist/ that `npm ci` built rather than building it again (npm's `prepare` on pack).
//
// It needs the npm registry (npm ci downloads the dependencies). Elsewhere than in CI a registry
// that does not answer skips the test with a loud message; in CI it fails.
//
// The README's second command, `npm test`, runs the whole suite: CI runs exactly that on a fresh
// clone (.ci/run), so here it runs one file of the suite, to show that it runs in the copy.
//
// The steps after the quick start need only its node_modules and dist/, and none writes what
// another reads: `npm test` runs beside the pack, and the install and npx (both from the tarball)
// beside each other. They start together once the quick start has passed, each test waits for its
// own (they wait on the registry as much as they compute: the install and npx ask it for every
// dependency's metadata).

import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const README = readFileSync('README.md', 'utf8');
const VERSION = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;
const TARBALL = `plumb-net-${VERSION}.tgz`;

/** The bodies of the ```sh blocks between `from` and the next heading of its level. */
function shellBlocks(from: string): string[] {
  const at = README.indexOf(from);
  expect(at, `README has ${from}`).toBeGreaterThanOrEqual(0);
  const level = from.slice(0, from.indexOf(' ') + 1);
  const next = README.indexOf(`\n${level}`, at + from.length);
  const section = README.slice(at, next < 0 ? undefined : next);
  return [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

/** The environment of a new user: the machine's, without what npm and vitest set for this run. */
function freshEnv(home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(npm_|VITEST|NODE_OPTIONS$|NODE_ENV$|TEST$|INIT_CWD$|FORCE_COLOR$)/i.test(k)) continue;
    env[k] = v;
  }
  return { ...env, HOME: home, npm_config_cache: join(home, '.npm'), npm_config_update_notifier: 'false' };
}

interface Ran {
  status: number | null;
  out: string;
  millis: number;
}

/**
 * Runs a command line with bash, asynchronously: the test runner's worker must stay responsive
 * during the minutes npm takes. Output without terminal colours; the process group is killed
 * after `timeoutMs`.
 */
function sh(command: string, cwd: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<Ran> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', command], { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => void (out += b.toString('utf8')));
    child.stderr.on('data', (b: Buffer) => void (out += b.toString('utf8')));
    const timer = setTimeout(() => {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (status) => {
      clearTimeout(timer);
      // eslint-disable-next-line no-control-regex
      resolve({ status, out: out.replace(/\u001b\[[0-9;]*m/g, ''), millis: Math.round(performance.now() - t0) });
    });
  });
}

/**
 * The repository's files as a clone would hold them once the working tree is committed: every
 * tracked file and every new one git does not ignore (in CI, exactly the commit's files).
 */
function copyTracked(to: string): void {
  const files = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { encoding: 'utf8' }).stdout.split('\0').filter(Boolean);
  expect(files.length).toBeGreaterThan(100);
  for (const f of files) {
    if (!existsSync(f) || statSync(f).isDirectory()) continue;
    mkdirSync(dirname(join(to, f)), { recursive: true });
    copyFileSync(f, join(to, f));
    chmodSync(join(to, f), statSync(f).mode);
  }
}

// Asynchronous, as every long step here: a test worker that blocks for a minute misses the
// runner's calls and the run fails with an unhandled error.
const online = (await sh('npm ping', tmpdir(), process.env, 30_000).catch(() => ({ status: 1 }))).status === 0;
if (!online && !process.env.CI) {
  console.warn('\n*** SKIPPING the quick start test: the npm registry does not answer (npm ping) ***\n');
}

const root = mkdtempSync(join(tmpdir(), 'plumb-quick-start-'));
// The copy with its node_modules, the npm cache and the installs: hundreds of megabytes.
afterAll(() => rm(root, { recursive: true, force: true }), 10 * 60_000);
const clone = join(root, 'plumb');
const home = join(root, 'home');
const times: Record<string, number> = {};
afterAll(() => console.log(`quick start times (ms): ${JSON.stringify(times)}`));

/** A step run once, when first asked for; every caller gets its one result. */
const started: Promise<unknown>[] = [];
function once<T>(step: () => Promise<T>): () => Promise<T> {
  let result: Promise<T> | undefined;
  return () => {
    if (result === undefined) {
      result = step();
      // Its own test reports a failure; until that test awaits it, it is no unhandled rejection.
      started.push(result.catch(() => undefined));
    }
    return result;
  };
}
// The folders go only after every step started has ended.
afterAll(() => Promise.allSettled(started), 10 * 60_000);

/** The README's lines of `### Installing`, without comments. */
const installLines = (): string[] =>
  shellBlocks('### Installing')
    .join('')
    .split('\n')
    .map((l) => l.replace(/\s+#.*$/, ''))
    .filter(Boolean);

const npmTestOneFile = once(async () => {
  const r = await sh('npm test -- test/docs/readme.test.ts', clone, freshEnv(home), 10 * 60_000);
  times.npmTestOneFile = r.millis;
  return r;
});

const npmPack = once(async () => {
  const r = await sh('npm pack --ignore-scripts', clone, freshEnv(home), 10 * 60_000);
  times.npmPack = r.millis;
  return r;
});

/** The tarball, for the steps that install it: a failed pack is the pack test's to show. */
async function packed(): Promise<void> {
  const pack = await npmPack();
  if (pack.status !== 0) throw new Error(`npm pack failed (${pack.status}): ${pack.out.slice(-4000)}`);
}

/** The README's install as a user, from the packed tarball, then the installed plumb run. */
const installToPrefix = once(async () => {
  const asUser = installLines().find((l) => l.includes('--prefix ~/.local'));
  if (asUser === undefined) throw new Error('README: no install line with --prefix ~/.local');
  await packed();
  const install = await sh(asUser, clone, freshEnv(home), 10 * 60_000);
  times.installToPrefix = install.millis;
  if (install.status !== 0) return { asUser, install };
  const plumb = join(home, '.local/bin/plumb');
  const version = await sh(`${plumb} --version`, clone, freshEnv(home), 60_000);
  times.installedVersion = version.millis;
  const verify = await sh(`${plumb} verify examples/acme`, clone, freshEnv(home), 5 * 60_000);
  times.installedVerify = verify.millis;
  return { asUser, install, version, verify };
});

/** The README's npx line, after a first run of the tarball (which installs it for npx). */
const npxRuns = once(async () => {
  const npx = installLines().find((l) => l.startsWith('npx '));
  if (npx === undefined) throw new Error('README: no npx line');
  await packed();
  const first = await sh(`npx --yes ./${TARBALL} --version`, clone, freshEnv(home), 5 * 60_000);
  times.npxFirstRun = first.millis;
  if (first.status !== 0) return { npx, first };
  const verify = await sh(npx, clone, freshEnv(home), 5 * 60_000);
  times.npxVerify = verify.millis;
  return { npx, first, verify };
});

describe.skipIf(!online && !process.env.CI).sequential('the README, as a new user runs it', () => {
  it('quick start: installs, proves the bundled example and writes its configs', async () => {
    expect(online, 'the npm registry must answer in CI').toBe(true);
    mkdirSync(home, { recursive: true });
    copyTracked(clone);
    expect(existsSync(join(clone, 'node_modules'))).toBe(false);
    expect(existsSync(join(clone, 'dist'))).toBe(false);
    const [first, second] = shellBlocks('## Quick start');
    expect(first).toBe('npm ci && npm run plumb -- verify examples/acme && npm run plumb -- compile examples/acme -o out/acme\n');
    const r = await sh(first!, clone, freshEnv(home), 15 * 60_000);
    times.quickStart = r.millis;
    expect(r.status, r.out.slice(-4000)).toBe(0);
    expect(r.out).toMatch(/^(\d+) assertions: \1 proven, 0 refuted, 0 unknown in /m);
    expect(existsSync(join(clone, 'out/acme/manifest.json'))).toBe(true);
    // out/ is ignored: the compiled configs do not show up as changes.
    expect(readFileSync(join(clone, '.gitignore'), 'utf8').split('\n')).toContain('out/');
    expect(second).toBe('npm test\n');
    // Every step after this one, each to be awaited by its own test.
    for (const step of [npmTestOneFile, npmPack, installToPrefix, npxRuns]) void step();
  }, 16 * 60_000);

  it('npm test runs the suite in the copy', async () => {
    const r = await npmTestOneFile();
    expect(r.status, r.out.slice(-4000)).toBe(0);
    expect(r.out).toMatch(/Tests {2}\d+ passed/);
  }, 11 * 60_000);

  it('npm pack writes a package of dist/ alone, prebuilt', async () => {
    // As the README says, after `npm ci`, whose `prepare` built dist/ in the first test. npm runs
    // `prepare` on `npm pack` as well: the same build a second time over the same sources, its
    // output what the package holds already, so the pack here skips it.
    expect(README).toContain('From a clone, after `npm ci`, `npm pack` writes the package');
    const scripts = (JSON.parse(readFileSync(join(clone, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect(scripts.prepare).toBe('npm run build');
    expect(Object.keys(scripts).filter((k) => /^(pre|post)?pack$/.test(k))).toEqual([]);
    const r = await npmPack();
    expect(r.status, r.out.slice(-4000)).toBe(0);
    const tarball = join(clone, TARBALL);
    expect(statSync(tarball).size).toBeLessThan(1024 * 1024);
    const list = spawnSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
    expect(list).toContain('package/dist/cli/main.js');
    // The CLI and the library run the one bundle, its Z3 worker beside it.
    expect(list).toContain('package/dist/cli/bundle/api.js');
    expect(list).toContain('package/dist/cli/bundle/z3-worker.mjs');
    expect(list).toContain('package/package.json');
    const outside = list.filter((f) => !/^package\/(dist\/|package\.json$|README\.md$|LICENSE$)/.test(f));
    expect(outside).toEqual([]);
    // the library's declarations (.d.ts) ship; no source file, map or benchmark does
    expect(list).toContain('package/dist/api/index.d.ts');
    expect(list.filter((f) => f.endsWith('.map') || f.startsWith('package/dist/bench/') || (f.endsWith('.ts') && !f.endsWith('.d.ts')))).toEqual([]);
  }, 11 * 60_000);

  it('installs into a folder of its own and runs from there, as the README writes it', async () => {
    const { asUser, install, version, verify } = await installToPrefix();
    expect(asUser).toBe(`npm install -g --prefix ~/.local ./${TARBALL}`);
    expect(install.status, install.out.slice(-4000)).toBe(0);
    expect(version!.out.trim()).toBe(VERSION);
    // Nothing was built on install: the package has no compiler to build with.
    const installed = join(home, '.local/lib/node_modules/plumb-net');
    expect(existsSync(join(installed, 'dist/cli/main.js'))).toBe(true);
    expect(readdirSync(join(installed, 'node_modules'))).not.toContain('typescript');
    expect(verify!.status, verify!.out.slice(-4000)).toBe(0);
    expect(verify!.out).toMatch(/^(\d+) assertions: \1 proven, 0 refuted, 0 unknown in /m);
  }, 16 * 60_000);

  it('npx runs the tarball at once, with no build', async () => {
    const { npx, first, verify } = await npxRuns();
    expect(npx).toBe(`npx ./${TARBALL} verify examples/acme`);
    expect(first.status, first.out.slice(-4000)).toBe(0);
    expect(first.out.trim().split('\n').at(-1)).toBe(VERSION);
    expect(first.out).not.toContain('tsc');
    expect(verify!.status, verify!.out.slice(-4000)).toBe(0);
    expect(verify!.out).toMatch(/^(\d+) assertions: \1 proven, 0 refuted, 0 unknown in /m);
  }, 11 * 60_000);
});
