// The files of a compile output on their way into DIR, before the write takes the folder's lock:
// `DIR/.plumb-pending-<pid>/new/<n>`, the n-th file listed (`PendingFile.name`), all in one flat
// folder: a tree of site and device folders here cost a mkdir per folder, made again at DIR by the
// write and removed with the staging folder (at 400 devices 480 folders, three times: about a third
// of the output's system time). The write makes DIR's folders once. A run renders, validates and puts down
// one device after another here, so that no more than a few devices' text is ever in memory;
// only the paths, modes, sizes and sha256 are kept. The locked write (output-write.ts) then
// renames the folder to its staging folder and goes on from there. Nothing here touches a file
// of DIR itself: a run that fails or is killed before the lock leaves DIR as it was, but for
// this folder, which it removes itself or the next run removes once its process is gone
// (output-recover.ts).

import { closeSync, lstatSync, mkdirSync, openSync, readSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { JOURNAL_FILE, PENDING_PREFIX } from './output-guard.js';
import { MAX_MANIFEST_BYTES } from './manifest.js';
import { OutputFolderError } from './output-lock.js';
import { isSafeRelative, lstatOrUndefined, sha256 } from './output-recover.js';

/** A file put down: what the write needs to plan, install and journal it. */
export interface PendingFile {
  /** Relative to DIR, `/`-separated. */
  path: string;
  mode: number;
  sha256: string;
  /** In bytes. */
  size: number;
  /** Its name in the pending folder's `new/` (a number, so no folders); absent when `inPlace`. */
  name?: string;
  /**
   * Not put down: DIR held these very bytes at this path, as a file of a mode the write keeps
   * (`keepsMode`), when the run came to it. The write leaves such a file in place; should it
   * have changed before the lock, the write refuses the run (output-write.ts `plan`).
   */
  inPlace?: true;
}

const executable = (mode: number): boolean => (mode & 0o111) !== 0;
/** Readable by its owner only: a file that holds a key (mode 0600) is rewritten until it is. */
const isPrivate = (mode: number): boolean => (mode & 0o077) === 0;

/** Whether a file of mode `found` may stay in place for a file of mode `mode` with its content. */
export function keepsMode(found: number, mode: number): boolean {
  return executable(found) === executable(mode) && (!isPrivate(mode) || isPrivate(found));
}

export class PendingOutput {
  readonly files: PendingFile[] = [];
  /** The pending folder's name inside DIR. */
  readonly name = `${PENDING_PREFIX}${process.pid}`;
  private open = true;
  /**
   * Files DIR holds may be left out (`addUnlessInPlace`): not when DIR has an interrupted
   * write's journal, whose recovery under the lock may put other files back in their places.
   */
  private readonly inPlaceKept: boolean;

  private constructor(
    readonly dir: string,
    readonly shown: string,
    /** DIR did not exist before this run: it is removed again when nothing is written. */
    private readonly createdDir: boolean,
  ) {
    this.inPlaceKept = !createdDir && !lstatOrUndefined(join(dir, JOURNAL_FILE));
  }

  /**
   * Creates DIR when it is absent and an empty pending folder in it. One process writes one
   * folder at a time: a pending folder with this process's pid is a dead run's whose pid came
   * back, and is replaced.
   */
  static open(dir: string, shown = dir): PendingOutput {
    const st = lstatOrUndefined(dir);
    if (st?.isSymbolicLink()) throw new OutputFolderError(`${shown} is a symbolic link`, 'give the folder itself');
    mkdirSync(dir, { recursive: true });
    const pending = new PendingOutput(dir, shown, !st);
    try {
      rmSync(pending.path, { recursive: true, force: true });
      mkdirSync(join(pending.path, 'new'), { recursive: true });
    } catch (err) {
      pending.discard();
      throw err;
    }
    return pending;
  }

  /** The pending folder, absolute. */
  get path(): string {
    return join(this.dir, this.name);
  }

  /**
   * Puts one file down; `hash` when the caller has the content's sha256 already. The content as
   * UTF-8 bytes when the caller has them: the text is then encoded once, not for the write, the
   * hash and the size each.
   */
  add(path: string, content: string | Buffer, mode: number, hash?: string): void {
    if (!this.open) throw new Error('internal: a file added to a pending output after it was committed or discarded');
    if (!isSafeRelative(path)) throw new Error(`output path ${JSON.stringify(path)} leaves the folder`);
    // The file's number in the list: unique, and never `manifest.json`, which the write puts beside.
    const name = String(this.files.length);
    writeFileSync(join(this.path, 'new', name), content, { mode });
    this.files.push({ path, mode, sha256: hash ?? sha256(content), size: typeof content === 'string' ? Buffer.byteLength(content) : content.length, name });
  }

  /**
   * `add`, unless DIR already holds `bytes` at `path` as a file the write would leave in place
   * (a recompile: most files come out the same). Such a file is only listed: putting it down
   * and removing it again after the write was most of a recompile's output time (at 400
   * devices, 246 MB written and unlinked). Comparing the bytes costs a read of the file, which
   * the write does again under the lock to hash it.
   */
  addUnlessInPlace(path: string, bytes: Buffer, mode: number, hash: string): void {
    if (this.open && this.inPlaceKept && isSafeRelative(path) && this.holds(join(this.dir, path), bytes, mode)) {
      this.files.push({ path, mode, sha256: hash, size: bytes.length, inPlace: true });
      return;
    }
    this.add(path, bytes, mode, hash);
  }

  /** A buffer for the files compared by `holds`, grown to the largest. */
  private compared = Buffer.allocUnsafeSlow(0);

  /** Whether `target` is a regular file of `bytes` exactly, of a mode `keepsMode` keeps for `mode`. */
  private holds(target: string, bytes: Buffer, mode: number): boolean {
    const st = lstatOrUndefined(target);
    if (!st?.isFile() || st.size !== bytes.length || st.size > MAX_MANIFEST_BYTES || !keepsMode(st.mode, mode)) return false;
    if (this.compared.length < st.size) this.compared = Buffer.allocUnsafeSlow(Math.max(st.size, this.compared.length * 2));
    let fd: number;
    try {
      fd = openSync(target, 'r');
    } catch {
      return false;
    }
    try {
      let read = 0;
      while (read < st.size) {
        const n = readSync(fd, this.compared, read, st.size - read, read);
        if (n === 0) return false; // shorter than its size said: changed meanwhile
        read += n;
      }
    } catch {
      return false;
    } finally {
      closeSync(fd);
    }
    return this.compared.subarray(0, st.size).equals(bytes);
  }

  /** Called by the write once it has renamed the folder to its staging folder. */
  taken(): void {
    this.open = false;
    this.compared = Buffer.allocUnsafeSlow(0);
  }

  /** Removes the pending folder, and DIR when this run created it and it is empty. */
  discard(): void {
    this.open = false;
    this.compared = Buffer.allocUnsafeSlow(0);
    rmSync(this.path, { recursive: true, force: true });
    if (!this.createdDir) return;
    try {
      if (lstatSync(this.dir).isDirectory()) rmdirSync(this.dir);
    } catch {
      /* not empty, or already gone */
    }
  }
}
