// `lock` and `writeLock`: the intent's allocation lock (plumb.lock) as the compiler's addresses
// call for it, and writing it. `plumb lock` prints what changed and writes the file; `plumb
// compile -o` does the same after writing the configurations. Nothing else writes it: every
// other call only reads the lock with the intent (api/input.ts).

import type { Diagnostic } from '../language/diagnostic.js';
import { compileIntent } from '../pipeline/compile.js';
import type { SourceText } from '../pipeline/sources.js';
import { lockUpdate, writeLock as writeLockFile, type LockUpdate } from '../pipeline/lock.js';
import { readIntent, type InputOptions, type InputProblem, type IntentInput } from './input.js';
import { jsonDiagnostics, type JsonDiagnostic } from './reports.js';

export type { LockChange, LockUpdate } from '../pipeline/lock.js';

export interface LockResult {
  /** The intent compiled: `lock` is there. */
  ok: boolean;
  diagnostics: JsonDiagnostic[];
  /** The lock's path, its new text, whether it changed and what moved, was added or removed. */
  lock?: LockUpdate;
  inputProblem?: InputProblem;
}

/** The lock the intent's addresses call for (never written: see `writeLock`). */
export function lock(input: IntentInput, options: InputOptions = {}): LockResult {
  const read = readIntent(input, options);
  if ('inputProblem' in read) return { ok: false, diagnostics: [], inputProblem: read.inputProblem };
  const computed = lockSources(read.sources, read.lockPath);
  const diagnostics = jsonDiagnostics(computed.diagnostics);
  return computed.lock ? { ok: true, diagnostics, lock: computed.lock } : { ok: false, diagnostics };
}

/** The computation of `lock`, shared with the CLI's lock command, which prints it. */
export function lockSources(sources: readonly SourceText[], lockPath: string): { diagnostics: Diagnostic[]; lock?: LockUpdate } {
  const compiled = compileIntent(sources);
  if (!compiled.model || !compiled.intent || !compiled.allocations) return { diagnostics: compiled.diagnostics };
  return { diagnostics: compiled.diagnostics, lock: lockUpdate(sources, compiled.intent, compiled.allocations, lockPath) };
}

/**
 * Writes a lock that changed (relative paths from `cwd`, default process.cwd()), replacing the
 * file whole; true when it wrote. Throws the file system's error when it cannot.
 */
export function writeLock(update: LockUpdate, options: InputOptions = {}): boolean {
  return writeLockFile(update, options.cwd ?? process.cwd());
}
