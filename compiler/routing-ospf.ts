// OSPF in convergence (routing.ts): stubs and external routes, computed per advertisement class
// (the prefixes of the same advertising routers and costs: one SPF lookup per class and device,
// one candidate object shared by the class's prefixes).

import type { Family } from '../language/address.js';
import type { DeviceModel, InterfaceModel } from './model.js';
import { DISTANCE, type Candidate, type PrefixNumbers, type Rib } from './routing-rib.js';
import { compareHops, familyOf, mergeHops, subnetOf, Topology, type Hop, type SubnetMember } from './topology.js';

export const OSPF_EXTERNAL_METRIC = 20;

/** What a class's best route is at one of its own advertisers: none from OSPF. */
const OWN = Symbol('own');

/**
 * Advertisements: a prefix (by number) from a router (by its index among the OSPF devices) at a
 * cost, the k-th in the k-th place of three typed arrays: about 390,000 of them at 400 devices,
 * which as an object each were 30 MB for the collector to copy. The arrays double when full.
 */
export class Adverts {
  prefix: Int32Array;
  router: Int32Array;
  cost: Float64Array;
  length = 0;

  constructor(capacity: number) {
    this.prefix = new Int32Array(capacity);
    this.router = new Int32Array(capacity);
    this.cost = new Float64Array(capacity);
  }

  push(prefix: number, router: number, cost: number): void {
    if (this.length === this.prefix.length) this.grow();
    this.prefix[this.length] = prefix;
    this.router[this.length] = router;
    this.cost[this.length++] = cost;
  }

  private grow(): void {
    const size = Math.max(16, this.length * 2);
    const prefix = new Int32Array(size);
    const router = new Int32Array(size);
    const cost = new Float64Array(size);
    prefix.set(this.prefix);
    router.set(this.router);
    cost.set(this.cost);
    this.prefix = prefix;
    this.router = router;
    this.cost = cost;
  }
}

/**
 * OSPF of both families (IPv4, then IPv6) into the RIBs. Each router's redistributed prefixes are
 * numbered once for both families (a text look-up per prefix: about 390,000 of them at 400 devices).
 */
export function addOspf(devices: readonly DeviceModel[], ribs: Map<string, Rib>, numbers: PrefixNumbers, subnets: Map<string, SubnetMember[]>): void {
  const ospfDevices = devices.filter((d) => d.ospf);
  if (ospfDevices.length === 0) return;
  const familyOfNumber = Uint8Array.from(numbers.texts, familyOf);
  // Per OSPF device, per redistribution: its prefixes' numbers (-1: a prefix of no RIB).
  const redistributed = ospfDevices.map((d) => d.ospf!.redistribute.map((r) => numbersOf(r.prefixes, numbers)));
  for (const family of [4, 6] as Family[]) addOspfFamily(ospfDevices, family, ribs, numbers, subnets, familyOfNumber, redistributed);
}

/** The numbers of prefix texts (-1: none), by a loop: Int32Array.from(texts, fn) iterates through the iterator protocol and collects a list first. */
function numbersOf(texts: readonly string[], numbers: PrefixNumbers): Int32Array {
  const out = new Int32Array(texts.length);
  for (let k = 0; k < texts.length; k++) out[k] = numbers.get(texts[k]!) ?? -1;
  return out;
}

