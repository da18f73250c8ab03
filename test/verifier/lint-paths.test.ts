// The lint's path check (V801) walks the forwarding paths without building the tree
// (forwarding.ts, someExit): on seeded random networks, with loops, ECMP and black holes, it
// answers as the tree's exit leaves do, for every segment's entry and every destination segment.
// The longest-match tables are the same whatever the order of the FIB they are built from.

import { describe, expect, it } from 'vitest';
import { finalDst, forwardingTree, someExit } from '../../verifier/forwarding.js';
import { intersect, isEmpty, type IntervalSet } from '../../verifier/intervals.js';
import { indexModel } from '../../verifier/netindex.js';
import { prng, randomNetwork } from './random-networks.js';

describe('the path walk of V801', () => {
  it('finds a delivering exit exactly when the forwarding tree has one', () => {
    const seen = { delivered: 0, not: 0 };
    for (let seed = 1; seed <= 300; seed++) {
      const { model, segments } = randomNetwork(seed);
      const idx = indexModel(model);
      for (const source of segments) {
        for (const destination of segments) {
          if (source === destination) continue;
          const dst = idx.addresses(destination, 4);
          const at = idx.entries(destination);
          const delivers = (device: string, iface: string, set: IntervalSet): boolean =>
            at.some((i) => i.device === device && i.interface === iface) && !isEmpty(intersect(set, dst));
          for (const entry of idx.entries(source)) {
            const tree = forwardingTree(idx, 4, entry, dst).leaves.some((l) => l.end.kind === 'exit' && delivers(l.end.device, l.end.interface, finalDst(l)));
            expect(someExit(idx, 4, entry, dst, delivers), `seed ${seed}: ${source} -> ${destination}`).toBe(tree);
            seen[tree ? 'delivered' : 'not']++;
          }
        }
      }
    }
    // Both answers occur: the comparison can fail either way.
    expect(seen.delivered).toBeGreaterThan(100);
    expect(seen.not).toBeGreaterThan(10);
  });

  it('builds the same longest-match table from a FIB in any order', () => {
    for (let seed = 1; seed <= 50; seed++) {
      const { model } = randomNetwork(seed);
      const sorted = indexModel(model);
      const rnd = prng(seed);
      const shuffled = {
        ...model,
        devices: model.devices.map((d) => ({ ...d, fib: [...d.fib].map((r) => [rnd(), r] as const).sort((a, b) => a[0] - b[0]).map(([, r]) => r) })),
      };
      const other = indexModel(shuffled);
      for (const d of model.devices) {
        const strip = (t: ReturnType<typeof sorted.lpm>): unknown[] => t.map((p) => [p.lo, p.hi, p.route?.prefix, p.route?.nextHops]);
        expect(strip(other.lpm(d.id, 4)), `seed ${seed}: ${d.id}`).toEqual(strip(sorted.lpm(d.id, 4)));
        for (const p of sorted.lpm(d.id, 4)) expect(sorted.lpmFind(d.id, 4, p.lo)).toBe(sorted.lpm(d.id, 4).indexOf(p));
      }
    }
  });
});
