// The forwarding lint (V804, V805): every device must deliver every internal prefix, without a
// loop and without sending it where nothing owns it. Concrete walks over the forwarding tables;
// no solver needed.

import type { RouteModel } from '../compiler/model.js';
import { lastAddress, network, prefixOf, type Family } from '../language/address.js';
import { diagnostic, type Diagnostic, type Span } from '../language/diagnostic.js';
import { Codes } from '../language/diagnostics/index.js';
import { finalDst, forwardingTree, pathTo } from './forwarding.js';
import { isEmpty, prefixesToSet, subtract, union, type IntervalSet } from './intervals.js';
import { routeAt } from './lpm.js';
import { FAMILIES, type NetIndex } from './netindex.js';

interface InternalPrefix {
  family: Family;
  lo: bigint;
  hi: bigint;
  text: string;
  origin: Span;
}

/** What a device does with a whole prefix: its own addresses, or one route. */
type Decision = RouteModel | 'own';

interface Findings {
  holes: Set<string>;
  loops: Set<string>;
}

/**
 * Forwarding loops and black holes: every device must deliver every internal prefix. Where a
 * prefix takes one forwarding decision at every device (the usual case), one memoised walk over
 * the next-hop graph per prefix settles every device at once; a prefix that some device splits
 * (more specific routes inside it) is followed path by path with the forwarding trees.
 */
