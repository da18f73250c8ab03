// Emulating an intent, as plain data: check and compile it, stop on errors, prove its assertions,
// then build the compiled network in Linux network namespaces and send each assertion's packets
// (emulator/). The one door into the emulator, for `plumb emulate`, which asks first whether the
// machine can run a lab at all (`missingPrerequisites`) and prints the report.

import { compareDiagnostics } from '../language/diagnostic.js';
import { verifyModel } from '../verifier/index.js';
import { emulate, missingPrerequisites, type EmulationReport } from '../emulator/index.js';
import { fibDifferenceText } from '../emulator/fib-compare.js';
import { compileIntent, type Compiled } from './compile.js';
import { modelOpens } from './sweep-model.js';
import type { SourceText } from './sources.js';

export { fibDifferenceText, missingPrerequisites, type EmulationReport };
export { sweepProbeText, type SweepReport } from '../emulator/sweep.js';

export interface EmulateOptions {
  /** Leave the lab running (the next run removes it). */
  keep: boolean;
  /** How long routing may take to reach the compiled FIB. */
  convergenceLimitMs: number;
  /** Progress lines while the lab is built and probed. */
  log?: (line: string) => void;
}

export interface Emulated extends Compiled {
  /** The front end's and the compiler's diagnostics, sorted by file and position (the lab reports the rest). */
  diagnostics: Compiled['diagnostics'];
  /** Present exactly when `stage` is `done`. */
  report?: EmulationReport;
}

/** Compiles, proves and emulates one intent; stops before the lab when the intent has errors. */
export async function emulateIntent(sources: readonly SourceText[], options: EmulateOptions): Promise<Emulated> {
  const compiled = compileIntent(sources);
  if (!compiled.model) return { ...compiled, diagnostics: compiled.diagnostics.sort(compareDiagnostics) };
  // The lab compares real packets with the proofs: each assertion's verdict says what to expect.
  const verification = await verifyModel(compiled.model);
  const report = await emulate(compiled.model, {
    verdicts: verification.verdicts,
    keep: options.keep,
    convergenceLimitMs: options.convergenceLimitMs,
    sweepOpens: modelOpens,
    ...(options.log ? { log: options.log } : {}),
  });
  return { ...compiled, diagnostics: compiled.diagnostics.sort(compareDiagnostics), report };
}
