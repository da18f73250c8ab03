// Removing a lab: the processes living in its namespaces (FRR daemons, listeners: all started by
// the lab), the namespaces (their veths go with them), and its files. Every lab writes its
// owner's pid under RUN_ROOT/<run id>/; a lab whose owner is gone is stale and the next run
// removes it. Synchronous, so that it also runs from a signal handler; `teardownRunAsync` does the
// same without blocking the event loop (other labs of the same process go on meanwhile).

import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NAMESPACE_PATTERN, RUN_ID_PATTERN } from './lab.js';
import {
  deleteNamespaces,
  deleteNamespacesSync,
  listNamespaces,
  listNamespacesSync,
  namespacePidsOf,
  sleep,
} from './netns.js';

export const RUN_ROOT = '/run/plumb-emulator';
/** FRR's own per-pathspace folder (`-N NAME`), created by the daemons. */
const FRR_RUN = '/var/run/frr';

export function runDir(runId: string): string {
  if (!RUN_ID_PATTERN.test(runId)) throw new Error(`internal: bad run id ${runId}`);
  return join(RUN_ROOT, runId);
}

/**
 * Marks a run as owned by this process (before anything of it is created). The folder appears
 * with its owner file already in it (made under a name no run id has, then renamed), and a
 * folder claimed again gets its new owner file by rename too: another run's `staleRuns` never
 * sees this run's folder without an owner (or with an empty one, half written), which it would
 * take for stale and tear down while this run builds its lab.
 */