export function lintForwarding(idx: NetIndex): Diagnostic[] {
  const steps = lintForwardingSteps(idx, Infinity);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/**
 * `lintForwarding` in steps of `every` prefixes, or of `every / 16` devices where every device's
 * table is swept for all the prefixes (lint.ts's `lintSteps`).
 */
export function* lintForwardingSteps(idx: NetIndex, every: number): Generator<void, Diagnostic[], void> {
  const out: Diagnostic[] = [];
  const prefixes = internalPrefixes(idx);
  // The set-up's pieces are steps of their own too.
  yield;
  const graph = new NextHopGraph(idx);
  yield;
  const decisions = yield* uniformDecisions(idx, prefixes, Math.max(1, Math.floor(every / 16)));
  for (let k = 0; k < prefixes.length; k++) {
    if ((k + 1) % every === 0) yield;
    const p = prefixes[k]!;
    const row = decisions[k];
    const found = row ? graph.walk(p, row) : treeWalk(idx, p);
    for (const h of [...found.holes].sort()) {
      out.push(diagnostic(Codes.blackHole, p.origin, `black hole for internal prefix ${p.text}: ${h}`, { hint: 'every internal prefix must be routed from every device; check the routes and links' }));
    }
    if (found.loops.size > 0) {
      out.push(diagnostic(Codes.forwardingLoop, p.origin, `forwarding loop for internal prefix ${p.text} through ${[...found.loops].sort().join(', ')}`, { hint: 'check the static routes and link costs' }));
    }
  }
  return out;
}

function internalPrefixes(idx: NetIndex): InternalPrefix[] {
  const seen = new Map<string, InternalPrefix>();
  const add = (text: string, origin: Span): void => {
    const p = prefixOf(text);
    const n = network(p);
    const key = `${p.family}/${n.value}/${p.length}`;
    if (!seen.has(key)) seen.set(key, { family: p.family, lo: n.value, hi: lastAddress(p), text, origin });
  };
  for (const e of idx.model.endpoints) if (e.kind === 'segment') for (const p of e.include) add(p, e.origin);
  for (const d of idx.model.devices) {
    for (const i of d.interfaces) {
      if (i.role !== 'link' && i.role !== 'loopback') continue;
      for (const a of i.addresses) {
        const p = prefixOf(a);
        add(`${a.split('/')[0]}/${p.length}`, i.origin);
      }
    }
  }
  return [...seen.values()];
}

/**
 * Per prefix, each device's decision (in the model's device order), or undefined when some
 * device splits the prefix. One sweep per device and family over its forwarding table and the
 * prefixes sorted by their first address: the table's pieces are sorted and cover the whole
 * address space, so the piece holding a prefix's first address is found by moving forward.
 */
function* uniformDecisions(idx: NetIndex, prefixes: readonly InternalPrefix[], devicesPerStep: number): Generator<void, (Decision[] | undefined)[], void> {
  const devices = idx.model.devices;
  const rows: (Decision[] | undefined)[] = prefixes.map(() => new Array<Decision>(devices.length));
  for (const family of FAMILIES) {
    const order = prefixes
      .map((p, k) => k)
      .filter((k) => prefixes[k]!.family === family)
      .sort((a, b) => (prefixes[a]!.lo < prefixes[b]!.lo ? -1 : prefixes[a]!.lo > prefixes[b]!.lo ? 1 : 0));
    if (order.length === 0) continue;
    const owners = ownersOf(idx, family);
    // The device's own addresses inside the prefix end there (no hole, no loop); the rest of the
    // prefix follows the route. Only a prefix of one or two addresses can be all own addresses.
    // By prefix position (most have none): looked up for every prefix at every device.
    const ownedBy: (Set<number> | undefined)[] = new Array<Set<number> | undefined>(prefixes.length).fill(undefined);
    for (const k of order) {
      const p = prefixes[k]!;
      if (p.hi - p.lo >= 2n) continue;
      const first = owners.get(p.lo);
      const last = p.hi === p.lo ? first : owners.get(p.hi);
      const both = first && last ? first.filter((j) => last.includes(j)) : [];
      if (both.length > 0) ownedBy[k] = new Set(both);
    }
    for (let j = 0; j < devices.length; j++) {
      // A step per few devices: each sweeps every prefix.
      if ((j + 1) % devicesPerStep === 0) yield;
      const table = idx.lpmTable(devices[j]!.id, family);
      const { los, his } = table;
      let t = 0;
      for (const k of order) {
        const row = rows[k];
        if (!row) continue;
        const p = prefixes[k]!;
        if (ownedBy[k]?.has(j)) {
          row[j] = 'own';
          continue;
        }
        while (t < his.length && his[t]! < p.lo) t++;
        if (t >= his.length || los[t]! > p.lo || his[t]! < p.hi) {
          rows[k] = undefined;
          continue;
        }
        // A device without a route has no decision: the walk reports the hole.
        const route = routeAt(table, t);
        if (route) row[j] = route;
      }
    }
  }
  return rows;
}

/** Each own address of a device (link-locals excluded) with the indices of the devices that have it. */
function ownersOf(idx: NetIndex, family: Family): Map<bigint, number[]> {
  const owners = new Map<bigint, number[]>();
  idx.model.devices.forEach((d, j) => {
    // The intervals hold one address per interface address at most: enumerating them is cheap.
    for (const [lo, hi] of idx.ownAddresses(d.id, family)) {
      for (let a = lo; a <= hi; a++) (owners.get(a) ?? owners.set(a, []).get(a)!).push(j);
    }
  });
  return owners;
}

/** The devices' next hops by index, resolved once for every prefix's walk. */
class NextHopGraph {
  private readonly index = new Map<string, number>();
  private readonly peers: Map<string, number>[];
  private readonly owned = new Map<string, IntervalSet>();
  private readonly state: Int8Array;

  constructor(private readonly idx: NetIndex) {
    const devices = idx.model.devices;
    devices.forEach((d, j) => this.index.set(d.id, j));
    this.state = new Int8Array(devices.length);
    // Each interface's peer device, -1 for none (or a peer outside the model).
    this.peers = devices.map((d) => {
      const m = new Map<string, number>();
      for (const i of d.interfaces) m.set(i.name, i.peer ? (this.index.get(i.peer.device) ?? -1) : -1);
      return m;
    });
  }

  /** The devices' walk for a prefix of uniform decisions. */
  walk(p: InternalPrefix, decision: readonly (Decision | undefined)[]): Findings {
    const devices = this.idx.model.devices;
    const holes = new Set<string>();
    const loops = new Set<number>();
    // 0 = unvisited, 1 = on the current path, 2 = done.
    const state = this.state.fill(0);
    const visit = (j: number): void => {
      if (state[j] === 2) return;
      if (state[j] === 1) {
        loops.add(j);
        return;
      }
      state[j] = 1;
      const id = devices[j]!.id;
      const route = decision[j];
      if (route === undefined) holes.add(`${id} has no route`);
      else if (route !== 'own' && route.nextHops.length === 0) holes.add(discardHole(id, route.prefix));
      else if (route !== 'own') {
        for (const nh of route.nextHops) {
          if (nh.device !== undefined) {
            const peer = this.peers[j]!.get(nh.interface) ?? -1;
            if (peer >= 0) visit(peer);
            else holes.add(`${id} sends it out of ${nh.interface}, where nothing owns it`);
          } else if (!isEmpty(subtract([[p.lo, p.hi]], this.ownedAt(j, nh.interface, p.family)))) {
            holes.add(`${id} sends it out of ${nh.interface}, where nothing owns it`);
          }
        }
      }
      state[j] = 2;
    };
    for (let j = 0; j < devices.length; j++) visit(j);
    return { holes, loops: loops.size > 0 ? this.nameLoops(loops, decision) : new Set() };
  }

  /** A loop found from one entry marks the device where it closed; name every device on it. */
  private nameLoops(closed: Set<number>, decision: readonly (Decision | undefined)[]): Set<string> {
    const devices = this.idx.model.devices;
    const next = (j: number): number | undefined => {
      const route = decision[j];
      if (route === undefined || route === 'own') return undefined;
      const nh = route.nextHops.find((h) => h.device !== undefined);
      const peer = nh ? (this.peers[j]!.get(nh.interface) ?? -1) : -1;
      return peer >= 0 ? peer : undefined;
    };
    const onLoop = new Set<string>();
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
        onLoop.add(devices[x]!.id);
        x = next(x);
      } while (x !== undefined && x !== cur);
    }
    return onLoop;
  }

  private ownedAt(j: number, iface: string, family: Family): IntervalSet {
    const key = `${j}\u0000${iface}\u0000${family}`;
    let set = this.owned.get(key);
    if (!set) {
      set = ownedAt(this.idx, this.idx.model.devices[j]!.id, iface, family);
      this.owned.set(key, set);
    }
    return set;
  }
}

