// A rule's firewalls are the union of the sets its walks found (relevance.ts): SetUnion answers
// with the one set itself while only one has members and makes a union at a second. On seeded
// walks its answer must hold what a set filled from each walk's set in turn held, in the same
// order, and never change the numbered sets.

import { describe, expect, it } from 'vitest';
import { SetUnion } from '../../compiler/relevance.js';
import { prng } from '../verifier/random-networks.js';

const NONE: ReadonlySet<string> = new Set();

describe('the union of the walks’ firewall sets', () => {
  it('is the set filled in walk order, and the one set itself when only one has members', () => {
    const r = prng(11);
    const names = ['f1', 'f2', 'f3', 'f4', 'f5'];
    for (let run = 0; run < 300; run++) {
      const sets: ReadonlySet<string>[] = [NONE, NONE];
      for (let k = 0; k < 5; k++) sets.push(new Set(names.filter(() => r() < 0.5).concat(names[k]!).reverse()));
      const before = sets.map((s) => [...s]);
      const ids = Array.from({ length: Math.floor(r() * 6) }, () => Math.floor(r() * sets.length));
      const union = new SetUnion(sets);
      const filled = new Set<string>();
      for (const id of ids) {
        union.add(id);
        for (const f of sets[id]!) filled.add(f);
      }
      const result = union.result();
      expect([...result], `run ${run}`).toEqual([...filled]);
      const members = new Set(ids.filter((id) => id > 1));
      if (members.size === 1) expect(result).toBe(sets[[...members][0]!]);
      expect(sets.map((s) => [...s])).toEqual(before);
    }
  });
});
