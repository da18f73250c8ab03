// Removing a lab: the processes living in its namespaces (FRR daemons, listeners: all started by
// the lab), the namespaces (their veths go with them), and its files. Every lab writes its
// owner's pid under RUN_ROOT/<run id>/; a lab whose owner is gone is stale and the next run
// removes it. Synchronous, so that it also runs from a signal handler.

import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NAMESPACE_PATTERN, RUN_ID_PATTERN } from './lab.js';
import { deleteNamespacesSync, listNamespacesSync, namespacePidsSync } from './netns.js';

export const RUN_ROOT = '/run/plumb-emulator';
/** FRR's own per-pathspace folder (`-N NAME`), created by the daemons. */
const FRR_RUN = '/var/run/frr';

export function runDir(runId: string): string {
  if (!RUN_ID_PATTERN.test(runId)) throw new Error(`internal: bad run id ${runId}`);
  return join(RUN_ROOT, runId);
}

/** Marks a run as owned by this process (before anything of it is created). */
export function claimRun(runId: string): string {
  const dir = runDir(runId);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'owner'), `${process.pid}\n`);
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

function killAll(pids: number[]): void {
  for (const p of pids) {
    try {
      process.kill(p, 'SIGTERM');
    } catch {
      /* already gone */
    }
  }
  for (let i = 0; i < 30 && pids.some(alive); i++) sleepSync(100);
  for (const p of pids.filter(alive)) {
    try {
      process.kill(p, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
}

export interface TeardownResult {
  namespaces: string[];
  processes: number;
}

/** Removes everything of one run: processes in its namespaces, the namespaces, its folders. */
export function teardownRun(runId: string): TeardownResult {
  const prefix = `${runId}-`;
  const namespaces = listNamespacesSync().filter((n) => n.startsWith(prefix));
  const pids = [...new Set(namespaces.flatMap((ns) => namespacePidsSync(ns)))].filter(
    (p) => p !== process.pid,
  );
  killAll(pids);
  deleteNamespacesSync(namespaces);
  rmSync(runDir(runId), { recursive: true, force: true });
  if (existsSync(FRR_RUN)) {
    for (const entry of readdirSync(FRR_RUN)) {
      if (entry.startsWith(prefix)) rmSync(join(FRR_RUN, entry), { recursive: true, force: true });
    }
  }
  return { namespaces, processes: pids.length };
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

/** Removes every stale lab; returns the run ids it removed. */
export function cleanStaleRuns(): string[] {
  const ids = staleRuns();
  for (const id of ids) teardownRun(id);
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
