// Recovering a compile output folder from an interrupted write (output-write.ts describes the
// write and its journal), and what both share: the checks of paths inside DIR and file hashes.
// Recovery reads the journal: if DIR/manifest.json is the new one, the write had committed
// and its clean-up is finished; otherwise it is rolled back (kept files renamed back, new files
// removed when they still have the content that was written), leaving the previous output.
// Working folders of runs that are gone (staging, pending, lock leftovers, and the temporary
// folders earlier versions left beside DIR) are removed.

import { createHash } from 'node:crypto';
import { copyFileSync, linkSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, unlinkSync, type Stats } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { deviceFiles, MANIFEST_FILE, MAX_MANIFEST_BYTES, readManifest } from './manifest.js';
import { JOURNAL_FILE, replaceableProblem } from './output-guard.js';
import { acquireLock, isRunning, OutputFolderError } from './output-lock.js';
import type { WriteOptions, WriteReport } from './output-write.js';

export interface Journal {
  format: 1;
  pid: number;
  staging: string;
  nextManifest: string;
  previous: string[];
  next: { path: string; sha256: string }[];
}

export const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

export function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

/** A relative path that stays inside DIR: no empty, `.` or `..` parts, no NUL. */
export function isSafeRelative(path: string): boolean {
  return !path.includes('\0') && path.split('/').every((p) => p !== '' && p !== '.' && p !== '..');
}

/**
 * Checks the way to `DIR/rel`: every folder on it must be a real folder (or absent), never a
 * link that would lead the write outside DIR. Returns what is at `DIR/rel`, if anything.
 * `folders`, when given, remembers what each folder on the way was (true: a real folder, false:
 * absent) across the calls of one plan, during which nothing is written: a device's files share
 * their two folders, and a recompile checks every path twice (the previous manifest's and the
 * new), so each folder was looked at four times a file.
 */
export function entryAt(dir: string, rel: string, shown: string, folders?: Map<string, boolean>): Stats | undefined {
  const parts = rel.split('/');
  let folder = '';
  for (let i = 0; i < parts.length - 1; i++) {
    folder = i === 0 ? parts[0]! : `${folder}/${parts[i]!}`;
    const known = folders?.get(folder);
    if (known === false) return undefined;
    if (known === true) continue;
    const st = lstatOrUndefined(join(dir, folder));
    if (!st) {
      folders?.set(folder, false);
      return undefined;
    }
    if (!st.isDirectory()) {
      const what = st.isSymbolicLink() ? 'a symbolic link' : 'not a folder';
      throw new OutputFolderError(
        `${join(shown, folder)} is ${what}, where Plumb keeps a device's files`,
        'move it away and run again: Plumb writes only into real folders inside the output folder',
      );
    }
    folders?.set(folder, true);
  }
  return lstatOrUndefined(join(dir, rel));
}

/** The sha256 of a regular file, or undefined (absent, not a file, or larger than Plumb writes). */
export function fileHash(path: string, size?: number): string | undefined {
  const st = lstatOrUndefined(path);
  if (!st?.isFile() || st.size > MAX_MANIFEST_BYTES || (size !== undefined && st.size !== size)) return undefined;
  return sha256(readFileSync(path));
}

/** The files the manifest in DIR lists (relative to DIR), or none when there is no manifest. */
export function previousFiles(dir: string, shown: string): string[] {
  if (!lstatOrUndefined(join(dir, MANIFEST_FILE))) return [];
  const read = readManifest(dir);
  if ('error' in read) throw new OutputFolderError(read.error, `restore ${join(shown, MANIFEST_FILE)}, or choose another folder`);
  const paths = read.manifest.devices.flatMap((d) => deviceFiles(d).map((f) => `${d.dir}/${f.path}`));
  for (const p of paths) {
    if (!isSafeRelative(p)) {
      throw new OutputFolderError(`${join(shown, MANIFEST_FILE)} lists ${p}, which is not a plain path inside the folder`, 'restore the manifest from the last compile, or choose another folder');
    }
  }
  return paths;
}

