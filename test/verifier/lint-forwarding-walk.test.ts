// The forwarding lint's walk (V804, V805 in verifier/lint-forwarding.ts) against the walk it
// replaced, kept here as the reference: each device's decision for a prefix found by a lookup
// in its longest-match pieces, the next hops' peers looked up by interface name at every visit,
// and the forwarding trees where some device splits the prefix. On seeded random networks with
// rewired routes (loops, black holes, extra equal-cost hops, exits at the wrong segment, split
// prefixes, removed routes) the lint's findings are the reference's, in the same order.

import { describe, expect, it } from 'vitest';
import type { NetworkModel, RouteModel } from '../../compiler/model.js';
import { lastAddress, network, prefixOf, type Family } from '../../language/address.js';
import { Codes } from '../../language/diagnostics/index.js';
import { finalDst, forwardingTree, pathTo } from '../../verifier/forwarding.js';
import { isEmpty, prefixesToSet, subtract, union, type IntervalSet } from '../../verifier/intervals.js';
import { lintForwarding } from '../../verifier/lint-forwarding.js';
import { indexModel, type NetIndex } from '../../verifier/netindex.js';
import { prng, randomNetwork } from './random-networks.js';
import { rewireRoutes, type Rewiring } from './rewired-routes.js';

interface Prefix {
  family: Family;
  lo: bigint;
  hi: bigint;
  text: string;
}

function internalPrefixes(model: NetworkModel): Prefix[] {
  const seen = new Map<string, Prefix>();
  const add = (text: string): void => {
    const p = prefixOf(text);
    const key = `${p.family}/${network(p).value}/${p.length}`;
    if (!seen.has(key)) seen.set(key, { family: p.family, lo: network(p).value, hi: lastAddress(p), text });
  };
  for (const e of model.endpoints) if (e.kind === 'segment') for (const p of e.include) add(p);
  for (const d of model.devices) for (const i of d.interfaces) if (i.role === 'link' || i.role === 'loopback') for (const a of i.addresses) add(`${a.split('/')[0]}/${prefixOf(a).length}`);
  return [...seen.values()];
}

const has = (set: IntervalSet, a: bigint): boolean => set.some(([lo, hi]) => lo <= a && a <= hi);

function ownedAt(idx: NetIndex, device: string, iface: string, family: Family): IntervalSet {
  const set = idx.attachedAt(device, iface).reduce<IntervalSet>((acc, e) => union(acc, prefixesToSet(e.include, family)), []);
  return union(set, prefixesToSet(idx.iface(device, iface)?.addresses ?? [], family));
}

/** Each device's route for the whole prefix ('own', undefined: none), or undefined where some device splits it. */
function decisions(idx: NetIndex, p: Prefix): (RouteModel | 'own' | undefined)[] | undefined {
  const row: (RouteModel | 'own' | undefined)[] = [];
  for (const d of idx.model.devices) {
    const own = idx.ownAddresses(d.id, p.family);
    if (p.hi - p.lo < 2n && has(own, p.lo) && has(own, p.hi)) {
      row.push('own');
      continue;
    }
    const piece = idx.lpm(d.id, p.family)[idx.lpmFind(d.id, p.family, p.lo)]!;
    if (piece.lo > p.lo || piece.hi < p.hi) return undefined;
    row.push(piece.route);
  }
  return row;
}

function walk(idx: NetIndex, p: Prefix, row: readonly (RouteModel | 'own' | undefined)[]): { holes: Set<string>; loops: Set<string> } {
  const devices = idx.model.devices;
  const index = new Map(devices.map((d, j) => [d.id, j]));
  const peer = (j: number, iface: string): number => {
    const i = devices[j]!.interfaces.find((x) => x.name === iface);
    return i?.peer ? (index.get(i.peer.device) ?? -1) : -1;
  };
  const holes = new Set<string>();
  const closed = new Set<number>();
  const state = new Int8Array(devices.length);
  const visit = (j: number): void => {
    if (state[j] === 2) return;
    if (state[j] === 1) return void closed.add(j);
    state[j] = 1;
    const id = devices[j]!.id;
    const route = row[j];
    if (route === undefined) holes.add(`${id} has no route`);
    else if (route !== 'own' && route.nextHops.length === 0) holes.add(`${id} discards it (route ${route.prefix} to nowhere)`);
    else if (route !== 'own') {
      for (const nh of route.nextHops) {
        if (nh.device !== undefined) {
          const to = peer(j, nh.interface);
          if (to >= 0) visit(to);
          else holes.add(`${id} sends it out of ${nh.interface}, where nothing owns it`);
        } else if (!isEmpty(subtract([[p.lo, p.hi]], ownedAt(idx, id, nh.interface, p.family)))) {
          holes.add(`${id} sends it out of ${nh.interface}, where nothing owns it`);
        }
      }
    }
    state[j] = 2;
  };
  for (let j = 0; j < devices.length; j++) visit(j);
  const next = (j: number): number | undefined => {
    const route = row[j];
    if (route === undefined || route === 'own') return undefined;
    const nh = route.nextHops.find((h) => h.device !== undefined);
    const to = nh ? peer(j, nh.interface) : -1;
    return to >= 0 ? to : undefined;
  };
  const loops = new Set<string>();
  for (const start of closed) {
    let cur: number | undefined = start;
    const seen = new Set<number>();
    while (cur !== undefined && !seen.has(cur)) {
      seen.add(cur);
      cur = next(cur);
    }
    if (cur === undefined) continue;
    let x: number | undefined = cur;
    do {
      loops.add(devices[x]!.id);
      x = next(x);
    } while (x !== undefined && x !== cur);
  }
  return { holes, loops };
}

