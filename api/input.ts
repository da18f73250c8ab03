// What a caller of the library gives as an intent: paths of `.plumb` files and folders (read as
// `plumb check` reads its arguments, pipeline/sources.ts), or the files' text in memory, so that
// a program can check or prove an intent it generated without writing it anywhere. Both go
// through the same limits. Input that cannot be read is a value (`InputProblem`), never a throw;
// only arguments of the wrong type are (TypeError), since those are the caller's bug.

import { lockPathBeside } from '../pipeline/lock.js';
import { displayPath, InputError, lockPath, MAX_SOURCE_BYTES, MAX_TOTAL_SOURCE_BYTES, MAX_SOURCE_FILES, readSources, type SourceText } from '../pipeline/sources.js';

export type { SourceText } from '../pipeline/sources.js';

/** One path, several paths, or the intent's files as `{ path, text }` (path as diagnostics name it). */
export type IntentInput = string | readonly string[] | readonly SourceText[];

export interface InputOptions {
  /** The folder relative paths are read from and diagnostics are named relative to (default: process.cwd()). */
  cwd?: string;
}

/** Input that could not be read as an intent: what went wrong, and what to do about it. */
export interface InputProblem {
  message: string;
  hint?: string;
}

/**
 * The intent's files (with its plumb.lock, when it has one) and where its lock is or would be
 * written: beside the folder or first file given, as diagnostics name files.
 */
export type ReadIntent = { sources: SourceText[]; lockPath: string } | { inputProblem: InputProblem };

/** The intent's files, read from disk or taken as given; throws TypeError only for arguments of the wrong type. */
export function readIntent(input: IntentInput, options: InputOptions = {}): ReadIntent {
  const cwd = options.cwd ?? process.cwd();
  if (typeof cwd !== 'string') throw new TypeError('options.cwd must be a string');
  const items: readonly unknown[] = typeof input === 'string' ? [input] : Array.isArray(input) ? input : notAnInput(input);
  if (items.length > 0 && items.every((i) => typeof i === 'string')) {
    try {
      const sources = readSources(items as string[], cwd);
      return { sources, lockPath: displayPath(lockPath(items as string[], cwd), cwd) };
    } catch (err) {
      if (err instanceof InputError) return { inputProblem: problem(err.message, err.hint) };
      throw err;
    }
  }
  if (items.length > 0 && !items.every(isSourceText)) notAnInput(input);
  return inMemory(items as SourceText[]);
}

/** In-memory files, within the limits that files on disk have (docs/cli.md, "Limits"). */
function inMemory(sources: readonly SourceText[]): ReadIntent {
  if (sources.length === 0) return { inputProblem: problem('no input files', 'give one or more .plumb files, folders, or { path, text } sources') };
  if (sources.length > MAX_SOURCE_FILES) return { inputProblem: problem(`the intent has ${sources.length} files; the limit is ${MAX_SOURCE_FILES}`) };
  const seen = new Set<string>();
  let total = 0;
  for (const s of sources) {
    if (seen.has(s.path)) return { inputProblem: problem(`two sources are named ${s.path}`, 'give every source its own path: diagnostics name files by it') };
    seen.add(s.path);
    const bytes = Buffer.byteLength(s.text, 'utf8');
    if (bytes > MAX_SOURCE_BYTES) return { inputProblem: problem(`${s.path} is larger than ${MAX_SOURCE_BYTES} bytes, the limit for one file`, 'split the intent into several files (docs/cli.md, "Limits")') };
    total += bytes;
    if (s.text.includes('\u0000')) return { inputProblem: problem(`${s.path} is not text (it contains NUL characters)`) };
  }
  if (total > MAX_TOTAL_SOURCE_BYTES) return { inputProblem: problem(`the sources are larger than ${MAX_TOTAL_SOURCE_BYTES} bytes together, the limit for one intent`) };
  // Copies: the caller's objects are never kept or changed.
  const copies = sources.map((s) => ({ path: s.path, text: s.text }));
  return { sources: copies, lockPath: lockPathBeside(copies) };
}

function problem(message: string, hint?: string): InputProblem {
  return hint === undefined ? { message } : { message, hint };
}

function isSourceText(x: unknown): x is SourceText {
  return typeof x === 'object' && x !== null && typeof (x as SourceText).path === 'string' && typeof (x as SourceText).text === 'string';
}

function notAnInput(input: unknown): never {
  throw new TypeError(`an intent is a path, an array of paths, or an array of { path, text } sources; got ${input === null ? 'null' : typeof input}`);
}
