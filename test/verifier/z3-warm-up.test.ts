// A pool started before the compile warms its workers up (SolverPool's `warmUp`, z3-worker.mjs):
// while nothing is asked, each answers questions of its own, shaped as the verifier's. Those must
// be well-formed questions of both answers, in both families; and a question the pool asks while
// a warm-up question is still in Z3 must wait for it and get the answer it gets from a cold worker.

import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseOutput } from '../../verifier/results.js';
import { screenScript } from '../../verifier/screen.js';
import { SolverPool } from '../../verifier/solver-pool.js';

const WORKER = fileURLToPath(new URL('../../verifier/z3-worker.mjs', import.meta.url));

/** The worker module's question maker, imported outside a worker (it starts nothing there). */
async function warmUpQuestion(): Promise<(k: number) => string> {
  return ((await import(pathToFileURL(WORKER).href)) as { warmUpQuestion: (k: number) => string }).warmUpQuestion;
}

/** A fresh question with a model, as verifyModel asks one (index.ts, sectionScript). */
const fresh = (text: string): string =>
  `(reset)\n(set-option :random-seed 0)\n(set-option :timeout 30000)\n(set-option :produce-models true)\n${text}\n(check-sat)\n(echo "@reason")\n(get-info :reason-unknown)\n(echo "@values")\n(get-value (src dst proto sport dport icmp est))\n(echo "@end")\n`;

describe("the workers' warm-up", () => {
  const cold = new SolverPool(1);
  beforeAll(() => cold.start(), 60_000);
  afterAll(() => cold.close());

  it('asks well-formed questions: even ones unsatisfiable, odd ones satisfiable, every fourth in IPv6', async () => {
    const make = await warmUpQuestion();
    const questions = Array.from({ length: 24 }, (_, k) => make(k));
    expect(questions.filter((q) => q.includes('(_ BitVec 128)'))).toHaveLength(6);
    const r = await cold.solveScoped(questions.map((q) => screenScript(q, 30_000)), 120_000);
    if (!r.ok) throw new Error(r.reason);
    expect(r.outputs).toEqual(questions.map((_, k) => (k % 2 === 1 ? 'sat\n@end\n' : 'unsat\n@end\n')));
  }, 120_000);

  it('answers a question asked during the warm-up as a cold worker does', async () => {
    const make = await warmUpQuestion();
    // Satisfiable questions with a model each: the answer shows whether anything of another question crept in.
    const texts = [1, 3, 5, 7].map((k) => make(k + 100));
    const expected = await cold.solve(texts.map(fresh).join(''), 120_000);
    if (!expected.ok) throw new Error(expected.reason);
    const warm = new SolverPool(1, { warmUp: true });
    try {
      await warm.start();
      // Past the worker's idle wait: a warm-up question is in Z3 now.
      await new Promise((r) => setTimeout(r, 150));
      const answers = await Promise.all(texts.map((t) => warm.solve(fresh(t), 120_000)));
      const outputs = answers.map((a) => (a.ok ? a.output : a.reason));
      expect(outputs.join('')).toBe(expected.output);
      expect(parseOutput(expected.output, texts.length).map((s) => s.status)).toEqual(['sat', 'sat', 'sat', 'sat']);
      expect(warm.restarts).toBe(0);
    } finally {
      await warm.close();
    }
  }, 120_000);

  /** This process's CPU (every thread), ms. */
  const cpu = (): number => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };

  it('warms up while nothing is asked, and stops at the first question', async () => {
    const warm = new SolverPool(1, { warmUp: true });
    const idle = new SolverPool(1);
    try {
      // Without it, a ready worker spends next to nothing.
      await idle.start();
      let c0 = cpu();
      await new Promise((r) => setTimeout(r, 1000));
      const idleMs = cpu() - c0;
      expect(idleMs).toBeLessThan(250);
      await warm.start();
      c0 = cpu();
      const t0 = performance.now();
      while (cpu() - c0 < 300 && performance.now() - t0 < 30_000) await new Promise((r) => setTimeout(r, 100));
      expect(cpu() - c0).toBeGreaterThanOrEqual(300);
    } finally {
      await Promise.all([warm.close(), idle.close()]);
    }
    // Asked at once, before its idle wait is over, a worker answers and does not warm up after:
    // each answer says how many warm-up steps the worker has done.
    const worker = new Worker(WORKER, { workerData: { warmUp: true } });
    try {
      const make = await warmUpQuestion();
      const next = (): Promise<{ ready?: boolean; output?: string; warmUpSteps?: number }> =>
        new Promise((resolve, reject) => {
          worker.once('message', resolve);
          worker.once('error', reject);
        });
      expect((await next()).ready).toBe(true);
      worker.postMessage({ id: 1, text: fresh(make(1)) });
      const first = await next();
      expect(first.output?.startsWith('sat\n')).toBe(true);
      await new Promise((r) => setTimeout(r, 1500));
      worker.postMessage({ id: 2, text: fresh(make(3)) });
      const second = await next();
      expect([first.warmUpSteps, second.warmUpSteps]).toEqual([0, 0]);
    } finally {
      await worker.terminate();
    }
  }, 120_000);

  it('warms up the first worker only: the workers share the compiled code', { timeout: 150_000 }, async () => {
    const pool = new SolverPool(2, { warmUp: true });
    try {
      await pool.start();
      // Once it has begun, until it is over (next to no CPU for two seconds), then what it took:
      // one worker's (about 0.8-1.3 s), not two.
      const c0 = cpu();
      const t0 = performance.now();
      while (cpu() - c0 < 300 && performance.now() - t0 < 60_000) await new Promise((r) => setTimeout(r, 100));
      expect(cpu() - c0).toBeGreaterThanOrEqual(300);
      let last = cpu();
      for (;;) {
        await new Promise((r) => setTimeout(r, 2000));
        const now = cpu();
        if (now - last < 60 || performance.now() - t0 > 100_000) break;
        last = now;
      }
      expect(cpu() - c0).toBeLessThan(1500);
    } finally {
      await pool.close();
    }
  });
});
