// The language server's door into the compiler and the verifier: compile a checked intent and
// prove its assertions, cancellable through an AbortSignal. Loaded on first use, because the
// SMT solver is large and only saving a file needs it.

import type { Diagnostic, Span } from '../language/diagnostic.js';
import type { CheckedIntent } from '../language/intent.js';

export type ProofStatus = 'proven' | 'refuted' | 'unknown';

/** One assertion's result, as the verifier reports it (only the fields the server reads). */
export interface ProofVerdict {
  assertion: { text: string; origin: Span };
  status: ProofStatus;
  reason?: string;
  counterexample?: unknown;
  millis: number;
}

export interface ProofResult {
  verdicts: ProofVerdict[];
  /** The compiler's and the verifier's diagnostics. */
  diagnostics: Diagnostic[];
}

export interface Prover {
  prove(intent: CheckedIntent, options: { timeoutMs: number; signal: AbortSignal }): Promise<ProofResult>;
}

type CompileModule = { compile(intent: CheckedIntent): { model?: unknown; diagnostics: Diagnostic[] } };
type VerifyModule = {
  verifyModel(
    model: unknown,
    options: { timeoutMs: number; signal: AbortSignal },
  ): Promise<{ verdicts: ProofVerdict[]; diagnostics: Diagnostic[] }>;
};

let loaded: Promise<Prover | undefined> | undefined;

/** The compiler and verifier, or undefined while either is not part of the build. */
export function loadProver(): Promise<Prover | undefined> {
  loaded ??= (async () => {
    const compiler = await importOptional<CompileModule>('../compiler/index.js');
    const verifier = await importOptional<VerifyModule>('../verifier/index.js');
    if (!compiler?.compile || !verifier?.verifyModel) return undefined;
    return {
      async prove(intent, options) {
        const compiled = compiler.compile(intent);
        if (!compiled.model || compiled.diagnostics.some((d) => d.severity === 'error')) {
          return { verdicts: [], diagnostics: compiled.diagnostics };
        }
        const verified = await verifier.verifyModel(compiled.model, options);
        return { verdicts: verified.verdicts, diagnostics: [...compiled.diagnostics, ...verified.diagnostics] };
      },
    };
  })();
  return loaded;
}

async function importOptional<T>(specifier: string): Promise<T | undefined> {
  try {
    return (await import(new URL(specifier, import.meta.url).href)) as T;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND') return undefined;
    throw err;
  }
}
