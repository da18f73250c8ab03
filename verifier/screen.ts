// The screen: an assertion's questions asked first in a context shared with the rest of its batch
// (SolverPool.solveScoped), each in a scope of its own. Z3 answers a small question there several
// times faster than in a fresh context, but a model found there depends on the questions asked
// before it, so only "unsat" is taken: an assertion whose every question is cleanly unsatisfiable
// is proven. Every other assertion (refuted, undecided within the screen's shorter time limit, or
// not answered cleanly) is asked as before, each question in a fresh context, which gives the same
// answers and counterexamples whatever else is asked.

import type { ScopedResult, SolverPool } from './solver-pool.js';

/** The screen's time limit per question: one it cannot settle within this is asked afresh with the full limit. */
export const SCREEN_TIMEOUT_MS = 1000;

/** A question (declarations, definitions, assertions) in a scope of its own; it answers sat, unsat or unknown, and nothing else. */
export function screenScript(question: string, timeoutMs: number): string {
  return `(push)\n(set-option :timeout ${Math.min(timeoutMs, SCREEN_TIMEOUT_MS)})\n${question}\n(check-sat)\n(echo "@end")\n(pop)\n`;
}

/** The whole output of a scope whose question is unsatisfiable. */
const UNSAT = 'unsat\n@end\n';

/** What the screen found for one assertion: proven or not, and its questions' time in Z3 there. */
export interface Screened {
  proven: boolean;
  millis: number;
}

/**
 * Per group of questions (an assertion's, one per address family), whether the answer proves it:
 * every question's own output exactly "unsat". An answer with another number of outputs than
 * questions proves nothing.
 */
export function screenVerdicts(answer: ScopedResult, groups: readonly (readonly unknown[])[]): Screened[] {
  const total = groups.reduce((n, g) => n + g.length, 0);
  const clean = answer.ok && answer.outputs.length === total && answer.queryMillis.length === total;
  let at = 0;
  return groups.map((g) => {
    const from = at;
    at += g.length;
    if (!clean) return { proven: false, millis: answer.ok ? 0 : (answer.millis * g.length) / Math.max(1, total) };
    let millis = 0;
    let proven = true;
    for (let i = from; i < at; i++) {
      millis += answer.queryMillis[i]!;
      if (answer.outputs[i] !== UNSAT) proven = false;
    }
    return { proven, millis };
  });
}

/**
 * Screens a batch: each group is an assertion's questions. One call into the pool for the whole
 * batch. Its watchdog deadline is the fresh call's (the full time limit per question and a
 * margin), not the screen's shorter limit: Z3 bounds each question itself, the watchdog is for a
 * hung worker, and a worker's first questions take seconds more while the engine compiles Z3's
 * code (a worker stopped for that would be restarted, and `stats.restarts` would change).
 */
export async function screen(pool: SolverPool, groups: readonly (readonly string[])[], timeoutMs: number): Promise<Screened[]> {
  const scripts = groups.flatMap((g) => g.map((q) => screenScript(q, timeoutMs)));
  const answer = await pool.solveScoped(scripts, timeoutMs * scripts.length + 10_000);
  return screenVerdicts(answer, groups);
}
