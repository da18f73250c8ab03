// test/kept-store.ts empties a module's store before a test counts its entries (the shared set
// keeps a store's entries from one file to the next): held here to a store like the modules'
// (emptied whole when full, then keeping the entry being added), left part full before.

import { describe, expect, it } from 'vitest';
import { emptyKeptStore, keptCounts } from './kept-store.js';

/** A store of `bound` entries that empties itself when full, as the modules' stores do. */
function boundedStore(bound: number): { count: () => number; add: (key: string) => void } {
  const kept = new Set<string>();
  return {
    count: () => kept.size,
    add: (key) => {
      if (kept.has(key)) return;
      if (kept.size >= bound) kept.clear();
      kept.add(key);
    },
  };
}

describe('emptyKeptStore', () => {
  it('leaves a part-full store holding the one entry that emptied it', () => {
    for (const before of [0, 1, 7, 9, 10]) {
      const store = boundedStore(10);
      for (let i = 0; i < before; i++) store.add(`before ${i}`);
      emptyKeptStore(store.count, (n) => store.add(`fresh ${n}`), 10);
      expect(store.count()).toBe(1);
      // from here the counts are as in a store of the test's own
      for (let i = 0; i < 12; i++) store.add(`after ${i}`);
      expect(store.count()).toBe(3);
    }
  });

  it('passes over entries kept already, and gives up on a store that never empties', () => {
    const store = boundedStore(10);
    let calls = 0;
    // every other fresh entry is one the store holds already
    emptyKeptStore(store.count, (n) => {
      calls++;
      store.add(n % 2 === 0 ? 'the same' : `fresh ${n}`);
    }, 10);
    expect(store.count()).toBe(1);
    expect(calls).toBeGreaterThan(10);
    expect(() => emptyKeptStore(() => 5, () => {}, 10)).toThrow(/not emptied after 20 fresh entries/);
  });

  it('gives the counts as they are', () => {
    const count = (): number => 3;
    expect(keptCounts({ things: count }).things).toBe(count);
  });
});
