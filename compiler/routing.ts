// Convergence: every device's forwarding table from the configuration of all devices alone —
// interfaces and addresses, static routes, OSPF (interfaces, costs, redistribution, default
// origination), eBGP sessions with their import filters — plus what the externals announce.
// The compiler fills `fib` with it, and `plumb verify --configs` calls it on DeviceModels read
// back from configuration files, so both see the same forwarding state.
//
// The model of each protocol (documented in docs/architecture.md, "The compiler"):
//  - connected: every interface address's subnet (a loopback's /32 or /128 too);
//  - static: a route whose next hop lies in a connected subnet of the device (else unusable);
//  - static: a discard route is installed with no next hop (what it routes is dropped); where
//    a prefix has both, routes with a next hop at the same distance win over it;
//  - static: a link-local next hop (fe80::/10) needs its interface, and IPv6 on it;
//  - eBGP: an external announces exactly its prefixes of the session's address family (an IPv4
//    neighbour address carries IPv4 routes, an IPv6 one IPv6 routes) on every session to it; a
//    route is accepted when its prefix is exactly one of the session's import prefixes;
//  - OSPF (area 0, OSPFv2 for IPv4 and OSPFv3 for IPv6 over the same interfaces): adjacency
//    between two devices whose non-passive OSPF interfaces share a subnet (OSPFv3 over a link:
//    the two ends' link-local addresses, which are then the next hops); every OSPF interface's
//    subnet is a stub at its interface cost; redistributed routes (limited to their prefix
//    lists) and originated defaults are external routes of metric 20 (type 2: the nearest
//    advertising router wins, equal distances are kept as ECMP); intra-area beats external;
//  - selection by administrative distance: connected 0, static 1 (or its `distance`),
//    eBGP 20, OSPF 110.
//
// Cost at scale: a large network has a few thousand prefixes on every device, and most of them
// are advertised the same way (a gateway's segments). OSPF routes are computed per advertisement
// class (the prefixes of the same advertising routers and costs: one SPF lookup per class and
// device, one candidate object shared by the class's prefixes), and each device's table is
// sorted by prefix ranks numbered once for all devices. The FIB itself stays a full list per
// device: its readers (verifier, emulator, drift) take it as one.

import { containsAddress, parseAddress, type Family, type Prefix } from '../language/address.js';
import type { DeviceModel, InterfaceModel, NetworkModel, NextHopModel, RouteModel, RouteProtocol } from './model.js';
import {
  addressPart,
  cachedPrefix,
  compareHops,
  familyOf,
  mergeHops,
  subnetIndex,
  subnetOf,
  Topology,
  type Hop,
  type SubnetMember,
} from './topology.js';

export interface ConvergeExternal {
  name: string;
  /** What the external announces over eBGP: its declared prefixes. */
  prefixes: string[];
  /** Where it attaches (from the model's endpoints). */
  attachments: { device: string; interface: string }[];
}

export interface ConvergeContext {
  externals: ConvergeExternal[];
}

/** The context `converge` needs, taken from a model's external endpoints. */
export function convergeContextOf(model: NetworkModel): ConvergeContext {
  return {
    externals: model.endpoints
      .filter((e) => e.kind === 'external' && e.partOf === undefined)
      .map((e) => ({ name: e.name, prefixes: [...e.include], attachments: e.attachments.map((a) => ({ ...a })) })),
  };
}

export const OSPF_EXTERNAL_METRIC = 20;

const DISTANCE: Record<RouteProtocol, number> = { connected: 0, static: 1, bgp: 20, ospf: 110 };

interface Candidate {
  protocol: RouteProtocol;
  distance: number;
  metric: number;
  hops: NextHopModel[];
}

/** Candidates by prefix: one candidate as itself (most prefixes have one), several as a list. */
type Rib = Map<string, Candidate | Candidate[]>;

function candidatesOf(entry: Candidate | Candidate[] | undefined): readonly Candidate[] {
  return entry === undefined ? [] : Array.isArray(entry) ? entry : [entry];
}

