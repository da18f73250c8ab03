// The compiler's public entry point: a checked intent in, the network model out.

import type { Diagnostic } from '../language/diagnostic.js';
import type { CheckedIntent } from '../language/intent.js';
import type { Allocation } from '../language/lock.js';
import { compileIntent } from './build.js';
import type { NetworkModel } from './model.js';
import { modelSizeDiagnostics } from './size-guard.js';

export type { NetworkModel } from './model.js';
export { converge, convergeContextOf, type ConvergeContext } from './routing.js';

/**
 * Pure and deterministic: the same intent gives a byte-identical model and diagnostics. An
 * intent over one of the model-size limits (size-guard.ts) gets its errors and an empty model:
 * nothing big is built. `allocations` are the addresses taken from the pools, for plumb.lock.
 */
export function compile(intent: CheckedIntent): { model: NetworkModel; diagnostics: Diagnostic[]; allocations: Allocation[] } {
  const tooBig = modelSizeDiagnostics(intent);
  if (tooBig.length > 0) {
    const empty: NetworkModel = { version: 1, name: intent.name, routing: intent.routing, devices: [], endpoints: [], policy: [], assertions: [] };
    return { model: empty, diagnostics: tooBig, allocations: [] };
  }
  return compileIntent(intent);
}
