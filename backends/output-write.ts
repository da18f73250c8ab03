// Writing a compile output into its folder without ever destroying what Plumb did not write,
// and so that an interrupted run can always be undone or completed. DIR itself is never
// renamed or removed. First, without the lock, every new file is put down in
// DIR/.plumb-pending-<pid>/new/, by number (output-pending.ts: `plumb compile -o` does that device by
// device as each is rendered and validated). Then, under the folder's lock (output-lock.ts):
//   1. recover an interrupted earlier write (output-recover.ts), remove working folders of
//      killed runs;
//   2. plan: the files the previous manifest.json lists are Plumb's; any other file in the way
//      of a new one, or a link or non-folder on the way to it, refuses the run;
//   3. stage: the pending folder becomes DIR/.plumb-staging-<pid>/ and the new manifest is put
//      in its new/; files already in place with the same content and mode are left as they are
//      (a recompile touches only what changed, and unchanged files keep their mtime; `compile
//      -o` does not even put them down, and refuses the run if one changed before the lock);
//   4. write the journal DIR/.plumb-write.json (the previous manifest's files, the new files
//      with their sha256, the new manifest's sha256), by rename;
//   5. install: each new file is renamed into place, the file it replaces kept first as a hard
//      link (or copy) in the staging folder's old/; each path always holds a whole file;
//   6. commit: the new manifest.json is renamed into place — the single commit point;
//   7. remove the files the previous manifest listed and the new one does not, device folders
//      left empty, the staging folder, the journal; release the lock.
// Recovery (output-recover.ts) reads the journal and rolls the write back or finishes step 7.
// Files nobody listed (a user's NOTES.txt) are never touched.

import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { MANIFEST_FILE } from './manifest.js';
import { JOURNAL_FILE, STAGING_PREFIX } from './output-guard.js';
import { acquireLock, OutputFolderError, type LockOwner } from './output-lock.js';
import { keepsMode, PendingOutput, type PendingFile } from './output-pending.js';
import {
  entryAt,
  fileHash,
  finishCommitted,
  isSafeRelative,
  keep,
  lstatOrUndefined,
  makeFolder,
  previousFiles,
  removeWork,
  rollBack,
  sha256,
  tidyLocked,
  type Journal,
} from './output-recover.js';

export { recoverFolder } from './output-recover.js';
export { PendingOutput, type PendingFile } from './output-pending.js';

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

interface PlannedFile extends PendingFile {
  /** Already in place with this content and mode: neither staged nor moved, so its mtime stays. */
  unchanged: boolean;
}


/**
 * The new files in path order, after checking that each may be written: nothing but a folder on
 * the way to it, and at its place nothing or a file the previous manifest lists.
 */
function plan(dir: string, files: readonly PendingFile[], previous: readonly string[], shown: string): PlannedFile[] {
  const listed = new Set(previous);
  // each folder looked at once for every path under it: nothing is written while planning
  const folders = new Map<string, boolean>();
  for (const p of previous) entryAt(dir, p, shown, folders);
  const next = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return next.map((f) => {
    if (!isSafeRelative(f.path)) throw new Error(`output path ${JSON.stringify(f.path)} leaves the folder`);
    const at = entryAt(dir, f.path, shown, folders);
    if (at && (!at.isFile() || !listed.has(f.path))) {
      throw new OutputFolderError(
        `${join(shown, f.path)} exists and Plumb did not write it (${MANIFEST_FILE} does not list it)`,
        'move it away and run again: Plumb never replaces a file it did not write',
      );
    }
    const unchanged = at !== undefined && keepsMode(at.mode, f.mode) && fileHash(join(dir, f.path), f.size) === f.sha256;
    // a file left out of the pending folder because DIR held it already (output-pending.ts
    // addUnlessInPlace) has no copy to install: changed since, the run cannot write it
    if (f.inPlace && !unchanged) {
      throw new OutputFolderError(
        `${join(shown, f.path)} changed while Plumb compiled into ${shown}`,
        'run the command again (another program or run wrote the folder meanwhile)',
      );
    }
    return { ...f, unchanged };
  });
}

/** A changed file's name in the staging folder's new/ (every file not in place was put down). */
function pendingName(f: PlannedFile): string {
  if (f.name === undefined) throw new Error(`internal: ${f.path} is to be installed but was not put down`);
  return f.name;
}

/**
 * Writes `files` and `manifest` (the text of manifest.json) into `dir` as described at the top
 * of this file. Throws OutputFolderError when the folder's contents forbid the write (nothing
 * changed), or the I/O error after rolling back (DIR holds the previous output).
 */
export function writeFolder(dir: string, files: readonly FolderFile[], manifest: string, opts: WriteOptions = {}): WriteReport {
  const pending = PendingOutput.open(dir, opts.shown ?? dir);
  try {
    for (const f of files) pending.add(f.path, f.content, f.mode, f.sha256);
  } catch (err) {
    pending.discard();
    throw err;
  }
  return writePending(pending, manifest, opts);
}

/**
 * Writes the files put down in `pending` and `manifest` into its folder (steps 1 to 7 at the top
 * of this file). Throws as writeFolder does; the pending folder is gone either way.
 */
export function writePending(pending: PendingOutput, manifest: string, opts: Omit<WriteOptions, 'shown'> = {}): WriteReport {
  const { dir, shown } = pending;
  const step = opts.step ?? (() => {});
  let written = false;
  try {
    const release = acquireLock(dir, { waitMs: opts.lockWaitMs ?? 10_000, shown, ...(opts.onWait ? { onWait: opts.onWait } : {}) });
    try {
      const { recovered, removedStale } = tidyLocked(dir, shown);
      if (opts.expectManifest !== undefined && fileHash(join(dir, MANIFEST_FILE)) !== opts.expectManifest) {
        const why = `${join(shown, MANIFEST_FILE)} changed while the deltas were computed from it (another compile wrote ${shown})`;
        throw new OutputFolderError(why, 'run the command again');
      }
      const previous = previousFiles(dir, shown);
      const next = plan(dir, pending.files, previous, shown);
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
        // tidyLocked removed any staging folder: the name is free.
        renameSync(pending.path, stagingDir);
        pending.taken();
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
        // DIR's folders and the staging folder's old/ ones, each made once (makeFolder)
        const madeFolders = new Set<string>();
        changed.forEach((f, i) => {
          const target = join(dir, f.path);
          makeFolder(dirname(target), madeFolders);
          if (lstatOrUndefined(target)) keep(target, join(stagingDir, 'old', f.path), madeFolders);
          renameSync(join(stagingDir, 'new', pendingName(f)), target);
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
    }
  } finally {
    // Not written: the pending folder (if it was not taken) and DIR when this run created it.
    if (!written) pending.discard();
  }
}
