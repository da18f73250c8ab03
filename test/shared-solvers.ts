// One pool of Z3 workers for the in-process commands of a test file (`run(['verify', ...])`,
// `compile -o`'s translation validation, `report`): each command would otherwise start and
// close Z3 workers of its own, a second or more of CPU each. Every query starts from a clean
// solver, so the verdicts are the ones a pool of the command's own gives (test/verifier/
// solver-scope.test.ts holds the scope to that).

import { afterAll, beforeAll } from 'vitest';
import { SolverPool } from '../verifier/solver-pool.js';
import { withSolverPool } from '../verifier/solver-scope.js';

/**
 * Starts a pool of `size` workers before the file's tests and closes it after them; returns the
 * pool (through a function: it exists once beforeAll has run), for callers that pass it as
 * `pool` themselves.
 */
export function sharedPool(size = 1): () => SolverPool {
  let pool: SolverPool | undefined;
  beforeAll(async () => {
    pool = new SolverPool(size);
    await pool.start();
  }, 120_000);
  afterAll(async () => {
    await pool?.close();
  });
  return () => {
    if (!pool) throw new Error('sharedPool: the pool starts in beforeAll, before any test');
    return pool;
  };
}

/**
 * Starts a pool of `size` workers before the file's tests and closes it after them; returns a
 * function that runs its argument with that pool as the solver of every proof inside it.
 */
export function sharedSolvers(size = 2): <T>(body: () => Promise<T>) => Promise<T> {
  const pool = sharedPool(size);
  return <T>(body: () => Promise<T>): Promise<T> => withSolverPool(pool(), body);
}