/** Returns copies of the devices with `fib` computed; the input is not changed. */
export function converge(devices: DeviceModel[], context: ConvergeContext): DeviceModel[] {
  subnetLists = new WeakMap();
  const subnets = subnetIndex(devices);
  const owner = new Map<string, string>(); // address → device id
  for (const d of devices) for (const i of d.interfaces) for (const a of i.addresses) owner.set(addressPart(a), d.id);
  const linkLocalOwner = new Map<string, string>(); // "device|interface" → its link-local
  for (const d of devices) for (const i of d.interfaces) if (i.linkLocal !== undefined) linkLocalOwner.set(`${d.id}|${i.name}`, i.linkLocal);

  const ribs = new Map<string, Rib>();
  for (const d of devices) {
    const rib: Rib = new Map();
    addConnected(d, rib);
    addStatic(d, rib, owner, linkLocalOwner);
    addBgp(d, rib, context);
    ribs.set(d.id, rib);
  }
  for (const family of [4, 6] as Family[]) addOspf(devices, family, ribs, subnets);

  const rank = prefixRanks(ribs.values());
  return devices.map((d) => ({ ...d, fib: select(ribs.get(d.id)!, rank) }));
}

function push(rib: Rib, prefix: string, c: Candidate): void {
  const entry = rib.get(prefix);
  if (entry === undefined) rib.set(prefix, c);
  else if (Array.isArray(entry)) entry.push(c);
  else rib.set(prefix, [entry, c]);
}

function addConnected(d: DeviceModel, rib: Rib): void {
  for (const i of d.interfaces) {
    for (const a of i.addresses) {
      push(rib, subnetOf(a), { protocol: 'connected', distance: 0, metric: 0, hops: [{ interface: i.name }] });
    }
  }
}

/** The interface of `d` whose subnet holds `address` (longest match), if any. */
function connectedInterface(d: DeviceModel, address: string): InterfaceModel | undefined {
  const target = parseAddress(address);
  if (!target) return undefined;
  let best: InterfaceModel | undefined;
  let bestLen = -1;
  for (const { iface, prefix } of subnetsOf(d)) {
    if (prefix.length > bestLen && containsAddress(prefix, target)) {
      best = iface;
      bestLen = prefix.length;
    }
  }
  return best;
}

// Per converge() call (reset at its start): devices are not changed during one call.
let subnetLists = new WeakMap<DeviceModel, { iface: InterfaceModel; prefix: Prefix }[]>();
function subnetsOf(d: DeviceModel): { iface: InterfaceModel; prefix: Prefix }[] {
  let list = subnetLists.get(d);
  if (!list) {
    list = d.interfaces.filter((i) => i.role !== 'loopback').flatMap((iface) => iface.addresses.map((a) => ({ iface, prefix: cachedPrefix(a) })));
    subnetLists.set(d, list);
  }
  return list;
}

function isLinkLocal(address: string): boolean {
  return /^fe[89ab][0-9a-f]:/i.test(address);
}

