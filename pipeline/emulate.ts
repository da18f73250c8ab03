// Emulating an intent, as plain data: check and compile it, stop on errors, prove its assertions,
// and those with a failure budget under their failures (verifier/failures.ts), then build the
// compiled network in Linux network namespaces, send each assertion's packets and make its
// failure sets for real (emulator/). The one door into the emulator, for `plumb emulate`, which
// asks first whether the machine can run a lab at all (`missingPrerequisites`) and prints the
// report.

import { compareDiagnostics } from '../language/diagnostic.js';
import { budgetOf, verifyUnderFailures } from '../verifier/failures.js';
import { SolverPool, verifyModel } from '../verifier/index.js';
import { withContractGuarantees } from '../verifier/contracts.js';
import type { NetworkModel } from '../compiler/model.js';
import { emulate, missingPrerequisites, type EmulationReport } from '../emulator/index.js';
import { fibDifferenceText } from '../emulator/fib-compare.js';
import { compileIntent, type Compiled } from './compile.js';
import { failureSetsToTest } from './emulate-failures.js';
import { modelOpens } from './sweep-model.js';
import type { SourceText } from './sources.js';

export { fibDifferenceText, missingPrerequisites, type EmulationReport };
// The joint lab of two parties (pipeline/emulate-joint.ts) enters the emulator through here too.
export { emulateJoint, newRunId, type InterconnectSession, type JointReport, type ProbeContext } from '../emulator/index.js';
export { failureSetDisagrees, type FailureSetReport } from '../emulator/failures.js';
export type { ProbeResult } from '../emulator/probe.js';
export { sweepProbeText, type SweepReport } from '../emulator/sweep.js';

export interface EmulateOptions {
  /** Leave the lab running (the next run removes it). */
  keep: boolean;
  /** How long routing may take to reach the compiled FIB (also after each failure and restore). */
  convergenceLimitMs: number;
  /** The failure budget of assertions without an `under` clause (`--failures N`), as `plumb verify`'s. */
  failures?: number;
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
  // The lab compares real packets with the proofs: each assertion's verdict on the intact network
  // says what to expect with everything up, its proof under failures what to expect with each
  // failure set made for real.
  const model = compiled.model;
  const pool = new SolverPool(2);
  await pool.start();
  let verification: Awaited<ReturnType<typeof verifyModel>>;
  let failureSets: ReturnType<typeof failureSetsToTest> = [];
  try {
    verification = await verifyModel(model, { pool });
    if (model.assertions.some((a) => budgetOf(model, a, options.failures) !== undefined)) {
      const run = await verifyUnderFailures(model, { pool, intact: verification.verdicts, ...(options.failures !== undefined ? { failures: options.failures } : {}) });
      failureSets = failureSetsToTest(model, run.results);
    }
  } finally {
    await pool.close();
  }
  const report = await emulate(model, {
    verdicts: verification.verdicts,
    failureSets,
    keep: options.keep,
    convergenceLimitMs: options.convergenceLimitMs,
    sweepOpens: modelOpens,
    ...(options.log ? { log: options.log } : {}),
  });
  const notProbed = contractsNotProbed(model);
  return { ...compiled, diagnostics: compiled.diagnostics.sort(compareDiagnostics), report: notProbed.length > 0 ? { ...report, contractsNotProbed: notProbed } : report };
}

/** Each implemented contract with the number of our side's guarantees, which a one-party lab cannot probe. */
function contractsNotProbed(model: NetworkModel): NonNullable<EmulationReport['contractsNotProbed']> {
  if ((model.contracts ?? []).length === 0) return [];
  const guarantees = withContractGuarantees(model).assertions.filter((a) => a.contract);
  return model.contracts!.map((c) => ({
    contract: c.name,
    party: c.us.name,
    guarantees: guarantees.filter((a) => a.contract!.name === c.name && a.contract!.party === c.us.name).length,
  }));
}
