// The forwarding lint (V804, V805): every device must deliver every internal prefix, without a
// loop and without sending it where nothing owns it. Concrete walks over the forwarding tables;
// no solver needed.

import type { NextHopModel, RouteModel } from '../compiler/model.js';
import { lastAddress, network, prefixOf, type Family } from '../language/address.js';
import { diagnostic, type Diagnostic, type Span } from '../language/diagnostic.js';
import { Codes } from '../language/diagnostics/index.js';
import { finalDst, forwardingTree, pathTo } from './forwarding.js';
import { isEmpty, prefixesToSet, subtract, union, type IntervalSet } from './intervals.js';
import { FAMILIES, type LpmTable, type NetIndex } from './netindex.js';

interface InternalPrefix {
  family: Family;
  lo: bigint;
  hi: bigint;
  text: string;
  origin: Span;
}

/**
 * What a device does with a whole prefix, as a number: the index of its next hops in
 * `NextHopGraph.hops`, or one of these.
 */
const NO_ROUTE = -1;
const OWN = -2;

/** A route's next hops at one device, resolved to device indices once for every prefix that takes them. */
interface Hops {
  /** The route's prefix where it is a discard route (no next hops). */
  discard?: string;
  /** The next hops to a device, in order: its index, -1 where no device of the model is at that end. */
  peers: Int32Array;
  peerInterfaces: string[];
  /** The next hops of a connected route: interfaces, and what leaving by each reaches (made when first asked). */
  connected: string[];
  owned: (IntervalSet | undefined)[];
}

/**
 * Each device's decision for each prefix: `codes[k * devices + j]`, where `split[k]` is 0 (else
 * some device splits prefix k and its row is not filled).
 */
interface Decisions {
  codes: Int32Array;
  split: Uint8Array;
}

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
  const decisions = yield* uniformDecisions(idx, graph, prefixes, Math.max(1, Math.floor(every / 16)));
  for (let k = 0; k < prefixes.length; k++) {
    if ((k + 1) % every === 0) yield;
    const p = prefixes[k]!;
    const found = decisions.split[k] === 0 ? graph.walk(p, decisions.codes, k * idx.model.devices.length) : treeWalk(idx, p);
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
 * Per prefix, each device's decision (in the model's device order), unless some device splits
 * the prefix. One sweep per device and family over its forwarding table and the prefixes sorted
 * by their first address: the table's pieces are sorted and cover the whole address space, so
 * the piece holding a prefix's first address is found by moving forward.
 */
function* uniformDecisions(idx: NetIndex, graph: NextHopGraph, prefixes: readonly InternalPrefix[], devicesPerStep: number): Generator<void, Decisions, void> {
  const devices = idx.model.devices;
  const n = devices.length;
  const codes = new Int32Array(prefixes.length * n);
  const split = new Uint8Array(prefixes.length);
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
    // Devices whose FIBs share a shape share its pieces (lpm.ts): each prefix's FIB position is swept once per shape.
    const positionsByShape = new Map<readonly bigint[], Int32Array>();
    for (let j = 0; j < n; j++) {
      // A step per few devices: each sweeps every prefix.
      if ((j + 1) % devicesPerStep === 0) yield;
      const table = idx.lpmTable(devices[j]!.id, family);
      let positions = positionsByShape.get(table.his);
      if (!positions) positionsByShape.set(table.his, (positions = fibPositions(table, prefixes, order)));
      // Each FIB position's next hops as resolved (-3: not yet).
      const resolved = new Int32Array(table.routes.length).fill(-3);
      const interned = new Map<readonly NextHopModel[], number>();
      for (const k of order) {
        if (split[k] !== 0) continue;
        if (ownedBy[k]?.has(j)) {
          codes[k * n + j] = OWN;
          continue;
        }
        const at = positions[k]!;
        if (at === SPLIT) {
          split[k] = 1;
          continue;
        }
        // A device without a route has no decision: the walk reports the hole.
        if (at < 0) codes[k * n + j] = NO_ROUTE;
        else {
          let code = resolved[at]!;
          if (code === -3) {
            const route = table.routes[at]!;
            // A discard route's prefix is in its hole's message: one entry per route.
            code = route.nextHops.length === 0 ? graph.resolve(j, route) : (interned.get(route.nextHops) ?? graph.resolve(j, route));
            if (route.nextHops.length > 0) interned.set(route.nextHops, code);
            resolved[at] = code;
          }
          codes[k * n + j] = code;
        }
      }
    }
  }
  return { codes, split };
}

