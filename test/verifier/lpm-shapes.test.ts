// Longest-match tables built from shapes that devices share (netindex.ts): devices whose FIBs
// hold the same prefixes in the same order share one table of piece bounds, and each device puts
// its own routes in. Each device's table must be the one it gets built alone, and uRPF's
// sources, read from one pass per device, those of the rule (docs/architecture.md, "One hop").

import { describe, expect, it } from 'vitest';
import type { NetworkModel, RouteModel } from '../../compiler/model.js';
import { normalize, type Interval, type IntervalSet } from '../../verifier/intervals.js';
import { LpmTables, piecesOf } from '../../verifier/lpm.js';
import { indexModel, type NetIndex } from '../../verifier/netindex.js';
import { prng, randomNetwork } from './random-networks.js';

/** The network with every device's routes to other next hops: the same prefixes, other routes. */
function rerouted(model: NetworkModel, seed: number): NetworkModel {
  const rnd = prng(seed);
  return {
    ...model,
    devices: model.devices.map((d) => {
      const names = d.interfaces.map((i) => i.name);
      return { ...d, fib: d.fib.map((r) => ({ ...r, nextHops: r.nextHops.map((h) => ({ ...h, interface: names[Math.floor(rnd() * names.length)]! })) })) };
    }),
  };
}

/** uRPF's sources as the rule says: strict, by the interface (any next hop); loose, any route with a next hop. */
function urpfByRule(idx: NetIndex, device: string, iface: string, mode: 'strict' | 'loose'): IntervalSet {
  const items: Interval[] = [];
  for (const piece of idx.lpm(device, 4)) {
    if (piece.route && piece.route.nextHops.some((h) => mode === 'loose' || h.interface === iface)) items.push([piece.lo, piece.hi]);
  }
  return normalize(items);
}

describe('longest-match tables from shared shapes', () => {
  it('gives each device the table it gets alone, and uRPF the sources of the rule', () => {
    let shared = 0;
    for (let seed = 1; seed <= 60; seed++) {
      const base = randomNetwork(seed).model;
      // Every device with the first device's prefixes in its order, by its own next hops: one shape for all.
      const first = base.devices[0]!;
      const same: NetworkModel = { ...base, devices: base.devices.map((d) => ({ ...d, fib: first.fib.map((r) => ({ ...r, nextHops: [...r.nextHops] })) })) };
      for (const model of [base, rerouted(base, seed), rerouted(same, seed)]) {
        const idx = indexModel(model);
        const seen = new Set<string>();
        for (const d of model.devices) {
          const key = d.fib.map((r) => r.prefix).join(',');
          if (seen.has(key)) shared++;
          seen.add(key);
          const alone = indexModel({ ...model, devices: [d] });
          const table = idx.lpm(d.id, 4);
          expect(table, `seed ${seed}: ${d.id}`).toEqual(alone.lpm(d.id, 4));
          // The routes are the device's own objects, not another device's of the same prefix.
          table.forEach((p, k) => expect(p.route).toBe(alone.lpm(d.id, 4)[k]!.route));
          for (const p of table) expect(idx.lpmFind(d.id, 4, p.hi)).toBe(table.indexOf(p));
          for (const i of d.interfaces) {
            for (const mode of ['strict', 'loose'] as const) {
              const withUrpf = indexModel({ ...model, devices: model.devices.map((x) => (x === d ? { ...x, interfaces: x.interfaces.map((y) => (y === i ? { ...y, urpf: mode } : y)) } : x)) });
              expect(withUrpf.urpfSources(d.id, i.name, 4), `seed ${seed}: ${d.id} ${i.name} ${mode}`).toEqual(urpfByRule(withUrpf, d.id, i.name, mode));
            }
          }
        }
      }
    }
    // Tables were shared: the comparison covers the shared path.
    expect(shared).toBeGreaterThan(100);
  });

  it('tells apart FIBs of the same length whose prefixes differ, also when their hashes collide', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const model = sameLengthOtherPrefixes(randomNetwork(seed).model);
      const fibs = model.devices.map((d) => d.fib);
      // Every device's sequence differs from every other's: as many shapes as devices.
      expect(new Set(fibs.map((f) => f.map((r) => r.prefix).join(','))).size).toBe(fibs.length);
      const idx = indexModel(model);
      for (const d of model.devices) {
        const alone = indexModel({ ...model, devices: [d] }).lpm(d.id, 4);
        expect(idx.lpm(d.id, 4), `seed ${seed}: ${d.id}`).toEqual(alone);
        idx.lpm(d.id, 4).forEach((p, k) => expect(p.route).toBe(alone[k]!.route));
      }
      // One hash for every sequence: only the comparison on a hit keeps the shapes apart.
      const hashed = new LpmTables();
      const colliding = new LpmTables(() => 0);
      for (const fib of fibs) {
        for (const family of [4, 6] as const) {
          const want = piecesOf(hashed.table(fib, family));
          const got = piecesOf(colliding.table(fib, family));
          expect(got).toEqual(want);
          got.forEach((p, k) => expect(p.route).toBe(want[k]!.route));
        }
      }
      expect(colliding.shapeCount).toBe(fibs.length);
      expect(hashed.shapeCount).toBe(fibs.length);
    }
  });
});

/**
 * Every device with the first device's FIB, as long, but with one route of its own in another
 * place and the routes rotated by its position: the same length, a different prefix sequence
 * (in another order than the sorted one, too).
 */
function sameLengthOtherPrefixes(model: NetworkModel): NetworkModel {
  const first = model.devices[0]!.fib;
  return {
    ...model,
    devices: model.devices.map((d, i) => {
      const fib: RouteModel[] = first.map((r) => ({ ...r, nextHops: [...r.nextHops] }));
      fib[i % fib.length] = { ...fib[i % fib.length]!, prefix: `10.200.${i}.0/24` };
      return { ...d, fib: [...fib.slice(i % fib.length), ...fib.slice(0, i % fib.length)] };
    }),
  };
}
