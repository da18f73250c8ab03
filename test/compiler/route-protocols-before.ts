// The eBGP sessions and OSPF of the routing plan as they were before (compiler/route-protocols.ts
// at 749dcf0, imports adjusted), for test/compiler/route-plan-before.ts.

import { match } from 'ts-pattern';
import type { CheckedIntent } from '../../language/intent.js';
import { PLATFORM_TRAITS } from '../../language/platforms.js';
import type { DeviceDraft } from '../../compiler/devices.js';
import { compareText } from '../../compiler/interfaces.js';
import type { BgpModel, BgpNeighborModel, OspfModel, StaticRouteModel } from '../../compiler/model.js';
import { addressOf, comparePrefixes, containsPrefix } from '../../language/address.js';
import { cachedPrefix, familyOf, subnetOf } from '../../compiler/topology.js';
import type { EndpointSets } from '../../compiler/endpoints.js';
import { formatSet } from '../../compiler/prefix-set.js';
import { exportedAs } from '../../compiler/nat.js';
import type { RoutingContext } from './route-plan-before.js';

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
 */
export function ospfOf(
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

function sortPrefixes(xs: string[]): string[] {
  return unique(xs).sort((a, b) => comparePrefixes(cachedPrefix(a), cachedPrefix(b)));
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
