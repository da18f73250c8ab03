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
// device, one candidate object shared by the class's prefixes). Every prefix is numbered once
// for all devices, in prefix order: a RIB is an array by prefix number, and each device's table
// comes out of it in order. A router's static routes share a few next hops: each is resolved
// once, and the prefixes routed over it alone share one candidate (and its next-hop list). The
// FIB itself stays a full list per device: its readers (verifier, emulator, drift) take it as one,
// made when first read (the compiler's own readers read the RIB instead: compiler/fib-views.ts).

import { containsAddress, parseAddress, type Prefix } from '../language/address.js';
import type { DeviceModel, InterfaceModel, NetworkModel, NextHopModel, StaticRouteModel } from './model.js';
import { addOspf } from './routing-ospf.js';
import { DISTANCE, FibTextLists, PrefixNumbers, prefixOrder, Rib, selectFib, type Candidate } from './routing-rib.js';
import { copyWithFib, putSelectedFib } from './fib-views.js';
import { addressPart, cachedPrefix, familyOf, subnetIndex, subnetOf } from './topology.js';

export { OSPF_EXTERNAL_METRIC } from './routing-ospf.js';

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

/** Returns copies of the devices with `fib` computed; the input is not changed. */
export function converge(devices: DeviceModel[], context: ConvergeContext): DeviceModel[] {
  subnetLists = new WeakMap();
  const subnets = subnetIndex(devices);
  const owner = new Map<string, string>(); // address → device id
  for (const d of devices) for (const i of d.interfaces) for (const a of i.addresses) owner.set(addressPart(a), d.id);
  const linkLocalOwner = new Map<string, string>(); // "device|interface" → its link-local
  for (const d of devices) for (const i of d.interfaces) if (i.linkLocal !== undefined) linkLocalOwner.set(`${d.id}|${i.name}`, i.linkLocal);

  // Every prefix a RIB can hold: the connected subnets, the static routes' prefixes and what the
  // externals announce (OSPF advertises only prefixes of these).
  const numbers = new PrefixNumbers();
  const staticNumbers: Int32Array[] = []; // each device's static routes' prefix numbers, in order
  for (const d of devices) {
    for (const i of d.interfaces) for (const a of i.addresses) numbers.add(subnetOf(a));
    // A loop, not Int32Array.from(routes, fn): that iterates the array through the iterator
    // protocol and collects a list first (two objects a route, 772,000 routes at 400 devices).
    const routes = d.staticRoutes;
    const ids = new Int32Array(routes.length);
    for (let k = 0; k < routes.length; k++) ids[k] = numbers.add(routes[k]!.prefix);
    staticNumbers.push(ids);
  }
  for (const x of context.externals) for (const p of x.prefixes) numbers.add(p);
  const order = prefixOrder(numbers);

  const ribs = new Map<string, Rib>();
  const scratch = new StaticScratch(numbers.texts.length);
  devices.forEach((d, index) => {
    const rib = new Rib(numbers.texts.length, order.anyTied);
    addConnected(d, rib, numbers);
    addStatic(d, staticNumbers[index]!, rib, scratch, owner, linkLocalOwner);
    addBgp(d, rib, numbers, context);
    ribs.set(d.id, rib);
  });
  addOspf(devices, ribs, numbers, subnets);

  // The FIBs' text lists are classed as they are made: readers of many FIBs compare classes (routing-rib.ts).
  const lists = new FibTextLists(numbers.texts.length);
  // Each FIB's route objects are made when its `fib` is first read (compiler/fib-views.ts).
  return devices.map((d) => {
    const out = copyWithFib(d, []);
    putSelectedFib(out, selectFib(ribs.get(d.id)!, numbers, order, lists));
    return out;
  });
}

