// Writing a compile output into its folder without ever destroying what Plumb did not write,
// and so that an interrupted run can always be undone or completed. DIR itself is never
// renamed or removed. Under the folder's lock (output-lock.ts):
//   1. recover an interrupted earlier write (below), remove temporary folders of killed runs;
//   2. plan: the files the previous manifest.json lists are Plumb's; any other file in the way
//      of a new one, or a link or non-folder on the way to it, refuses the run;
//   3. stage every new file and the new manifest in DIR/.plumb-staging-<pid>/new/ — except
//      files already in place with the same content and mode, which are left as they are (a
//      recompile touches only what changed, and unchanged files keep their mtime);
//   4. write the journal DIR/.plumb-write.json (the previous manifest's files, the new files
//      with their sha256, the new manifest's sha256), by rename;
//   5. install: each new file is renamed into place, the file it replaces kept first as a hard
//      link (or copy) in the staging folder's old/; each path always holds a whole file;
//   6. commit: the new manifest.json is renamed into place — the single commit point;
//   7. remove the files the previous manifest listed and the new one does not, device folders
//      left empty, the staging folder, the journal; release the lock.
// Recovery reads the journal: if DIR/manifest.json is the new one, the write had committed
// and step 7 is finished; otherwise it is rolled back (kept files renamed back, new files
// removed when they still have the content that was written), leaving the previous output.
// Files nobody listed (a user's NOTES.txt) are never touched.

