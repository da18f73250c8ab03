// The pool's start-up, not awaited before queries are given (verifyModel builds its first queries
// while Z3 loads; api/verify.ts starts the pool before the compile): queued queries wait for a
// worker, start() resolves once every worker is ready (one replaced while loading counts once its
// replacement is) or the pool is closed, and a close or an abort during start-up neither hangs nor
// leaves a query without its answer.

import { describe, expect, it } from 'vitest';
import { SolverPool, verifyModel } from '../../verifier/index.js';
import { https } from './builder.js';
import { twoSites } from './fixtures.js';

const SAT = '(declare-const x Int)\n(assert (> x 1))\n(check-sat)\n';
const CANCELLED = { ok: false, reason: 'the verification was cancelled' };

/** The pool's private slots and failure path, to end a worker while it is still loading. */
type Inside = { slots: unknown[]; fail(slot: unknown, reason: string): void };

describe('SolverPool start-up', () => {
  it('answers queries given before start() resolved, and starts once however often it is called', async () => {
    const pool = new SolverPool(1);
    try {
      const started = pool.start();
      expect(pool.start()).toBe(started);
      const answer = await pool.solve(SAT, 60_000);
      expect(answer).toMatchObject({ ok: true, output: 'sat\n' });
      await started;
      expect(pool.startupMillis).toBeGreaterThan(0);
      expect((pool as unknown as Inside).slots).toHaveLength(1);
    } finally {
      await pool.close();
    }
  }, 60_000);

  it('resolves start() and cancels the queued queries when closed during start-up', async () => {
    const pool = new SolverPool(2);
    const started = pool.start();
    const queued = pool.solve(SAT, 60_000);
    await pool.close();
    await expect(started).resolves.toBeUndefined();
    await expect(queued).resolves.toMatchObject(CANCELLED);
    expect(pool.startupMillis).toBe(0);
  }, 20_000);

  it('makes no worker when closed before it is started', async () => {
    const pool = new SolverPool(2);
    await pool.close();
    await pool.start();
    expect((pool as unknown as Inside).slots).toHaveLength(0);
    expect(await pool.solve(SAT, 60_000)).toMatchObject(CANCELLED);
  });

  it('counts a worker replaced while loading once its replacement is ready', async () => {
    const pool = new SolverPool(1);
    try {
      const started = pool.start();
      const inside = pool as unknown as Inside;
      inside.fail(inside.slots[0], 'ended while loading');
      await started;
      expect(pool.restarts).toBe(1);
      expect(await pool.solve(SAT, 60_000)).toMatchObject({ ok: true, output: 'sat\n' });
    } finally {
      await pool.close();
    }
  }, 60_000);
});

describe('verifyModel with its own pool', () => {
  const model = (): ReturnType<ReturnType<typeof twoSites>['build']> => twoSites({ replyRule: false }).assert('reach', ['lan-a'], ['lan-b'], [https]).assert('isolate', ['internet'], ['lan-a']).build();

  it('ends promptly, every verdict cancelled, when aborted while Z3 is loading', async () => {
    const abort = new AbortController();
    const run = verifyModel(model(), { workers: 2, signal: abort.signal });
    // The workers are being made and loaded; the queries are queued.
    await new Promise((resolve) => setImmediate(resolve));
    abort.abort();
    const report = await run;
    // The isolate is proven before any solving; the reach needed Z3.
    expect(report.verdicts[0]).toMatchObject({ status: 'unknown', reason: 'the verification was cancelled' });
  }, 20_000);

  it('takes a warm pool as its own: the same report, and the pool closed', async () => {
    const warm = new SolverPool(2);
    void warm.start();
    const withWarm = await verifyModel(model(), { warmPool: warm });
    expect(warm.isClosed).toBe(true);
    const alone = await verifyModel(model());
    const zeroed = (r: typeof alone): unknown => JSON.parse(JSON.stringify(r, (k, v: unknown) => (/millis/i.test(k) ? 0 : v)));
    expect(zeroed(withWarm)).toEqual(zeroed(alone));
    expect(withWarm.stats.startupMillis).toBeGreaterThan(0);
  }, 120_000);

  it('counts a warm pool as the pool it would have made when it has more workers than queries', async () => {
    const warm = new SolverPool(4);
    void warm.start();
    const one = twoSites({ replyRule: false }).assert('reach', ['lan-a'], ['lan-b'], [https]).build();
    const report = await verifyModel(one, { warmPool: warm });
    expect(report.stats.workers).toBe(1);
    expect(warm.isClosed).toBe(true);
  }, 120_000);
});
