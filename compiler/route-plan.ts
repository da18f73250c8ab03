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
// This file holds the plan and the static routes; the eBGP sessions and each device's OSPF are
// in route-protocols.ts, with the parts of the OSPF network.

import type { Family } from '../language/address.js';
import type { Span } from '../language/diagnostic.js';
import type { CheckedIntent } from '../language/intent.js';
import { PLATFORM_TRAITS } from '../language/platforms.js';
import type { DeviceDraft } from './devices.js';
import { compareText } from './interfaces.js';
import type { BgpModel, DeviceModel, OspfModel, StaticRouteModel } from './model.js';
import { comparePrefixes } from '../language/address.js';
import { cachedPrefix, compareHops, familyOf, mergeHops, subnetIndex, subnetOf, Topology, type Hop } from './topology.js';
import type { EndpointSets } from './endpoints.js';
import { exportDiscards, hiddenPrefixes, mappedPrefixes, mappedRoutes, translatingExternals, type TranslatingExternal } from './nat.js';
import { checkRouterIds, compareAddress, ebgpSessions, ospfOf, ospfParts } from './route-protocols.js';

/** The routing configuration of one device, as the model holds it. */
export interface DeviceRouting {
  /** Sorted by prefix, then distance, next hop and interface. */
  staticRoutes: StaticRouteModel[];
  bgp?: BgpModel;
  ospf?: OspfModel;
}

export interface Destination {
  prefix: string;
  family: Family;
  /** Owner device id → cost of the last step (interface cost). */
  owners: Map<string, number>;
  origin: Span;
}

