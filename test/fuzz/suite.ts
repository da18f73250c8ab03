// Declares one fuzz suite: cases `from` to `to` (exclusive) of a corpus, in chunks of CHUNK cases
// per test, all through `runCase` with one warm Z3 pool for the whole file (verifier/
// solver-scope.ts), so that each case pays for its proofs and not for Z3's start-up. A chunk
// fails with every problem of every case it ran, each under the label that reproduces it.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SolverPool } from '../../verifier/solver-pool.js';
import { withSolverPool } from '../../verifier/solver-scope.js';
import type { FuzzCase } from './corpus.js';
import { runCase, type CaseOutcome } from './pipeline.js';

const CHUNK = 100;
/** The seed of the corpus; FUZZ_SEED changes it to explore further (CI uses the fixed one). */
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20261203);

export interface SuiteTally {
  cases: number;
  reached: Record<CaseOutcome['reached'], number>;
  slowestMillis: number;
}

export function fuzzSuite(title: string, makeCase: (seed: number, index: number) => FuzzCase, from: number, to: number, options: { drift: boolean }): void {
  describe(title, () => {
    let pool: SolverPool;
    const tally: SuiteTally = { cases: 0, reached: { check: 0, compile: 0, verify: 0 }, slowestMillis: 0 };
    beforeAll(async () => {
      pool = new SolverPool(1);
      await pool.start();
    });
    afterAll(async () => {
      await pool?.close();
      const rss = process.resourceUsage().maxRSS / 1024;
      console.log(
        `${title}: ${tally.cases} cases; stopped at check ${tally.reached.check}, at compile ${tally.reached.compile}, ` +
          `reached verify ${tally.reached.verify}; slowest command ${tally.slowestMillis} ms; peak RSS ${Math.round(rss)} MiB`,
      );
      // Every command of every case ran in this process: its peak bounds each run's.
      expect(rss, 'peak memory of the fuzz process (MiB)').toBeLessThan(1024);
    });
    for (let start = from; start < to; start += CHUNK) {
      const end = Math.min(to, start + CHUNK);
      it(`cases ${start}..${end - 1}: no internal error, no unreadable input, no over-limit run, configs equal to the model`, async () => {
        const failures: string[] = [];
        for (let i = start; i < end; i++) {
          const c = makeCase(FUZZ_SEED, i);
          const outcome = await withSolverPool(pool, () => runCase(c, options));
          tally.cases++;
          tally.reached[outcome.reached]++;
          for (const r of outcome.runs) tally.slowestMillis = Math.max(tally.slowestMillis, r.millis);
          if (outcome.problems.length > 0) {
            const files = c.files.map((f) => `--- ${JSON.stringify(f.name)}\n${f.text}`).join('\n');
            failures.push(`${c.label}:\n  ${outcome.problems.join('\n  ')}\n${files}`);
          }
        }
        expect(failures.join('\n\n')).toBe('');
      }, 600_000);
    }
  });
}
