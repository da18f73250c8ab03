// converge() reads static routes by prefix number with one candidate shared by the prefixes
// routed over one next hop alone (a new candidate when a second equal hop joins), and OSPF by
// router index (distances and first hops of each SPF in arrays, redistributed prefixes taken
// once by number). On seeded networks (ECMP links, repeated and host-bit prefixes, discard,
// unresolvable and interface-only routes, distances, redistribution and default origination)
// its tables must be those of the computation before (converge-before.ts, kept as it was).

import { describe, expect, it } from 'vitest';
import type { DeviceModel, InterfaceModel, StaticRouteModel } from '../../compiler/model.js';
import { converge } from '../../compiler/routing.js';
import { convergeBefore } from './converge-before.js';
import { iface, ospf, router, span } from './read-back-devices.js';
import { prng as random } from '../verifier/random-networks.js';

const POOL = ['172.16.0.0/24', '172.16.1.0/24', '172.16.1.9/24', '172.16.2.0/23', '172.16.0.0/16', '0.0.0.0/0', '10.11.0.0/24', '2001:db8:5::/64'];

function network(seed: number): DeviceModel[] {
  const r = random(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const n = 3 + Math.floor(r() * 5);
  const ifs: InterfaceModel[][] = Array.from({ length: n }, () => []);
  const ospfIfs: [string, number, boolean][][] = Array.from({ length: n }, () => []);
  const peers: { address: string; via: string }[][] = Array.from({ length: n }, () => []);
  const link = (a: number, b: number, j: number) => {
    const cost = pick([1, 1, 2, 3]);
    const withOspf = r() < 0.85;
    for (const [x, y, host] of [[a, b, 0], [b, a, 1]] as const) {
      const name = `eth${ifs[x]!.length + 1}`;
      ifs[x]!.push(iface(name, 'link', `10.0.${j}.${host}/31`));
      if (withOspf) ospfIfs[x]!.push([name, cost, false]);
      peers[y]!.push({ address: `10.0.${j}.${host}`, via: '' });
    }
  };
  let j = 0;
  for (let i = 1; i < n; i++) link(i - 1, i, j++);
  for (let k = 0; k < n; k++) {
    const a = Math.floor(r() * n);
    const b = Math.floor(r() * n);
    if (a !== b) link(a, b, j++);
  }
  return ifs.map((list, i) => {
    for (let s = 0; s < 1 + Math.floor(r() * 2); s++) {
      const name = `eth${list.length + 1}`;
      const address = r() < 0.2 ? `10.11.0.${i + 1}/24` : `10.${20 + i}.${s}.1/24`;
      list.push(iface(name, 'segment', address));
      if (r() < 0.8) ospfIfs[i]!.push([name, pick([1, 2]), true]);
    }
    const hops = [...peers[i]!.map((p) => p.address), '192.0.2.9'];
    const routes: StaticRouteModel[] = [];
    for (let k = Math.floor(r() * 14); k > 0; k--) {
      const prefix = pick(POOL);
      const kind = r();
      const distance = r() < 0.25 ? pick([1, 5, 200]) : undefined;
      const d = distance === undefined ? {} : { distance };
      if (kind < 0.1) routes.push({ prefix, discard: true, origin: span, ...d });
      else if (kind < 0.2) routes.push({ prefix, interface: list[0]!.name, origin: span, ...d });
      else routes.push({ prefix, nextHop: pick(hops.slice(0, 3)), origin: span, ...d });
    }
    const redistribute = r() < 0.6 ? [{ protocol: 'static' as const, prefixes: POOL.filter(() => r() < 0.6) }] : [];
    const withOspf = r() < 0.9;
    return router(`s.r${i}`, list, {
      staticRoutes: routes,
      ...(withOspf ? { ospf: ospf(`1.1.1.${i + 1}`, ospfIfs[i]!, { redistribute, defaultOriginate: { ipv4: r() < 0.4, ipv6: false } }) } : {}),
    });
  });
}

describe('converge against the computation before', () => {
  it('gives the same tables on 300 seeded networks', () => {
    let ospfRoutes = 0;
    let ecmpStatic = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const devices = network(seed);
      const after = converge(devices, { externals: [] });
      expect(after.map((d) => d.fib), `seed ${seed}`).toEqual(convergeBefore(devices, { externals: [] }).map((d) => d.fib));
      for (const d of after) {
        ospfRoutes += d.fib.filter((x) => x.protocol === 'ospf').length;
        ecmpStatic += d.fib.filter((x) => x.protocol === 'static' && x.nextHops.length > 1).length;
      }
    }
    // The networks exercise what changed: OSPF routes, and static ECMP grown from a shared candidate.
    expect(ospfRoutes).toBeGreaterThan(1000);
    expect(ecmpStatic).toBeGreaterThan(20);
  });
});