/** A prefix that pieces of a table split (more specific routes inside it, or a route that ends inside it). */
const SPLIT = -4;

/**
 * For each prefix of `order` (the family's, sorted by first address), the FIB position of the
 * table's piece that holds all of it (negative: no route), or SPLIT. One sweep: the pieces are
 * sorted and cover the whole address space, so the piece holding a prefix's first address is
 * found by moving forward. It depends on the table's bounds and positions alone, which devices
 * of one FIB shape share.
 */
function fibPositions(table: LpmTable, prefixes: readonly InternalPrefix[], order: readonly number[]): Int32Array {
  const { los, his, entries } = table;
  const positions = new Int32Array(prefixes.length).fill(SPLIT);
  let t = 0;
  for (const k of order) {
    const p = prefixes[k]!;
    while (t < his.length && his[t]! < p.lo) t++;
    if (t >= his.length || los[t]! > p.lo || his[t]! < p.hi) continue;
    positions[k] = entries[t]!;
  }
  return positions;
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
  private readonly state: Int8Array;
  /** Every distinct next-hop list of each device (Decisions' codes index it). */
  readonly hops: Hops[] = [];
  // The walk in progress: its prefix, its row of decisions and what it found.
  private prefix!: InternalPrefix;
  private codes!: Int32Array;
  private base = 0;
  private holes = new Set<string>();
  private loops = new Set<number>();

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

  /** A new entry of `hops` for device j's route, and its index. */
  resolve(j: number, route: RouteModel): number {
    const h: Hops = { peers: new Int32Array(0), peerInterfaces: [], connected: [], owned: [] };
    if (route.nextHops.length === 0) h.discard = route.prefix;
    const peers: number[] = [];
    for (const nh of route.nextHops) {
      if (nh.device !== undefined) {
        peers.push(this.peers[j]!.get(nh.interface) ?? -1);
        h.peerInterfaces.push(nh.interface);
      } else {
        h.connected.push(nh.interface);
        h.owned.push(undefined);
      }
    }
    h.peers = Int32Array.from(peers);
    this.hops.push(h);
    return this.hops.length - 1;
  }

  /** The devices' walk for a prefix of uniform decisions, whose row starts at `codes[base]`. */
  walk(p: InternalPrefix, codes: Int32Array, base: number): Findings {
    this.prefix = p;
    this.codes = codes;
    this.base = base;
    this.holes = new Set();
    this.loops = new Set();
    // 0 = unvisited, 1 = on the current path, 2 = done.
    this.state.fill(0);
    const n = this.state.length;
    for (let j = 0; j < n; j++) this.visit(j);
    const loops = this.loops;
    return { holes: this.holes, loops: loops.size > 0 ? this.nameLoops(loops) : new Set() };
  }

  private visit(j: number): void {
    const state = this.state;
    if (state[j] === 2) return;
    if (state[j] === 1) {
      this.loops.add(j);
      return;
    }
    state[j] = 1;
    const code = this.codes[this.base + j]!;
    if (code === NO_ROUTE) this.holes.add(`${this.idx.model.devices[j]!.id} has no route`);
    else if (code !== OWN) {
      const h = this.hops[code]!;
      const id = this.idx.model.devices[j]!.id;
      if (h.discard !== undefined) this.holes.add(discardHole(id, h.discard));
      const { peers } = h;
      for (let i = 0; i < peers.length; i++) {
        const peer = peers[i]!;
        if (peer >= 0) this.visit(peer);
        else this.holes.add(`${id} sends it out of ${h.peerInterfaces[i]!}, where nothing owns it`);
      }
      // Leaving by a connected route ends the path; the holes are a set, so their order is not the hops'.
      for (let i = 0; i < h.connected.length; i++) {
        const p = this.prefix;
        const owned = (h.owned[i] ??= ownedAt(this.idx, id, h.connected[i]!, p.family));
        if (!isEmpty(subtract([[p.lo, p.hi]], owned))) this.holes.add(`${id} sends it out of ${h.connected[i]!}, where nothing owns it`);
      }
    }
    state[j] = 2;
  }

  /** A loop found from one entry marks the device where it closed; name every device on it. */
  private nameLoops(closed: Set<number>): Set<string> {
    const devices = this.idx.model.devices;
    const next = (j: number): number | undefined => {
      const code = this.codes[this.base + j]!;
      if (code < 0) return undefined;
      const peers = this.hops[code]!.peers;
      return peers.length > 0 && peers[0]! >= 0 ? peers[0] : undefined;
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