function addConnected(d: DeviceModel, rib: Rib, numbers: PrefixNumbers): void {
  for (const i of d.interfaces) {
    for (const a of i.addresses) {
      rib.push(numbers.get(subnetOf(a))!, { protocol: 'connected', distance: 0, metric: 0, hops: [{ interface: i.name }] });
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

/**
 * A resolved next hop of static routes, the next-hop list of a prefix routed over it alone, and
 * the candidate of such a prefix at the default distance (shared by all of them: a candidate is
 * not changed once in a RIB, and one that gains a hop below is a new object).
 */
interface StaticHop {
  hop: NextHopModel;
  alone: NextHopModel[];
  candidate: Candidate;
}

/** Each prefix's static candidate while one device's routes are read (by prefix number, reused across devices). */
class StaticScratch {
  readonly byNumber: (Candidate | undefined)[];
  /** The numbers set, in the order first set (the RIB gets them in this order). */
  readonly touched: number[] = [];

  constructor(size: number) {
    this.byNumber = new Array<Candidate | undefined>(size).fill(undefined);
  }

  set(id: number, c: Candidate): void {
    if (this.byNumber[id] === undefined) this.touched.push(id);
    this.byNumber[id] = c;
  }
}

function addStatic(
  d: DeviceModel,
  prefixNumbers: Int32Array,
  rib: Rib,
  scratch: StaticScratch,
  owner: Map<string, string>,
  linkLocalOwner: Map<string, string>,
): void {
  const byNumber = scratch.byNumber;
  const discards = new Map<number, number>(); // prefix number → the lowest distance of its discard routes
  // A router's many static routes share a few next hops: each is resolved once.
  const resolved = new Map<string, InterfaceModel | undefined>();
  const resolve = (address: string): InterfaceModel | undefined => {
    if (!resolved.has(address)) resolved.set(address, connectedInterface(d, address));
    return resolved.get(address);
  };
  // The next hop of a route depends on its interface and next-hop address only: by interface,
  // then address (null: the route is not installed).
  const hops = new Map<string | undefined, Map<string, StaticHop | null>>();
  // A router's routes come by prefix, and nearly all run over one neighbour (770,320 of 772,080
  // at 400 devices): a route over the interface and next hop of the one before takes its hop
  // without the two look-ups.
  let lastInterface: string | undefined;
  let lastNextHop: string | undefined;
  let lastHop: StaticHop | null | undefined;
  const hopOf = (r: StaticRouteModel): StaticHop | null => {
    if (lastHop !== undefined && r.interface === lastInterface && r.nextHop === lastNextHop) return lastHop;
    let byAddress = hops.get(r.interface);
    if (!byAddress) hops.set(r.interface, (byAddress = new Map()));
    const key = r.nextHop ?? '';
    let known = byAddress.get(key);
    if (known === undefined) {
      const hop = staticHop(d, r, resolve, owner, linkLocalOwner);
      const alone = hop ? [hop] : [];
      byAddress.set(key, (known = hop ? { hop, alone, candidate: { protocol: 'static', distance: DISTANCE.static, metric: 0, hops: alone } } : null));
    }
    lastInterface = r.interface;
    lastNextHop = r.nextHop;
    lastHop = known;
    return known;
  };
  const routes = d.staticRoutes;
  for (let k = 0; k < routes.length; k++) {
    const r = routes[k]!;
    const id = prefixNumbers[k]!;
    if (r.discard) {
      const distance = r.distance ?? DISTANCE.static;
      discards.set(id, Math.min(distance, discards.get(id) ?? distance));
      continue;
    }
    const hop = hopOf(r);
    if (!hop) continue;
    const distance = r.distance ?? DISTANCE.static;
    const entry = byNumber[id];
    // Only the lowest distance of a prefix's static routes is used; equal ones are ECMP.
    if (!entry || distance < entry.distance) {
      scratch.set(id, distance === DISTANCE.static ? hop.candidate : { protocol: 'static', distance, metric: 0, hops: hop.alone });
    } else if (distance === entry.distance) {
      // A one-hop candidate may be shared: a new one takes the second hop.
      if (entry.hops.length === 1) scratch.set(id, { protocol: 'static', distance, metric: 0, hops: [entry.hops[0]!, hop.hop] });
      else entry.hops.push(hop.hop);
    }
  }
  for (const [id, distance] of discards) {
    const e = byNumber[id];
    if (!e || distance < e.distance) scratch.set(id, { protocol: 'static', distance, metric: 0, hops: [] });
  }
  const touched = scratch.touched;
  for (let k = 0; k < touched.length; k++) {
    const id = touched[k]!;
    rib.push(id, byNumber[id]!);
    byNumber[id] = undefined;
  }
  scratch.touched.length = 0;
}

/** A static route's next hop at `d`; undefined when the route cannot be installed. */
function staticHop(
  d: DeviceModel,
  r: StaticRouteModel,
  resolve: (address: string) => InterfaceModel | undefined,
  owner: Map<string, string>,
  linkLocalOwner: Map<string, string>,
): NextHopModel | undefined {
  if (r.nextHop && isLinkLocal(r.nextHop)) {
    // A link-local next hop is only meaningful with its interface, on which IPv6 must run;
    // it is the peer's when the peer's link-local is that address.
    const iface = r.interface !== undefined ? d.interfaces.find((i) => i.name === r.interface) : undefined;
    if (!iface || (iface.linkLocal === undefined && !iface.addresses.some((a) => familyOf(a) === 6))) return undefined;
    const peer = iface.peer ? linkLocalOwner.get(`${iface.peer.device}|${iface.peer.interface}`) : undefined;
    return { interface: iface.name, address: r.nextHop, ...(peer === r.nextHop ? { device: iface.peer!.device } : {}) };
  }
  if (r.nextHop) {
    const iface = r.interface ? d.interfaces.find((i) => i.name === r.interface) : resolve(r.nextHop);
    if (!iface) return undefined; // unresolvable next hop: the route is not installed
    const dev = owner.get(r.nextHop);
    return { interface: iface.name, address: r.nextHop, ...(dev && dev !== d.id ? { device: dev } : {}) };
  }
  if (r.interface) return { interface: r.interface };
  return undefined;
}

function addBgp(d: DeviceModel, rib: Rib, numbers: PrefixNumbers, context: ConvergeContext): void {
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
  for (const [prefix, hops] of byPrefix) rib.push(numbers.get(prefix)!, { protocol: 'bgp', distance: DISTANCE.bgp, metric: 0, hops });
}