function addOspfFamily(
  ospfDevices: readonly DeviceModel[],
  family: Family,
  ribs: Map<string, Rib>,
  numbers: PrefixNumbers,
  subnets: Map<string, SubnetMember[]>,
  familyOfNumber: Uint8Array,
  redistributed: readonly (readonly Int32Array[])[],
): void {
  const active = (d: DeviceModel, i: InterfaceModel) => {
    const o = d.ospf?.interfaces.find((x) => x.name === i.name);
    return o && !o.passive ? o.cost : undefined;
  };
  const topo = new Topology(ospfDevices, family, active, subnets);
  // Routers by index (a repeated id shares its first index, as it shares its RIB).
  const indexOf = new Map<string, number>();
  ospfDevices.forEach((d, i) => {
    if (!indexOf.has(d.id)) indexOf.set(d.id, i);
  });

  // Every redistributed prefix and a default at most once per router: the externals' room.
  let room = 0;
  for (const ids of redistributed) for (const list of ids) room += list.length + 1;
  const stubs = new Adverts(ospfDevices.length * 4);
  const externals = new Adverts(room + ospfDevices.length);
  const universe = numbers.get(family === 4 ? '0.0.0.0/0' : '::/0');
  // A router's redistributed prefixes are taken once (by number).
  const seenBy = new Int32Array(numbers.texts.length).fill(-1);
  ospfDevices.forEach((d, index) => {
    const ospf = d.ospf!;
    const router = indexOf.get(d.id)!;
    for (const oi of ospf.interfaces) {
      const iface = d.interfaces.find((i) => i.name === oi.name);
      for (const a of iface?.addresses ?? []) {
        if (familyOf(a) === family) stubs.push(numbers.get(subnetOf(a))!, router, oi.cost);
      }
    }
    const rib = ribs.get(d.id)!;
    const ids = redistributed[index]!;
    // Indexed loops over the long lists here and below: a for-of allocates a result object per
    // step until the function is optimized, and each of these functions runs twice a compile.
    ospf.redistribute.forEach((r, k) => {
      const list = ids[k]!;
      for (let j = 0; j < list.length; j++) {
        const id = list[j]!;
        // A prefix of no RIB has no local route to redistribute.
        if (id === -1 || familyOfNumber[id] !== family || id === universe || seenBy[id] === index) continue;
        if (rib.bestLocal(id)?.protocol !== r.protocol) continue;
        seenBy[id] = index;
        externals.push(id, router, OSPF_EXTERNAL_METRIC);
      }
    });
    const wantsDefault = family === 4 ? ospf.defaultOriginate.ipv4 : ospf.defaultOriginate.ipv6;
    const local = rib.bestLocal(universe);
    if (wantsDefault && local && (local.protocol === 'static' || local.protocol === 'bgp')) {
      externals.push(universe!, router, OSPF_EXTERNAL_METRIC);
    }
  });
  const stubClasses = advertClasses(stubs, numbers.texts.length);
  const extClasses = advertClasses(externals, numbers.texts.length);
  // Every stub prefix's class (by prefix number), for "intra-area routes beat external ones" per class.
  const stubClassOf = new Int32Array(numbers.texts.length).fill(-1);
  stubClasses.forEach((c, i) => {
    for (let j = 0; j < c.prefixes.length; j++) stubClassOf[c.prefixes[j]!] = i;
  });
  const intra = new Uint8Array(stubClasses.length);
  // Per device: the SPF distance and first hops of every router by index (-Infinity: not reached).
  const dist = new Float64Array(ospfDevices.length);
  const first = new Array<Hop[] | undefined>(ospfDevices.length);

  // The topology's node numbers as router indices.
  const routerOfNode = Int32Array.from(topo.nodes, (id) => indexOf.get(id)!);
  for (const d of ospfDevices) {
    const tree = topo.spfArrays(topo.nodeNumber(d.id)!);
    const self = indexOf.get(d.id)!;
    dist.fill(-Infinity);
    first.fill(undefined);
    for (let k = 0; k < routerOfNode.length; k++) {
      if (tree.reached[k] === 0) continue;
      dist[routerOfNode[k]!] = tree.dist[k]!;
      first[routerOfNode[k]!] = tree.first[k];
    }
    const rib = ribs.get(d.id)!;
    // A class's candidate at this device: OWN when the device advertises the class itself (its
    // connected or local route wins), undefined when no advertiser is reached.
    const best = (c: AdvertClass): Candidate | typeof OWN | undefined => {
      let metric = Infinity;
      let hops: Hop[] = [];
      let merged = false;
      const { routers, costs } = c;
      for (let j = 0; j < routers.length; j++) {
        const router = routers[j]!;
        if (router === self) return OWN; // our own prefix: connected or local route
        const reached = dist[router]!;
        if (reached === -Infinity) continue;
        const m = reached + costs[j]!;
        const via = first[router] ?? [];
        if (m < metric) {
          metric = m;
          hops = via; // shared, sorted, never changed: the model is plain data
          merged = false;
        } else if (m === metric) {
          hops = mergeHops(hops, via);
          merged = true;
        }
      }
      return metric === Infinity ? undefined : { protocol: 'ospf', distance: DISTANCE.ospf, metric, hops: merged ? hops.sort(compareHops) : hops };
    };
    // One route per class, the same candidate object for each of its prefixes.
    for (let i = 0; i < stubClasses.length; i++) {
      const c = stubClasses[i]!;
      // A stub of a device in another part of a partitioned network is not in this LSDB.
      const candidate = best(c);
      intra[i] = candidate !== undefined ? 1 : 0;
      if (candidate === undefined || candidate === OWN) continue;
      const prefixes = c.prefixes;
      for (let j = 0; j < prefixes.length; j++) rib.push(prefixes[j]!, candidate);
    }
    for (const c of extClasses) {
      let candidate: Candidate | null | undefined; // computed on the class's first external prefix
      const prefixes = c.prefixes;
      for (let j = 0; j < prefixes.length; j++) {
        const id = prefixes[j]!;
        const stubClass = stubClassOf[id]!;
        if (stubClass !== -1 && intra[stubClass] === 1) continue; // intra-area routes beat external ones
        if (candidate === undefined) {
          const r = best(c);
          candidate = r === undefined || r === OWN ? null : r;
        }
        if (candidate) rib.push(id, candidate);
      }
    }
  }
}

