import { describe, expect, it } from 'vitest';
import { scopedSolverPool } from '../verifier/solver-scope.js';
import { sharedSolvers } from './shared-solvers.js';

const inPool = sharedSolvers();

describe('sharedSolvers', () => {
  it('gives every command run through it the same started pool of two workers, and none outside it', async () => {
    const first = await inPool(async () => scopedSolverPool());
    const second = await inPool(async () => {
      await new Promise((r) => setImmediate(r));
      return scopedSolverPool();
    });
    expect(first).toBeDefined();
    expect(first!.size).toBe(2);
    expect(first!.startupMillis).toBeGreaterThan(0);
    expect(first!.isClosed).toBe(false);
    expect(second).toBe(first);
    expect(scopedSolverPool()).toBeUndefined();
  });
});
