// The lock that serialises writers of one compile output folder: `DIR/.plumb-lock`, created
// with O_EXCL, holding the owner's pid (and, where /proc exists, the owner's start time, so a
// recycled pid does not keep a dead owner's lock alive). A lock whose owner is gone is stale
// and is broken by the next writer; a live owner is waited for up to a bound, then the run is
// refused naming that process. The lock is per machine: two hosts writing one folder over a
// network filesystem are not serialised.

import {
  closeSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';

export const LOCK_FILE = '.plumb-lock';

/** A refusal about the output folder: the message and what the user can do about it. */
export class OutputFolderError extends Error {
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
    this.name = 'OutputFolderError';
  }
}

export interface LockOwner {
  pid: number;
  /** Field 22 of /proc/<pid>/stat when the lock was taken. */
  start?: string;
}

/** The start time of a process, in clock ticks since boot (Linux), or undefined. */
function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: count after it.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/** Whether the process that wrote a lock, a journal or a staging folder is still running. */
export function isRunning(owner: LockOwner): boolean {
  if (owner.pid === process.pid) return false; // a lock is never taken twice by one process
  try {
    process.kill(owner.pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  if (owner.start === undefined) return true;
  const now = processStart(owner.pid);
  return now === undefined || now === owner.start;
}

function lockText(): string {
  const start = processStart(process.pid);
  return `pid ${process.pid}${start === undefined ? '' : ` start ${start}`}\n`;
}

function parseLock(text: string): LockOwner | undefined {
  const m = /^pid (\d+)(?: start (\d+))?\n$/.exec(text);
  if (!m) return undefined;
  return m[2] === undefined ? { pid: Number(m[1]) } : { pid: Number(m[1]), start: m[2] };
}

/**
 * A lock file without a readable owner is stale once it is this old (only where hard links are
 * not supported can a writer be killed between creating the lock and writing its owner).
 */
const UNREADABLE_LOCK_MS = 10_000;

type Held = { text: string; owner?: LockOwner; stale: boolean };

function readHeld(path: string): Held | undefined {
  let text: string;
  let mtimeMs: number;
  try {
    text = readFileSync(path, 'utf8');
    mtimeMs = statSync(path).mtimeMs;
  } catch {
    return undefined; // released meanwhile
  }
  const owner = parseLock(text);
  if (!owner) return { text, stale: Date.now() - mtimeMs > UNREADABLE_LOCK_MS };
  return { text, owner, stale: !isRunning(owner) };
}

/**
 * Removes a stale lock without removing a fresh one taken meanwhile by another writer: the lock
 * is moved aside first, and put back if what was moved is not what was judged stale.
 */
function breakStale(path: string, judged: string): void {
  const aside = `${path}.stale-${process.pid}`;
  try {
    renameSync(path, aside);
  } catch {
    return; // someone else broke it first
  }
  let moved = '';
  try {
    moved = readFileSync(aside, 'utf8');
  } catch {
    /* gone: nothing to put back */
  }
  if (moved !== judged) {
    try {
      linkSync(aside, path);
    } catch {
      /* a third writer holds the lock now */
    }
  }
  unlinkSync(aside);
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

export interface LockOptions {
  /** How long to wait for a live owner before giving up; 0 gives up at once. */
  waitMs: number;
  /** Called once when the lock is held by a live process and this run starts waiting. */
  onWait?: (owner: LockOwner | undefined) => void;
  /** DIR as the user wrote it, for messages. */
  shown: string;
}

/**
 * Creates the lock file with its content in one step: written under a name of this process,
 * then hard-linked to the lock's name (which fails if the lock exists), so a lock is never seen
 * without its owner. Where hard links are not supported, O_EXCL and a write. False: held.
 */
function createWithContent(path: string, text: string): boolean {
  const own = `${path}.${process.pid}.new`;
  writeFileSync(own, text, { mode: 0o644 });
  try {
    linkSync(own, path);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'EXDEV') throw err;
  } finally {
    rmSync(own, { force: true });
  }
  const fd = openSync(path, 'wx', 0o644);
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
  return true;
}

/** Takes the lock of output folder `dir` (which exists); returns the function that releases it. */
export function acquireLock(dir: string, opts: LockOptions): () => void {
  const path = join(dir, LOCK_FILE);
  const text = lockText();
  const deadline = Date.now() + opts.waitMs;
  let waiting = false;
  for (;;) {
    try {
      if (createWithContent(path, text)) return () => releaseLock(path, text);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') {
        mkdirSync(dir, { recursive: true }); // removed by a writer that created it and failed
        continue;
      }
      if (code !== 'EEXIST') throw err;
    }
    const held = readHeld(path);
    if (!held) continue;
    if (held.stale) {
      breakStale(path, held.text);
      continue;
    }
    const who = held.owner ? `another plumb compile (pid ${held.owner.pid})` : 'another plumb compile';
    if (Date.now() >= deadline) {
      throw new OutputFolderError(
        `${opts.shown} is being written by ${who}`,
        `wait for it to finish and run again, or give --lock-wait SECONDS to wait longer; ${join(opts.shown, LOCK_FILE)} names the writer`,
      );
    }
    if (!waiting) opts.onWait?.(held.owner);
    waiting = true;
    sleep(Math.min(50, Math.max(1, deadline - Date.now())));
  }
}

function releaseLock(path: string, text: string): void {
  try {
    if (readFileSync(path, 'utf8') === text) unlinkSync(path);
  } catch {
    /* already gone */
  }
}
