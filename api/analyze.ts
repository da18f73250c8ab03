// `analyze`: every check short of rendering and proving, as `plumb check` runs them: parse,
// resolve and check the intent, compile it to the network model (the compiler's errors and
// warnings), and lint the model as `verify` does (no solver). `checkSources` is the computation,
// shared with the CLI's check command, which prints it.

import type { NetworkModel } from '../compiler/model.js';
import { compareDiagnostics, hasErrors, type Diagnostic } from '../language/diagnostic.js';
import { compileIntent } from '../pipeline/compile.js';
import type { SourceText } from '../pipeline/sources.js';
import { lintModel } from '../verifier/lint.js';
import { readIntent, type InputOptions, type InputProblem, type IntentInput } from './input.js';
import { checkReport, type CheckReport } from './reports.js';

export interface Checked {
  /** Sorted by file and position. */
  diagnostics: Diagnostic[];
  /** Present when neither the front end nor the compiler found an error. */
  model?: NetworkModel;
}

/** The front end, the compiler (which stops on the front end's errors), then the network lint. */
export function checkSources(sources: readonly SourceText[]): Checked {
  const compiled = compileIntent(sources);
  if (!compiled.model) return { diagnostics: [...compiled.diagnostics].sort(compareDiagnostics) };
  return { diagnostics: [...compiled.diagnostics, ...lintModel(compiled.model)].sort(compareDiagnostics), model: compiled.model };
}

/** What the intent holds, once it compiles. */
export interface ModelSummary {
  name: string;
  devices: number;
  /** Segments, hosts and externals. */
  endpoints: number;
  policyRules: number;
  assertions: number;
}

export interface AnalyzeResult {
  /** No error (warnings allowed): what `plumb check` exits 0 for. */
  ok: boolean;
  /** What `plumb check --format json` prints; absent when the input could not be read. */
  report?: CheckReport;
  /** Present when the intent compiled. */
  model?: ModelSummary;
  /** The input could not be read (a missing path, no files, over a limit): nothing was checked. */
  inputProblem?: InputProblem;
}

export function analyze(input: IntentInput, options: InputOptions = {}): AnalyzeResult {
  const read = readIntent(input, options);
  if ('inputProblem' in read) return { ok: false, inputProblem: read.inputProblem };
  const checked = checkSources(read.sources);
  const m = checked.model;
  return {
    ok: !hasErrors(checked.diagnostics),
    report: checkReport(checked.diagnostics),
    ...(m ? { model: { name: m.name, devices: m.devices.length, endpoints: m.endpoints.length, policyRules: m.policy.length, assertions: m.assertions.length } } : {}),
  };
}
