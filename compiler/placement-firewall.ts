// Placement on a firewall (placement.ts): every interface in one zone, anti-spoofing per zone,
// and the policy rules whose traffic can cross the firewall (relevance.ts), allows limited to the
// zones their endpoints' packets can enter and leave by.

import { formatPrefix } from '../language/address.js';
import type { Span } from '../language/diagnostic.js';
import type { CheckedIntent, IntentExternal, IntentHost, IntentSegment } from '../language/intent.js';
import { externalParts, type EndpointSets } from './endpoints.js';
import { byName, compareText, unknownRole } from './interfaces.js';
import type { DeviceModel, FilterRule, InterfaceModel, ZoneModel } from './model.js';
import type { DeviceFilters, InterfaceBinding } from './placement.js';
import { addRules, edgeEndpoint, type RuleInfo } from './placement-rules.js';
import { complement } from './prefix-set.js';

/** The zone of links (and the loopback) on a firewall: `transit`, unless that name is taken. */
function transitZone(intent: CheckedIntent): string {
  const taken = new Set([
    ...intent.segments.map((s) => s.zone ?? s.name),
    ...intent.externals.map((x) => x.name),
  ]);
  let name = 'transit';
  while (taken.has(name)) name = `${name}-links`;
  return name;
}

/**
 * What every firewall of one placement reads of the intent, indexed once (not once per firewall:
 * thousands of segments times every firewall).
 */
export interface FirewallIntent {
  transit: string;
  /** A segment interface's zone: the first segment of the name (as `find` would), by name. */
  segmentZone: Map<string, string | undefined>;
  /** Endpoints by name, the last of a name (as a map built from the lists keeps). */
  segments: Map<string, IntentSegment>;
  hosts: Map<string, IntentHost>;
  /** A part of an external (`datahub.api`) is in the zones of its external. */
  externals: Map<string, IntentExternal>;
}

export function firewallIntent(intent: CheckedIntent): FirewallIntent {
  const segmentZone = new Map<string, string | undefined>();
  for (const s of intent.segments) if (!segmentZone.has(s.name)) segmentZone.set(s.name, s.zone);
  return {
    transit: transitZone(intent),
    segmentZone,
    segments: new Map(intent.segments.map((s) => [s.name, s])),
    hosts: new Map(intent.hosts.map((h) => [h.name, h])),
    externals: new Map([...intent.externals.map((x) => [x.name, x] as const), ...externalParts(intent).map((p) => [p.name, p.external] as const)]),
  };
}

/** The zone of a firewall's interface: its segment's zone, its external's, or the transit zone. A switch, not a pattern match (a matcher and closures per interface). */
export function zoneOfInterface(iface: InterfaceModel, endpoint: string | undefined, known: FirewallIntent): string {
  switch (iface.role) {
    case 'segment':
      return (endpoint === undefined ? undefined : known.segmentZone.get(endpoint)) ?? endpoint ?? known.transit;
    case 'external':
      return endpoint ?? known.transit;
    case 'link':
    case 'loopback':
      return known.transit;
    default:
      return unknownRole(iface.role);
  }
}

/**
 * A firewall's zones (every interface in one), anti-spoofing and its policy rules: `mine`, the
 * rules whose traffic can cross it (relevance.ts), in policy order.
 */
