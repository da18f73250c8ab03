// The routing plan as it was before the least-cost routes were found by device number and kept
// in order (compiler/route-plan.ts at 749dcf0, imports adjusted): the reference that
// test/compiler/route-plan-reference.test.ts compares planRouting() with.

import type { Family } from '../../language/address.js';
import type { Span } from '../../language/diagnostic.js';
import type { CheckedIntent } from '../../language/intent.js';
import { PLATFORM_TRAITS } from '../../language/platforms.js';
import type { DeviceDraft } from '../../compiler/devices.js';
import { compareText } from '../../compiler/interfaces.js';
import type { BgpModel, DeviceModel, OspfModel, StaticRouteModel } from '../../compiler/model.js';
import { comparePrefixes } from '../../language/address.js';
import { cachedPrefix, compareHops, familyOf, mergeHops, subnetIndex, subnetOf, Topology, type Hop } from '../../compiler/topology.js';
import type { EndpointSets } from '../../compiler/endpoints.js';
import { exportDiscards, hiddenPrefixes, mappedPrefixes, mappedRoutes, translatingExternals, type TranslatingExternal } from '../../compiler/nat.js';
import { checkRouterIds, compareAddress, ebgpSessions, ospfOf } from './route-protocols-before.js';

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
export function planRoutingBefore(intent: CheckedIntent, drafts: Map<string, DeviceDraft>, sets: EndpointSets): Map<string, DeviceRouting> {
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

/** Static routes of one prefix: by distance (default first), next hop address, interface. */
function compareStatic(a: StaticRouteModel, b: StaticRouteModel): number {
  return (
    (a.distance ?? -1) - (b.distance ?? -1) ||
    compareAddress(a.nextHop, b.nextHop) ||
    compareText(a.interface ?? '', b.interface ?? '')
  );
}

