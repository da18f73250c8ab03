// Which failure sets `plumb emulate` makes for real, from the proofs under failures
// (verifier/failures.ts), each with the failed network the proof was about (failModel: the
// compiled configuration minus the failed parts, routed again by the compiler's converge) and
// the names reports give its elements. The lab (emulator/failures.ts) then fails them for real.
//
// A refuted or undecided assertion: the set its verdict is about. A proven one: the sets the
// verifier explored for it — only those can change its paths (the pruning of
// verifier/failures.ts) — at most MAX_SETS_PER_ASSERTION, smallest first, then by key. A set
// several assertions need is made once; sets are made smallest first, then by key.

import type { FailureModel, NetworkModel } from '../compiler/model.js';
import type { FailureVerdict } from '../verifier/failures.js';
import { failModel, failureKey, failureText } from '../verifier/failures-network.js';
import type { Verdict } from '../verifier/verdict.js';

/** One failure set to make in the lab (emulator/failures.ts's FailureSetPlan; only pipeline/emulate.ts imports the emulator). */
export interface FailureSetToMake {
  /** In the compiled model's interface names. */
  failed: FailureModel[];
  /** The failed elements as reports name them: `link A -- B`, `device D`. */
  names: string[];
  /** The compiled network with these elements failed and routing re-converged (the proof's network). */
  network: NetworkModel;
  /** The assertions to probe with it failed, and their proof under it. */
  assertions: { index: number; verdict: Verdict }[];
}

/** The most failure sets one proven assertion is tested under in the lab. */
export const MAX_SETS_PER_ASSERTION = 3;

const setKey = (failed: readonly FailureModel[]): string => failed.map(failureKey).sort().join('\n');

/** `link A -- B` or `device D`, as `plumb verify` names the element. */
export function failedName(model: NetworkModel, f: FailureModel): string {
  return `${f.kind} ${failureText(model, f)}`;
}

/** The failure sets to make, each once with every assertion that needs it, in a fixed order. */
export function failureSetsToTest(model: NetworkModel, verdicts: readonly FailureVerdict[]): FailureSetToMake[] {
  const sets = new Map<string, { failed: FailureModel[]; assertions: { index: number; verdict: Verdict }[] }>();
  const add = (failed: FailureModel[], index: number, verdict: Verdict): void => {
    if (failed.length === 0) return;
    const key = setKey(failed);
    const entry = sets.get(key) ?? { failed, assertions: [] };
    entry.assertions.push({ index, verdict });
    sets.set(key, entry);
  };
  for (const fv of verdicts) {
    const index = model.assertions.indexOf(fv.assertion);
    if (index < 0) continue;
    if (fv.verdict.status !== 'proven') add(fv.failed, index, fv.verdict);
    else for (const failed of fv.explored.slice(0, MAX_SETS_PER_ASSERTION)) add(failed, index, fv.verdict);
  }
  return [...sets.entries()]
    .sort(([a, x], [b, y]) => x.failed.length - y.failed.length || (a < b ? -1 : a > b ? 1 : 0))
    .map(([, s]) => ({ ...s, names: s.failed.map((f) => failedName(model, f)), network: failModel(model, s.failed) }));
}
