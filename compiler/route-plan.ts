// The routing configuration the compiler writes: static routes, OSPF and eBGP sessions. The
// forwarding tables are not computed here but by converge() from this configuration.
//
// Least cost: a device reaches a prefix through the owner(s) of the prefix at least
// dist(device, owner) + the owner's interface cost (the link's cost for a link prefix, 1 for a
// segment or loopback); an external's prefix through its nearest attach devices. Every
// equal-cost first hop is kept. With `routing static` every device gets a static route per
// first hop for every prefix it does not own. With `routing ospf`, OSPF runs on every device
// whose platform runs a routing daemon (the platform table's trait; not `linux`); a static-only
// device gets static routes for everything, and each OSPF neighbour of a static-only device gets
// static routes (via that device) for the prefixes only static-only devices own, redistributed
// into OSPF (defaults by default-originate).
//
// Address translation (compiler/nat.ts): an external whose prefixes appear to us as mapped ones
// (`translate PARTNER as MAPPED`) is routed inside by the mapped prefixes, toward its attach
// devices, which route them to its peer or gateway (IOS-XE translates inside-to-outside after
// routing, so that route decides the exit); its real prefixes, which may be ours too, are never
// redistributed inside, and the attach devices accept none of them that one of our own prefixes
// covers (the eBGP route would win over ours there). Our prefixes it sees as mapped are exported
// to it as mapped, and the attach device holds a discard route for each such export (a BGP
// `network` is announced only while a route for its prefix exists), redistributed nowhere.
//
// planRouting returns each device's routing configuration; compileIntent puts it in the model.

import { match } from 'ts-pattern';
import type { Family } from '../language/address.js';
import type { Span } from '../language/diagnostic.js';
import type { CheckedIntent } from '../language/intent.js';
import { PLATFORM_TRAITS } from '../language/platforms.js';
import type { DeviceDraft } from './devices.js';
import { compareText } from './interfaces.js';
import type { BgpModel, BgpNeighborModel, DeviceModel, OspfModel, StaticRouteModel } from './model.js';
import { addressOf, comparePrefixes, containsPrefix } from '../language/address.js';
import { cachedPrefix, compareHops, familyOf, mergeHops, subnetIndex, subnetOf, Topology, type Hop } from './topology.js';
import type { EndpointSets } from './endpoints.js';
import { formatSet } from './prefix-set.js';
import { exportDiscards, exportedAs, hiddenPrefixes, mappedPrefixes, mappedRoutes, translatingExternals, type TranslatingExternal } from './nat.js';

/** The routing configuration of one device, as the model holds it. */
export interface DeviceRouting {
  /** Sorted by prefix, then distance, next hop and interface. */
  staticRoutes: StaticRouteModel[];
  bgp?: BgpModel;
  ospf?: OspfModel;
}

interface Destination {
  prefix: string;
  family: Family;
  /** Owner device id → cost of the last step (interface cost). */
  owners: Map<string, number>;
  origin: Span;
}

/** What every step of the plan reads: the devices, the paths between them, who speaks OSPF. */
interface RoutingContext {
  intent: CheckedIntent;
  drafts: Map<string, DeviceDraft>;
  /** Every destination, sorted by prefix. */
  destinations: Destination[];
  topology: Map<Family, Topology>;
  /** Device id → its OSPF part (per family), for devices that run OSPF. */
  ospfParts: Map<Family, Map<string, number>>;
  /** Whether a device runs no routing daemon (its platform's trait): static routes only. */
  staticOnly: (deviceId: string) => boolean;
  ospfMode: boolean;
  /** The externals that translate, by name. */
  translating: Map<string, TranslatingExternal>;
  /** The external prefixes routed at their attach devices only (known inside as mapped). */
  hidden: Set<string>;
}

const DEFAULTS = new Set(['0.0.0.0/0', '::/0']);
const FAMILIES: readonly Family[] = [4, 6];