function readJournal(dir: string, shown: string): Journal | undefined {
  const path = join(dir, JOURNAL_FILE);
  if (!lstatOrUndefined(path)) return undefined;
  const damaged = (why: string) =>
    new OutputFolderError(
      `${join(shown, JOURNAL_FILE)} (left by an interrupted compile) is damaged: ${why}`,
      `check the folder against its ${MANIFEST_FILE}, then delete ${join(shown, JOURNAL_FILE)} and run again`,
    );
  let j: Journal;
  const st = lstatSync(path);
  if (!st.isFile()) throw damaged('it is not a regular file');
  if (st.size > MAX_MANIFEST_BYTES * 2) throw damaged('it is larger than any journal Plumb writes');
  try {
    j = JSON.parse(readFileSync(path, 'utf8')) as Journal;
  } catch {
    throw damaged('it is not valid JSON');
  }
  const hex = (x: unknown) => typeof x === 'string' && /^[0-9a-f]{64}$/.test(x);
  if (j?.format !== 1 || !Number.isInteger(j.pid) || typeof j.staging !== 'string' || !/^\.plumb-staging-\d+$/.test(j.staging))
    throw damaged('no format, pid or staging folder');
  if (!hex(j.nextManifest) || !Array.isArray(j.previous) || !Array.isArray(j.next)) throw damaged('no file lists');
  for (const p of j.previous) if (typeof p !== 'string' || !isSafeRelative(p)) throw damaged(`bad path ${JSON.stringify(p)}`);
  for (const f of j.next)
    if (typeof f?.path !== 'string' || !isSafeRelative(f.path) || !hex(f.sha256)) throw damaged(`bad entry ${JSON.stringify(f)}`);
  for (const p of [...j.previous, ...j.next.map((f) => f.path)]) entryAt(dir, p, shown);
  return j;
}

/** Removes the empty folders on the way to each path, deepest first, never DIR itself. */
function pruneEmptyFolders(dir: string, paths: readonly string[]): void {
  const folders = new Set<string>();
  for (const p of paths) {
    const parts = p.split('/');
    for (let i = parts.length - 1; i >= 1; i--) folders.add(parts.slice(0, i).join('/'));
  }
  for (const f of [...folders].sort((a, b) => b.split('/').length - a.split('/').length || (a < b ? -1 : 1))) {
    try {
      rmdirSync(join(dir, f));
    } catch {
      /* not empty (a user's file), or already gone */
    }
  }
}

/** Undoes an uncommitted write: DIR holds the previous output again. */
export function rollBack(dir: string, j: Journal): void {
  const previous = new Set(j.previous);
  for (const f of [...j.next].reverse()) {
    const target = join(dir, f.path);
    const kept = join(dir, j.staging, 'old', f.path);
    if (lstatOrUndefined(kept)?.isFile()) renameSync(kept, target);
    else if (!previous.has(f.path) && fileHash(target) === f.sha256) unlinkSync(target);
  }
  pruneEmptyFolders(dir, j.next.map((f) => f.path));
}

/** Completes a committed write: removes what the new manifest no longer lists. */
export function finishCommitted(dir: string, j: Journal): void {
  const next = new Set(j.next.map((f) => f.path));
  const obsolete = j.previous.filter((p) => !next.has(p));
  for (const p of obsolete) {
    const st = lstatOrUndefined(join(dir, p));
    if (st && !st.isDirectory()) unlinkSync(join(dir, p));
  }
  pruneEmptyFolders(dir, obsolete);
}

export function removeWork(dir: string, j: Journal): void {
  rmSync(join(dir, j.staging), { recursive: true, force: true });
  rmSync(join(dir, JOURNAL_FILE), { force: true });
}