function addStatic(d: DeviceModel, rib: Rib, owner: Map<string, string>, linkLocalOwner: Map<string, string>): void {
  const byPrefix = new Map<string, { distance: number; hops: NextHopModel[] }>();
  const discards = new Map<string, number>(); // prefix → the lowest distance of its discard routes
  // A router's many static routes share a few next hops: each is resolved once.
  const resolved = new Map<string, InterfaceModel | undefined>();
  const resolve = (address: string): InterfaceModel | undefined => {
    if (!resolved.has(address)) resolved.set(address, connectedInterface(d, address));
    return resolved.get(address);
  };
  for (const r of d.staticRoutes) {
    if (r.discard) {
      const distance = r.distance ?? DISTANCE.static;
      discards.set(r.prefix, Math.min(distance, discards.get(r.prefix) ?? distance));
      continue;
    }
    let hop: NextHopModel | undefined;
    if (r.nextHop && isLinkLocal(r.nextHop)) {
      // A link-local next hop is only meaningful with its interface, on which IPv6 must run;
      // it is the peer's when the peer's link-local is that address.
      const iface = r.interface !== undefined ? d.interfaces.find((i) => i.name === r.interface) : undefined;
      if (!iface || (iface.linkLocal === undefined && !iface.addresses.some((a) => familyOf(a) === 6))) continue;
      const peer = iface.peer ? linkLocalOwner.get(`${iface.peer.device}|${iface.peer.interface}`) : undefined;
      hop = { interface: iface.name, address: r.nextHop, ...(peer === r.nextHop ? { device: iface.peer!.device } : {}) };
    } else if (r.nextHop) {
      const iface = r.interface ? d.interfaces.find((i) => i.name === r.interface) : resolve(r.nextHop);
      if (!iface) continue; // unresolvable next hop: the route is not installed
      const dev = owner.get(r.nextHop);
      hop = { interface: iface.name, address: r.nextHop, ...(dev && dev !== d.id ? { device: dev } : {}) };
    } else if (r.interface) {
      hop = { interface: r.interface };
    }
    if (!hop) continue;
    const distance = r.distance ?? DISTANCE.static;
    const entry = byPrefix.get(r.prefix);
    // Only the lowest distance of a prefix's static routes is used; equal ones are ECMP.
    if (!entry || distance < entry.distance) byPrefix.set(r.prefix, { distance, hops: [hop] });
    else if (distance === entry.distance) entry.hops.push(hop);
  }
  for (const [prefix, distance] of discards) {
    const e = byPrefix.get(prefix);
    if (!e || distance < e.distance) byPrefix.set(prefix, { distance, hops: [] });
  }
  for (const [prefix, e] of byPrefix) push(rib, prefix, { protocol: 'static', distance: e.distance, metric: 0, hops: e.hops });
}

function addBgp(d: DeviceModel, rib: Rib, context: ConvergeContext): void {
  if (!d.bgp) return;
  const byPrefix = new Map<string, NextHopModel[]>();
  for (const n of d.bgp.neighbors) {
    const iface = connectedInterface(d, n.address);
    if (!iface) continue; // eBGP peers are directly connected; no session otherwise
    const ext =
      context.externals.find((x) => x.name === n.external) ??
      context.externals.find((x) => x.attachments.some((a) => a.device === d.id && a.interface === iface.name));
    if (!ext) continue;
    const imports = new Set(n.importPrefixes);
    const family = familyOf(n.address);
    for (const p of ext.prefixes) {
      // A session carries the unicast routes of its own address family only.
      if (!imports.has(p) || familyOf(p) !== family) continue;
      let hops = byPrefix.get(p);
      if (!hops) byPrefix.set(p, (hops = []));
      hops.push({ interface: iface.name, address: n.address });
    }
  }
  for (const [prefix, hops] of byPrefix) push(rib, prefix, { protocol: 'bgp', distance: DISTANCE.bgp, metric: 0, hops });
}

/** The best non-OSPF candidate of a prefix in a RIB. */
function bestLocal(rib: Rib, prefix: string): Candidate | undefined {
  let best: Candidate | undefined;
  for (const c of candidatesOf(rib.get(prefix))) {
    if (c.protocol === 'ospf') continue;
    if (!best || c.distance < best.distance) best = c;
  }
  return best;
}

interface Advert {
  prefix: string;
  router: string;
  cost: number;
}

