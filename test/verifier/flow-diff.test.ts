// The flow comparison (verifier/flow-diff.ts) on every example: scripted edits of a copy of the
// intent give exactly the expected newly allowed and lost flows, each example packet confirmed
// by the simulator on both sides and explained by the rule that admits it; a refactor gives
// none. Real compiler, real Z3 (one pool for the file).

import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NetworkModel } from '../../compiler/model.js';
import { compileIntent } from '../../pipeline/compile.js';
import { deliversConcretely } from '../../verifier/flow-diff-encode.js';
import { diffFlows, type FlowChange, type FlowDiff } from '../../verifier/flow-diff.js';
import { SolverPool, withSolverPool } from '../../verifier/index.js';
import { FLOW_EDITS } from './flow-diff-cases.js';

const pool = new SolverPool(2);
const results = new Map<string, { before: NetworkModel; after: NetworkModel; diff: FlowDiff }>();

function compiled(path: string, text: string): NetworkModel {
  const c = compileIntent([{ path, text }]);
  if (!c.model) throw new Error(`${path}: ${c.diagnostics.map((d) => d.message).join('; ')}`);
  return c.model;
}

function edited(text: string, edits: readonly [string, string][]): string {
  let out = text;
  for (const [from, to] of edits) {
    if (out.split(from).length !== 2)
      throw new Error(`the edit's text must occur exactly once: ${JSON.stringify(from)}`);
    out = out.replace(from, to);
  }
  return out;
}

function line(c: FlowChange): string {
  const ranges = c.ranges.map(([lo, hi]) => (lo === hi ? `${lo}` : `${lo}-${hi}`)).join(',');
  return `${c.change} ${c.source} -> ${c.destination} v${c.family} ${c.protocol} ${ranges}`;
}

beforeAll(async () => {
  await pool.start();
  // Every case at once: the two workers stay busy while each comparison works round by round.
  await withSolverPool(pool, () =>
    Promise.all(
      Object.entries(FLOW_EDITS).flatMap(([example, cases]) => {
        const path = `${example}.plumb`;
        const text = readFileSync(new URL(`../../examples/${example}/${path}`, import.meta.url), 'utf8');
        const before = compiled(path, text);
        return cases.map(async (c) => {
          const after = compiled(path, edited(text, c.edits));
          results.set(`${example}/${c.name}`, { before, after, diff: await diffFlows(before, after) });
        });
      }),
    ),
  );
}, 120_000);

afterAll(() => pool.close());

for (const [example, cases] of Object.entries(FLOW_EDITS)) {
  describe(example, () => {
    for (const c of cases) {
      it(`${c.name}: ${c.expect.length === 0 ? 'no change in reachability' : `${c.expect.length} change(s)`}`, () => {
        const { before, after, diff } = results.get(`${example}/${c.name}`)!;
        expect(diff.undecided).toEqual([]);
        expect(diff.truncated).toEqual([]);
        expect(diff.changes.map(line)).toEqual(c.expect.map((e) => e.replace(/ @\d+$/, '')));
        diff.changes.forEach((change, i) => {
          // The example really is delivered on one side only, and the rule named is the edited one.
          const [delivers, other] = change.change === 'allowed' ? [after, before] : [before, after];
          expect(deliversConcretely(delivers, change.source, change.destination, change.example)).toBe(true);
          expect(deliversConcretely(other, change.source, change.destination, change.example)).toBe(false);
          const wanted = Number(c.expect[i]!.match(/@(\d+)$/)![1]);
          expect(change.admittedBy.map((r) => r.origin?.start.line)).toContain(wanted);
        });
      });
    }
  });
}

describe('bounds', () => {
  it('stops after the bound per pair and says so', async () => {
    const text = readFileSync(new URL('../../examples/multicloud/multicloud.plumb', import.meta.url), 'utf8');
    const before = compiled('m.plumb', text);
    const after = compiled(
      'm.plumb',
      edited(text, [['  deny db-euc -> internet  # overrides the line above: databases stay offline\n', '']]),
    );
    const diff = await withSolverPool(pool, () => diffFlows(before, after, { maxChanges: 1, maxPairs: 1 }));
    expect(diff.changes).toHaveLength(1);
    expect(diff.truncated.join('\n')).toMatch(
      /1 pair\(s\) of endpoints whose reachability differs were not searched/,
    );
    expect(diff.truncated.join('\n')).toMatch(
      /db-euc -> internet \(IPv4\): more newly allowed flows may exist beyond the 1 listed/,
    );
    const few = await withSolverPool(pool, () => diffFlows(before, after, { maxCompared: 10 }));
    expect(few.pairs).toBe(10);
    expect(few.truncated).toEqual([
      // 12 endpoints to the 11 others and the 7 devices.
      `${12 * (11 + 7) - 10} ordered pair(s) of endpoints were not compared (the bound is 10 pairs)`,
    ]);
  });

  it('gives the same report alone as among the others (batches do not matter)', async () => {
    const { before, after, diff } = results.get('campus/widen a group')!;
    const alone = await withSolverPool(pool, () => diffFlows(before, after));
    expect(JSON.stringify(alone.changes)).toBe(JSON.stringify(diff.changes));
    expect(diff.changes[0]!.stoppedBy.kind).toBe('dropped');
  });

  it('compares a model with itself without asking the solver', async () => {
    const text = readFileSync(new URL('../../examples/acme/acme.plumb', import.meta.url), 'utf8');
    const model = compiled('acme.plumb', text);
    const diff = await withSolverPool(pool, () => diffFlows(model, compiled('acme.plumb', text)));
    expect(diff).toMatchObject({ changes: [], differing: 0, queries: 0 });
    // 8 endpoints to the 7 others and the 5 devices.
    expect(diff.pairs).toBe(8 * (7 + 5));
  });
});