/**
 * Prefixes advertised by the same routers at the same costs (in the same order) form one class:
 * every device reaches them over the same next hops at the same metric, so each device computes
 * a class's route once, not once per prefix (a site's segments are one class per gateway).
 * Classes come in the order of their first prefixes' first advertisements, a class's prefixes in
 * that order too, and a prefix's advertisements in the order given. `size`: the prefix numbers
 * are below it.
 */
export function advertClasses(ads: Adverts, size: number): AdvertClass[] {
  // The advertisements grouped by prefix with a counting sort: prefix p's from start[p] on, in
  // the order given; `prefixes` the prefixes in first-met order.
  const count = new Int32Array(size);
  const prefixes: number[] = [];
  for (let j = 0; j < ads.length; j++) {
    const p = ads.prefix[j]!;
    if (count[p] === 0) prefixes.push(p);
    count[p] = count[p]! + 1;
  }
  const start = new Int32Array(size);
  let at = 0;
  for (let i = 0; i < prefixes.length; i++) {
    start[prefixes[i]!] = at;
    at += count[prefixes[i]!]!;
  }
  // The routers and costs themselves in prefix order (not their indices): the hashes and the
  // comparisons below then read two arrays in order instead of jumping through an index each.
  const routerAt = new Int32Array(ads.length);
  const costAt = new Float64Array(ads.length);
  const fill = start.slice();
  for (let j = 0; j < ads.length; j++) {
    const at = fill[ads.prefix[j]!]!++;
    routerAt[at] = ads.router[j]!;
    costAt[at] = ads.cost[j]!;
  }
  // Classes by a hash of their routers and costs; lists of one hash are compared in full (no key
  // text per prefix: about 4,800 prefixes of 80 advertisements each at 400 devices). A prefix
  // advertised as the one before it (a router's redistributed prefixes come in a row) joins its
  // class without a hash.
  const classes: AdvertClass[] = [];
  const byHash = new Map<number, AdvertClass[]>();
  let last: AdvertClass | undefined;
  for (let i = 0; i < prefixes.length; i++) {
    const id = prefixes[i]!;
    const from = start[id]!;
    const to = from + count[id]!;
    if (last !== undefined && sameAdverts(last, routerAt, costAt, from, to)) {
      last.prefixes.push(id);
      continue;
    }
    let hash = to - from;
    for (let j = from; j < to; j++) hash = (Math.imul(hash ^ routerAt[j]!, 0x9e3779b1) + (costAt[j]! | 0)) | 0;
    const bucket = byHash.get(hash);
    let c: AdvertClass | undefined;
    if (bucket) for (let b = 0; b < bucket.length && c === undefined; b++) if (sameAdverts(bucket[b]!, routerAt, costAt, from, to)) c = bucket[b];
    if (c) c.prefixes.push(id);
    else {
      c = { routers: routerAt.slice(from, to), costs: costAt.slice(from, to), prefixes: [id] };
      classes.push(c);
      if (bucket) bucket.push(c);
      else byHash.set(hash, [c]);
    }
    last = c;
  }
  return classes;
}

/** One class: its advertisers and their costs (in the order of its first prefix's advertisements), and its prefixes. */
export interface AdvertClass {
  routers: Int32Array;
  costs: Float64Array;
  prefixes: number[];
}

/**
 * The same routers at the same costs in the same order as the advertisements [from, to) of
 * `routerAt` and `costAt`. (Costs of equal text are equal numbers but NaN, which the key texts
 * joined: a NaN cost reaches nothing, so its class gives no route either way.)
 */
function sameAdverts(c: AdvertClass, routerAt: Int32Array, costAt: Float64Array, from: number, to: number): boolean {
  if (c.routers.length !== to - from) return false;
  const { routers, costs } = c;
  for (let j = from; j < to; j++) {
    if (routers[j - from] !== routerAt[j] || costs[j - from] !== costAt[j]) return false;
  }
  return true;
}