function addOspf(devices: readonly DeviceModel[], family: Family, ribs: Map<string, Rib>, subnets: Map<string, SubnetMember[]>): void {
  const ospfDevices = devices.filter((d) => d.ospf);
  if (ospfDevices.length === 0) return;
  const active = (d: DeviceModel, i: InterfaceModel) => {
    const o = d.ospf?.interfaces.find((x) => x.name === i.name);
    return o && !o.passive ? o.cost : undefined;
  };
  const topo = new Topology(ospfDevices, family, active, subnets);

  const stubs: Advert[] = [];
  const externals: Advert[] = [];
  const universe = family === 4 ? '0.0.0.0/0' : '::/0';
  for (const d of ospfDevices) {
    const ospf = d.ospf!;
    for (const oi of ospf.interfaces) {
      const iface = d.interfaces.find((i) => i.name === oi.name);
      for (const a of iface?.addresses ?? []) {
        if (familyOf(a) === family) stubs.push({ prefix: subnetOf(a), router: d.id, cost: oi.cost });
      }
    }
    const rib = ribs.get(d.id)!;
    const seen = new Set<string>();
    for (const r of ospf.redistribute) {
      for (const p of r.prefixes) {
        if (familyOf(p) !== family || p === universe || seen.has(p)) continue;
        if (bestLocal(rib, p)?.protocol !== r.protocol) continue;
        seen.add(p);
        externals.push({ prefix: p, router: d.id, cost: OSPF_EXTERNAL_METRIC });
      }
    }
    const wantsDefault = family === 4 ? ospf.defaultOriginate.ipv4 : ospf.defaultOriginate.ipv6;
    const local = bestLocal(rib, universe);
    if (wantsDefault && local && (local.protocol === 'static' || local.protocol === 'bgp')) {
      externals.push({ prefix: universe, router: d.id, cost: OSPF_EXTERNAL_METRIC });
    }
  }
  const stubClasses = advertClasses(stubs);
  const extClasses = advertClasses(externals);
  // Every stub prefix's class, for "intra-area routes beat external ones" per class.
  const stubClassOf = new Map<string, number>();
  stubClasses.forEach((c, i) => {
    for (const p of c.prefixes) stubClassOf.set(p, i);
  });
  const intra = new Uint8Array(stubClasses.length);

  for (const d of ospfDevices) {
    const tree = topo.spf(d.id);
    const rib = ribs.get(d.id)!;
    const best = (ads: readonly Advert[]): { metric: number; hops: Hop[] } | undefined => {
      let metric = Infinity;
      let hops: Hop[] = [];
      let merged = false;
      for (const a of ads) {
        if (a.router === d.id) return undefined; // our own prefix: connected or local route
        const dist = tree.dist.get(a.router);
        if (dist === undefined) continue;
        const m = dist + a.cost;
        const via = tree.first.get(a.router) ?? [];
        if (m < metric) {
          metric = m;
          hops = via; // shared, sorted, never changed: the model is plain data
          merged = false;
        } else if (m === metric) {
          hops = mergeHops(hops, via);
          merged = true;
        }
      }
      return metric === Infinity ? undefined : { metric, hops: merged ? hops.sort(compareHops) : hops };
    };
    // One route per class, the same candidate object for each of its prefixes.
    stubClasses.forEach((c, i) => {
      // A stub of a device in another part of a partitioned network is not in this LSDB.
      const own = c.ads.some((a) => a.router === d.id);
      const r = best(c.ads);
      intra[i] = own || r ? 1 : 0;
      if (!r) return;
      const candidate: Candidate = { protocol: 'ospf', distance: DISTANCE.ospf, metric: r.metric, hops: r.hops };
      for (const prefix of c.prefixes) push(rib, prefix, candidate);
    });
    for (const c of extClasses) {
      let candidate: Candidate | null | undefined; // computed on the class's first external prefix
      for (const prefix of c.prefixes) {
        const stubClass = stubClassOf.get(prefix);
        if (stubClass !== undefined && intra[stubClass] === 1) continue; // intra-area routes beat external ones
        if (candidate === undefined) {
          const r = best(c.ads);
          candidate = r ? { protocol: 'ospf', distance: DISTANCE.ospf, metric: r.metric, hops: r.hops } : null;
        }
        if (candidate) push(rib, prefix, candidate);
      }
    }
  }
}

