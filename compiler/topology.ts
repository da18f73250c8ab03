// The routed topology: who is adjacent to whom over which interface, and least-cost paths with
// every equal-cost first hop kept. Adjacency comes from addresses (two interfaces of two devices
// with addresses in the same subnet; for IPv6 over a link, the link-local addresses of two
// interfaces that name each other as peers), so it works on DeviceModels read back from
// configuration files as well as on the compiler's own.

import { formatAddress, network, prefixOf, type Family, type Prefix } from '../language/address.js';
import type { DeviceModel, InterfaceModel } from './model.js';

export interface Hop {
  interface: string;
  address: string; // the next device's address, no length
  device: string;
}

interface Edge {
  to: string;
  cost: number;
  hop: Hop;
}

export interface PathTree {
  dist: Map<string, number>;
  /** Every equal-cost first hop toward each reached device (sorted by interface, address). */
  first: Map<string, Hop[]>;
}

const prefixCache = new Map<string, Prefix>();
export function cachedPrefix(text: string): Prefix {
  let p = prefixCache.get(text);
  if (!p) {
    if (prefixCache.size > 1_000_000) prefixCache.clear();
    p = prefixOf(text);
    prefixCache.set(text, p);
  }
  return p;
}

/** "10.0.0.1/31" → its subnet's text, e.g. "10.0.0.0/31". */
const subnetCache = new Map<string, string>();
export function subnetOf(addressWithLength: string): string {
  let s = subnetCache.get(addressWithLength);
  if (s === undefined) {
    if (subnetCache.size > 1_000_000) subnetCache.clear();
    const p = network(cachedPrefix(addressWithLength));
    s = `${formatAddress(p)}/${p.length}`;
    subnetCache.set(addressWithLength, s);
  }
  return s;
}

export function addressPart(addressWithLength: string): string {
  return addressWithLength.slice(0, addressWithLength.indexOf('/'));
}

export function familyOf(text: string): Family {
  return text.includes(':') ? 6 : 4;
}

export interface SubnetMember {
  device: string;
  interface: string;
  address: string; // no length
}

/** Every non-loopback subnet and the interfaces in it. */
export function subnetIndex(devices: readonly DeviceModel[]): Map<string, SubnetMember[]> {
  const index = new Map<string, SubnetMember[]>();
  for (const d of devices) {
    for (const i of d.interfaces) {
      if (i.role === 'loopback') continue;
      for (const a of i.addresses) {
        const key = subnetOf(a);
        let list = index.get(key);
        if (!list) index.set(key, (list = []));
        list.push({ device: d.id, interface: i.name, address: addressPart(a) });
      }
    }
  }
  return index;
}

export function compareHops(a: Hop, b: Hop): number {
  if (a.interface !== b.interface) return a.interface < b.interface ? -1 : 1;
  if (a.address !== b.address) return a.address < b.address ? -1 : 1;
  return 0;
}

/**
 * A least-cost tree by node number (Topology.nodes): `reached[k]` 1 when node k is reached, then
 * its distance `dist[k]` and (but the source) its equal-cost first hops `first[k]`, sorted.
 */
export interface PathArrays {
  reached: Uint8Array;
  dist: Float64Array;
  first: (Hop[] | undefined)[];
}

export class Topology {
  private readonly adj = new Map<string, Edge[]>();
  /** The devices' ids, each once, in string order: the node numbers of spfArrays. */
  readonly nodes: readonly string[];
  private readonly nodeOf = new Map<string, number>();
  /** The edges by node number, to node numbers (made on the first spfArrays). */
  private byNode: { to: number; cost: number; hop: Hop }[][] | undefined;

  /**
   * `cost(d, i)` is the cost of sending out of interface i of d, or undefined when the
   * interface does not take part; an adjacency needs both ends to take part.
   */
  constructor(
    devices: readonly DeviceModel[],
    family: Family,
    cost: (d: DeviceModel, i: InterfaceModel) => number | undefined,
    subnets: Map<string, SubnetMember[]> = subnetIndex(devices),
  ) {
    const byId = new Map(devices.map((d) => [d.id, d]));
    const ifaceOf = (m: SubnetMember) => byId.get(m.device)?.interfaces.find((i) => i.name === m.interface);
    for (const d of devices) this.adj.set(d.id, []);
    for (const d of devices) {
      for (const i of d.interfaces) {
        if (i.role === 'loopback') continue;
        const c = cost(d, i);
        if (c === undefined) continue;
        if (family === 6 && i.linkLocal !== undefined) {
          // IPv6 over a link runs on the link-local addresses of its two ends (OSPFv3's and the
          // kernel's next hop), whatever global addresses the link also has.
          const peer = i.peer ? byId.get(i.peer.device) : undefined;
          const peerIface = peer?.interfaces.find((x) => x.name === i.peer!.interface);
          if (!peer || !peerIface?.linkLocal || peerIface.peer?.device !== d.id || peerIface.peer.interface !== i.name) continue;
          if (cost(peer, peerIface) === undefined) continue;
          this.adj.get(d.id)!.push({ to: peer.id, cost: c, hop: { interface: i.name, address: peerIface.linkLocal, device: peer.id } });
          continue;
        }
        for (const a of i.addresses) {
          if (familyOf(a) !== family) continue;
          for (const m of subnets.get(subnetOf(a)) ?? []) {
            if (m.device === d.id) continue;
            const peer = byId.get(m.device);
            const peerIface = ifaceOf(m);
            if (!peer || !peerIface || cost(peer, peerIface) === undefined) continue;
            this.adj.get(d.id)!.push({ to: m.device, cost: c, hop: { interface: i.name, address: m.address, device: m.device } });
          }
        }
      }
    }
    // String order, so that comparing two node numbers compares their ids as spf's heap does.
    this.nodes = [...this.adj.keys()].sort();
    this.nodes.forEach((id, k) => this.nodeOf.set(id, k));
  }

