// The files of a compile output on their way into DIR, before the write takes the folder's lock:
// `DIR/.plumb-pending-<pid>/new/<site>/<device>/<file>`. A run renders, validates and puts down
// one device after another here, so that no more than a few devices' text is ever in memory;
// only the paths, modes, sizes and sha256 are kept. The locked write (output-write.ts) then
// renames the folder to its staging folder and goes on from there. Nothing here touches a file
// of DIR itself: a run that fails or is killed before the lock leaves DIR as it was, but for
// this folder, which it removes itself or the next run removes once its process is gone
// (output-recover.ts).

import { lstatSync, mkdirSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PENDING_PREFIX } from './output-guard.js';
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
}

export class PendingOutput {
  readonly files: PendingFile[] = [];
  /** The pending folder's name inside DIR. */
  readonly name = `${PENDING_PREFIX}${process.pid}`;
  private open = true;
  /** The folders made inside the pending folder: a device's files share one, made once. */
  private readonly made = new Set<string>();

  private constructor(
    readonly dir: string,
    readonly shown: string,
    /** DIR did not exist before this run: it is removed again when nothing is written. */
    private readonly createdDir: boolean,
  ) {}

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
    const target = join(this.path, 'new', path);
    const folder = dirname(target);
    // Nothing but this run writes in its pending folder, so a folder made once stays.
    if (!this.made.has(folder)) {
      mkdirSync(folder, { recursive: true });
      this.made.add(folder);
    }
    writeFileSync(target, content, { mode });
    this.files.push({ path, mode, sha256: hash ?? sha256(content), size: typeof content === 'string' ? Buffer.byteLength(content) : content.length });
  }

  /** Called by the write once it has renamed the folder to its staging folder. */
  taken(): void {
    this.open = false;
  }

  /** Removes the pending folder, and DIR when this run created it and it is empty. */
  discard(): void {
    this.open = false;
    rmSync(this.path, { recursive: true, force: true });
    if (!this.createdDir) return;
    try {
      if (lstatSync(this.dir).isDirectory()) rmdirSync(this.dir);
    } catch {
      /* not empty, or already gone */
    }
  }
}