import { createHash } from 'node:crypto';
import {
  copyFileSync,
  linkSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  rmSync,
  unlinkSync,
  writeFileSync,
  type Stats,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { deviceFiles, MANIFEST_FILE, MAX_MANIFEST_BYTES, readManifest } from './manifest.js';
import { JOURNAL_FILE, replaceableProblem, STAGING_PREFIX } from './output-guard.js';
import { acquireLock, isRunning, OutputFolderError, type LockOwner } from './output-lock.js';

export interface FolderFile {
  /** Relative to DIR, `/`-separated. */
  path: string;
  content: string;
  mode: number;
  /** The content's sha256 when the caller has it already (hashing megabytes is not free). */
  sha256?: string;
}

export interface WriteOptions {
  /** DIR as the user wrote it, for messages. */
  shown?: string;
  /** How long to wait for another writer of DIR; default 10 s. */
  lockWaitMs?: number;
  onWait?: (owner: LockOwner | undefined) => void;
  /** Called after each step (`staged`, `journal`, `install:<n>`, `commit`, `cleanup`): a test hook. */
  step?: (name: string) => void;
  /** The sha256 DIR/manifest.json must have under the lock (`--previous DIR`: the deltas' base). */
  expectManifest?: string;
}

export interface WriteReport {
  /** An interrupted earlier write that this run found and dealt with. */
  recovered?: { pid: number; outcome: 'rolled back' | 'finished' };
  /** Temporary folders of killed runs that were removed (as shown to the user). */
  removedStale: string[];
  /** Why the clean-up after the commit failed: the output is written, the next run finishes it. */
  unfinished?: string;
}

interface Journal {
  format: 1;
  pid: number;
  staging: string;
  nextManifest: string;
  previous: string[];
  next: { path: string; sha256: string }[];
}

const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

/** A relative path that stays inside DIR: no empty, `.` or `..` parts, no NUL. */
function isSafeRelative(path: string): boolean {
  return !path.includes('\0') && path.split('/').every((p) => p !== '' && p !== '.' && p !== '..');
}

/**
 * Checks the way to `DIR/rel`: every folder on it must be a real folder (or absent), never a
 * link that would lead the write outside DIR. Returns what is at `DIR/rel`, if anything.
 */
function entryAt(dir: string, rel: string, shown: string): Stats | undefined {
  const parts = rel.split('/');
  for (let i = 1; i < parts.length; i++) {
    const st = lstatOrUndefined(join(dir, ...parts.slice(0, i)));
    if (!st) return undefined;
    if (!st.isDirectory()) {
      const what = st.isSymbolicLink() ? 'a symbolic link' : 'not a folder';
      throw new OutputFolderError(
        `${join(shown, ...parts.slice(0, i))} is ${what}, where Plumb keeps a device's files`,
        'move it away and run again: Plumb writes only into real folders inside the output folder',
      );
    }
  }
  return lstatOrUndefined(join(dir, rel));
}

/** The sha256 of a regular file, or undefined (absent, not a file, or larger than Plumb writes). */
function fileHash(path: string, size?: number): string | undefined {
  const st = lstatOrUndefined(path);
  if (!st?.isFile() || st.size > MAX_MANIFEST_BYTES || (size !== undefined && st.size !== size)) return undefined;
  return sha256(readFileSync(path));
}

/** The files the manifest in DIR lists (relative to DIR), or none when there is no manifest. */
function previousFiles(dir: string, shown: string): string[] {
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
function rollBack(dir: string, j: Journal): void {
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
function finishCommitted(dir: string, j: Journal): void {
  const next = new Set(j.next.map((f) => f.path));
  const obsolete = j.previous.filter((p) => !next.has(p));
  for (const p of obsolete) {
    const st = lstatOrUndefined(join(dir, p));
    if (st && !st.isDirectory()) unlinkSync(join(dir, p));
  }
  pruneEmptyFolders(dir, obsolete);
}

function removeWork(dir: string, j: Journal): void {
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
 * Under the lock: removes staging folders, lock files that runs now gone moved aside or left
 * half made, and the temporary folders that earlier versions left beside DIR
 * (`.NAME.tmp-<pid>`, `.NAME.old-<pid>`).
 */
function removeStale(dir: string, shown: string): string[] {
  const removed: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const m = /^(?:\.plumb-staging-(\d+)|\.plumb-lock\.stale-(\d+)|\.plumb-lock\.(\d+)\.new)$/.exec(name);
    if (m && (m[1] !== undefined || !isRunning({ pid: Number(m[2] ?? m[3]) }))) {
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

/** Keeps the file at `target` as `kept` (a hard link; a copy where links are not supported). */
function keep(target: string, kept: string): void {
  mkdirSync(dirname(kept), { recursive: true });
  try {
    linkSync(target, kept);
  } catch {
    copyFileSync(target, `${kept}.partial`);
    renameSync(`${kept}.partial`, kept);
  }
}

/** Under the lock: refuses a folder that is not Plumb's, then recovers and removes leftovers. */
function tidyLocked(dir: string, shown: string): WriteReport {
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

interface PlannedFile extends FolderFile {
  sha256: string;
  /** Already in place with this content and mode: neither staged nor moved, so its mtime stays. */
  unchanged: boolean;
}

const executable = (mode: number): boolean => (mode & 0o111) !== 0;
/** Readable by its owner only: a file that holds a key (mode 0600) is rewritten until it is. */
const isPrivate = (mode: number): boolean => (mode & 0o077) === 0;

/**
 * The new files in path order, after checking that each may be written: nothing but a folder on
 * the way to it, and at its place nothing or a file the previous manifest lists.
 */
function plan(dir: string, files: readonly FolderFile[], previous: readonly string[], shown: string): PlannedFile[] {
  const listed = new Set(previous);
  for (const p of previous) entryAt(dir, p, shown);
  const next = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return next.map((f) => {
    if (!isSafeRelative(f.path)) throw new Error(`output path ${JSON.stringify(f.path)} leaves the folder`);
    const at = entryAt(dir, f.path, shown);
    if (at && (!at.isFile() || !listed.has(f.path))) {
      throw new OutputFolderError(
        `${join(shown, f.path)} exists and Plumb did not write it (${MANIFEST_FILE} does not list it)`,
        'move it away and run again: Plumb never replaces a file it did not write',
      );
    }
    const hash = f.sha256 ?? sha256(f.content);
    const unchanged =
      at !== undefined &&
      executable(at.mode) === executable(f.mode) &&
      (!isPrivate(f.mode) || isPrivate(at.mode)) &&
      fileHash(join(dir, f.path), Buffer.byteLength(f.content)) === hash;
    return { ...f, sha256: hash, unchanged };
  });
}

/**
 * Writes `files` and `manifest` (the text of manifest.json) into `dir` as described at the top
 * of this file. Throws OutputFolderError when the folder's contents forbid the write (nothing
 * changed), or the I/O error after rolling back (DIR holds the previous output).
 */
export function writeFolder(dir: string, files: readonly FolderFile[], manifest: string, opts: WriteOptions = {}): WriteReport {
  const shown = opts.shown ?? dir;
  const step = opts.step ?? (() => {});
  const st = lstatOrUndefined(dir);
  if (st?.isSymbolicLink()) throw new OutputFolderError(`${shown} is a symbolic link`, 'give the folder itself');
  mkdirSync(dir, { recursive: true });
  const release = acquireLock(dir, { waitMs: opts.lockWaitMs ?? 10_000, shown, ...(opts.onWait ? { onWait: opts.onWait } : {}) });
  let written = false;
  try {
    const { recovered, removedStale } = tidyLocked(dir, shown);
    if (opts.expectManifest !== undefined && fileHash(join(dir, MANIFEST_FILE)) !== opts.expectManifest) {
      const why = `${join(shown, MANIFEST_FILE)} changed while the deltas were computed from it (another compile wrote ${shown})`;
      throw new OutputFolderError(why, 'run the command again');
    }
    const previous = previousFiles(dir, shown);
    const next = plan(dir, files, previous, shown);
    const staging = `${STAGING_PREFIX}${process.pid}`;
    const stagingDir = join(dir, staging);
    const journal: Journal = {
      format: 1,
      pid: process.pid,
      staging,
      nextManifest: sha256(manifest),
      previous,
      next: next.map((f) => ({ path: f.path, sha256: f.sha256 })),
    };
    const changed = next.filter((f) => !f.unchanged);
    try {
      mkdirSync(join(stagingDir, 'new'), { recursive: true });
      for (const f of changed) {
        const path = join(stagingDir, 'new', f.path);
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, f.content, { mode: f.mode });
      }
      writeFileSync(join(stagingDir, 'new', MANIFEST_FILE), manifest);
      step('staged');
      writeFileSync(join(stagingDir, JOURNAL_FILE), `${JSON.stringify(journal, null, 2)}\n`);
      renameSync(join(stagingDir, JOURNAL_FILE), join(dir, JOURNAL_FILE));
    } catch (err) {
      rmSync(stagingDir, { recursive: true, force: true });
      throw err;
    }
    try {
      step('journal');
      changed.forEach((f, i) => {
        const target = join(dir, f.path);
        mkdirSync(dirname(target), { recursive: true });
        if (lstatOrUndefined(target)) keep(target, join(stagingDir, 'old', f.path));
        renameSync(join(stagingDir, 'new', f.path), target);
        step(`install:${i + 1}`);
      });
      renameSync(join(stagingDir, 'new', MANIFEST_FILE), join(dir, MANIFEST_FILE));
    } catch (err) {
      // When the roll-back itself fails, the journal stays for the next run to finish it.
      rollBack(dir, journal);
      removeWork(dir, journal);
      throw err;
    }
    written = true;
    let unfinished: string | undefined;
    try {
      step('commit');
      finishCommitted(dir, journal);
      removeWork(dir, journal);
    } catch (err) {
      unfinished = err instanceof Error ? err.message : String(err); // the journal stays for the next run
    }
    step('cleanup');
    return { ...(recovered ? { recovered } : {}), removedStale, ...(unfinished ? { unfinished } : {}) };
  } finally {
    release();
    if (!written && !st) {
      try {
        rmdirSync(dir); // created by this run, and still empty
      } catch {
        /* not empty */
      }
    }
  }
}
