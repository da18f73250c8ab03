// The routing protocols' configuration of the plan (route-plan.ts): the eBGP sessions toward
// the externals, with their import and export prefixes, and each device's OSPF (its interfaces,
// costs, what it redistributes and whether it originates a default), with the parts of the OSPF
// network. Every device that runs either needs a router id (its IPv4 loopback).

import type { CheckedIntent } from '../language/intent.js';
import { PLATFORM_TRAITS } from '../language/platforms.js';
import type { DeviceDraft } from './devices.js';
import { compareText, unknownRole } from './interfaces.js';
import type { BgpModel, BgpNeighborModel, DeviceModel, OspfModel, StaticRouteModel } from './model.js';
import { addressOf, comparePrefixes, containsPrefix, type Family, type Prefix } from '../language/address.js';
import { cachedPrefix, familyOf, subnetOf, type Topology } from './topology.js';
import type { EndpointSets } from './endpoints.js';
import { formatSet } from './prefix-set.js';
import { exportedAs } from './nat.js';
import type { RoutingContext } from './route-plan.js';

const DEFAULTS = new Set(['0.0.0.0/0', '::/0']);

/** eBGP sessions: device id → its BGP configuration, one neighbour per peering attachment. */
export function ebgpSessions(context: RoutingContext, sets: EndpointSets): Map<string, BgpModel> {
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
 * `staticPrefixList`: the static routes' distinct texts in prefix order when the plan has them
 * (a list of this call's own).
 */
export function ospfOf(
  context: RoutingContext,
  draft: DeviceDraft,
  staticRoutes: StaticRouteModel[],
  bgp: BgpModel | undefined,
  staticPrefixList?: string[],
): OspfModel | undefined {
  const device = draft.model;
  if (context.staticOnly(device.id) || !device.routerId) return undefined;
  const interfaces: OspfModel['interfaces'] = [];
  for (const i of device.interfaces) {
    // A switch, not a pattern match: that made a matcher and three closures per interface.
    switch (i.role) {
      case 'link':
        interfaces.push({ name: i.name, cost: draft.linkCost.get(i.name) ?? 1, passive: i.peer ? context.staticOnly(i.peer.device) : false });
        break;
      case 'segment':
      case 'loopback':
        interfaces.push({ name: i.name, cost: 1, passive: true });
        break;
      case 'external':
        break;
      default:
        unknownRole(i.role);
    }
  }
  // A translated external's real prefixes stay at its attach devices. The lists below are this
  // function's own (made here), so texts are taken out in place.
  const runs = staticPrefixList ?? prefixRuns(staticRoutes);
  const staticPrefixes = removeAll(runs ?? unique(staticRoutes.map((route) => route.prefix)), context.hidden);
  const bgpPrefixes = removeAll(unique((bgp?.neighbors ?? []).flatMap((n) => n.importPrefixes)), context.hidden);
  const originates = (p: string) => staticPrefixes.includes(p) || bgpPrefixes.includes(p);
  const defaultOriginate = { ipv4: originates('0.0.0.0/0'), ipv6: originates('::/0') };
  const redistribute: OspfModel['redistribute'] = [];
  // Both lists are without repeats already; defaults are originated, not redistributed.
  const bgpRedistributed = removeAll(bgpPrefixes, DEFAULTS);
  const staticRedistributed = removeAll(staticPrefixes, DEFAULTS);
  if (bgpRedistributed.length > 0) redistribute.push({ protocol: 'bgp', prefixes: sortDistinctPrefixes(bgpRedistributed) });
  if (staticRedistributed.length > 0) redistribute.push({ protocol: 'static', prefixes: runs ? staticRedistributed : sortDistinctPrefixes(staticRedistributed) });
  return {
    routerId: device.routerId,
    interfaces: interfaces.sort((a, b) => compareText(a.name, b.name)),
    redistribute,
    defaultOriginate,
  };
}

/** The parts of the OSPF network: devices connected by links that avoid static-only devices. */
export function ospfParts(
  devices: DeviceModel[],
  topology: Map<Family, Topology>,
  staticOnly: (deviceId: string) => boolean,
): Map<Family, Map<string, number>> {
  const components = new Map<Family, Map<string, number>>();
  for (const f of [4, 6] as const) {
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

/** A device that runs OSPF or holds an eBGP session needs a router id (its IPv4 loopback). */
export function checkRouterIds(context: RoutingContext): void {
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

/**
 * Takes the texts in `drop` out of `xs`, in place (the order of the rest kept), and returns it:
 * a device's prefix list is some 4,800 texts at 400 devices, and a filtered copy of it twice per
 * device was 25 MB for the collector.
 */
export function removeAll(xs: string[], drop: ReadonlySet<string>): string[] {
  if (drop.size === 0) return xs;
  let kept = 0;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    if (drop.has(x)) continue;
    if (kept !== i) xs[kept] = x;
    kept++;
  }
  xs.length = kept;
  return xs;
}

/**
 * The distinct prefixes of routes sorted by prefix (a device's static routes are), in order,
 * when each text's routes are next to each other and the texts strictly increase; otherwise
 * undefined.
 */
function prefixRuns(routes: readonly StaticRouteModel[]): string[] | undefined {
  const out: string[] = [];
  let text: string | undefined;
  let before: Prefix | undefined;
  // An indexed loop: a for-of makes a result object per route until the function is optimized.
  for (let i = 0; i < routes.length; i++) {
    const route = routes[i]!;
    if (route.prefix === text) continue;
    const prefix = cachedPrefix(route.prefix);
    if (before && comparePrefixes(before, prefix) >= 0) return undefined;
    out.push(route.prefix);
    text = route.prefix;
    before = prefix;
  }
  return out;
}

function sortPrefixes(xs: string[]): string[] {
  return sortDistinctPrefixes(unique(xs));
}

/** Prefixes without repeats in prefix order, sorted in place; a list in order already (a device's static routes are) is kept as it is. */
function sortDistinctPrefixes(xs: string[]): string[] {
  let before = xs.length > 0 ? cachedPrefix(xs[0]!) : undefined;
  for (let i = 1; i < xs.length; i++) {
    const prefix = cachedPrefix(xs[i]!);
    if (comparePrefixes(before!, prefix) > 0) return xs.sort((a, b) => comparePrefixes(cachedPrefix(a), cachedPrefix(b)));
    before = prefix;
  }
  return xs;
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