function treeWalk(idx: NetIndex, p: Prefix): { holes: Set<string>; loops: Set<string> } {
  const holes = new Set<string>();
  const loops = new Set<string>();
  for (const d of idx.model.devices) {
    for (const leaf of forwardingTree(idx, p.family, { device: d.id, interface: '' }, [[p.lo, p.hi]]).leaves) {
      const end = leaf.end;
      if (end.kind === 'no-route') holes.add(`${end.device} has no route`);
      else if (end.kind === 'discarded') holes.add(`${end.device} discards it (route ${end.prefix} to nowhere)`);
      else if (end.kind === 'loop') {
        const path = pathTo(leaf.node).map((n) => n.device);
        for (const x of path.slice(path.indexOf(end.device))) loops.add(x);
      } else if (end.kind === 'lost') holes.add(`${end.device} sends it out of ${end.interface}, where nothing owns it`);
      else if (end.kind === 'exit' && !isEmpty(subtract(finalDst(leaf), ownedAt(idx, end.device, end.interface, p.family)))) {
        holes.add(`${end.device} sends it out of ${end.interface}, where nothing owns it`);
      }
    }
  }
  return { holes, loops };
}

/** The reference's findings as the lint words them, prefix by prefix. */
function reference(model: NetworkModel): string[] {
  const idx = indexModel(model);
  const out: string[] = [];
  for (const p of internalPrefixes(model)) {
    const row = decisions(idx, p);
    const found = row ? walk(idx, p, row) : treeWalk(idx, p);
    for (const h of [...found.holes].sort()) out.push(`${Codes.blackHole} black hole for internal prefix ${p.text}: ${h}`);
    if (found.loops.size > 0) out.push(`${Codes.forwardingLoop} forwarding loop for internal prefix ${p.text} through ${[...found.loops].sort().join(', ')}`);
  }
  return out;
}

/**
 * Equal next-hop lists made one array across the devices, as a compiler may share them: what a
 * list means still depends on the device (which segment a connected hop's interface reaches).
 */
function shareNextHops(model: NetworkModel): void {
  const lists = new Map<string, RouteModel['nextHops']>();
  for (const d of model.devices) {
    d.fib = d.fib.map((r) => {
      const key = JSON.stringify(r.nextHops);
      const shared = lists.get(key) ?? lists.set(key, r.nextHops).get(key)!;
      return { ...r, nextHops: shared };
    });
  }
}

const REWIRINGS: Rewiring[] = [
  { rewire: 0.2, split: 0.3, drop: 0.45 },
  { rewire: 0.2, widen: 0.3, split: 0.4, drop: 0.5 },
  { rewire: 0.4, widen: 0.6, split: 0.6, drop: 0.65 },
];

describe('the forwarding lint\'s walk', () => {
  it('finds what the walk it replaced finds, in the same order, on seeded random networks', () => {
    const seen = { hole: 0, loop: 0, lost: 0, ecmpLoop: 0 };
    for (let seed = 1; seed <= 240; seed++) {
      const { model } = randomNetwork(seed);
      if (seed % 4 !== 0) rewireRoutes(model, prng(seed * 104729), REWIRINGS[seed % 3]!);
      if (seed % 2 === 1) shareNextHops(model);
      const expected = reference(structuredClone(model));
      const found = lintForwarding(indexModel(model)).map((d) => `${d.code} ${d.message}`);
      expect(found, `seed ${seed}`).toEqual(expected);
      seen.hole += expected.filter((m) => m.includes('has no route')).length;
      seen.loop += expected.filter((m) => m.includes('forwarding loop')).length;
      seen.lost += expected.filter((m) => m.includes('where nothing owns it')).length;
      if (seed % 3 !== 0 && expected.some((m) => m.includes('forwarding loop'))) seen.ecmpLoop++;
    }
    // The comparison is not of empty lists: holes, loops and exits where nothing owns the prefix all occur.
    expect(seen.hole).toBeGreaterThan(50);
    expect(seen.loop).toBeGreaterThan(50);
    expect(seen.lost).toBeGreaterThan(50);
    expect(seen.ecmpLoop).toBeGreaterThan(10);
  });
});