/**
 * Prefixes advertised by the same routers at the same costs (in the same order) form one class:
 * every device reaches them over the same next hops at the same metric, so each device computes
 * a class's route once, not once per prefix (a site's segments are one class per gateway).
 */
function advertClasses(ads: readonly Advert[]): { ads: Advert[]; prefixes: string[] }[] {
  const byPrefix = new Map<string, Advert[]>();
  for (const a of ads) {
    let l = byPrefix.get(a.prefix);
    if (!l) byPrefix.set(a.prefix, (l = []));
    l.push(a);
  }
  const classes = new Map<string, { ads: Advert[]; prefixes: string[] }>();
  for (const [prefix, list] of byPrefix) {
    const key = list.map((a) => `${a.router} ${a.cost}`).join('|');
    const c = classes.get(key);
    if (c) c.prefixes.push(prefix);
    else classes.set(key, { ads: list, prefixes: [prefix] });
  }
  return [...classes.values()];
}

function compareNextHops(a: NextHopModel, b: NextHopModel): number {
  if (a.interface !== b.interface) return a.interface < b.interface ? -1 : 1;
  const x = a.address ?? '';
  const y = b.address ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
}

function select(rib: Rib, rank: Map<string, number>): RouteModel[] {
  const out: RouteModel[] = [];
  for (const [prefix, entry] of rib) {
    const cands = candidatesOf(entry);
    let best: Candidate[] = [];
    for (const c of cands) {
      if (best.length === 0 || c.distance < best[0]!.distance) best = [c];
      else if (c.distance === best[0]!.distance && c.protocol === best[0]!.protocol) best.push(c);
    }
    const first = best[0]!;
    let hops: NextHopModel[];
    if (best.length === 1 && first.hops.length <= 1) {
      hops = first.hops;
    } else {
      hops = [];
      for (const c of best) {
        for (const h of c.hops) {
          if (!hops.some((x) => x.interface === h.interface && x.address === h.address)) hops.push(h);
        }
      }
      hops.sort(compareNextHops);
    }
    out.push({ prefix, protocol: first.protocol, nextHops: hops, metric: first.metric });
  }
  // Sort by prefix through the prefixes' ranks: numbers, compared without parsing anything.
  const ranks = new Float64Array(out.length);
  out.forEach((r, i) => (ranks[i] = rank.get(r.prefix)!));
  const order = Uint32Array.from(out.keys()).sort((a, b) => ranks[a]! - ranks[b]! || a - b);
  return Array.from(order, (i) => out[i]!);
}

/**
 * Every prefix of every RIB numbered in prefix order. Most prefixes are in every device's RIB:
 * sorting them once, for all devices, replaces a sort of each device's table by prefix.
 */
function prefixRanks(ribs: Iterable<Rib>): Map<string, number> {
  const all = new Set<string>();
  for (const rib of ribs) for (const prefix of rib.keys()) all.add(prefix);
  const texts = [...all];
  const prefixes = texts.map((t) => cachedPrefix(t));
  const order = Uint32Array.from(texts.keys()).sort((a, b) => compareCanonical(prefixes[a]!, prefixes[b]!));
  // Texts of the same prefix (one with host bits written differently) share a rank: a device's
  // table keeps them in the order its RIB has them.
  const rank = new Map<string, number>();
  order.forEach((i, position) => {
    const previous = position > 0 ? order[position - 1]! : undefined;
    const same = previous !== undefined && compareCanonical(prefixes[previous]!, prefixes[i]!) === 0;
    rank.set(texts[i]!, same ? rank.get(texts[previous]!)! : position);
  });
  return rank;
}

/** comparePrefixes for prefixes already in network form (every FIB prefix), without masking. */
function compareCanonical(a: Prefix, b: Prefix): number {
  if (a.family !== b.family) return a.family - b.family;
  if (a.value !== b.value) return a.value < b.value ? -1 : 1;
  return a.length - b.length;
}