export function placeFirewall(
  device: DeviceModel,
  known: FirewallIntent,
  sets: EndpointSets,
  mine: RuleInfo[],
  noteReply: (info: RuleInfo, device: string) => void,
): DeviceFilters {
  const bindings = new Map<string, InterfaceBinding>();
  const zoneOf = new Map<string, string>();
  const zoneMembers = new Map<string, { names: string[]; origin: Span }>();
  for (const iface of device.interfaces) {
    const endpoint = edgeEndpoint(iface);
    const zone = zoneOfInterface(iface, endpoint, known);
    bindings.set(iface.name, { zone });
    zoneOf.set(iface.name, zone);
    if (endpoint) {
      const z = zoneMembers.get(zone) ?? { names: [], origin: iface.origin };
      if (!z.names.includes(endpoint)) z.names.push(endpoint);
      zoneMembers.set(zone, z);
    }
  }
  const zones = new Map<string, string[]>();
  for (const [iface, zone] of zoneOf) zones.set(zone, [...(zones.get(zone) ?? []), iface]);
  const zoneModels = [...zones]
    .map(([name, interfaces]): ZoneModel => ({ name, interfaces: interfaces.sort(compareText) }))
    .sort(byName);

  const out: FilterRule[] = [];
  for (const [zone, { names, origin }] of [...zoneMembers].sort((a, b) => compareText(a[0], b[0]))) {
    const own = sets.setOf(names.sort()) ?? [];
    const foreign = complement(own);
    if (foreign.length === 0) continue;
    out.push({
      action: 'deny',
      match: { sources: foreign.map(formatPrefix), fromZones: [zone] },
      origin,
      description: `anti-spoofing: zone ${zone} admits only sources in ${names.join(', ')}`,
    });
  }
  if (!device.stateful) {
    for (const info of mine) {
      if (info.rule.action !== 'allow' || info.reply.length === 0) continue;
      const n = out.length;
      addRules(out, 'permit', info.dst, info.src, info.reply, info.rule.span, info.replyDescription);
      if (out.length > n) noteReply(info, device.id);
    }
  }
  const zonesOf = ruleZones(device, known, zoneOf, zoneModels.length);
  for (const action of ['deny', 'allow'] as const) {
    for (const info of mine) {
      if (info.rule.action !== action) continue;
      // Denies stay any to any: "deny wins" must hold whichever zones a packet crosses.
      const zones = action === 'allow' ? { fromZones: zonesOf(info.rule.sourcesExpanded), toZones: zonesOf(info.rule.destinationsExpanded) } : undefined;
      addRules(out, action === 'deny' ? 'deny' : 'permit', info.src, info.dst, info.fwd, info.rule.span, info.description, zones);
    }
  }
  return { filters: [], zones: zoneModels, securityRules: out, bindings };
}

/**
 * The zones through which the packets of named endpoints enter (or leave) a firewall, for the
 * from/to zones of its allow rules: an endpoint attached to the firewall by the zones of its
 * interfaces there, and one attached to another device by the links' zone. A packet of it
 * enters or is delivered nowhere else, whatever the routes and whichever links or devices fail
 * (the place where it enters the firewall is the interface it arrives by, an attachment or a
 * link; a failure only changes which link). Undefined (any zone) for `any`, a device, or when
 * the zones are all of the firewall's.
 */
export function ruleZones(
  device: DeviceModel,
  { transit, segments, hosts, externals }: FirewallIntent,
  zoneOf: Map<string, string>,
  zoneCount: number,
): (names: string[]) => string[] | undefined {
  const edge = new Map<string, Set<string>>();
  for (const iface of device.interfaces) {
    const endpoint = edgeEndpoint(iface);
    if (!endpoint) continue;
    const z = edge.get(endpoint) ?? new Set<string>();
    z.add(zoneOf.get(iface.name)!);
    edge.set(endpoint, z);
  }
  const hasTransit = [...zoneOf.values()].includes(transit);
  const zonesOf = (names: readonly string[]): string[] | undefined => {
    const out = new Set<string>();
    for (const name of names) {
      const host = hosts.get(name);
      const segment = segments.get(host ? host.segment : name);
      const external = externals.get(name);
      if (!segment && !external) return undefined;
      const endpoint = segment ? segment.name : external!.name;
      for (const z of edge.get(endpoint) ?? []) out.add(z);
      const elsewhere = segment ? segment.gateway !== device.id : external!.attachments.some((a) => a.device !== device.id);
      // (a firewall without links has no transit zone, and nothing arrives from elsewhere)
      if (elsewhere && hasTransit) out.add(transit);
    }
    if (out.size === 0 || out.size >= zoneCount) return undefined;
    return [...out].sort(compareText);
  };
  // Nearly every side of a rule names one endpoint (61,566 of 61,886 asked at 400 devices), and
  // most endpoints attach to other devices: their packets enter by the links alone, and all such
  // rules share one list of the transit zone (the model is plain data; nothing changes a rule's
  // zones in place).
  const transitOnly = hasTransit && zoneCount > 1 ? [transit] : undefined;
  return (names) => {
    if (names.length !== 1) return zonesOf(names);
    const name = names[0]!;
    const host = hosts.get(name);
    const segment = segments.get(host ? host.segment : name);
    const external = segment ? undefined : externals.get(name);
    if (!segment && !external) return undefined;
    if (edge.has(segment ? segment.name : external!.name)) return zonesOf(names);
    const elsewhere = segment ? segment.gateway !== device.id : external!.attachments.some((a) => a.device !== device.id);
    return elsewhere ? transitOnly : undefined;
  };
}
