// A large intent's `check`, `compile` and `verify` run in a Node started with a larger young
// generation and a larger first limit for the old one (cli/young-generation.ts): which command
// lines do, and that such a run is the same run to whoever started it (standard streams, exit
// codes, signals) with the flags in force.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { registerCheck } from '../../cli/commands/check.js';
import { registerCompile } from '../../cli/commands/compile.js';
import { registerVerify } from '../../cli/commands/verify.js';
import type { CommandContext } from '../../cli/program.js';
import { atMost } from '../at-most.js';
import { snapshot } from '../folder-snapshot.js';
import { INTENT_A } from './compile-output-cli.js';
import { LARGE_INTENT_BYTES, LARGE_OLD_SPACE_MB, LARGE_SEMI_SPACE_MB, SEMI_SPACE_ENV, VALUE_OPTIONS, intentBytes, reExecutedFlags, semiSpaceFor } from '../../cli/young-generation.js';

const ROOT = join(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli', 'main.js');
const ACME = join(ROOT, 'examples', 'acme');
const work = mkdtempSync(join(tmpdir(), 'plumb-semi-space-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Two routers, r1 (frr) and r2 (linux): the intent compile-output-cli.ts's tests write too. */
const SMALL = INTENT_A;

/** A valid intent of at least `bytes` bytes: SMALL and comment lines. */
function intentOf(bytes: number): string {
  const line = `# ${'x'.repeat(98)}\n`;
  return SMALL + line.repeat(Math.ceil(bytes / line.length));
}

let folders = 0;
function folder(files: Record<string, string>): string {
  const dir = join(work, `f${folders++}`);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

describe('which command lines get a larger young generation', () => {
  const half = intentOf(LARGE_INTENT_BYTES / 2);
  const large = folder({ 'a.plumb': half, 'sub/b.plumb': half, 'notes.txt': 'x'.repeat(LARGE_INTENT_BYTES) });
  const small = folder({ 'a.plumb': SMALL, 'b.plumb': half });
  const at = (argv: string[], env: Record<string, string> = {}, execArgv: string[] = []): number | undefined => semiSpaceFor(argv, env, execArgv, work);

  it('a compile of an intent from LARGE_INTENT_BYTES of .plumb files, in all its folders', () => {
    expect(intentBytes([large], work, Infinity)).toBeGreaterThanOrEqual(LARGE_INTENT_BYTES);
    expect(intentBytes([small], work, Infinity)).toBeLessThan(LARGE_INTENT_BYTES);
    expect(at(['compile', large])).toBe(LARGE_SEMI_SPACE_MB);
    for (const command of ['check', 'compile', 'verify']) expect(at([command, small])).toBeUndefined();
    // check and verify only when PLUMB_SEMI_SPACE says so (below).
    for (const command of ['check', 'verify', 'fmt', 'lsp']) expect(at([command, large])).toBeUndefined();
    // Files as given, and relative to the working folder.
    expect(at(['compile', join(large, 'a.plumb'), join(large, 'sub', 'b.plumb')])).toBe(LARGE_SEMI_SPACE_MB);
    expect(at(['compile', join(large, 'a.plumb')])).toBeUndefined();
    expect(at(['compile', `f0`, '-o', 'out'])).toBe(LARGE_SEMI_SPACE_MB);
    expect(at([])).toBeUndefined();
  });

  it('counts the positional arguments only, and skips what sources.ts skips in a folder', () => {
    // An option's value is no path of the intent, unless after `--`.
    expect(at(['compile', small, '-o', large])).toBeUndefined();
    expect(at(['compile', small, '--previous', large, '--lock-wait', '5', '-o', 'out'])).toBeUndefined();
    expect(at(['compile', '--emit', 'model', '--', large])).toBe(LARGE_SEMI_SPACE_MB);
    const hidden = folder({ 'a.plumb': SMALL, '.old/a.plumb': half, 'node_modules/a.plumb': half, 'out/a.plumb': half, 'sub/a.plumb': half });
    expect(at(['compile', hidden])).toBeUndefined();
    expect(at(['compile', join(work, 'missing')])).toBeUndefined();
  });

  it('never in a process started with a semi-space size; check and verify only as PLUMB_SEMI_SPACE says', () => {
    expect(at(['compile', large], {}, ['--max-semi-space-size=16'])).toBeUndefined();
    expect(at(['compile', large], { NODE_OPTIONS: '--max-semi-space-size=64' })).toBeUndefined();
    expect(at(['compile', large], { [SEMI_SPACE_ENV]: '0' })).toBeUndefined();
    for (const command of ['check', 'compile', 'verify']) expect(at([command, small], { [SEMI_SPACE_ENV]: '48' })).toBe(48);
    expect(at(['fmt', small], { [SEMI_SPACE_ENV]: '48' })).toBeUndefined();
    expect(at(['compile', large], { [SEMI_SPACE_ENV]: 'lots' })).toBe(LARGE_SEMI_SPACE_MB);
    expect(at(['check', large], { [SEMI_SPACE_ENV]: 'lots' })).toBeUndefined();
  });

  it('knows every option of check, compile and verify that takes a value', () => {
    const program = new Command();
    const ctx = { io: {}, setExit: () => undefined } as unknown as CommandContext;
    for (const register of [registerCheck, registerCompile, registerVerify]) register(program, ctx);
    const taking = program.commands.flatMap((c) => c.options.filter((o) => o.required || o.optional).flatMap((o) => [o.short, o.long]));
    expect(new Set(taking.filter((o): o is string => o !== undefined))).toStrictEqual(VALUE_OPTIONS);
  });
});

interface Ran {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The built CLI, with a start-up file that says on stderr, at exit, the process's pid, its
 * parent's, its Node arguments, whether V8 took the entry's code cache, how large new space can
 * grow (allocating until it does) and how many mark-compacts keeping 80 MB more alive took. */
const HOOK = join(work, 'hook.cjs');
writeFileSync(
  HOOK,
  `const vm = require('node:vm');
   let cache;
   vm.Script = class extends vm.Script {
     constructor(source, options) {
       super(source, options);
       if (options && options.cachedData) cache = this.cachedDataRejected ? 'rejected' : 'taken';
     }
   };
   process.on('exit', () => {
     if (!process.env.HOOK_NEW_SPACE) return;
     const v8 = require('node:v8');
     const profiler = new v8.GCProfiler();
     profiler.start();
     const keep = [];
     for (let i = 0; i < 1.2e7; i++) { const o = { a: i, b: [i] }; if (i % 50 === 0) keep.push(o); }
     const space = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
     const more = [];
     for (let i = 0; i < 20000; i++) more.push(new Array(1000).fill(i));
     const markCompacts = profiler.stop().statistics.filter((s) => s.gcType === 'MarkSweepCompact').length;
     process.stderr.write('[process ' + JSON.stringify({ pid: process.pid, ppid: process.ppid, execArgv: process.execArgv, cache, newSpaceMb: space.space_size / 2 ** 20, markCompacts }) + ']\\n');
   });
   if (process.env.HOOK_START) process.stderr.write('[started ' + process.pid + ']\\n');`,
);

/** Runs the built CLI to its end (asynchronously, so that the test runner stays responsive). */
async function plumb(args: readonly string[], cwd: string, env: Record<string, string>): Promise<Ran> {
  const child = spawn(process.execPath, ['-r', HOOK, CLI, ...args], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => void (stdout += d.toString('utf8')));
  child.stderr.on('data', (d: Buffer) => void (stderr += d.toString('utf8')));
  const [status, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((res) => child.on('close', (code, sig) => res([code, sig])));
  return { status, signal, stdout, stderr };
}

const HERE = { [SEMI_SPACE_ENV]: '0' };
const REEXECUTED = { [SEMI_SPACE_ENV]: String(LARGE_SEMI_SPACE_MB) };

interface Seen {
  pid: number;
  ppid: number;
  execArgv: string[];
  cache: 'taken' | 'rejected' | undefined;
  newSpaceMb: number;
  markCompacts: number;
}
const seen = (stderr: string): Seen[] => [...stderr.matchAll(/^\[process (.*)\]$/gm)].map((m) => JSON.parse(m[1]!) as Seen);

describe('a run in a Node with a larger young generation', () => {
  it('runs with the flags in a process of its own, whose young generation grows past the default and whose old generation starts large', async () => {
    const dir = folder({ 'a.plumb': SMALL });
    const [here, there] = await Promise.all([
      plumb(['check', '.'], dir, { ...HERE, HOOK_NEW_SPACE: '1' }),
      plumb(['check', '.'], dir, { ...REEXECUTED, HOOK_NEW_SPACE: '1' }),
    ]);
    expect(seen(here.stderr)).toHaveLength(1);
    const [child, parent] = seen(there.stderr);
    expect(child!.ppid).toBe(parent!.pid);
    expect(child!.execArgv).toStrictEqual(['-r', HOOK, ...reExecutedFlags(LARGE_SEMI_SPACE_MB)]);
    expect(child!.execArgv).toContain(`--initial-old-space-size=${LARGE_OLD_SPACE_MB}`);
    expect(parent!.execArgv).toStrictEqual(['-r', HOOK]);
    // V8's default semi-space is 16 MiB on 64-bit: new space (two of them) stops at 32 MiB.
    expect(seen(here.stderr)[0]!.newSpaceMb).toBeLessThanOrEqual(32);
    expect(child!.newSpaceMb).toBeGreaterThan(32);
    // About 100 MB more kept alive: V8's low first limit collects the old generation on the way,
    // a first limit of LARGE_OLD_SPACE_MB does not.
    expect(seen(here.stderr)[0]!.markCompacts).toBeGreaterThan(0);
    expect(child!.markCompacts).toBe(0);
    // The heap's flags are set back once the heap is made: V8 takes the entry's saved code.
    expect(seen(here.stderr)[0]!.cache).toBe('taken');
    expect(child!.cache).toBe('taken');
  }, 120_000);

  it('is chosen by the intent’s size when nothing overrides it', async () => {
    const dir = folder({ 'a.plumb': intentOf(LARGE_INTENT_BYTES) });
    const r = await plumb(['compile', '.', '--emit', 'model'], dir, { HOOK_NEW_SPACE: '1' });
    expect(r.status, r.stderr).toBe(0);
    const [child, parent] = seen(r.stderr);
    expect(child!.execArgv).toContain(`--max-semi-space-size=${LARGE_SEMI_SPACE_MB}`);
    expect(child!.ppid).toBe(parent!.pid);
  }, 120_000);

  it('prints the same bytes and exits with the same code as a run in this process', async () => {
    const ok = folder({ 'a.plumb': SMALL });
    const broken = folder({ 'a.plumb': `${SMALL}segment bad 10.9.0.0/24 at s.nowhere\n` });
    const cases: [string[], string][] = [
      [['check', '.'], ACME],
      [['check', '.', '--format', 'json'], ACME],
      [['compile', '.', '--emit', 'model'], ACME],
      [['verify', '.', '--only', 'isolate snowflake -> internet'], ACME],
      [['check', '.'], broken],
      [['compile', '.', '--emit', 'model'], broken],
      [['check', 'missing.plumb'], ok],
      [['compile', '.', '--emit', 'nothing'], ok],
      [['verify', '.', '--bogus'], ok],
    ];
    // The cases are independent runs, each mostly its processes' start-up: two cases at a time,
    // each case's two runs side by side.
    const inTurn = atMost(2);
    const runs = await Promise.all(
      cases.map(([args, cwd]) => inTurn(() => Promise.all([plumb(args, cwd, HERE), plumb(args, cwd, REEXECUTED)]))),
    );
    const codes = new Set<number | null>();
    runs.forEach(([here, there], i) => {
      // Verify's report has its times: they are compared as numbers' places.
      const timeless = (s: string): string => s.replace(/\d+(\.\d+)? (ms|s)\b/g, 'T');
      expect({ ...there, stdout: timeless(there.stdout) }, cases[i]![0].join(' ')).toStrictEqual({ ...here, stdout: timeless(here.stdout) });
      codes.add(here.status);
    });
    expect([...codes].sort()).toStrictEqual([0, 1, 2]);
  }, 300_000);

  it('compile -o: its output folder is the same', async () => {
    const a = folder({ 'a.plumb': SMALL });
    const b = folder({ 'a.plumb': SMALL });
    const [here, there] = await Promise.all([plumb(['compile', 'a.plumb', '-o', 'out'], a, HERE), plumb(['compile', 'a.plumb', '-o', 'out'], b, REEXECUTED)]);
    expect(there).toStrictEqual(here);
    expect(snapshot(join(b, 'out'))).toStrictEqual(snapshot(join(a, 'out')));
    expect(Object.keys(snapshot(join(a, 'out')))).toContain('manifest.json');
  }, 120_000);
});

/** The CLI started with its pid and stderr at hand; `ended` when that process has exited (not
 * when its stderr closes: a process it started may hold that open). */
function started(args: readonly string[], cwd: string, env: Record<string, string>) {
  const child = spawn(process.execPath, ['-r', HOOK, CLI, ...args], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  const waiters: (() => void)[] = [];
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString('utf8');
    for (const w of waiters.splice(0)) w();
  });
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => child.on('exit', (code, signal) => res({ code, signal })));
  const until = async (pattern: RegExp): Promise<RegExpMatchArray> => {
    for (;;) {
      const m = stderr.match(pattern);
      if (m) return m;
      await new Promise<void>((res) => waiters.push(res));
    }
  };
  return { child, ended, until };
}

/** Whether `pid` runs: an ended process its new parent has not reaped yet (a zombie) does not. */
const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
};

async function gone(pid: number, withinMs: number): Promise<boolean> {
  const end = Date.now() + withinMs;
  while (alive(pid) && Date.now() < end) await new Promise((res) => setTimeout(res, 50));
  return !alive(pid);
}

describe('signals on both paths', () => {
  for (const [name, env] of [
    ['in this process', HERE],
    ['re-executed', REEXECUTED],
  ] as const) {
    it(`SIGINT during compile -o ends the run as by SIGINT, ${name}`, async () => {
      const dir = folder({ 'a.plumb': SMALL });
      const run = started(['compile', 'a.plumb', '-o', 'out'], dir, { ...env, PLUMB_PAUSE_OUTPUT_AT: 'journal' });
      const pid = Number((await run.until(/paused at journal \(pid (\d+)\)/))[1]);
      expect(pid === run.child.pid).toBe(name === 'in this process');
      run.child.kill('SIGINT');
      expect(await run.ended).toStrictEqual({ code: null, signal: 'SIGINT' });
      expect(await gone(pid, 5_000)).toBe(true);
    }, 120_000);
  }

  it('SIGTERM is passed on; a SIGKILL of the process that started the run ends the run too', async () => {
    const dir = folder({ 'a.plumb': SMALL });
    const termed = started(['compile', 'a.plumb', '-o', 'out'], dir, { ...REEXECUTED, PLUMB_PAUSE_OUTPUT_AT: 'journal' });
    const pid = Number((await termed.until(/paused at journal \(pid (\d+)\)/))[1]);
    termed.child.kill('SIGTERM');
    expect(await termed.ended).toStrictEqual({ code: null, signal: 'SIGTERM' });
    expect(await gone(pid, 5_000)).toBe(true);

    // A verify keeps its event loop turning (the solver's workers), where the run notices.
    const killed = started(['verify', ACME], ACME, { ...REEXECUTED, HOOK_START: '1' });
    const parent = killed.child.pid!;
    const child = Number((await killed.until(new RegExp(`\\[started (?!${parent}\\])(\\d+)\\]`)))[1]);
    killed.child.kill('SIGKILL');
    expect((await killed.ended).signal).toBe('SIGKILL');
    expect(await gone(child, 20_000)).toBe(true);
  }, 120_000);
});

