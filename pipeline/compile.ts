// The front half of every command, as plain data: check an intent, stop on errors, compile it,
// stop on errors. The CLI prints what comes back, the language server converts it, the benches
// and the tests read it; none of them writes the gating out again.
//
// A result says how far the intent got (`stage`): `check` when the front end found errors,
// `compile` when the compiler did, `done` when the model is ready. Diagnostics come in the order
// the stages produced them (the front end's, then the compiler's), as `plumb compile` prints
// them; callers that show a report sort them (compareDiagnostics).

import { compile } from '../compiler/index.js';
import type { NetworkModel } from '../compiler/model.js';
import { analyze } from '../language/analyze.js';
import { hasErrors, type Diagnostic } from '../language/diagnostic.js';
import type { CheckedIntent } from '../language/intent.js';
import type { Allocation } from '../language/lock.js';
import type { SourceText } from './sources.js';

/** How far an intent got: stopped by errors of the front end, of the compiler, or all the way. */
export type Stage = 'check' | 'compile' | 'done';

/** The front end's answer: the checked intent exactly when no error remains. */
export interface Checked {
  stage: 'check' | 'done';
  diagnostics: Diagnostic[];
  intent?: CheckedIntent;
}

export interface Compiled {
  stage: Stage;
  /** The front end's diagnostics, then the compiler's. */
  diagnostics: Diagnostic[];
  /** Present from stage `compile` on. */
  intent?: CheckedIntent;
  /** Present exactly when `stage` is `done`: no error in the intent or the compilation. */
  model?: NetworkModel;
  /** The addresses taken from the pools (what plumb.lock records); with the model. */
  allocations?: Allocation[];
}

/** Parses, resolves and checks the files of one intent (language/analyze.ts). */
export function checkIntent(sources: readonly SourceText[]): Checked {
  const analysis = analyze([...sources]);
  // analyze builds the intent only when no error remains; the test keeps that promise visible.
  if (!analysis.intent || hasErrors(analysis.diagnostics)) return { stage: 'check', diagnostics: analysis.diagnostics };
  return { stage: 'done', diagnostics: analysis.diagnostics, intent: analysis.intent };
}

/**
 * Checks (unless given a checked intent) and compiles one intent. The model is returned only
 * when neither stage reported an error: nothing downstream works on a model with errors.
 */
export function compileIntent(input: readonly SourceText[] | Checked): Compiled {
  const checked = isChecked(input) ? input : checkIntent(input);
  if (!checked.intent) return { stage: 'check', diagnostics: [...checked.diagnostics] };
  const compiled = compile(checked.intent);
  const diagnostics = [...checked.diagnostics, ...compiled.diagnostics];
  if (hasErrors(compiled.diagnostics)) return { stage: 'compile', diagnostics, intent: checked.intent };
  return { stage: 'done', diagnostics, intent: checked.intent, model: compiled.model, allocations: compiled.allocations };
}

function isChecked(input: readonly SourceText[] | Checked): input is Checked {
  return !Array.isArray(input);
}
