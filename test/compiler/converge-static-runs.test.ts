// addStatic (routing.ts) gives a static route the resolved hop of the route before it when both
// name the same interface and next hop, without looking it up: a router's routes come in runs
// over one neighbour. On seeded routers whose routes come in runs and change one of the two at a
// time (the same address over another interface, an interface alone, an address no subnet
// holds, a link-local one, discards in between), the tables must be those of the computation
// before (converge-before.ts).

import { describe, expect, it } from 'vitest';
import type { StaticRouteModel } from '../../compiler/model.js';
import { converge } from '../../compiler/routing.js';
import { convergeBefore } from './converge-before.js';
import { iface, router, span } from './read-back-devices.js';
import { prng } from '../verifier/random-networks.js';

// Next hops as (interface, address): the same address over each interface, or none given.
const HOPS: readonly { interface?: string; nextHop?: string }[] = [
  { nextHop: '10.0.0.1' },
  { nextHop: '10.0.0.1', interface: 'eth1' },
  { nextHop: '10.0.0.1', interface: 'eth2' },
  { nextHop: '10.0.0.3' },
  { nextHop: '10.0.0.3', interface: 'eth2' },
  { interface: 'eth1' },
  { interface: 'eth2' },
  { nextHop: '192.0.2.9' },
  { nextHop: 'fe80::1', interface: 'eth1' },
  { nextHop: 'fe80::1', interface: 'eth2' },
];

function routes(seed: number): StaticRouteModel[] {
  const r = prng(seed);
  const out: StaticRouteModel[] = [];
  let hop = HOPS[0]!;
  for (let k = 0; k < 60; k++) {
    // Mostly the hop before; now and then another, a discard or another distance.
    if (r() < 0.3) hop = HOPS[Math.floor(r() * HOPS.length)]!;
    const prefix = `172.16.${Math.floor(r() * 24)}.0/24`;
    if (r() < 0.08) out.push({ prefix, discard: true, origin: span });
    else out.push({ prefix, ...hop, ...(r() < 0.1 ? { distance: 5 } : {}), origin: span });
  }
  return out;
}

describe('static routes in runs over one hop', () => {
  it('converge to the tables of the computation before on 120 seeded routers', () => {
    let runs = 0;
    for (let seed = 1; seed <= 120; seed++) {
      const staticRoutes = routes(seed);
      const device = router('s.r', [iface('eth1', 'link', '10.0.0.0/31', '2001:db8::/127'), iface('eth2', 'link', '10.0.0.2/31')], { staticRoutes });
      const after = converge([device], { externals: [] });
      expect(after.map((d) => d.fib), `seed ${seed}`).toEqual(convergeBefore([device], { externals: [] }).map((d) => d.fib));
      for (let k = 1; k < staticRoutes.length; k++) {
        const [a, b] = [staticRoutes[k - 1]!, staticRoutes[k]!];
        if (!a.discard && !b.discard && a.interface === b.interface && a.nextHop === b.nextHop) runs++;
      }
    }
    // The routers exercise what changed: most routes follow one over the same hop.
    expect(runs).toBeGreaterThan(3000);
  });
});
