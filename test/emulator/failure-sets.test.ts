// Which failure sets `plumb emulate` makes for real (pipeline/emulate-failures.ts), pure:
// a refuted assertion's refuting set, at most MAX_SETS_PER_ASSERTION of a proven one's explored
// sets (smallest first, then by name), each set once for every assertion that needs it, and the
// lab's interface names for a renamed device's link.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { FailureModel, NetworkModel } from '../../compiler/model.js';
import { inLabNames } from '../../emulator/failures.js';
import { failedName, failureSetsToTest, MAX_SETS_PER_ASSERTION } from '../../pipeline/emulate-failures.js';
import { planLab } from '../../emulator/lab.js';
import { compileIntent } from '../../pipeline/compile.js';
import type { FailureVerdict } from '../../verifier/failures.js';
import { failureElements, failureKey } from '../../verifier/failures-network.js';

const PATH = 'examples/failover/failover.plumb';

function failover(): NetworkModel {
  const c = compileIntent([{ path: PATH, text: readFileSync(PATH, 'utf8') }]);
  return c.model!;
}

function verdict(model: NetworkModel, index: number, status: 'proven' | 'refuted', failed: FailureModel[], explored: FailureModel[][]): FailureVerdict {
  const assertion = model.assertions[index]!;
  return { assertion, budget: { failures: 2 }, verdict: { assertion, status, millis: 0 }, failed, sets: explored.length + 1, explored };
}

describe('failure sets made for real', () => {
  const model = failover();
  const { links, devices } = failureElements(model);
  const all = [...links, ...devices].map((e) => e.failure);

  it('takes a refuted assertion\'s refuting set and at most three of a proven one\'s, sharing sets', () => {
    const explored = all.map((f) => [f]);
    const sets = failureSetsToTest(model, [
      verdict(model, 0, 'proven', [], [...explored, [all[0]!, all[1]!]]),
      verdict(model, 1, 'refuted', [all[4]!], []),
    ]);
    const keys = sets.map((s) => s.failed.map(failureKey).join(' + '));
    // Assertion 0: its first three explored sets (one element each); assertion 1: its refuting set.
    expect(sets.filter((s) => s.assertions.some((a) => a.index === 0))).toHaveLength(MAX_SETS_PER_ASSERTION);
    expect(keys).toEqual([...keys].sort());
    expect(sets.find((s) => failureKey(s.failed[0]!) === failureKey(all[4]!))!.assertions.map((a) => [a.index, a.verdict.status])).toEqual([[1, 'refuted']]);
    expect(sets.every((s) => s.failed.length === 1)).toBe(true);
    // The same set needed by two assertions is made once for both.
    const shared = failureSetsToTest(model, [verdict(model, 0, 'proven', [], [[all[0]!]]), verdict(model, 2, 'proven', [], [[all[0]!]])]);
    expect(shared.map((s) => s.assertions.map((a) => a.index))).toEqual([[0, 2]]);
  });

  it('names a link of a renamed device by the lab\'s interfaces', () => {
    const plan = planLab(model, { runId: 'pl000000' });
    const fwLink = links.find((l) => l.failure.kind === 'link' && (l.failure.a.device === 'fra.fw1' || l.failure.b.device === 'fra.fw1'))!.failure;
    const lab = inLabNames(plan.devices, fwLink);
    expect(JSON.stringify(lab)).not.toContain('ethernet1/');
    expect(failedName(plan.model, lab)).toMatch(/^link (ams\.core2|fra\.core1) -- fra\.fw1$/);
    expect(failedName(plan.model, { kind: 'device', device: 'fra.fw1' })).toBe('device fra.fw1');
  });
});