/** Under the lock: finishes or rolls back an interrupted write, if DIR has a journal. */
function recoverLocked(dir: string, shown: string): WriteReport['recovered'] {
  const j = readJournal(dir, shown);
  if (!j) return undefined;
  const committed = fileHash(join(dir, MANIFEST_FILE)) === j.nextManifest;
  if (committed) finishCommitted(dir, j);
  else rollBack(dir, j);
  removeWork(dir, j);
  return { pid: j.pid, outcome: committed ? 'finished' : 'rolled back' };
}

/**
 * Under the lock: removes staging folders (only the lock holder stages, and the journal's was
 * dealt with first), the pending folders of runs now gone (a live run fills its own before it
 * takes the lock: output-pending.ts), lock files that runs now gone moved aside or left half
 * made, and the temporary folders that earlier versions left beside DIR (`.NAME.tmp-<pid>`,
 * `.NAME.old-<pid>`).
 */
function removeStale(dir: string, shown: string): string[] {
  const removed: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const m = /^(?:\.plumb-staging-(\d+)|\.plumb-pending-(\d+)|\.plumb-lock\.stale-(\d+)|\.plumb-lock\.(\d+)\.new)$/.exec(name);
    if (!m) continue;
    const stale =
      m[1] !== undefined ||
      (m[2] !== undefined ? Number(m[2]) !== process.pid && !isRunning({ pid: Number(m[2]) }) : !isRunning({ pid: Number(m[3] ?? m[4]) }));
    if (stale) {
      rmSync(join(dir, name), { recursive: true, force: true });
      removed.push(join(shown, name));
    }
  }
  const parent = dirname(dir);
  const prefix = `.${basename(dir)}.`;
  for (const name of readdirSync(parent).sort()) {
    if (!name.startsWith(prefix)) continue;
    const m = /^(?:tmp|old)-(\d+)$/.exec(name.slice(prefix.length));
    if (!m || isRunning({ pid: Number(m[1]) }) || !lstatOrUndefined(join(parent, name))?.isDirectory()) continue;
    rmSync(join(parent, name), { recursive: true, force: true });
    removed.push(join(dirname(shown), name));
  }
  return removed;
}

/**
 * Makes `folder` (and the folders on the way) unless `made` holds it: the folders made or found
 * by this write, which share them among a device's files. A mkdir, even of a folder that exists,
 * is a system call that takes the parent's lock; once per file it was most of the mkdirs of a
 * write. Under the lock nothing else removes a folder the write made.
 */
export function makeFolder(folder: string, made: Set<string>): void {
  if (made.has(folder)) return;
  mkdirSync(folder, { recursive: true });
  made.add(folder);
}

/**
 * Keeps the file at `target` as `kept` (a hard link; a copy where links are not supported);
 * `made`: the folders this write made already (makeFolder).
 */
export function keep(target: string, kept: string, made: Set<string> = new Set()): void {
  makeFolder(dirname(kept), made);
  try {
    linkSync(target, kept);
  } catch {
    copyFileSync(target, `${kept}.partial`);
    renameSync(`${kept}.partial`, kept);
  }
}

/** Under the lock: refuses a folder that is not Plumb's, then recovers and removes leftovers. */
export function tidyLocked(dir: string, shown: string): WriteReport {
  const problem = replaceableProblem(dir, shown);
  if (problem) throw new OutputFolderError(problem.message, problem.hint);
  const recovered = recoverLocked(dir, shown);
  return { ...(recovered ? { recovered } : {}), removedStale: removeStale(dir, shown) };
}

/**
 * Finishes or rolls back an interrupted write in `dir` and removes what killed runs left, under
 * the folder's lock, without writing anything new.
 */
export function recoverFolder(dir: string, opts: Pick<WriteOptions, 'shown' | 'lockWaitMs'> = {}): WriteReport {
  const shown = opts.shown ?? dir;
  const release = acquireLock(dir, { waitMs: opts.lockWaitMs ?? 10_000, shown });
  try {
    return tidyLocked(dir, shown);
  } finally {
    release();
  }
}
