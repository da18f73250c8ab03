// `verify`: proves every assertion of the intent with Z3, as `plumb verify --format json`
// reports it (pipeline/prove.ts). The Z3 workers start for the call and are closed before it
// returns, whatever happens, so a program that verifies and returns exits on its own.

import { hasErrors } from '../language/diagnostic.js';
import { proveIntent } from '../pipeline/prove.js';
import { MAX_FAILURES } from '../language/intent.js';
import { addNativeRules } from '../pipeline/native-rules.js';
import { readIntent, type InputOptions, type InputProblem, type IntentInput } from './input.js';
import { emptyVerificationReport, verifyReport, type VerifyReport } from './reports.js';

export interface VerifyOptions extends InputOptions {
  /** Time limit per solver query, in milliseconds (default 30,000: `--timeout 30`). */
  timeoutMs?: number;
  /** Only the assertions whose text contains this (`--only`). */
  only?: string;
  /** Also prove the assertions without an `under` clause under up to this many failures (`--failures`). */
  failures?: number;
  /** Z3 worker threads (default 2). */
  workers?: number;
  /** Cancels the proofs: verdicts not yet found become `unknown`. */
  signal?: AbortSignal;
}

export interface VerifyResult {
  /** No error, and every assertion proven (or vacuous): what `plumb verify` exits 0 for. */
  ok: boolean;
  /** What `plumb verify --format json` prints; absent when the input could not be read. */
  report?: VerifyReport;
  inputProblem?: InputProblem;
}

export async function verify(input: IntentInput, options: VerifyOptions = {}): Promise<VerifyResult> {
  checkOptions(options);
  const read = readIntent(input, options);
  if ('inputProblem' in read) return { ok: false, inputProblem: read.inputProblem };
  const proved = await proveIntent(read.sources, {
    timeoutMs: options.timeoutMs ?? 30_000,
    ...(options.only !== undefined ? { only: options.only } : {}),
    ...(options.failures !== undefined ? { failures: options.failures } : {}),
    ...(options.workers !== undefined ? { workers: options.workers } : {}),
    ...(options.signal !== undefined ? { signal: options.signal } : {}),
  });
  const report = proved.report ?? emptyVerificationReport();
  // A counterexample's rules by their lines in the files `compile` renders, as the CLI shows them.
  if (proved.model) addNativeRules(report.verdicts, proved.model);
  const stats = report.stats;
  return { ok: !hasErrors(proved.diagnostics) && stats.refuted === 0 && stats.unknown === 0, report: verifyReport(report, proved.diagnostics) };
}

function checkOptions(o: VerifyOptions): void {
  const positive = (name: string, v: unknown, max: number): void => {
    if (v !== undefined && !(typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= max)) throw new TypeError(`options.${name} must be a whole number from 1 to ${max}`);
  };
  positive('timeoutMs', o.timeoutMs, 86_400_000);
  positive('failures', o.failures, MAX_FAILURES);
  positive('workers', o.workers, 64);
  if (o.only !== undefined && typeof o.only !== 'string') throw new TypeError('options.only must be a string');
}
