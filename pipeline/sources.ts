// Reads the intent's files from the command line: files as given, directories as every
// `*.plumb` file inside them (recursively, sorted), so that `plumb check site/` and
// `plumb check site/*.plumb` see the same intent.
//
// Every byte goes through one budget (a limit per file and one for all files together), so that
// any input the tools accept is checked in bounded time and memory (docs/cli.md, "Limits").
// Files are read by the bounded reader of pipeline/read-file.ts: only regular files, never
// more than the limit, never trusting the size a file claims. The CLI reads its arguments with
// `readSources`, the language server files on disk with `readSourceFile`, so that the editor and
// `plumb check` accept exactly the same files.

import { lstatSync, opendirSync, statSync, type Dir, type Dirent, type Stats } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { dirname, join, relative, resolve } from 'node:path';
import { LOCK_FILE_NAME } from '../language/lock.js';
import type { ImportProblem } from '../language/module-paths.js';
import { followImports, type ReadFile } from './imports.js';
import { readRegularFile } from './read-file.js';

/**
 * Input that cannot be read as an intent (no files given, a missing or unreadable path, a file
 * or a whole intent over its limit): what went wrong, and what to do about it. The CLI reports
 * it as bad usage (exit 2); `hint` is its help line.
 */
export class InputError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'InputError';
  }
}

export interface SourceText {
  /** The path as shown in diagnostics: relative to the working directory when inside it. */
  path: string;
  text: string;
  /** Read through an `import` of another file, not given as the intent (pipeline/imports.ts). */
  imported?: boolean;
  /** The file's imports that could not be followed, by their PATH. */
  importProblems?: Record<string, ImportProblem>;
}

/**
 * Largest file accepted, in bytes. Chosen by measurement (docs/cli.md, "Limits"): the costliest
 * text of this size found (one token per byte, every line an error) checks in under 4 s of CPU
 * and 500 MB on the 2-core test machine. The largest generated benchmark intent (400 devices,
 * 4,000 segments, 20,000 rules) is 0.92 MiB.
 */
export const MAX_SOURCE_BYTES = 1024 * 1024;

/** Largest intent accepted, all of its files together, in bytes (the same measurement, ×1.5). */
export const MAX_TOTAL_SOURCE_BYTES = 1.5 * 1024 * 1024;

/** Most entries (files and folders) a directory given on the command line is searched through. */
export const MAX_DIRECTORY_ENTRIES = 100_000;

/** Most files in one intent: each costs a parse, even an empty one. */
export const MAX_SOURCE_FILES = 10_000;

/** The limits `readSources` applies; tests pass smaller ones. */
export interface SourceLimits {
  fileBytes: number;
  totalBytes: number;
  directoryEntries: number;
  files: number;
}

export const SOURCE_LIMITS: Readonly<SourceLimits> = {
  fileBytes: MAX_SOURCE_BYTES,
  totalBytes: MAX_TOTAL_SOURCE_BYTES,
  directoryEntries: MAX_DIRECTORY_ENTRIES,
  files: MAX_SOURCE_FILES,
};

/** A file could not be read as intent text: what went wrong, and what to do about it. */
export interface SourceReadFailure {
  /** `too-large`: over the byte limit it was read with; `unreadable`: anything else. */
  kind: 'too-large' | 'unreadable';
  message: string;
  hint?: string;
}

export type SourceRead = { text: string; bytes: number } | { failure: SourceReadFailure };

const MIB = 1024 * 1024;

/**
 * Reads one file as intent text, never more than `maxBytes` of it, and never blocking: a path
 * that is not a regular file (a directory, device, FIFO or socket) is refused before it is
 * opened, and the check is repeated on the opened descriptor. The text must be UTF-8 without
 * NUL characters. `shown` is the path used in messages. Never throws; the language server
 * uses it for files on disk, the CLI through `readSources`.
 */
export function readSourceFile(abs: string, shown: string, maxBytes: number = MAX_SOURCE_BYTES): SourceRead {
  const read = readRegularFile(abs, maxBytes);
  if ('error' in read) return { failure: { kind: 'unreadable', message: `cannot read ${shown}: ${reason(read.error)}` } };
  if ('notRegular' in read) return { failure: notRegular(shown, read.notRegular) };
  if ('tooLarge' in read) {
    return {
      failure: {
        kind: 'too-large',
        message: `${shown} is larger than ${sizeText(maxBytes)}, the limit for one file`,
        hint: 'split the intent into several files, or remove what it does not need (docs/cli.md, "Limits")',
      },
    };
  }
  const buf = read.bytes;
  if (!isUtf8(buf)) {
    const at = firstInvalidUtf8(buf);
    const { line, column } = positionOfByte(buf, at);
    return {
      failure: {
        kind: 'unreadable',
        message: `${shown}:${line}:${column}: invalid UTF-8 (byte 0x${buf[at]!.toString(16).padStart(2, '0')})`,
        hint: 'Plumb reads UTF-8 text files (*.plumb); convert the file, e.g. `iconv -f latin1 -t utf-8`',
      },
    };
  }
  const text = buf.toString('utf8');
  if (text.includes('\u0000')) {
    return { failure: { kind: 'unreadable', message: `${shown} is not a text file (it contains NUL bytes)`, hint: 'Plumb reads UTF-8 text files (*.plumb)' } };
  }
  return { text, bytes: buf.length };
}