/** The routing configuration of every device (by id); the drafts are read, not changed. */
export function planRouting(intent: CheckedIntent, drafts: Map<string, DeviceDraft>, sets: EndpointSets): Map<string, DeviceRouting> {
  const devices = [...drafts.values()].map((draft) => draft.model);
  const platformOf = new Map(devices.map((device) => [device.id, device.platform]));
  const staticOnly = (deviceId: string): boolean => {
    const platform = platformOf.get(deviceId);
    return platform !== undefined && !PLATFORM_TRAITS[platform].runsRoutingDaemon;
  };
  const topology = topologies(devices, drafts);
  const translating = new Map(translatingExternals(intent).map((t) => [t.external.name, t]));
  const context: RoutingContext = {
    intent,
    drafts,
    destinations: routingDestinations(intent, drafts, translating),
    topology,
    ospfParts: ospfParts(devices, topology, staticOnly),
    staticOnly,
    ospfMode: intent.routing === 'ospf',
    translating,
    hidden: new Set([...translating.values()].flatMap(hiddenPrefixes)),
  };
  const staticRoutes = new Map(devices.map((device) => [device.id, staticRoutesOf(context, device)]));
  const sessions = ebgpSessions(context, sets);
  const plans = new Map<string, DeviceRouting>();
  for (const draft of drafts.values()) {
    const id = draft.model.id;
    const bgp = sessions.get(id);
    // OSPF redistributes the static routes that lead somewhere, never the discard routes.
    const ospf = context.ospfMode ? ospfOf(context, draft, staticRoutes.get(id)!, bgp) : undefined;
    plans.set(id, { staticRoutes: withDiscards(context, staticRoutes.get(id)!, bgp), ...(bgp ? { bgp } : {}), ...(ospf ? { ospf } : {}) });
  }
  checkRouterIds(context);
  return plans;
}

/** Destinations: every internal subnet and every external prefix, sorted by prefix. */
function routingDestinations(intent: CheckedIntent, drafts: Map<string, DeviceDraft>, translating: Map<string, TranslatingExternal>): Destination[] {
  const destinations = new Map<string, Destination>();
  const addDestination = (prefix: string, owner: string, cost: number, origin: Span) => {
    let destination = destinations.get(prefix);
    if (!destination) destinations.set(prefix, (destination = { prefix, family: familyOf(prefix), owners: new Map(), origin }));
    const old = destination.owners.get(owner);
    if (old === undefined || cost < old) destination.owners.set(owner, cost);
  };
  for (const draft of drafts.values()) {
    for (const i of draft.model.interfaces) {
      if (i.role === 'external') continue;
      for (const a of i.addresses) addDestination(subnetOf(a), draft.model.id, i.role === 'link' ? (draft.linkCost.get(i.name) ?? 1) : 1, i.origin);
    }
  }
  for (const x of intent.externals) {
    // A translated external is a destination by its mapped prefixes, never its real ones.
    const t = translating.get(x.name);
    const hidden = new Set(t ? hiddenPrefixes(t) : []);
    for (const p of [...x.prefixes.filter((q) => !hidden.has(q)), ...(t ? mappedPrefixes(t) : [])]) {
      // Only an attachment of the prefix's family carries it (C710 names the others).
      for (const att of x.attachments) if (familyOf(att.address) === familyOf(p)) addDestination(p, att.device, 0, x.span);
    }
  }
  return [...destinations.values()].sort((a, b) => comparePrefixes(cachedPrefix(a.prefix), cachedPrefix(b.prefix)));
}

/** The link graph of each family, with the links' costs. */
function topologies(devices: DeviceModel[], drafts: Map<string, DeviceDraft>): Map<Family, Topology> {
  const subnets = subnetIndex(devices);
  const topology = new Map<Family, Topology>();
  for (const f of FAMILIES) {
    topology.set(f, new Topology(devices, f, (d, i) => (i.role === 'link' ? (drafts.get(d.id)!.linkCost.get(i.name) ?? 1) : undefined), subnets));
  }
  return topology;
}

