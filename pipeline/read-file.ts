// The one bounded reader of files on disk, for intent files (pipeline/sources.ts) and the
// configuration files of a compile output folder (pipeline/deployed.ts). It never reads more than
// a limit and never blocks: only a regular file is read, anything else (a directory, device,
// FIFO or socket) is refused before it is opened, because opening a FIFO waits for a writer and
// a device may never end; the check is repeated on the opened descriptor. The size a file
// claims is never trusted (devices, pipes and FIFOs report 0, and a file may grow while it is
// read). What the bytes mean (UTF-8, text) is the caller's to decide.

import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';

export type BoundedRead =
  | { bytes: Buffer }
  /** The path is not a regular file (or stopped being one once opened); `stats` says what it is. */
  | { notRegular: Stats }
  /** There is more than the limit. */
  | { tooLarge: true }
  /** The file system's error (no such file, permission denied, ...). */
  | { error: unknown };

const CHUNK_BYTES = 64 * 1024;

/** The whole of a regular file, if it holds at most `maxBytes`. Never throws. */
export function readRegularFile(path: string, maxBytes: number): BoundedRead {
  let fd: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) return { notRegular: st };
    // O_NONBLOCK: should the path have become a FIFO since the stat, opening it does not wait.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    return { error };
  }
  try {
    const opened = fstatSync(fd);
    if (!opened.isFile()) return { notRegular: opened };
    const bytes = readAtMost(fd, maxBytes);
    return bytes === undefined ? { tooLarge: true } : { bytes };
  } catch (error) {
    return { error };
  } finally {
    closeSync(fd);
  }
}

/** Reads to the end of the file but at most `maxBytes`; undefined when there is more. */
function readAtMost(fd: number, maxBytes: number): Buffer | undefined {
  const chunks: Buffer[] = [];
  let total = 0;
  while (true) {
    const chunk = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, maxBytes + 1 - total));
    const n = readSync(fd, chunk, 0, chunk.length, null);
    if (n === 0) break;
    chunks.push(n === chunk.length ? chunk : chunk.subarray(0, n));
    total += n;
    if (total > maxBytes) return undefined;
  }
  return Buffer.concat(chunks, total);
}
