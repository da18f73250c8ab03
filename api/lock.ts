// `lock` and `writeLock`: the intent's allocation lock (plumb.lock) as the compiler's addresses
// call for it, and writing it. `plumb lock` prints what changed and writes the file; `plumb
// compile -o` does the same after writing the configurations. Nothing else writes it: every
// other call only reads the lock with the intent (api/input.ts).

import { resolve } from 'node:path';
import { readManifest } from '../backends/manifest.js';
import type { Diagnostic } from '../language/diagnostic.js';
import { isLockPath, parseLock, renderLock } from '../language/lock.js';
import { readCompiledDevices } from '../pipeline/deployed.js';
import { compileIntent } from '../pipeline/compile.js';
import type { SourceText } from '../pipeline/sources.js';
import { deployedAllocations, lockUpdate, writeLock as writeLockFile, type LockUpdate } from '../pipeline/lock.js';
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

export interface LockOptions extends InputOptions {
  /**
   * An output folder of `plumb compile -o`: record the addresses its devices carry (relative to
   * `cwd`), so that an output compiled without a lock keeps its addresses.
   */
  from?: string;
}

/** The lock the intent's addresses call for (never written: see `writeLock`). */
export function lock(input: IntentInput, options: LockOptions = {}): LockResult {
  const read = readIntent(input, options);
  if ('inputProblem' in read) return { ok: false, diagnostics: [], inputProblem: read.inputProblem };
  const computed = lockSources(read.sources, read.lockPath, options.from === undefined ? undefined : { dir: options.from, cwd: options.cwd ?? process.cwd() });
  const diagnostics = jsonDiagnostics(computed.diagnostics);
  if (computed.inputProblem) return { ok: false, diagnostics, inputProblem: computed.inputProblem };
  return computed.lock ? { ok: true, diagnostics, lock: computed.lock } : { ok: false, diagnostics };
}

/** What `lockSources` computed: with `from`, the sources its diagnostics point into (the lock as recorded from the folder). */
export interface LockComputed {
  diagnostics: Diagnostic[];
  lock?: LockUpdate;
  /** `from`: the output folder cannot be read. */
  inputProblem?: InputProblem;
  /** `from`: how many allocations were found in the folder, of how many. */
  recorded?: { found: number; of: number };
  /** The sources the diagnostics point into. */
  sources: readonly SourceText[];
}

/**
 * The computation of `lock`, shared with the CLI's lock command, which prints it. With `from`
 * (an output folder of `plumb compile -o`), the lock records the addresses that folder's devices
 * carry (pipeline/lock.ts, `deployedAllocations`) instead of the file's, and is then checked by
 * compiling with it: an address that cannot stay moves, with C740.
 */
export function lockSources(sources: readonly SourceText[], lockPath: string, from?: { dir: string; cwd: string }): LockComputed {
  if (!from) {
    const compiled = compileIntent(sources);
    if (!compiled.model || !compiled.intent || !compiled.allocations) return { diagnostics: compiled.diagnostics, sources };
    return { diagnostics: compiled.diagnostics, lock: lockUpdate(sources, compiled.intent, compiled.allocations, lockPath), sources };
  }
  const intentFiles = sources.filter((s) => !isLockPath(s.path));
  const fresh = compileIntent(intentFiles);
  if (!fresh.model || !fresh.intent || !fresh.allocations) return { diagnostics: fresh.diagnostics, sources };
  const dir = resolve(from.cwd, from.dir);
  const read = readManifest(dir);
  if ('error' in read) {
    return {
      diagnostics: [],
      sources,
      inputProblem: { message: read.error.split(dir).join(from.dir), hint: 'give the folder that `plumb compile -o DIR` wrote (it has manifest.json)' },
    };
  }
  const deployed = new Map(readCompiledDevices(dir, read.manifest).flatMap((d) => (d.device ? [[d.entry.id, d.device] as const] : [])));
  const recorded = deployedAllocations(fresh.intent, fresh.model, fresh.allocations, deployed);
  const previous = sources.find((s) => isLockPath(s.path));
  const candidate = { path: previous?.path ?? lockPath, text: renderLock(previous ? parseLock(previous.text, previous.path) : undefined, fresh.intent.name, recorded.allocations) };
  const withCandidate = [...intentFiles, candidate];
  const compiled = compileIntent(withCandidate);
  if (!compiled.model || !compiled.intent || !compiled.allocations) return { diagnostics: compiled.diagnostics, sources: withCandidate };
  return {
    diagnostics: compiled.diagnostics,
    lock: lockUpdate(sources, compiled.intent, compiled.allocations, lockPath),
    recorded: { found: recorded.found, of: fresh.allocations.length },
    sources: withCandidate,
  };
}

/**
 * Writes a lock that changed (relative paths from `cwd`, default process.cwd()), replacing the
 * file whole; true when it wrote. Throws the file system's error when it cannot.
 */
export function writeLock(update: LockUpdate, options: InputOptions = {}): boolean {
  return writeLockFile(update, options.cwd ?? process.cwd());
}
