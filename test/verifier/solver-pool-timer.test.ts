// The solver pool's watchdog with deadlines beyond what one Node timer holds (2^31-1 ms): a
// batch of queries at `plumb verify --timeout 86400` has such a deadline. A single timer would
// fire at once (with a TimeoutOverflowWarning) and fail every such batch.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_TIMER_MS, SolverPool } from '../../verifier/solver-pool.js';

describe('SolverPool watchdog', () => {
  const pool = new SolverPool(1);
  beforeAll(() => pool.start());
  afterAll(() => pool.close());

  it('waits for the answer when the deadline exceeds a timer\'s range', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error): void => void warnings.push(w.name);
    process.on('warning', onWarning);
    try {
      const query = [
        '(set-option :timeout 86400000)',
        '(declare-const x (_ BitVec 16))',
        '(declare-const y (_ BitVec 16))',
        '(assert (= (bvmul x y) #xbeef))',
        '(assert (bvult #x0001 x))',
        '(assert (bvult #x0001 y))',
        '(check-sat)',
      ].join('\n');
      // 32 queries of a day each plus the margin, as verify asks for a full batch.
      const deadline = 32 * 86_400_000 + 10_000;
      expect(deadline).toBeGreaterThan(2 ** 31 - 1);
      expect(MAX_TIMER_MS).toBe(2 ** 31 - 1);
      const r = await pool.solve(query, deadline);
      expect(r).toMatchObject({ ok: true });
      expect(r.ok && r.output.trim()).toMatch(/^(sat|unsat)$/);
      expect(pool.restarts).toBe(0);
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings).not.toContain('TimeoutOverflowWarning');
  });

  it('still stops a query at a short deadline', async () => {
    const hard = [
      '(declare-const x (_ BitVec 512))',
      '(declare-const y (_ BitVec 512))',
      '(assert (= (bvmul x y) #x' + 'f'.repeat(127) + 'b))',
      '(assert (bvugt x #x' + '0'.repeat(127) + '1))',
      '(assert (bvugt y #x' + '0'.repeat(127) + '1))',
      '(check-sat)',
    ].join('\n');
    const restarts = pool.restarts;
    const r = await pool.solve(hard, 200);
    expect(r).toMatchObject({ ok: false, reason: 'the solver gave no answer within 200 ms and was stopped' });
    expect(pool.restarts).toBe(restarts + 1);
  });
});