export function claimRun(runId: string): string {
  const dir = runDir(runId);
  mkdirSync(RUN_ROOT, { recursive: true });
  const draft = mkdtempSync(join(RUN_ROOT, '.claim-'));
  // mkdtemp makes the folder 0700; the routing daemons run as their own user and must reach
  // their folders inside it, as they did when the folder was made by mkdir.
  chmodSync(draft, 0o755);
  writeFileSync(join(draft, 'owner'), `${process.pid}\n`);
  try {
    renameSync(draft, dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw err;
    renameSync(join(draft, 'owner'), join(dir, 'owner'));
    rmSync(draft, { recursive: true, force: true });
  }
  return dir;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Whether a process has not ended yet: it exists and is not a zombie. A zombie has already let
 * go of its namespaces and files; only its parent's wait is left, and a daemon's parent is the
 * init process, which on some machines reaps only every second or two (on this project's test
 * machine each ended FRR daemon stayed a zombie 1.5-2 s: most of a lab's teardown).
 */
export function stillRunning(pid: number, readStat: (path: string) => string = (path) => readFileSync(path, 'utf8')): boolean {
  if (!alive(pid)) return false;
  let stat: string;
  try {
    stat = readStat(`/proc/${pid}/stat`);
  } catch {
    return false;
  }
  // `PID (COMMAND) STATE ...`: the command may itself hold spaces and parentheses.
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  return state !== 'Z' && state !== 'X';
}

/**
 * How long processes get to end after SIGTERM before SIGKILL, and how often that is looked at.
 */
const TERM_GRACE_MS = 3000;
const TERM_LOOK_MS = 50;

function signalAll(pids: readonly number[], signal: NodeJS.Signals): void {
  for (const p of pids) {
    try {
      process.kill(p, signal);
    } catch {
      /* already gone */
    }
  }
}

function killAll(pids: number[]): void {
  signalAll(pids, 'SIGTERM');
  for (const t0 = Date.now(); Date.now() - t0 < TERM_GRACE_MS && pids.some((p) => stillRunning(p)); ) sleepSync(TERM_LOOK_MS);
  signalAll(pids.filter((p) => stillRunning(p)), 'SIGKILL');
}

async function killAllAsync(pids: number[]): Promise<void> {
  signalAll(pids, 'SIGTERM');
  for (const t0 = Date.now(); Date.now() - t0 < TERM_GRACE_MS && pids.some((p) => stillRunning(p)); ) await sleep(TERM_LOOK_MS);
  signalAll(pids.filter((p) => stillRunning(p)), 'SIGKILL');
}

export interface TeardownResult {
  namespaces: string[];
  processes: number;
}

function ourNamespaces(all: string[], runId: string): string[] {
  return all.filter((n) => n.startsWith(`${runId}-`));
}

function ourPids(namespaces: readonly string[]): number[] {
  return [...new Set([...namespacePidsOf(namespaces).values()].flat())].filter((p) => p !== process.pid);
}

function removeFolders(runId: string): void {
  rmSync(runDir(runId), { recursive: true, force: true });
  if (existsSync(FRR_RUN)) {
    for (const entry of readdirSync(FRR_RUN)) {
      if (entry.startsWith(`${runId}-`)) rmSync(join(FRR_RUN, entry), { recursive: true, force: true });
    }
  }
}

/**
 * How many times the namespaces' processes are looked for and ended: a process can still be
 * entering a namespace when the run is interrupted (a routing daemon starting), so after each
 * round they are looked for again, until a look finds none.
 */
const KILL_ROUNDS = 3;

/** Removes everything of one run: processes in its namespaces, the namespaces, its folders. */
export function teardownRun(runId: string): TeardownResult {
  const namespaces = ourNamespaces(listNamespacesSync(), runId);
  const ended = new Set<number>();
  for (let round = 0; round < KILL_ROUNDS; round++) {
    const pids = ourPids(namespaces);
    if (pids.length === 0) break;
    for (const p of pids) ended.add(p);
    killAll(pids);
  }
  deleteNamespacesSync(namespaces);
  removeFolders(runId);
  return { namespaces, processes: ended.size };
}

/** `teardownRun` without blocking the event loop while its processes end and its namespaces go. */
export async function teardownRunAsync(runId: string): Promise<TeardownResult> {
  const namespaces = ourNamespaces(await listNamespaces(), runId);
  const ended = new Set<number>();
  for (let round = 0; round < KILL_ROUNDS; round++) {
    const pids = ourPids(namespaces);
    if (pids.length === 0) break;
    for (const p of pids) ended.add(p);
    await killAllAsync(pids);
  }
  await deleteNamespaces(namespaces);
  removeFolders(runId);
  return { namespaces, processes: ended.size };
}

/** Run ids with something left behind (namespaces or folders) whose owner process is gone. */
export function staleRuns(): string[] {
  const ids = new Set<string>();
  for (const ns of listNamespacesSync()) {
    const m = NAMESPACE_PATTERN.exec(ns);
    if (m) ids.add(m[1]!);
  }
  if (existsSync(RUN_ROOT)) for (const e of readdirSync(RUN_ROOT)) if (RUN_ID_PATTERN.test(e)) ids.add(e);
  return [...ids]
    .filter((id) => {
      let owner = NaN;
      try {
        owner = Number(readFileSync(join(RUN_ROOT, id, 'owner'), 'utf8').trim());
      } catch {
        /* no owner file: stale */
      }
      return !(Number.isInteger(owner) && owner > 0 && alive(owner));
    })
    .sort();
}

/** How long a claim's owner file may stay empty before the claim counts as abandoned. */
export const CLAIM_WRITE_MS = 60_000;

function claimAbandoned(draft: string): boolean {
  try {
    return Date.now() - statSync(join(draft, 'owner')).mtimeMs > CLAIM_WRITE_MS;
  } catch {
    return false;
  }
}

/** Removes every stale lab and every claim left half made by a process now gone; returns the
 * run ids it removed. */
export function cleanStaleRuns(): string[] {
  const ids = staleRuns();
  for (const id of ids) teardownRun(id);
  if (existsSync(RUN_ROOT)) {
    for (const e of readdirSync(RUN_ROOT)) {
      if (!e.startsWith('.claim-')) continue;
      let text: string;
      try {
        text = readFileSync(join(RUN_ROOT, e, 'owner'), 'utf8').trim();
      } catch {
        /* its owner file not written yet: the claim may still be under way */
        continue;
      }
      // Empty: the file is made before its pid is written, and a claim under way reads so for a
      // moment (removing it then failed the claim's rename); a claim left so for a minute is dead.
      if (text === '' && !claimAbandoned(join(RUN_ROOT, e))) continue;
      const owner = Number(text);
      if (!(Number.isInteger(owner) && owner > 0 && alive(owner))) rmSync(join(RUN_ROOT, e), { recursive: true, force: true });
    }
  }
  return ids;
}

/**
 * Tears the run down if the process is interrupted (Ctrl-C, SIGTERM, SIGHUP), then lets the
 * signal end the process as it would have. Returns the function that removes the handlers.
 */
export function teardownOnSignal(runId: string, keep: () => boolean): () => void {
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const handler = (sig: NodeJS.Signals): void => {
    remove();
    if (!keep()) teardownRun(runId);
    process.kill(process.pid, sig);
  };
  const remove = (): void => {
    for (const s of signals) process.removeListener(s, handler);
  };
  for (const s of signals) process.once(s, handler);
  return remove;
}
