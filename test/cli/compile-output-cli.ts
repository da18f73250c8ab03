// Helpers for the tests of `plumb compile -o DIR` run as a real process (the built CLI in
// dist/): two small intents whose outputs share, change, add and drop files, running the CLI
// synchronously or as a child that stops at a step of its write (PLUMB_PAUSE_OUTPUT_AT).

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { snapshot } from '../folder-snapshot.js';

export const ROOT = join(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli', 'main.js');

/** Two routers, r1 (frr) and r2 (linux): 5 files. */
export const INTENT_A = `network t
pool infra 10.255.0.0/16
site s {
  router r1 frr
  router r2 linux
  link r1 -- r2
}
segment lan 10.1.0.0/24 at s.r1
`;

/** r1 and r3 (both frr): r1's files change, r2's go, r3's are new; 6 files. */
export const INTENT_B = `network t
pool infra 10.255.0.0/16
site s {
  router r1 frr
  router r3 frr
  link r1 -- r3
}
segment lan 10.1.0.0/24 at s.r1
segment lab 10.2.0.0/24 at s.r3
`;

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI to its end (asynchronously, so that the test runner stays responsive). */
export async function plumb(args: readonly string[], cwd: string, env: Record<string, string> = {}): Promise<CliRun> {
  const run = start(args, cwd, env);
  let stdout = '';
  run.child.stdout!.on('data', (d: Buffer) => void (stdout += d.toString('utf8')));
  const status = await run.exited;
  return { status, stdout, stderr: run.stderr() };
}

export interface RunningCli {
  child: ChildProcess;
  stderr: () => string;
  exited: Promise<number | null>;
  /** Resolves when stderr matches `pattern`; rejects if the process ends first. */
  until: (pattern: RegExp) => Promise<RegExpMatchArray>;
}

export function start(args: readonly string[], cwd: string, env: Record<string, string> = {}): RunningCli {
  const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  const waiters: (() => void)[] = [];
  child.stderr!.on('data', (d: Buffer) => {
    err += d.toString('utf8');
    for (const w of waiters.splice(0)) w();
  });
  const exited = new Promise<number | null>((res) => child.on('close', (code) => res(code)));
  const until = (pattern: RegExp) =>
    new Promise<RegExpMatchArray>((res, rej) => {
      let done = false;
      const check = (): void => {
        const m = err.match(pattern);
        if (m) {
          done = true;
          res(m);
        } else waiters.push(check);
      };
      void exited.then((code) => {
        if (!done) {
          const m = err.match(pattern);
          if (m) res(m);
          else rej(new Error(`plumb exited (${code}) before printing ${pattern}: ${err}`));
        }
      });
      check();
    });
  return { child, stderr: () => err, exited, until };
}

/** Starts `plumb compile … -o DIR` stopped at `step` of its write; resolves with its pid. */
export async function startPaused(args: readonly string[], cwd: string, step: string): Promise<RunningCli & { pid: number }> {
  const run = start(args, cwd, { PLUMB_PAUSE_OUTPUT_AT: step });
  const m = await run.until(/paused at (\S+) \(pid (\d+)\)/);
  if (m[1] !== step) throw new Error(`paused at ${m[1]}, not ${step}`);
  return { ...run, pid: Number(m[2]) };
}

/** Entries a write leaves behind while it runs: the lock, the journal, staging folders. */
export const workEntries = (dir: string): string[] => readdirSync(dir).filter((n) => n.startsWith('.plumb-'));

/** A maker of fresh folders under `parent`, each holding a.plumb (INTENT_A) and b.plumb (INTENT_B). */
export function workspaces(parent: string): () => string {
  let n = 0;
  return () => {
    const dir = join(parent, `w${n++}`);
    mkdirSync(dir);
    writeFileSync(join(dir, 'a.plumb'), INTENT_A);
    writeFileSync(join(dir, 'b.plumb'), INTENT_B);
    return dir;
  };
}

/** The output of each intent, compiled once into a folder of its own in `workspace`. */
export async function compileGoldens(workspace: string): Promise<{ a: Record<string, string>; b: Record<string, string> }> {
  const golden = { a: {}, b: {} } as { a: Record<string, string>; b: Record<string, string> };
  for (const x of ['a', 'b'] as const) {
    const r = await plumb(['compile', `${x}.plumb`, '-o', `out-${x}`], workspace);
    if (r.status !== 0) throw new Error(`compile ${x}.plumb failed: ${r.stderr}`);
    golden[x] = snapshot(join(workspace, `out-${x}`));
  }
  return golden;
}
