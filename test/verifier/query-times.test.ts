// Each assertion's time is its own time in Z3. Assertions go to the solver in batches (one text,
// one query per `(reset)`); the worker times every query, and an assertion's verdict carries the
// time of its own queries, not a share of its batch's.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SolverPool } from '../../verifier/solver-pool.js';
import { verifyModel } from '../../verifier/index.js';
import { compileIntent } from '../../pipeline/compile.js';
import { twoRouterIntent } from '../intent-runs.js';
import { buildQuery, expandFlow, familiesOf } from '../../verifier/queries.js';
import { netIndex } from '../../verifier/simulate.js';

const LIGHT = '(reset)\n(declare-const a (_ BitVec 8))\n(assert (= a #x01))\n(check-sat)\n';
// 0xfffffffb is prime, so no two factors below 0xffff make it (their product never wraps in 32
// bits): unsat after bit-blasting a 32-bit multiplier, some hundreds of milliseconds.
const HEAVY =
  '(reset)\n(declare-const x (_ BitVec 32))\n(declare-const y (_ BitVec 32))\n(assert (= (bvmul x y) #xfffffffb))\n' +
  '(assert (bvugt x #x00000001))\n(assert (bvugt y #x00000001))\n(assert (bvult x #x0000ffff))\n(assert (bvult y #x0000ffff))\n(check-sat)\n';

describe('query times', () => {
  const pool = new SolverPool(1);
  beforeAll(() => pool.start(), 60_000);
  afterAll(() => pool.close());

  it('the worker times each query of a text on its own', async () => {
    // The first text warms the worker up (its engine compiles Z3's code as it is first used).
    await pool.solve(LIGHT + HEAVY + LIGHT, 120_000);
    const r = await pool.solve(LIGHT + HEAVY + LIGHT, 120_000);
    if (!r.ok) throw new Error(r.reason);
    expect(r.output.split('\n').filter(Boolean)).toEqual(['sat', 'unsat', 'sat']);
    expect(r.queryMillis).toHaveLength(3);
    const [first, heavy, last] = r.queryMillis as [number, number, number];
    // A share of the batch would give the three the same time. Compared with the quicker of the
    // two light queries: a pause of the machine (a loaded CI runner) may land in either one.
    expect(heavy).toBeGreaterThan(Math.min(first, last));
    // The queries' own times fit in the text's time in the worker.
    expect(first + heavy + last).toBeLessThanOrEqual(r.millis + 1);
  }, 180_000);
});

const INTENT = twoRouterIntent({
  network: 't',
  segments: 'segment c 10.3.0.0/24 at s.r2\n',
  tail: 'assert reach a -> b : https\nassert isolate a -> c\nassert isolate b -> a\nassert reach a -> b : ssh\n',
});

describe('verdict times', () => {
  it('add up, on one worker, to no more than the run', async () => {
    const compiled = compileIntent([{ path: 't.plumb', text: INTENT }]);
    const report = await verifyModel(compiled.model!, { workers: 1 });
    expect(report.stats.workers).toBe(1);
    // Every assertion the solver decided has a time of its own; one whose question is false
    // before solving (nothing of the flow is ever delivered) took no time in Z3.
    expect(report.stats.queries).toBeGreaterThan(0);
    const idx = netIndex(compiled.model!);
    for (const v of report.verdicts) {
      const flow = expandFlow(idx, v.assertion);
      const unsolved = familiesOf(idx, flow).every((f) => buildQuery(idx, v.assertion, flow, f).unsatisfiable);
      if (unsolved) expect(v.millis).toBe(0);
      else expect(v.millis).toBeGreaterThan(0);
    }
    expect(report.verdicts.filter((v) => v.millis > 0).length).toBeGreaterThan(1);
    const solving = report.verdicts.reduce((n, v) => n + v.millis, 0);
    expect(solving).toBeLessThanOrEqual(report.stats.totalMillis);
  }, 120_000);
});

describe('questions false before solving', () => {
  const pool = new SolverPool(1);
  beforeAll(() => pool.start(), 60_000);
  afterAll(() => pool.close());

  it('are proven without Z3, and Z3 finds each of them unsatisfiable', async () => {
    const compiled = compileIntent([{ path: 't.plumb', text: INTENT }]);
    const model = compiled.model!;
    const idx = netIndex(model);
    const texts: string[] = [];
    for (const a of model.assertions) {
      const flow = expandFlow(idx, a);
      for (const f of familiesOf(idx, flow)) {
        const q = buildQuery(idx, a, flow, f);
        if (q.unsatisfiable) texts.push(`(reset)\n${q.text}`);
      }
    }
    // isolate a -> c and isolate b -> a: no rule admits either flow.
    expect(texts.length).toBeGreaterThanOrEqual(2);
    const r = await pool.solve(texts.join('\n'), 120_000);
    if (!r.ok) throw new Error(r.reason);
    expect(r.output.split('\n').filter((l) => l === 'sat' || l === 'unsat')).toEqual(texts.map(() => 'unsat'));
    const report = await verifyModel(model, { pool });
    expect(report.verdicts.filter((v) => v.assertion.property === 'isolate').map((v) => [v.status, v.millis])).toEqual([
      ['proven', 0],
      ['proven', 0],
    ]);
  }, 120_000);
});
