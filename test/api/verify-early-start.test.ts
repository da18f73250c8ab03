// `verify` starts Z3's workers before it compiles the intent, so that Z3 loads meanwhile: the
// workers are closed whatever happens (an intent that does not compile leaves no thread behind:
// the process exits by itself), one set of workers serves the whole proof (under failures too),
// and an enclosing solver scope's pool is used instead of a new one.

import { afterEach, describe, expect, it, vi } from 'vitest';
import { verify } from '../../api/verify.js';
import { SolverPool, withSolverPool } from '../../verifier/index.js';
import { runChildToExit } from '../child-exit.js';
import { OSPF_RING } from '../ospf-ring.js';

const BROKEN = [{ path: 'broken.plumb', text: 'network t\nsite s {\n  router r1 frr\n' }];
// A ring of three routers: the proofs under any one failure need the solver.
const RING = `${OSPF_RING}policy {
  allow office -> db : postgres
}
assert reach office -> db : postgres
`;

/** Every pool started during `body`, and whether it was closed by the time `body` ended. */
async function poolsOf(body: () => Promise<unknown>): Promise<{ started: number; closed: number }> {
  const pools = new Set<SolverPool>();
  const start = SolverPool.prototype.start;
  vi.spyOn(SolverPool.prototype, 'start').mockImplementation(function (this: SolverPool) {
    pools.add(this);
    return start.call(this);
  });
  await body();
  return { started: pools.size, closed: [...pools].filter((p) => p.isClosed).length };
}

afterEach(() => vi.restoreAllMocks());

describe('verify starts Z3 before the compile', () => {
  it('closes the workers when the intent does not compile, with the same report', async () => {
    let result: Awaited<ReturnType<typeof verify>> | undefined;
    const pools = await poolsOf(async () => (result = await verify(BROKEN)));
    expect(pools).toEqual({ started: 1, closed: 1 });
    expect(result?.ok).toBe(false);
    expect(result?.report?.diagnostics.length).toBeGreaterThan(0);
    expect(result?.report?.stats).toMatchObject({ assertions: 0, queries: 0 });
  }, 60_000);

  it('proves with one set of workers, closed after: alone and under failures', async () => {
    const text = [{ path: 't.plumb', text: RING }];
    let alone: Awaited<ReturnType<typeof verify>> | undefined;
    expect(await poolsOf(async () => (alone = await verify(text)))).toEqual({ started: 1, closed: 1 });
    expect(alone?.report?.verdicts.map((v) => v.status)).toEqual(['proven']);
    expect(alone?.report?.stats).toMatchObject({ workers: 1, queries: 1 });
    let failures: Awaited<ReturnType<typeof verify>> | undefined;
    expect(await poolsOf(async () => (failures = await verify(text, { failures: 1 })))).toEqual({ started: 1, closed: 1 });
    expect(failures?.report?.verdicts.map((v) => v.status)).toEqual(['proven']);
    expect(failures?.report?.stats.workers).toBe(2);
  }, 120_000);

  it('uses the enclosing scope\'s pool and starts none', async () => {
    const pool = new SolverPool(1);
    try {
      const started = pool.start();
      await started;
      const pools = await poolsOf(() => withSolverPool(pool, () => verify(BROKEN)));
      expect(pools).toEqual({ started: 0, closed: 0 });
      expect(pool.isClosed).toBe(false);
    } finally {
      await pool.close();
    }
  }, 60_000);

  it('a child process whose intent does not compile exits by itself, promptly', async () => {
    const { code, signal, out, err, afterDoneMs } = await runChildToExit('test/api/child/verify-broken.ts');
    expect(signal, `the child did not exit by itself; stderr: ${err}`).toBeNull();
    expect(code, err).toBe(0);
    expect(out).toMatch(/^ok false diagnostics [1-9]/);
    expect(afterDoneMs).toBeLessThan(5_000);
  }, 60_000);
});
