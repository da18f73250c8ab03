// A shared solver pool (an explicit `pool` option or an enclosing `withSolverPool` scope) gives
// the same verdicts, counterexamples and lint as a pool of the verification's own, counts only
// this run's queries, stays open for the next caller, and a cancelled run leaves it usable.

import { readFileSync } from 'node:fs';
import { verifyEach } from '../../api/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NetworkModel } from '../../compiler/model.js';
import { compile } from '../../compiler/index.js';
import { analyze } from '../../language/analyze.js';
import { verifyModel, type VerificationReport } from '../../verifier/index.js';
import { SolverPool } from '../../verifier/solver-pool.js';
import { scopedSolverPool, withSolverPool } from '../../verifier/solver-scope.js';

function exampleModel(name: string): NetworkModel {
  const analysis = analyze([{ path: `${name}.plumb`, text: readFileSync(`examples/${name}/${name}.plumb`, 'utf8') }]);
  return compile(analysis.intent!).model;
}

/** What must not depend on whose pool solved it. */
function outcome(r: VerificationReport): unknown {
  return { verdicts: r.verdicts.map((v) => ({ ...v, millis: 0 })), diagnostics: r.diagnostics, assertions: r.stats.assertions };
}

describe('a shared solver pool', () => {
  let pool: SolverPool;
  beforeAll(async () => {
    pool = new SolverPool(1);
    await pool.start();
  });
  afterAll(async () => {
    await pool.close();
  });

  it('gives the same report as an own pool, by option and by scope, and stays open', async () => {
    const model = exampleModel('campus');
    const own = await verifyModel(model);
    const byOption = await verifyModel(exampleModel('campus'), { pool });
    expect(outcome(byOption)).toEqual(outcome(own));
    expect(pool.isClosed).toBe(false);
    expect(byOption.stats.queries).toBeGreaterThan(0);
    expect(byOption.stats.startupMillis).toBe(0);
    const before = pool.queries;
    const byScope = await withSolverPool(pool, () => verifyModel(exampleModel('campus')));
    expect(outcome(byScope)).toEqual(outcome(own));
    // The run's own queries, not the pool's running total.
    expect(byScope.stats.queries).toBe(pool.queries - before);
    expect(pool.isClosed).toBe(false);
  });

  it('serves `verify --each`: every folder proven on the scope\'s workers, none started of its own', async () => {
    const before = pool.queries;
    const result = await withSolverPool(pool, () => verifyEach(['examples/campus', 'examples/harbor']));
    expect(result.intents!.map((i) => i.folder)).toStrictEqual(['examples/campus', 'examples/harbor']);
    const queries = result.intents!.reduce((n, i) => n + i.report.stats.queries, 0);
    expect(queries).toBeGreaterThan(0);
    expect(pool.queries - before).toBe(queries);
    expect(result.report!.stats.workers).toBe(1);
    expect(pool.isClosed).toBe(false);
  });

  it('is seen only inside its scope', async () => {
    expect(scopedSolverPool()).toBeUndefined();
    await withSolverPool(pool, async () => {
      await new Promise((r) => setTimeout(r, 1));
      expect(scopedSolverPool()).toBe(pool);
    });
    expect(scopedSolverPool()).toBeUndefined();
  });

  it('a cancelled verification leaves the shared pool usable for the next', async () => {
    const controller = new AbortController();
    controller.abort();
    const cancelled = await verifyModel(exampleModel('acme'), { pool, signal: controller.signal });
    expect(cancelled.verdicts.some((v) => v.reason === 'the verification was cancelled')).toBe(true);
    expect(pool.isClosed).toBe(false);
    const next = await verifyModel(exampleModel('acme'), { pool });
    expect(next.stats.unknown).toBe(0);
    expect(next.stats.proven).toBe(next.stats.assertions);
  });
});