/** What every step of the plan reads: the devices, the paths between them, who speaks OSPF. */
export interface RoutingContext {
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
  let index: LeastCostIndex | undefined;
  const indexOf = (): LeastCostIndex => (index ??= leastCostIndex(context));
  const staticRoutes = new Map(devices.map((device) => [device.id, staticRoutesOf(context, indexOf, device)]));
  const sessions = ebgpSessions(context, sets);
  const plans = new Map<string, DeviceRouting>();
  for (const draft of drafts.values()) {
    const id = draft.model.id;
    const bgp = sessions.get(id);
    const { routes, prefixes } = staticRoutes.get(id)!;
    // OSPF redistributes the static routes that lead somewhere, never the discard routes.
    const ospf = context.ospfMode ? ospfOf(context, draft, routes, bgp, prefixes) : undefined;
    plans.set(id, { staticRoutes: withDiscards(context, routes, bgp), ...(bgp ? { bgp } : {}), ...(ospf ? { ospf } : {}) });
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

/**
 * The destinations by number for the least-cost routes of every device: their owners as device
 * numbers (-1: no device of the plan) with the costs of the last step, in the owners' order.
 */
interface LeastCostIndex {
  number: Map<string, number>;
  /**
   * Destination k's owners are owners[ownersFrom[k]] up to owners[ownersFrom[k + 1]], with their
   * costs at the same places: every device reads every destination's owners, and flat arrays
   * read in order are two arrays, not two small arrays of their own per destination.
   */
  ownersFrom: Int32Array;
  owners: Int32Array;
  costs: Float64Array;
  /** Per destination: its family (4 or 6). */
  family: Uint8Array;
  /** Per destination: the OSPF part (of the destination's family) of each owner that is not static-only. */
  ownerParts: (number | undefined)[][];
  /** Per destination: the first destination of its prefix (texts of one prefix are neighbours in the sorted list). */
  tie: Int32Array;
}

function leastCostIndex(context: RoutingContext): LeastCostIndex {
  const number = new Map<string, number>();
  for (const draft of context.drafts.values()) number.set(draft.model.id, number.size);
  const destinations = context.destinations;
  let count = 0;
  for (const dest of destinations) count += dest.owners.size;
  const ownersFrom = new Int32Array(destinations.length + 1);
  const owners = new Int32Array(count);
  const costs = new Float64Array(count);
  const family = new Uint8Array(destinations.length);
  const ownerParts: (number | undefined)[][] = [];
  let at = 0;
  for (let k = 0; k < destinations.length; k++) {
    const dest = destinations[k]!;
    ownersFrom[k] = at;
    family[k] = dest.family;
    for (const [o, cost] of dest.owners) {
      owners[at] = number.get(o) ?? -1;
      costs[at++] = cost;
    }
    const parts = context.ospfParts.get(dest.family)!;
    ownerParts.push([...dest.owners.keys()].filter((o) => !context.staticOnly(o)).map((o) => parts.get(o)));
  }
  const tie = new Int32Array(context.destinations.length);
  for (let k = 1; k < tie.length; k++) {
    const same = comparePrefixes(cachedPrefix(context.destinations[k - 1]!.prefix), cachedPrefix(context.destinations[k]!.prefix)) === 0;
    tie[k] = same ? tie[k - 1]! : k;
  }
  ownersFrom[destinations.length] = at;
  return { number, ownersFrom, owners, costs, family, ownerParts, tie };
}

const NO_HOPS: readonly Hop[] = [];

/**
 * A device's least-cost tree of one family by device number: distances (NaN: not reached) and
 * first hops (sorted), all of them or (`staticOnly`) those toward static-only neighbours.
 */
interface TreeArrays {
  dist: Float64Array;
  first: (readonly Hop[] | undefined)[];
}

function treeArrays(context: RoutingContext, index: LeastCostIndex, family: Family, deviceId: string, staticOnly: boolean): TreeArrays {
  const topology = context.topology.get(family)!;
  const dist = new Float64Array(index.number.size).fill(NaN);
  const first = new Array<readonly Hop[] | undefined>(index.number.size).fill(undefined);
  const source = topology.nodeNumber(deviceId);
  if (source === undefined) {
    // Not a device of the topology (never the case for the plan's own devices): it reaches itself.
    const self = index.number.get(deviceId);
    if (self !== undefined) dist[self] = 0;
    return { dist, first };
  }
  const tree = topology.spfArrays(source);
  const nodes = topology.nodes;
  for (let n = 0; n < nodes.length; n++) {
    if (tree.reached[n] === 0) continue;
    const k = index.number.get(nodes[n]!);
    if (k === undefined) continue;
    dist[k] = tree.dist[n]!;
    const hops = tree.first[n];
    if (hops !== undefined) first[k] = staticOnly ? hops.filter((h) => context.staticOnly(h.device)) : hops;
  }
  return { dist, first };
}

/**
 * Static routes at `deviceId` along every least-cost first hop, for the destinations it does not
 * own: all of them, or (`undelivered`) those none of whose owners is an OSPF router of `part`,
 * only through static-only neighbours.
 */
function leastCostRoutes(
  context: RoutingContext,
  index: LeastCostIndex,
  deviceId: string,
  undelivered?: { part: (family: Family) => number | undefined },
): LeastCostRoutes {
  const out: StaticRouteModel[] = [];
  const prefixes: string[] | undefined = context.ospfMode && !context.staticOnly(deviceId) ? [] : undefined;
  // Whether `out` is in sortStatic's order: it is by prefix (the destinations are sorted), unless
  // two texts of one prefix both have routes; a prefix's next hops must be in address order.
  let inOrder = true;
  let lastTie = -1;
  const me = index.number.get(deviceId) ?? -2;
  let tree4: TreeArrays | undefined;
  let tree6: TreeArrays | undefined;
  const part4 = undelivered?.part(4);
  const part6 = undelivered?.part(6);
  const destinations = context.destinations;
  const { ownersFrom, owners, costs, family } = index;
  for (let k = 0; k < destinations.length; k++) {
    const from = ownersFrom[k]!;
    const to = ownersFrom[k + 1]!;
    let mine = false;
    for (let j = from; j < to && !mine; j++) mine = owners[j] === me;
    if (mine) continue;
    const v4 = family[k] === 4;
    if (undelivered && index.ownerParts[k]!.includes(v4 ? part4 : part6)) continue;
    const tree = v4 ? (tree4 ??= treeArrays(context, index, 4, deviceId, !!undelivered)) : (tree6 ??= treeArrays(context, index, 6, deviceId, !!undelivered));
    let best = Infinity;
    let hops: readonly Hop[] = NO_HOPS;
    // Each tree's first-hop lists are sorted; only a merge of two needs sorting. With
    // `undelivered` they hold the hops toward static-only neighbours alone: the merge of two such
    // lists holds the same hops as the merge of the whole lists, filtered.
    let merged = false;
    for (let j = from; j < to; j++) {
      const owner = owners[j]!;
      const dist = owner < 0 ? NaN : tree.dist[owner]!;
      if (Number.isNaN(dist)) continue;
      const total = dist + costs[j]!;
      const via = tree.first[owner] ?? NO_HOPS;
      if (total < best) {
        best = total;
        hops = via;
        merged = false;
      } else if (total === best) {
        hops = mergeHops(hops, via);
        merged = true;
      }
    }
    if (merged) (hops as Hop[]).sort(compareHops);
    if (hops.length === 0) continue;
    const dest = destinations[k]!;
    prefixes?.push(dest.prefix);
    for (let j = 0; j < hops.length; j++) {
      const h = hops[j]!;
      out.push({ prefix: dest.prefix, nextHop: h.address, interface: h.interface, origin: dest.origin });
    }
    if (inOrder) {
      if (index.tie[k] === lastTie) inOrder = false;
      lastTie = index.tie[k]!;
      for (let i = out.length - hops.length + 1; i < out.length && inOrder; i++) inOrder = compareStatic(out[i - 1]!, out[i]!) <= 0;
    }
  }
  return { routes: out, inOrder, prefixes };
}

/**
 * `prefixes` (for a device that runs OSPF): the texts of the destinations with routes, in order.
 * When `inOrder` no two are one prefix: they are the routes' distinct texts in strictly increasing
 * prefix order, which `ospfOf` finds otherwise by parsing every route's text.
 */
type LeastCostRoutes = { routes: StaticRouteModel[]; inOrder: boolean; prefixes: string[] | undefined };
type StaticRoutes = { routes: StaticRouteModel[]; prefixes?: string[] };

/**
 * A device's static routes: to each static external's gateway where it attaches; then, with
 * `routing static` or on a static-only device, a route to everything; with OSPF, next to a
 * static-only neighbour, routes (via such neighbours) to what OSPF cannot deliver.
 */
function staticRoutesOf(context: RoutingContext, index: () => LeastCostIndex, device: DeviceModel): StaticRoutes {
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
  let least: LeastCostRoutes | undefined;
  if (!context.ospfMode || context.staticOnly(device.id)) {
    least = leastCostRoutes(context, index(), device.id);
  } else if (nextToStaticOnly()) {
    // OSPF cannot deliver a prefix none of whose owners is an OSPF router of this device's
    // OSPF part (a static-only device owns it, or only static-only devices lead to its owners).
    least = leastCostRoutes(context, index(), device.id, { part: (f) => context.ospfParts.get(f)!.get(device.id) });
  }
  // The least-cost routes alone, found in order, are sorted already.
  if (routes.length === 0 && least?.inOrder) return { routes: least.routes, ...(least.prefixes ? { prefixes: least.prefixes } : {}) };
  if (least) routes.push(...least.routes);
  return { routes: sortStatic(routes) };
}

/** A device's static routes with the discard routes its exports to translating externals need (compiler/nat.ts). */
function withDiscards(context: RoutingContext, routes: StaticRouteModel[], bgp: BgpModel | undefined): StaticRouteModel[] {
  const discards = exportDiscards(context.translating, bgp);
  return discards.length === 0 ? routes : sortStatic([...routes, ...discards]);
}

function sortStatic(routes: StaticRouteModel[]): StaticRouteModel[] {
  // Most lists come in order (destinations are sorted): then a stable sort would keep them as they are.
  let before = routes.length > 0 ? cachedPrefix(routes[0]!.prefix) : undefined;
  let sorted = true;
  for (let i = 1; i < routes.length && sorted; i++) {
    const prefix = cachedPrefix(routes[i]!.prefix);
    const order = comparePrefixes(before!, prefix) || compareStatic(routes[i - 1]!, routes[i]!);
    sorted = order <= 0;
    before = prefix;
  }
  if (sorted) return routes;
  return routes
    .map((route) => ({ route, prefix: cachedPrefix(route.prefix) }))
    .sort((a, b) => comparePrefixes(a.prefix, b.prefix) || compareStatic(a.route, b.route))
    .map((x) => x.route);
}

/** Static routes of one prefix: by distance (default first), next hop address, interface. */
function compareStatic(a: StaticRouteModel, b: StaticRouteModel): number {
  return (
    (a.distance ?? -1) - (b.distance ?? -1) ||
    compareAddress(a.nextHop, b.nextHop) ||
    compareText(a.interface ?? '', b.interface ?? '')
  );
}

