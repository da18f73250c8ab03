// Seeded stress: hundreds of assertions over filters of thousands of rules in one run, with no
// crash, hang or lost verdict; and the watchdog: a killed or hung worker gives `unknown` with its
// reason, and the next query is answered by a fresh worker.

import { describe, expect, it } from 'vitest';
import { verifyModel } from '../../verifier/index.js';
import { SolverPool } from '../../verifier/solver-pool.js';
import { bigFilterNetwork } from './random-networks.js';

describe('stress', () => {
  it('answers hundreds of queries over filters of thousands of rules, none lost', async () => {
    const model = bigFilterNetwork(7, 3000, 1500, 300);
    const report = await verifyModel(model, { timeoutMs: 30_000 });
    expect(report.verdicts).toHaveLength(300);
    const unknown = report.verdicts.filter((v) => v.status === 'unknown');
    expect(unknown.map((v) => v.reason)).toEqual([]);
    expect(report.stats.restarts).toBe(0);
    expect(report.verdicts.map((v) => v.assertion)).toEqual(model.assertions);
    // Both answers occur; every refutation carries a (simulator-confirmed) counterexample.
    expect(report.stats.proven).toBeGreaterThan(20);
    expect(report.stats.refuted).toBeGreaterThan(20);
    for (const v of report.verdicts) expect(v.status === 'refuted').toBe(v.counterexample !== undefined);
  });
});

// Factoring a 64-bit number: Z3 needs far longer than these tests wait.
const HARD =
  '(declare-const a (_ BitVec 64))(declare-const b (_ BitVec 64))(assert (= (bvmul a b) #x8000000b00000015))' +
  '(assert (bvugt a #x0000000000000001))(assert (bvugt b #x0000000000000001))(assert (bvult a #x0000000100000000))(assert (bvult b #x0000000100000000))(check-sat)';
const EASY = '(reset)(declare-const x (_ BitVec 8))(assert (= (bvadd x #x01) #x05))(check-sat)(get-value (x))';

/** The text with HARD's question (under its own names) asked after each time-out is set. */
const withHard = (text: string): string => {
  const hard = HARD.replace(/\(check-sat\)$/, '').replace(/\b([ab])\b/g, 'hard_$1');
  return text.replace(/\(set-option :timeout \d+\)/g, (m) => `${m}\n${hard}`);
};

/** A real pool whose every query (fresh, screened or asked again after the screen) also asks HARD's question. */
class HardQueryPool extends SolverPool {
  override solve(text: string, deadlineMs: number): ReturnType<SolverPool['solve']> {
    return super.solve(withHard(text), deadlineMs);
  }
  override solveScoped(queries: readonly string[], deadlineMs: number): ReturnType<SolverPool['solveScoped']> {
    return super.solveScoped(queries.map(withHard), deadlineMs);
  }
  override solveUncounted(text: string, deadlineMs: number): ReturnType<SolverPool['solveUncounted']> {
    return super.solveUncounted(withHard(text), deadlineMs);
  }
}

describe('watchdog', () => {
  it('turns a worker killed mid-query into an unknown, then recovers', async () => {
    const pool = new SolverPool(1);
    try {
      await pool.start();
      const hard = pool.solve(HARD, 60_000);
      await new Promise((r) => setTimeout(r, 300));
      expect(pool.killBusyWorker()).toBe(true);
      const r = await hard;
      expect(r).toMatchObject({ ok: false, reason: 'the solver worker was killed' });
      const next = await pool.solve(EASY, 30_000);
      expect(next).toMatchObject({ ok: true });
      expect(next.ok && next.output).toContain('((x #x04))');
      expect(pool.restarts).toBe(1);
    } finally {
      await pool.close();
    }
  });

  it('stops a hung query at its deadline, then recovers', async () => {
    const pool = new SolverPool(1);
    try {
      await pool.start();
      const r = await pool.solve(HARD, 800);
      expect(r.ok).toBe(false);
      expect(!r.ok && r.reason).toMatch(/no answer within/);
      const next = await pool.solve(EASY, 30_000);
      expect(next.ok && next.output).toContain('((x #x04))');
    } finally {
      await pool.close();
    }
  });
});

describe('limits', () => {
  it('a solver time-out gives unknown with its reason, never a silent pass', async () => {
    // Every query also carries a factoring problem that no solver decides within the time-out,
    // however fast the machine. A refutation needs a model of the whole query, so each assertion
    // refuted without it must now be unknown because of the time-out; one proven without it may
    // still be proven (its own part is unsatisfiable), but nothing may pass that did not.
    const model = bigFilterNetwork(11, 300, 150, 6);
    const plain = await verifyModel(model, { timeoutMs: 30_000, workers: 1 });
    const refuted = plain.verdicts.filter((v) => v.status === 'refuted').map((v) => v.assertion.text);
    expect(refuted.length).toBeGreaterThan(0);
    const pool = new HardQueryPool(1);
    try {
      await pool.start();
      const report = await verifyModel(model, { timeoutMs: 50, pool });
      expect(report.verdicts).toHaveLength(6);
      report.verdicts.forEach((v, i) => {
        if (v.status === 'unknown') expect(v.reason).toMatch(/could not decide \(IPv4\): (timeout|canceled)|no answer within/);
        else expect([v.status, plain.verdicts[i]!.status]).toEqual(['proven', 'proven']);
      });
      const unknown = report.verdicts.filter((v) => v.status === 'unknown').map((v) => v.assertion.text);
      expect(unknown).toEqual(expect.arrayContaining(refuted));
    } finally {
      await pool.close();
    }
  });

  it('an aborted run ends with unknown verdicts, and the workers stop', async () => {
    const model = bigFilterNetwork(12, 500, 500, 20);
    const controller = new AbortController();
    controller.abort();
    const report = await verifyModel(model, { signal: controller.signal });
    expect(report.verdicts.map((v) => v.status)).toEqual(Array(20).fill('unknown'));
    expect(report.verdicts[0]!.reason).toBe('the verification was cancelled');
  });
});
