// Topology.spfArrays is spf by node number (the ids in string order) with arrays for maps: the
// compiler's OSPF convergence and route plan read it. On seeded topologies (ids out of string
// order, parallel links, equal costs on many paths, zero costs, links used one way only,
// devices left alone, IPv6 link-locals) every source's tree must be spf's: the same devices
// reached, at the same distances, with the same first hops in the same order.

import { describe, expect, it } from 'vitest';
import type { DeviceModel, InterfaceModel } from '../../compiler/model.js';
import { Topology } from '../../compiler/topology.js';
import { iface, router } from './read-back-devices.js';
import { prng as random } from '../verifier/random-networks.js';

interface Net {
  devices: DeviceModel[];
  /** The cost of each interface ("id|name"); absent: the interface takes no part. */
  costs: Map<string, number>;
}

function network(seed: number): Net {
  const r = random(seed);
  const n = 2 + Math.floor(r() * 9);
  // Ids whose string order is not the order they are listed in (s10 before s2, b before a).
  const ids = Array.from({ length: n }, (_, i) => `s${Math.floor(r() * 20)}.${'zyxabc'[i % 6]}${i}`);
  const ifs: InterfaceModel[][] = ids.map(() => []);
  const costs = new Map<string, number>();
  let j = 0;
  const link = (a: number, b: number) => {
    const v6 = r() < 0.3;
    const cost = [0, 1, 1, 1, 2, 3][Math.floor(r() * 6)]!;
    const names = [`eth${ifs[a]!.length + 1}`, `eth${ifs[b]!.length + 1}`];
    for (const [x, y, host] of [[a, b, 0], [b, a, 1]] as const) {
      const name = names[host]!;
      const i = iface(name, 'link', `10.0.${j}.${host}/31`);
      if (v6) {
        i.linkLocal = `fe80::${host + 1}`;
        i.peer = { device: ids[y]!, interface: names[1 - host]! };
      }
      ifs[x]!.push(i);
      // Now and then one end takes no part, or costs more than the other.
      if (r() < 0.92) costs.set(`${ids[x]}|${name}`, r() < 0.8 ? cost : cost + 1);
    }
    j++;
  };
  for (let i = 1; i < n; i++) if (r() < 0.9) link(Math.floor(r() * i), i);
  for (let k = Math.floor(r() * n * 2); k > 0; k--) {
    const a = Math.floor(r() * n);
    const b = Math.floor(r() * n);
    if (a !== b) link(a, b);
  }
  return { devices: ids.map((id, i) => router(id, ifs[i]!)), costs };
}

describe('Topology.spfArrays is spf by node number', () => {
  it('numbers the devices in string order, each id once', () => {
    const { devices, costs } = network(7);
    const topo = new Topology(devices, 4, (d, i) => costs.get(`${d.id}|${i.name}`));
    expect(topo.nodes).toEqual([...new Set(devices.map((d) => d.id))].sort());
    topo.nodes.forEach((id, k) => expect(topo.nodeNumber(id)).toBe(k));
    expect(topo.nodeNumber('nowhere.x')).toBeUndefined();
  });

  it('finds every tree spf finds, on 300 seeded topologies of both families', () => {
    let multi = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const { devices, costs } = network(seed);
      for (const family of [4, 6] as const) {
        const topo = new Topology(devices, family, (d, i) => costs.get(`${d.id}|${i.name}`));
        for (const d of devices) {
          const before = topo.spf(d.id);
          const after = topo.spfArrays(topo.nodeNumber(d.id)!);
          const reached = topo.nodes.filter((_, k) => after.reached[k] === 1);
          expect(reached, `seed ${seed} IPv${family} from ${d.id}`).toEqual([...before.dist.keys()].sort());
          topo.nodes.forEach((id, k) => {
            if (after.reached[k] === 0) return;
            expect(after.dist[k]).toBe(before.dist.get(id));
            expect(after.first[k]).toEqual(before.first.get(id));
            if ((after.first[k]?.length ?? 0) > 1) multi++;
          });
        }
      }
    }
    // The seeds reach devices over several equal-cost first hops, where order matters.
    expect(multi).toBeGreaterThan(100);
  });
});
