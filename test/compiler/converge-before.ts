// The convergence of static routes and the RIBs as it was before static routes were read by
// prefix number with shared candidates (compiler/routing.ts at 68a8d74): the reference that
// test/compiler/converge-reference.test.ts compares converge() with on seeded networks.

import { containsAddress, parseAddress, type Family, type Prefix } from '../../language/address.js';
import type { DeviceModel, InterfaceModel, NetworkModel, NextHopModel, StaticRouteModel } from '../../compiler/model.js';
import { addOspfBefore } from './converge-before-ospf.js';
import { DISTANCE, PrefixNumbers, prefixOrder, Rib, select, type Candidate } from '../../compiler/routing-rib.js';
import { addressPart, cachedPrefix, familyOf, subnetIndex, subnetOf } from '../../compiler/topology.js';


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
export function convergeBefore(devices: DeviceModel[], context: ConvergeContext): DeviceModel[] {
  subnetLists = new WeakMap();
  const subnets = subnetIndex(devices);
  const owner = new Map<string, string>(); // address → device id
  for (const d of devices) for (const i of d.interfaces) for (const a of i.addresses) owner.set(addressPart(a), d.id);
  const linkLocalOwner = new Map<string, string>(); // "device|interface" → its link-local
  for (const d of devices) for (const i of d.interfaces) if (i.linkLocal !== undefined) linkLocalOwner.set(`${d.id}|${i.name}`, i.linkLocal);

  // Every prefix a RIB can hold: the connected subnets, the static routes' prefixes and what the
  // externals announce (OSPF advertises only prefixes of these).
  const numbers = new PrefixNumbers();
  for (const d of devices) {
    for (const i of d.interfaces) for (const a of i.addresses) numbers.add(subnetOf(a));
    for (const r of d.staticRoutes) numbers.add(r.prefix);
  }
  for (const x of context.externals) for (const p of x.prefixes) numbers.add(p);
  const order = prefixOrder(numbers);

  const ribs = new Map<string, Rib>();
  for (const d of devices) {
    const rib = new Rib(numbers.texts.length, order.anyTied);
    addConnected(d, rib, numbers);
    addStatic(d, rib, numbers, owner, linkLocalOwner);
    addBgp(d, rib, numbers, context);
    ribs.set(d.id, rib);
  }
  for (const family of [4, 6] as Family[]) addOspfBefore(devices, family, ribs, numbers, subnets);

  return devices.map((d) => ({ ...d, fib: select(ribs.get(d.id)!, numbers, order) }));
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

/** A resolved next hop of static routes, and the next-hop list of a prefix routed over it alone. */
interface StaticHop {
  hop: NextHopModel;
  alone: NextHopModel[];
}

function addStatic(d: DeviceModel, rib: Rib, numbers: PrefixNumbers, owner: Map<string, string>, linkLocalOwner: Map<string, string>): void {
  const byPrefix = new Map<number, Candidate>(); // prefix number → its static candidate
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
  const hopOf = (r: StaticRouteModel): StaticHop | null => {
    let byAddress = hops.get(r.interface);
    if (!byAddress) hops.set(r.interface, (byAddress = new Map()));
    const key = r.nextHop ?? '';
    let known = byAddress.get(key);
    if (known === undefined) {
      const hop = staticHop(d, r, resolve, owner, linkLocalOwner);
      byAddress.set(key, (known = hop ? { hop, alone: [hop] } : null));
    }
    return known;
  };
  for (const r of d.staticRoutes) {
    if (r.discard) {
      const id = numbers.get(r.prefix)!;
      const distance = r.distance ?? DISTANCE.static;
      discards.set(id, Math.min(distance, discards.get(id) ?? distance));
      continue;
    }
    const hop = hopOf(r);
    if (!hop) continue;
    const id = numbers.get(r.prefix)!;
    const distance = r.distance ?? DISTANCE.static;
    const entry = byPrefix.get(id);
    // Only the lowest distance of a prefix's static routes is used; equal ones are ECMP.
    if (!entry || distance < entry.distance) byPrefix.set(id, { protocol: 'static', distance, metric: 0, hops: hop.alone });
    else if (distance === entry.distance) {
      // A shared one-hop list is copied before it grows.
      if (entry.hops.length === 1) entry.hops = [entry.hops[0]!, hop.hop];
      else entry.hops.push(hop.hop);
    }
  }
  for (const [id, distance] of discards) {
    const e = byPrefix.get(id);
    if (!e || distance < e.distance) byPrefix.set(id, { protocol: 'static', distance, metric: 0, hops: [] });
  }
  for (const [id, c] of byPrefix) rib.push(id, c);
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
