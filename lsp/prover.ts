// The language server's door into the compiler and the verifier, both behind the pipeline
// (pipeline/prove.ts): compile a checked intent and prove its assertions, cancellable through an
// AbortSignal. Loaded on first use, because the SMT solver is large and only saving a file needs it.

import type { Diagnostic } from '../language/diagnostic.js';
import type { CheckedIntent } from '../language/intent.js';
import type { Verdict } from '../verifier/verdict.js';

export type ProofVerdict = Verdict;
export type ProofStatus = Verdict['status'];

export interface ProofResult {
  verdicts: Verdict[];
  /** The compiler's and the verifier's diagnostics. */
  diagnostics: Diagnostic[];
}

export interface Prover {
  prove(intent: CheckedIntent, options: { timeoutMs: number; signal: AbortSignal }): Promise<ProofResult>;
}

let loaded: Promise<Prover> | undefined;

/** The compiler and the verifier, imported on the first proof. */
export function loadProver(): Promise<Prover> {
  loaded ??= (async (): Promise<Prover> => {
    const [{ compileIntent }, { proveModel }] = await Promise.all([import('../pipeline/compile.js'), import('../pipeline/prove.js')]);
    return {
      async prove(intent, options) {
        // The front end's diagnostics are the server's own; only the later stages' come back.
        const compiled = compileIntent({ stage: 'done', diagnostics: [], intent });
        const proof = await proveModel(compiled, { timeoutMs: options.timeoutMs, signal: options.signal });
        return { verdicts: proof.report?.verdicts ?? [], diagnostics: proof.diagnostics };
      },
    };
  })();
  return loaded;
}
