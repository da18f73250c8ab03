// The language server's door into the compiler and the verifier: compile a checked intent and
// prove its assertions, cancellable through an AbortSignal. Loaded on first use, because the
// SMT solver is large and only saving a file needs it.

import type { Diagnostic } from '../language/diagnostic.js';
import { hasErrors } from '../language/diagnostic.js';
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
    const [{ compile }, { verifyModel }] = await Promise.all([import('../compiler/index.js'), import('../verifier/index.js')]);
    return {
      async prove(intent, options) {
        const compiled = compile(intent);
        if (hasErrors(compiled.diagnostics)) return { verdicts: [], diagnostics: compiled.diagnostics };
        const report = await verifyModel(compiled.model, { timeoutMs: options.timeoutMs, signal: options.signal });
        return { verdicts: report.verdicts, diagnostics: [...compiled.diagnostics, ...report.diagnostics] };
      },
    };
  })();
  return loaded;
}
