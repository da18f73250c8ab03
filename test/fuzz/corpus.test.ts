// The pipeline fuzz job's own checks, in the main suite: the corpus is deterministic and
// reaches every stage, and a handful of its cases pass through `runCase` (the job itself runs
// thousands: `npm run fuzz`, vitest.fuzz.config.ts). And the judge can fail: a planted problem
// (a command that exits 2) is reported. The cases' commands share one Z3 worker, as in the job
// (test/fuzz/suite.ts), instead of starting and closing workers of their own in each.

import { describe, expect, it } from 'vitest';
import { sharedSolvers } from '../shared-solvers.js';
import { HOSTILE_REFUSED, hostileCase, mutantCase } from './corpus.js';
import { runCase } from './pipeline.js';

describe('the pipeline fuzz corpus', () => {
  const solvers = sharedSolvers(1);

  it('is the same for the same seed and index, and differs across them', () => {
    expect(mutantCase(1, 5)).toEqual(mutantCase(1, 5));
    expect(hostileCase(1, 5)).toEqual(hostileCase(1, 5));
    expect(mutantCase(1, 5).files[0]!.text).not.toBe(mutantCase(1, 6).files[0]!.text);
    expect(mutantCase(2, 5).files[0]!.text).not.toBe(mutantCase(1, 5).files[0]!.text);
  });

  it('hostile cases carry hostile text: refused pieces only at odd indexes', () => {
    // Line breaks and quotes are in every intent; the other refused pieces only in hostile strings.
    const refused = (text: string): boolean => HOSTILE_REFUSED.some((p) => !['"', '\n'].includes(p) && text.includes(p));
    const even = Array.from({ length: 40 }, (_, i) => hostileCase(3, 2 * i));
    const odd = Array.from({ length: 40 }, (_, i) => hostileCase(3, 2 * i + 1));
    expect(even.some((c) => refused(c.files[0]!.text))).toBe(false);
    expect(odd.some((c) => refused(c.files[0]!.text))).toBe(true);
    expect([...even, ...odd].some((c) => /[\n"';]/.test(c.files[0]!.name))).toBe(true);
  });

  it('runs a few cases through check, compile -o and verify with no problem', async () => {
    const reached = new Set<string>();
    for (const c of [mutantCase(20261203, 1), hostileCase(20261203, 2)]) {
      const outcome = await solvers(() => runCase(c, { drift: true }));
      expect(outcome.problems, c.label).toEqual([]);
      reached.add(outcome.reached);
    }
    expect(reached.has('verify')).toBe(true);
  }, 120_000);

  it('reports a command that cannot read its input', async () => {
    const outcome = await solvers(() => runCase({ label: 'planted', files: [{ name: 'bad.plumb', text: 'site a {\u0000}' }] }, { drift: false }));
    expect(outcome.problems.join('\n')).toMatch(/exited 2/);
  });
});
