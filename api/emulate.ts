// `emulate`: the compiled network built in Linux network namespaces (real FRR daemons, real
// nftables), each assertion's packets sent and compared with its proof, and with a failure
// budget each failure set made for real and compared again, as `plumb emulate --format json`
// reports it (pipeline/emulate.ts, the one door into emulator/). A lab needs root on Linux and
// the tools it runs; a machine without them is a `labProblem`, never a throw. The lab is torn
// down before the call returns unless `keep` is given.

import { hasErrors, type Diagnostic } from '../language/diagnostic.js';
import { MAX_FAILURES } from '../language/intent.js';
import { emulateJointIntents, type JointProblem } from '../pipeline/emulate-joint.js';
import { emulateIntent, failureSetDisagrees, missingPrerequisites, type EmulationReport, type SweepReport } from '../pipeline/emulate.js';
import type { SourceText } from '../pipeline/sources.js';
import { readIntent, type InputOptions, type InputProblem, type IntentInput } from './input.js';
import { asJson, checkReport, type CheckReport } from './reports.js';

export { fibDifferenceText, type EmulationReport, type FailureSetReport, type ProbeResult, type SweepReport } from '../pipeline/emulate.js';

export interface EmulateOptions extends InputOptions {
  /** Leave the lab running (`--keep`; the next run removes it). */
  keep?: boolean;
  /** How long routing may take to reach the compiled FIB, also after each failure set and its restore, in milliseconds (default 90,000: `--converge-timeout 90`). */
  convergenceLimitMs?: number;
  /** Also fail for real the failure sets of every assertion without an `under` clause, under up to this many failed links or devices (`--failures`). */
  failures?: number;
  /**
   * The other party of a contract the intent implements (`--with`): both networks in one lab,
   * joined at the contract's interconnect (docs/emulator.md). Not with `failures`.
   */
  with?: IntentInput;
  /** Progress lines while the lab is built and probed. */
  log?: (line: string) => void;
}

/** `plumb emulate --format json`: the diagnostics as `plumb check` reports them, and the lab's report (null when the intent has errors). */
export interface EmulateJsonReport {
  diagnostics: CheckReport;
  emulation: EmulationReport | null;
}

/** Why this machine cannot run a lab: the tools (or root) it lacks. */
export interface LabProblem {
  message: string;
  hint: string;
  missing: string[];
}

export interface EmulateResult {
  /**
   * What `plumb emulate` exits 0 for: no error, routing reached the compiled FIB (also with each
   * failure set made and restored), and every assertion's packets and the exposure sweep agree
   * with the proofs.
   */
  ok: boolean;
  /** What `plumb emulate --format json` prints; absent when the input could not be read or no lab could run. */
  report?: EmulateJsonReport;
  inputProblem?: InputProblem;
  labProblem?: LabProblem;
}

/** One intent emulated: what `plumb emulate` prints its text from. */
export interface EmulatedIntent {
  /** The front end's and the compiler's diagnostics, sorted. */
  diagnostics: Diagnostic[];
  /** Absent when the intent has errors (nothing was built). */
  report?: EmulationReport;
}

export async function emulate(input: IntentInput, options: EmulateOptions = {}): Promise<EmulateResult> {
  checkOptions(options);
  const read = readIntent(input, options);
  if ('inputProblem' in read) return { ok: false, inputProblem: read.inputProblem };
  const other = options.with !== undefined ? readIntent(options.with, options) : undefined;
  if (other && 'inputProblem' in other) return { ok: false, inputProblem: other.inputProblem };
  const lab = labProblem();
  if (lab) return { ok: false, labProblem: lab };
  if (other) {
    const joint = await emulateJointSources(read.sources, other.sources, options);
    if (joint.problem) return { ok: false, inputProblem: joint.problem };
    return { ok: emulationOk(joint), report: emulateJson(joint) };
  }
  const emulated = await emulateSources(read.sources, options);
  return { ok: emulationOk(emulated), report: emulateJson(emulated) };
}

/** Why a lab cannot run here, or undefined when it can: root on Linux, iproute2, nftables, FRR, socat, ping, python3. */
export function labProblem(): LabProblem | undefined {
  const missing = missingPrerequisites();
  if (missing.length === 0) return undefined;
  return { message: `this machine cannot run a lab: missing ${missing.join(', ')}`, hint: 'run as root on Linux with iproute2, nftables, frr, socat, iputils-ping and python3 installed', missing };
}

/** Compiles, proves and emulates one intent; stops before the lab when the intent has errors. */
export async function emulateSources(sources: readonly SourceText[], options: EmulateOptions): Promise<EmulatedIntent> {
  const { diagnostics, report } = await emulateIntent(sources, {
    keep: options.keep === true,
    convergenceLimitMs: options.convergenceLimitMs ?? 90_000,
    ...(options.failures !== undefined ? { failures: options.failures } : {}),
    ...(options.log ? { log: options.log } : {}),
  });
  return { diagnostics, ...(report ? { report } : {}) };
}

/** Both parties of a contract, their intents given apart, in one lab; `problem` when they are not the two parties of one contract. */
export async function emulateJointSources(a: readonly SourceText[], b: readonly SourceText[], options: Omit<EmulateOptions, 'failures'>): Promise<EmulatedIntent & { problem?: JointProblem }> {
  const { diagnostics, report, problem } = await emulateJointIntents(a, b, {
    keep: options.keep === true,
    convergenceLimitMs: options.convergenceLimitMs ?? 90_000,
    ...(options.log ? { log: options.log } : {}),
  });
  return { diagnostics, ...(report ? { report } : {}), ...(problem ? { problem } : {}) };
}

/**
 * Whether the packets agree with the proofs. Routing that never reached the compiled FIB is a
 * disagreement too, even where the sampled packets happen to agree.
 */
export function emulationOk({ diagnostics, report }: EmulatedIntent): boolean {
  return (
    !hasErrors(diagnostics) &&
    report !== undefined &&
    report.error === undefined &&
    report.converged &&
    (report.fibDifferences ?? []).length === 0 &&
    report.results.every((r) => r.agrees) &&
    !(report.failureSets ?? []).some(failureSetDisagrees) &&
    !sweepDisagrees(report.sweep)
  );
}

/** Whether a device of the exposure sweep opened what the model closes, or the reverse. */
export function sweepDisagrees(s: SweepReport | undefined): boolean {
  return (s?.devices ?? []).some((d) => d.disagreements.length > 0);
}

/** The JSON report: the CLI prints exactly this. */
export function emulateJson({ diagnostics, report }: EmulatedIntent): EmulateJsonReport {
  return asJson({ diagnostics: checkReport(diagnostics), emulation: report ?? null });
}

function checkOptions(o: EmulateOptions): void {
  if (o.keep !== undefined && typeof o.keep !== 'boolean') throw new TypeError('options.keep must be a boolean');
  const limit = o.convergenceLimitMs;
  if (limit !== undefined && !(typeof limit === 'number' && Number.isInteger(limit) && limit >= 1 && limit <= 86_400_000)) throw new TypeError('options.convergenceLimitMs must be a whole number from 1 to 86400000');
  const f = o.failures;
  if (f !== undefined && !(typeof f === 'number' && Number.isInteger(f) && f >= 1 && f <= MAX_FAILURES)) throw new TypeError(`options.failures must be a whole number from 1 to ${MAX_FAILURES}`);
  if (o.log !== undefined && typeof o.log !== 'function') throw new TypeError('options.log must be a function');
  if (o.with !== undefined && f !== undefined) throw new TypeError('options.failures does not apply to a joint lab (options.with): failure sets are each party\'s own');
}
