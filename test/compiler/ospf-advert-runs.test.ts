// advertClasses (routing-ospf.ts) puts a prefix advertised as the prefix before it straight into
// that prefix's class, without hashing its advertisements: a router's redistributed prefixes come
// in a row, each advertised by the same routers. On seeded runs (routers advertising the same
// long lists, a prefix now and then advertised by one router more or less, or at another cost,
// or in another order) the classes must be those of the grouping by a map of advertisement
// objects, as in ospf-advert-classes.test.ts.

import { describe, expect, it } from 'vitest';
import { advertClasses, Adverts } from '../../compiler/routing-ospf.js';
import { prng } from '../verifier/random-networks.js';
import { classesBefore, type Advert } from './ospf-advert-reference.js';

function runs(seed: number): Advert[] {
  const r = prng(seed);
  const out: Advert[] = [];
  const prefixes = 20 + Math.floor(r() * 40);
  const routers = 2 + Math.floor(r() * 5);
  for (let router = 0; router < routers; router++) {
    for (let p = 0; p < prefixes; p++) {
      const x = r();
      if (x < 0.05) continue; // a prefix this router does not advertise
      out.push({ prefix: p, router, cost: x < 0.1 ? 30 : 20 });
      if (x > 0.97) out.push({ prefix: prefixes + p, router, cost: 20 }); // one of its own
    }
  }
  // Now and then a prefix's advertisements in another order: a class of its own.
  if (r() < 0.5) out.push({ prefix: 0, router: 0, cost: 20 });
  return out;
}

describe('OSPF advertisement classes of prefixes advertised in a row', () => {
  it('are the classes of the grouping by a map on 200 seeded runs', () => {
    let joined = 0;
    for (let seed = 1; seed <= 200; seed++) {
      const list = runs(seed);
      const ads = new Adverts(8);
      for (const a of list) ads.push(a.prefix, a.router, a.cost);
      const after = advertClasses(ads, 200).map((c) => ({ routers: [...c.routers], costs: [...c.costs], prefixes: c.prefixes }));
      const before = classesBefore(list);
      expect(after, `seed ${seed}`).toEqual(before);
      joined += before.reduce((s, c) => s + c.prefixes.length - 1, 0);
    }
    // Most prefixes join a class met before (mostly the one of the prefix before them).
    expect(joined).toBeGreaterThan(2000);
  });
});
