// A solver pool that stays warm for a whole scope of work: every verification and equivalence
// check started inside `withSolverPool(pool, body)` (however deep, across awaits) uses `pool`
// instead of starting Z3 workers of its own. A process that runs many commands in a row (the
// pipeline fuzz job, a library user proving many intents) pays Z3's start-up once; the CLI,
// which runs one command per process, never opens a scope.

import { AsyncLocalStorage } from 'node:async_hooks';
import type { SolverPool } from './solver-pool.js';

const scope = new AsyncLocalStorage<SolverPool>();

/** Runs `body` with `pool` (started by the caller, closed by the caller) as the solver of every proof inside it. */
export function withSolverPool<T>(pool: SolverPool, body: () => Promise<T>): Promise<T> {
  return scope.run(pool, body);
}

/** The pool of the enclosing `withSolverPool`, if any. */
export function scopedSolverPool(): SolverPool | undefined {
  return scope.getStore();
}
