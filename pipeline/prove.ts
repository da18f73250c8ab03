// Proving an intent, as plain data: check and compile it (pipeline/compile.ts), stop on errors,
// then prove every assertion with Z3 and lint the network (verifier/index.ts). Used by `plumb
// verify`, the language server's proofs on save and the verifier's benchmark.
//
// `proveModel` is the last step alone, for a model that is already there: the compiled one, or
// the drift check's deployed network (pipeline/deployed.ts). It returns the diagnostics in the
// order the stages produced them, as the language server shows them; `proveIntent`, the whole
// way from the files, returns them sorted (compareDiagnostics) as the CLI reports them.

import type { NetworkModel } from '../compiler/model.js';
import { compareDiagnostics, type Diagnostic } from '../language/diagnostic.js';
import { verifyModel, type VerifyOptions } from '../verifier/index.js';
import type { VerificationReport } from '../verifier/verdict.js';
import { compileIntent, type Checked, type Compiled } from './compile.js';
import type { SourceText } from './sources.js';

/** Time limit per query, assertions to prove (`only`), cancellation, workers or a started pool, progress. */
export type ProveOptions = VerifyOptions;

/** What a proof starts from: the diagnostics so far and, when they allow it, the model. */
export interface ModelToProve {
  diagnostics: readonly Diagnostic[];
  /** Absent when an earlier stage stopped: nothing is proven. */
  model?: NetworkModel;
}

export interface ModelProof {
  /** The input's diagnostics, then the verifier's (assertions about nothing, loops, black holes). */
  diagnostics: Diagnostic[];
  /** Present exactly when there was a model to prove. */
  report?: VerificationReport;
}

export interface Proved extends Compiled {
  /** Every stage's diagnostics, sorted by file and position. */
  diagnostics: Diagnostic[];
  /** Present exactly when `stage` is `done`. */
  report?: VerificationReport;
}

/** Proves the assertions of a model that earlier stages let through; nothing when they did not. */
export async function proveModel(input: ModelToProve, options: ProveOptions = {}): Promise<ModelProof> {
  if (!input.model) return { diagnostics: [...input.diagnostics] };
  const report = await verifyModel(input.model, options);
  return { diagnostics: [...input.diagnostics, ...report.diagnostics], report };
}

/** Checks, compiles and proves one intent (or a checked one), stopping at the first stage with errors. */
export async function proveIntent(input: readonly SourceText[] | Checked, options: ProveOptions = {}): Promise<Proved> {
  const compiled = compileIntent(input);
  const proof = await proveModel(compiled, options);
  return {
    ...compiled,
    diagnostics: proof.diagnostics.sort(compareDiagnostics),
    ...(proof.report ? { report: proof.report } : {}),
  };
}