/** The parts of the OSPF network: devices connected by links that avoid static-only devices. */
function ospfParts(
  devices: DeviceModel[],
  topology: Map<Family, Topology>,
  staticOnly: (deviceId: string) => boolean,
): Map<Family, Map<string, number>> {
  const components = new Map<Family, Map<string, number>>();
  for (const f of FAMILIES) {
    const comp = new Map<string, number>();
    for (const d of devices) {
      if (staticOnly(d.id) || comp.has(d.id)) continue;
      const id = comp.size;
      const queue = [d.id];
      comp.set(d.id, id);
      while (queue.length > 0) {
        const u = queue.pop()!;
        for (const h of topology.get(f)!.neighbors(u)) {
          if (staticOnly(h.device) || comp.has(h.device)) continue;
          comp.set(h.device, id);
          queue.push(h.device);
        }
      }
    }
    components.set(f, comp);
  }
  return components;
}

/**
 * Static routes at `deviceId` along every least-cost first hop, for the destinations it does not
 * own that `wanted` picks (only through static-only neighbours with `viaStaticOnly`).
 */
function leastCostRoutes(
  context: RoutingContext,
  deviceId: string,
  wanted: (destination: Destination) => boolean,
  viaStaticOnly: boolean,
): StaticRouteModel[] {
  const out: StaticRouteModel[] = [];
  const trees = new Map<Family, ReturnType<Topology['spf']>>();
  for (const dest of context.destinations) {
    if (dest.owners.has(deviceId) || !wanted(dest)) continue;
    let tree = trees.get(dest.family);
    if (!tree) trees.set(dest.family, (tree = context.topology.get(dest.family)!.spf(deviceId)));
    let best = Infinity;
    let hops: Hop[] = [];
    for (const [owner, cost] of dest.owners) {
      const dist = tree.dist.get(owner);
      if (dist === undefined) continue;
      const total = dist + cost;
      const via = tree.first.get(owner) ?? [];
      if (total < best) {
        best = total;
        hops = [...via];
      } else if (total === best) hops = mergeHops(hops, via);
    }
    if (viaStaticOnly) hops = hops.filter((h) => context.staticOnly(h.device));
    for (const h of hops.sort(compareHops)) {
      out.push({ prefix: dest.prefix, nextHop: h.address, interface: h.interface, origin: dest.origin });
    }
  }
  return out;
}

/**
 * A device's static routes: to each static external's gateway where it attaches; then, with
 * `routing static` or on a static-only device, a route to everything; with OSPF, next to a
 * static-only neighbour, routes (via such neighbours) to what OSPF cannot deliver.
 */
function staticRoutesOf(context: RoutingContext, device: DeviceModel): StaticRouteModel[] {
  const routes: StaticRouteModel[] = [];
  // Static externals: the route to the gateway at the attach device.
  for (const x of context.intent.externals) {
    if (x.asn !== undefined) continue;
    for (const att of x.attachments) {
      if (att.device !== device.id || !att.gateway) continue;
      const iface = device.interfaces.find((i) => i.role === 'external' && i.external === x.name && i.addresses.includes(att.address));
      // A gateway forwards its own address family (C710 names the prefixes left out).
      for (const p of x.prefixes.filter((q) => familyOf(q) === familyOf(att.gateway!))) {
        routes.push({ prefix: p, nextHop: att.gateway, ...(iface ? { interface: iface.name } : {}), origin: att.span });
      }
    }
  }
  // Translated externals: their mapped prefixes to their peer or gateway where they attach.
  routes.push(...mappedRoutes(context.translating.values(), device));
  const nextToStaticOnly = () =>
    FAMILIES.some((f) => context.topology.get(f)!.neighbors(device.id).some((h) => context.staticOnly(h.device)));
  if (!context.ospfMode || context.staticOnly(device.id)) {
    routes.push(...leastCostRoutes(context, device.id, () => true, false));
  } else if (nextToStaticOnly()) {
    // OSPF cannot deliver a prefix none of whose owners is an OSPF router of this device's
    // OSPF part (a static-only device owns it, or only static-only devices lead to its owners).
    const part = (f: Family) => context.ospfParts.get(f)!.get(device.id);
    const ospfDelivers = (d: Destination) =>
      [...d.owners.keys()].some((o) => !context.staticOnly(o) && context.ospfParts.get(d.family)!.get(o) === part(d.family));
    routes.push(...leastCostRoutes(context, device.id, (d) => !ospfDelivers(d), true));
  }
  return sortStatic(routes);
}

