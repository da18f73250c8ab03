// A module's store of kept entries (a text or a list made once and found again, emptied whole
// past its bound) lives as long as the module. In the shared set (vitest.config.ts: one worker
// whose modules outlive each file) a store holds what the files before added, so a count read
// from it is not the file's own. The tests of the stores' counts read them through these two
// functions: test/architecture/process-state.ts lets a `kept*Count` function into the shared set
// only as a value of the counts given to keptCounts.

/** Counts by a name of the test's choosing (`{ texts: keptOriginTagCount }`). */
export type KeptCounts = Record<string, () => number>;

/**
 * `counts` as given. A test reads them as bounds and as differences around its own work, which
 * hold whatever the store held before, or as exact figures after emptyKeptStore.
 */
export function keptCounts<T extends KeptCounts>(counts: T): T {
  return counts;
}

/** Numbers for fresh entries, never the same twice in a process (a later file's entries are new too). */
let freshNumber = 0;

/**
 * Empties the store `count` counts: fresh entries are added one at a time (`addFresh(n)` keeps
 * an entry made from `n`, which no other caller uses) until the count drops, which the stores
 * do when full, before keeping the entry being added. From there the store holds that one
 * entry, as a fresh process's holds one after its first, and what a file counts after it is
 * its own, whatever ran before it. `bound` is the store's.
 */
export function emptyKeptStore(count: () => number, addFresh: (n: number) => void, bound = 65_536): void {
  // Each fresh entry adds one, so the store is full after at most `bound` of them; an entry
  // some file kept already adds nothing, and as many again are allowed for those.
  for (let tries = 0; tries <= 2 * bound; tries++) {
    const before = count();
    addFresh(freshNumber++);
    const after = count();
    if (after < before) {
      if (after !== 1) throw new Error(`emptied to ${after} entries, not the one being added`);
      return;
    }
  }
  throw new Error(`not emptied after ${2 * bound} fresh entries (the bound is ${bound})`);
}
