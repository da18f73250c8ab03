// OSPF's advertisements are held in three typed arrays (Adverts, doubled when full) and grouped
// into classes by a counting sort on their prefix numbers (routing-ospf.ts). On seeded lists the
// classes must be those the grouping by a map of advertisement objects gave before: the same
// classes in the order of their first prefixes' first advertisements, each with its prefixes in
// that order and its routers and costs in the order given.

import { describe, expect, it } from 'vitest';
import { advertClasses, Adverts } from '../../compiler/routing-ospf.js';
import { prng } from '../verifier/random-networks.js';
import { classesBefore, type Advert } from './ospf-advert-reference.js';

function seeded(seed: number): Advert[] {
  const r = prng(seed);
  const out: Advert[] = [];
  const count = Math.floor(r() * 200);
  for (let k = 0; k < count; k++) {
    // Few prefixes, routers and costs, so that classes repeat; a cost now and then of 2^32 more
    // (the same hash) or a fraction.
    const cost = [1, 1, 20, 20, 1 + 2 ** 32, 1.5][Math.floor(r() * 6)]!;
    out.push({ prefix: Math.floor(r() * 12), router: Math.floor(r() * 4), cost });
  }
  return out;
}

describe('OSPF advertisement classes by a counting sort', () => {
  it('are the classes of the grouping before on seeded lists', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const list = seeded(seed);
      // Room for one: every list past it makes the arrays grow.
      const ads = new Adverts(1);
      for (const a of list) ads.push(a.prefix, a.router, a.cost);
      expect(ads.length).toBe(list.length);
      const after = advertClasses(ads, 12).map((c) => ({ routers: [...c.routers], costs: [...c.costs], prefixes: c.prefixes }));
      expect(after, `seed ${seed}`).toEqual(classesBefore(list));
    }
  });

  it('keeps every advertisement through growth', () => {
    const ads = new Adverts(0);
    for (let k = 0; k < 1000; k++) ads.push(k % 7, k % 5, k / 4);
    expect(ads.length).toBe(1000);
    expect([...ads.prefix.subarray(0, 1000)]).toEqual(Array.from({ length: 1000 }, (_, k) => k % 7));
    expect([...ads.router.subarray(0, 1000)]).toEqual(Array.from({ length: 1000 }, (_, k) => k % 5));
    expect([...ads.cost.subarray(0, 1000)]).toEqual(Array.from({ length: 1000 }, (_, k) => k / 4));
  });
});