/** A device's static routes with the discard routes its exports to translating externals need (compiler/nat.ts). */
function withDiscards(context: RoutingContext, routes: StaticRouteModel[], bgp: BgpModel | undefined): StaticRouteModel[] {
  const discards = exportDiscards(context.translating, bgp);
  return discards.length === 0 ? routes : sortStatic([...routes, ...discards]);
}

function sortStatic(routes: StaticRouteModel[]): StaticRouteModel[] {
  return routes
    .map((route) => ({ route, prefix: cachedPrefix(route.prefix) }))
    .sort((a, b) => comparePrefixes(a.prefix, b.prefix) || compareStatic(a.route, b.route))
    .map((x) => x.route);
}

/** eBGP sessions: device id → its BGP configuration, one neighbour per peering attachment. */
function ebgpSessions(context: RoutingContext, sets: EndpointSets): Map<string, BgpModel> {
  const { intent, drafts } = context;
  const sessions = new Map<string, BgpModel>();
  for (const x of intent.externals) {
    if (x.asn === undefined) continue;
    for (const att of x.attachments) {
      const draft = drafts.get(att.device);
      if (!draft || !att.peer) continue;
      const device = draft.model;
      if (draft.intent.asn === undefined) {
        // The checker reports this (P504); a CheckedIntent without it breaks the contract.
        throw new Error(`internal: external ${x.name} speaks eBGP at ${device.id}, which has no asn`);
      }
      if (!device.routerId) continue; // reported by checkRouterIds
      let bgp = sessions.get(device.id);
      if (!bgp) sessions.set(device.id, (bgp = { asn: draft.intent.asn, routerId: device.routerId, neighbors: [] }));
      // A session carries the routes of its own address family (C710 names the others).
      const family = familyOf(att.peer);
      const ofFamily = (ps: string[]) => ps.filter((p) => familyOf(p) === family);
      const importPrefixes = sortPrefixes(ofFamily(acceptedPrefixes(context, x.name, x.prefixes)));
      // The peer is an address of the attachment's own subnet (P309 refuses another), so it
      // is one hop away: GTSM with 1 hop, where the platform has it (PAN-OS has not). The import filter accepts exactly its prefixes, so a
      // peer that sends more has bypassed it: the session's limit is their number (at least 1).
      const neighbor: BgpNeighborModel = {
        address: att.peer,
        remoteAs: x.asn,
        description: x.description ?? x.name,
        external: x.name,
        importPrefixes,
        exportPrefixes: sortPrefixes(ofFamily(x.announce.flatMap((n) => announced(n, intent, sets)).map((p) => exportedAs(context.translating.get(x.name), p)))),
        ...(PLATFORM_TRAITS[device.platform].gtsm ? { ttlSecurity: 1 } : {}),
        maxPrefixes: Math.max(1, importPrefixes.length),
        origin: att.span,
      };
      bgp.neighbors.push(neighbor);
      bgp.neighbors.sort((a, b) => compareAddress(a.address, b.address));
    }
  }
  return sessions;
}

/**
 * A device's OSPF: its links (a static-only peer's link advertised, not an adjacency), its
 * segments and loopback as passive, and its static and BGP prefixes redistributed (defaults by
 * default-originate). Undefined on a static-only device or one without a router id.
 */