/**
 * A discard route is meant for addresses nothing inside owns (a translated export's mapped
 * prefix, compiler/nat.ts): one that takes an internal prefix drops what must be delivered.
 */
function discardHole(device: string, prefix: string): string {
  return `${device} discards it (route ${prefix} to nowhere)`;
}

/** Addresses that leaving by this interface reaches: its attached endpoints and its own subnets. */
function ownedAt(idx: NetIndex, device: string, iface: string, family: Family): IntervalSet {
  let set = idx.attachedAt(device, iface).reduce<IntervalSet>((acc, e) => union(acc, prefixesToSet(e.include, family)), []);
  set = union(set, prefixesToSet(idx.iface(device, iface)?.addresses ?? [], family));
  return set;
}

function treeWalk(idx: NetIndex, p: InternalPrefix): Findings {
  const set: IntervalSet = [[p.lo, p.hi]];
  const holes = new Set<string>();
  const loops = new Set<string>();
  for (const d of idx.model.devices) {
    const tree = forwardingTree(idx, p.family, { device: d.id, interface: '' }, set);
    for (const leaf of tree.leaves) {
      const end = leaf.end;
      if (end.kind === 'no-route') holes.add(`${end.device} has no route`);
      else if (end.kind === 'discarded') holes.add(discardHole(end.device, end.prefix));
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