  /** The node number of a device id (undefined: no device of this topology). */
  nodeNumber(id: string): number | undefined {
    return this.nodeOf.get(id);
  }

  /**
   * spf by node number, for a source of this topology: the same distances and first hops, in
   * arrays rather than maps keyed by id (each compile asks for a tree per device and family,
   * twice: 1,600 trees at 400 devices, and the maps were all their readers turned into arrays).
   */
  spfArrays(source: number): PathArrays {
    const n = this.nodes.length;
    if (this.byNode === undefined) {
      this.byNode = this.nodes.map((id) => this.adj.get(id)!.map((e) => ({ to: this.nodeOf.get(e.to)!, cost: e.cost, hop: e.hop })));
    }
    const adj = this.byNode;
    const reached = new Uint8Array(n);
    const dist = new Float64Array(n);
    const first = new Array<Hop[] | undefined>(n).fill(undefined);
    const done = new Uint8Array(n);
    reached[source] = 1;
    dist[source] = 0;
    const heap = new NumberHeap();
    heap.push(0, source);
    while (heap.size > 0) {
      const d = heap.topKey();
      const u = heap.pop();
      if (done[u] === 1 || d !== dist[u]) continue;
      done[u] = 1;
      const uFirst = first[u];
      const out = adj[u]!;
      for (let j = 0; j < out.length; j++) {
        const e = out[j]!;
        const nd = d + e.cost;
        const via = u === source ? [e.hop] : (uFirst ?? []);
        if (reached[e.to] === 0 || nd < dist[e.to]!) {
          reached[e.to] = 1;
          dist[e.to] = nd;
          first[e.to] = [...via];
          heap.push(nd, e.to);
        } else if (nd === dist[e.to] && done[e.to] === 0) {
          first[e.to] = mergeHops(first[e.to] ?? [], via);
        }
      }
    }
    // Each list is the tree's own (a copy or a merge): sorted in place.
    for (let k = 0; k < n; k++) first[k]?.sort(compareHops);
    return { reached, dist, first };
  }

  neighbors(id: string): readonly Hop[] {
    return (this.adj.get(id) ?? []).map((e) => e.hop);
  }

  /**
   * Dijkstra from `source`, keeping every equal-cost first hop: the plain form, the next node found
   * by a scan (the nearest, ties by id) rather than a heap. The compiler runs spfArrays; this is
   * the independent reference its tests hold it to.
   */
  spf(source: string): PathTree {
    const dist = new Map<string, number>([[source, 0]]);
    const first = new Map<string, Hop[]>();
    const done = new Set<string>();
    for (;;) {
      let u: string | undefined;
      for (const [id, d] of dist) {
        if (done.has(id)) continue;
        if (u === undefined || d < dist.get(u)! || (d === dist.get(u)! && id < u)) u = id;
      }
      if (u === undefined) break;
      const d = dist.get(u)!;
      done.add(u);
      const uFirst = first.get(u);
      for (const e of this.adj.get(u) ?? []) {
        const nd = d + e.cost;
        const old = dist.get(e.to);
        const via = u === source ? [e.hop] : (uFirst ?? []);
        if (old === undefined || nd < old) {
          dist.set(e.to, nd);
          first.set(e.to, [...via]);
        } else if (nd === old && !done.has(e.to)) {
          first.set(e.to, mergeHops(first.get(e.to) ?? [], via));
        }
      }
    }
    for (const [k, v] of first) first.set(k, [...v].sort(compareHops));
    return { dist, first };
  }
}

export function mergeHops(a: readonly Hop[], b: readonly Hop[]): Hop[] {
  const out = [...a];
  for (const h of b) {
    if (!out.some((x) => x.interface === h.interface && x.address === h.address)) out.push(h);
  }
  return out;
}

/** A binary min-heap of (distance, node number) pairs, ties by number: by id, as the node numbers are in id order. */
class NumberHeap {
  private readonly keys: number[] = [];
  private readonly vals: number[] = [];
  get size(): number {
    return this.keys.length;
  }
  topKey(): number {
    return this.keys[0]!;
  }
  push(k: number, v: number): void {
    const keys = this.keys;
    const vals = this.vals;
    let i = keys.length;
    keys.push(k);
    vals.push(v);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (keys[p]! < k || (keys[p] === k && vals[p]! <= v)) break;
      keys[i] = keys[p]!;
      vals[i] = vals[p]!;
      i = p;
    }
    keys[i] = k;
    vals[i] = v;
  }
  /** Removes the top and returns its value. */
  pop(): number {
    const keys = this.keys;
    const vals = this.vals;
    const top = vals[0]!;
    const k = keys.pop()!;
    const v = vals.pop()!;
    if (keys.length > 0) {
      let i = 0;
      const n = keys.length;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        let mk = k;
        let mv = v;
        if (l < n && (keys[l]! < mk || (keys[l] === mk && vals[l]! < mv))) {
          m = l;
          mk = keys[l]!;
          mv = vals[l]!;
        }
        if (r < n && (keys[r]! < mk || (keys[r] === mk && vals[r]! < mv))) {
          m = r;
        }
        if (m === i) break;
        keys[i] = keys[m]!;
        vals[i] = vals[m]!;
        i = m;
      }
      keys[i] = k;
      vals[i] = v;
    }
    return top;
  }
}