function ospfOf(
  context: RoutingContext,
  draft: DeviceDraft,
  staticRoutes: StaticRouteModel[],
  bgp: BgpModel | undefined,
): OspfModel | undefined {
  const device = draft.model;
  if (context.staticOnly(device.id) || !device.routerId) return undefined;
  const interfaces: OspfModel['interfaces'] = [];
  for (const i of device.interfaces) {
    const entry = match(i.role)
      .with('link', () => ({ name: i.name, cost: draft.linkCost.get(i.name) ?? 1, passive: i.peer ? context.staticOnly(i.peer.device) : false }))
      .with('segment', 'loopback', () => ({ name: i.name, cost: 1, passive: true }))
      .with('external', () => undefined)
      .exhaustive();
    if (entry) interfaces.push(entry);
  }
  // A translated external's real prefixes stay at its attach devices.
  const inside = (ps: string[]) => ps.filter((p) => !context.hidden.has(p));
  const staticPrefixes = inside(unique(staticRoutes.map((route) => route.prefix)));
  const bgpPrefixes = inside(unique((bgp?.neighbors ?? []).flatMap((n) => n.importPrefixes)));
  const redistribute: OspfModel['redistribute'] = [];
  const nonDefault = (ps: string[]) => ps.filter((p) => !DEFAULTS.has(p));
  if (nonDefault(bgpPrefixes).length > 0) redistribute.push({ protocol: 'bgp', prefixes: sortPrefixes(nonDefault(bgpPrefixes)) });
  if (nonDefault(staticPrefixes).length > 0) redistribute.push({ protocol: 'static', prefixes: sortPrefixes(nonDefault(staticPrefixes)) });
  const all = new Set([...staticPrefixes, ...bgpPrefixes]);
  return {
    routerId: device.routerId,
    interfaces: interfaces.sort((a, b) => compareText(a.name, b.name)),
    redistribute,
    defaultOriginate: { ipv4: all.has('0.0.0.0/0'), ipv6: all.has('::/0') },
  };
}

/** A device that runs OSPF or holds an eBGP session needs a router id (its IPv4 loopback). */
function checkRouterIds(context: RoutingContext): void {
  const { intent, drafts, ospfMode } = context;
  for (const draft of drafts.values()) {
    const device = draft.model;
    const needs = (ospfMode && !context.staticOnly(device.id)) || intent.externals.some((x) => x.asn !== undefined && x.attachments.some((a) => a.device === device.id));
    if (needs && !device.routerId) {
      // The checker gives every device an IPv4 loopback (written, or from a pool: P308).
      throw new Error(`internal: ${device.id} needs a router id for ${ospfMode ? 'OSPF' : 'BGP'} but has no IPv4 loopback`);
    }
  }
}

/**
 * The prefixes an eBGP session accepts from an external: all it declares, less, for one whose
 * prefixes we know as mapped, those one of our own prefixes covers (equal or wider): the eBGP
 * route would win over our own at the attach device, which routes our addresses after
 * translating the partner's packets to them. Routes to the rest stay (they decide its uRPF).
 */
function acceptedPrefixes(context: RoutingContext, external: string, prefixes: string[]): string[] {
  if (!context.translating.has(external)) return prefixes;
  const ours = [...context.drafts.values()].flatMap((d) => d.model.interfaces.filter((i) => i.role !== 'external').flatMap((i) => i.addresses.map((a) => cachedPrefix(subnetOf(a)))));
  const covered = (p: string) => {
    const q = cachedPrefix(p);
    return ours.some((o) => o.family === q.family && containsPrefix(o, q));
  };
  return prefixes.filter((p) => !(context.hidden.has(p) && covered(p)));
}

function announced(name: string, intent: CheckedIntent, sets: EndpointSets): string[] {
  const seg = intent.segments.find((s) => s.name === name);
  if (seg) return seg.prefixes;
  const ext = intent.externals.find((x) => x.name === name);
  if (ext) return ext.prefixes;
  return formatSet(sets.sets.get(name) ?? []);
}

function unique(xs: string[]): string[] {
  return [...new Set(xs)];
}

function sortPrefixes(xs: string[]): string[] {
  return unique(xs).sort((a, b) => comparePrefixes(cachedPrefix(a), cachedPrefix(b)));
}

/** Static routes of one prefix: by distance (default first), next hop address, interface. */
function compareStatic(a: StaticRouteModel, b: StaticRouteModel): number {
  return (
    (a.distance ?? -1) - (b.distance ?? -1) ||
    compareAddress(a.nextHop, b.nextHop) ||
    compareText(a.interface ?? '', b.interface ?? '')
  );
}

/** Addresses by family, then numeric value; an absent one first. */
export function compareAddress(a: string | undefined, b: string | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  const x = addressOf(a);
  const y = addressOf(b);
  if (x.family !== y.family) return x.family - y.family;
  return x.value < y.value ? -1 : x.value > y.value ? 1 : 0;
}
