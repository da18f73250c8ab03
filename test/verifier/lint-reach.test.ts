// V801's answers shared between rules (verifier/lint-reach.ts) against the walk they stand in for
// (someExit): on seeded random networks, some with routes rewired to any neighbour (loops, black
// holes) and more specific routes that split a segment's prefix, every answer they give for an
// entry and one or two destination segments is the walk's, and they leave to the walk exactly
// what they cannot settle (loops, split prefixes).

import { describe, expect, it } from 'vitest';
import type { NetworkModel } from '../../compiler/model.js';
import { someExit } from '../../verifier/forwarding.js';
import { intersect, isEmpty, union, type IntervalSet } from '../../verifier/intervals.js';
import { DeliveryPaths } from '../../verifier/lint-reach.js';
import { indexModel } from '../../verifier/netindex.js';
import { prng, randomNetwork } from './random-networks.js';
import { rewireRoutes } from './rewired-routes.js';

/** Rewires a few routes to a random interface of their device, splits a few /24s with a /25, and removes a few routes. */
function scramble(model: NetworkModel, seed: number): void {
  rewireRoutes(model, prng(seed * 7919), { rewire: 0.2, widen: 0.3, split: 0.4, drop: 0.5 });
}

describe('the shared path answers of V801', () => {
  it('answer as the walk does wherever they answer', () => {
    const seen = { delivered: 0, not: 0, walked: 0 };
    for (let seed = 1; seed <= 300; seed++) {
      const { model, segments } = randomNetwork(seed);
      if (seed % 2 === 0) scramble(model, seed);
      const idx = indexModel(model);
      const paths = new DeliveryPaths(idx);
      const groups = [...segments.map((s) => [s]), ...segments.flatMap((a, k) => segments.slice(k + 1).map((b) => [a, b]))];
      for (const source of segments) {
        for (const destinations of groups) {
          if (destinations.includes(source)) continue;
          const dst = destinations.reduce<IntervalSet>((acc, d) => union(acc, idx.addresses(d, 4)), []);
          const accept = (device: string, iface: string, set: IntervalSet): boolean =>
            destinations.some((d) => idx.entries(d).some((i) => i.device === device && i.interface === iface) && !isEmpty(intersect(set, idx.addresses(d, 4))));
          for (const entry of idx.entries(source)) {
            const shared = paths.delivers(entry, 4, destinations);
            const walked = someExit(idx, 4, entry, dst, accept);
            if (shared === undefined) seen.walked++;
            else {
              expect(shared, `seed ${seed}: ${source} -> ${destinations.join(', ')}`).toBe(walked);
              seen[shared ? 'delivered' : 'not']++;
            }
          }
        }
      }
    }
    // Every kind of answer occurs: the comparison can fail either way, and loops and split prefixes are left to the walk.
    expect(seen.delivered).toBeGreaterThan(1000);
    expect(seen.not).toBeGreaterThan(100);
    expect(seen.walked).toBeGreaterThan(100);
  });

  it('leave a destination that is a device to the walk', () => {
    const { model } = randomNetwork(3);
    const idx = indexModel(model);
    const paths = new DeliveryPaths(idx);
    expect(paths.delivers({ device: model.devices[0]!.id, interface: '' }, 4, [model.devices[1]!.id])).toBeUndefined();
  });
});
