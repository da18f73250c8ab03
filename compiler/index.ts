// The compiler's public entry point: a checked intent in, the network model out.

import type { Diagnostic } from '../language/diagnostic.js';
import type { CheckedIntent } from '../language/intent.js';
import { compileIntent } from './build.js';
import type { NetworkModel } from './model.js';

export type { NetworkModel } from './model.js';
export { converge, convergeContextOf, type ConvergeContext } from './routing.js';

/** Pure and deterministic: the same intent gives a byte-identical model and diagnostics. */
export function compile(intent: CheckedIntent): { model: NetworkModel; diagnostics: Diagnostic[] } {
  return compileIntent(intent);
}