export function readSources(paths: readonly string[], cwd: string, limits: Readonly<SourceLimits> = SOURCE_LIMITS): SourceText[] {
  if (paths.length === 0) {
    throw new InputError('no input files', 'give one or more .plumb files or directories');
  }
  const files: string[] = [];
  for (const p of paths) {
    const abs = resolve(cwd, p);
    let st;
    try {
      st = statSync(abs);
    } catch (err) {
      throw new InputError(`cannot read ${p}: ${reason(err)}`);
    }
    if (st.isDirectory()) {
      const found = listPlumbFiles(abs, p, limits.directoryEntries);
      if (found.length === 0) {
        throw new InputError(`${p} contains no .plumb files`);
      }
      files.push(...found);
    } else {
      files.push(abs);
    }
  }
  const seen = new Set<string>(files);
  if (seen.size > limits.files) throw tooManyFiles(seen.size, limits.files);
  seen.clear();
  const read: ReadFile[] = [];
  const readWithinBudget = budgetedReader(limits, 0, () => read.length, cwd);
  for (const abs of files) {
    if (seen.has(abs)) continue;
    seen.add(abs);
    read.push({ abs, source: readWithinBudget(abs) });
  }
  // The modules the files import, within the same budget (docs/language.md, "Modules").
  followImports(read, readWithinBudget);
  const out: SourceText[] = read.map((f) => f.source);
  // The allocation lock (language/lock.ts), when the intent's folder has one, after the
  // intent's files.
  const lock = lockPath(paths, cwd);
  if (existsAsFile(lock)) out.push(readWithinBudget(lock));
  return out;
}

/**
 * The modules that the intent's files `roots` (texts as the editor has them, named by their
 * path as shown) import, read from disk as `readSources` reads them, within the budget the
 * roots left: for the language server. The roots get the problems of the imports they hold.
 */
export function readImportedModules(
  folder: string,
  roots: readonly { path: string; text: string }[],
  limits: Readonly<SourceLimits> = SOURCE_LIMITS,
): { modules: ReadFile[]; problems: Map<string, Record<string, ImportProblem>> } {
  const files: ReadFile[] = roots.map((r) => ({ abs: resolve(folder, r.path), source: { path: r.path, text: r.text } }));
  const total = roots.reduce((n, r) => n + Buffer.byteLength(r.text, 'utf8'), 0);
  followImports(files, budgetedReader(limits, total, () => files.length, folder));
  const problems = new Map<string, Record<string, ImportProblem>>();
  for (const f of files) if (f.source.importProblems) problems.set(f.source.path, f.source.importProblems);
  return { modules: files.slice(roots.length), problems };
}

/**
 * Where the intent's allocation lock is (or is written when there is none): `plumb.lock` in the
 * folder given, or in the folder of the first file given. Absolute.
 */
export function lockPath(paths: readonly string[], cwd: string): string {
  const first = resolve(cwd, paths[0] ?? '.');
  let isDirectory = false;
  try {
    isDirectory = statSync(first).isDirectory();
  } catch {
    // A path that cannot be read was reported by readSources already.
  }
  return join(isDirectory ? first : dirname(first), LOCK_FILE_NAME);
}

function existsAsFile(path: string): boolean {
  try {
    return lstatSync(path).isFile() || statSync(path).isFile();
  } catch {
    return false;
  }
}

/** One intent of `--each`: a folder and the .plumb files directly in it (absolute paths). */
export interface IntentFolder {
  /** As shown: relative to the working directory when inside it. */
  folder: string;
  files: string[];
}

/**
 * The intents under the given folders when each folder is its own intent (`verify --each`):
 * every folder, at any depth, that directly holds .plumb files, sorted by path. Hidden
 * folders, node_modules and compile outputs (`out`) are skipped, as when reading one intent.
 */
export function intentFolders(paths: readonly string[], cwd: string, limits: Readonly<SourceLimits> = SOURCE_LIMITS): IntentFolder[] {
  if (paths.length === 0) throw new InputError('no input folders', 'give the folders that hold the intents');
  const byFolder = new Map<string, string[]>();
  for (const p of paths) {
    const abs = resolve(cwd, p);
    let st;
    try {
      st = statSync(abs);
    } catch (err) {
      throw new InputError(`cannot read ${p}: ${reason(err)}`);
    }
    if (!st.isDirectory()) throw new InputError(`${p} is not a folder`, '--each takes folders: each folder of .plumb files below them is one intent');
    for (const file of listPlumbFiles(abs, p, limits.directoryEntries)) {
      const list = byFolder.get(dirname(file)) ?? [];
      if (!list.includes(file)) list.push(file);
      byFolder.set(dirname(file), list);
    }
  }
  if (byFolder.size === 0) throw new InputError(`${paths.join(', ')} ${paths.length === 1 ? 'contains' : 'contain'} no .plumb files`);
  return [...byFolder.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([folder, files]) => ({ folder: displayPath(folder, cwd) || '.', files }));
}

/**
 * Reads one file at a time within what the files before it (`total` bytes, `count()` files) left
 * of the intent's budget; over it, the error says whether the file or the intent is too large.
 */
function budgetedReader(limits: Readonly<SourceLimits>, total: number, count: () => number, cwd: string): (abs: string, shown?: string) => SourceText {
  return (abs, shown = displayPath(abs, cwd)) => {
    if (count() >= limits.files) throw tooManyFiles(count() + 1, limits.files);
    const limit = Math.max(0, Math.min(limits.fileBytes, limits.totalBytes - total));
    const text = readSourceFile(abs, shown, limit);
    if ('failure' in text) {
      // Over what the files before it left of the intent's limit: the total is too large.
      if (text.failure.kind === 'too-large' && limit < limits.fileBytes) throw totalTooLarge(limits.totalBytes);
      throw new InputError(text.failure.message, text.failure.hint);
    }
    total += text.bytes;
    return { path: shown, text: text.text };
  };
}

function tooManyFiles(count: number, limit: number): InputError {
  return new InputError(
    `the intent has ${count.toLocaleString('en-US')} files; the limit is ${limit.toLocaleString('en-US')}`,
    'join small files into larger ones (docs/cli.md, "Limits")',
  );
}

function totalTooLarge(maxTotalBytes: number): InputError {
  return new InputError(
    `the input files are larger than ${sizeText(maxTotalBytes)} together, the limit for one intent`,
    'check fewer files at once, or remove what the intent does not need (docs/cli.md, "Limits")',
  );
}

function notRegular(shown: string, st: Stats): SourceReadFailure {
  const what = st.isDirectory()
    ? 'a directory'
    : st.isFIFO()
      ? 'a FIFO (named pipe)'
      : st.isCharacterDevice()
        ? 'a character device'
        : st.isBlockDevice()
          ? 'a block device'
          : st.isSocket()
            ? 'a socket'
            : 'not a regular file';
  return {
    kind: 'unreadable',
    message: `${shown} is ${what}, not a regular file`,
    hint: 'Plumb reads intents from regular files; save the text to a file and give its path',
  };
}

/** The offset of the first byte that does not continue a well-formed UTF-8 sequence. */
export function firstInvalidUtf8(buf: Uint8Array): number {
  let i = 0;
  while (i < buf.length) {
    const b = buf[i]!;
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b < 0x80) {
      i++;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0; // no overlong forms
      if (b === 0xed) hi = 0x9f; // no surrogates
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90;
      if (b === 0xf4) hi = 0x8f; // nothing above U+10FFFF
    } else return i;
    for (let k = 1; k <= need; k++) {
      const c = buf[i + k];
      // A sequence cut short or broken: the bad byte is reported where the sequence starts.
      if (c === undefined || c < (k === 1 ? lo : 0x80) || c > (k === 1 ? hi : 0xbf)) return i;
    }
    i += need + 1;
  }
  return buf.length;
}

/** The 1-based line and column (in UTF-16 code units, as diagnostics count) of a byte offset. */
function positionOfByte(buf: Buffer, at: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = buf.indexOf(10); i >= 0 && i < at; i = buf.indexOf(10, i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: buf.toString('utf8', lineStart, at).length + 1 };
}

function sizeText(bytes: number): string {
  return (bytes * 2) % MIB === 0 ? `${bytes / MIB} MiB` : `${bytes} bytes`;
}

function reason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'ENAMETOOLONG') return 'the path is too long';
  return code ?? String(err);
}

/**
 * The `*.plumb` files under `dir`, sorted, walking at most `maxEntries` entries (read
 * one at a time, so a huge folder is never listed whole): `plumb check /` ends quickly.
 */
function listPlumbFiles(dir: string, shown: string, maxEntries: number): string[] {
  const out: string[] = [];
  let visited = 0;
  const walk = (d: string): void => {
    let handle: Dir;
    try {
      handle = opendirSync(d);
    } catch (err) {
      throw new InputError(`cannot read the folder ${d}: ${reason(err)}`);
    }
    const entries: Dirent[] = [];
    try {
      for (let e = handle.readSync(); e; e = handle.readSync()) {
        if (++visited > maxEntries) {
          throw new InputError(
            `${shown} holds more than ${maxEntries.toLocaleString('en-US')} files and folders`,
            'give the folder of the intent, not one far above it (docs/cli.md, "Limits")',
          );
        }
        entries.push(e);
      }
    } finally {
      handle.closeSync();
    }
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules' || entry.name === 'out') continue;
      const full = join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.plumb')) out.push(full);
    }
  };
  walk(dir);
  return out;
}

export function displayPath(abs: string, cwd: string): string {
  const rel = relative(cwd, abs);
  return rel && !rel.startsWith('..') ? rel : abs;
}
