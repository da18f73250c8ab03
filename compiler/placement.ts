// Filter placement (the design's "Enforcement"). The user writes a policy; the compiler decides
// where it is enforced:
//  - on a router, at each segment's interface and each external attachment's interface, in both
//    directions: `filterIn` admits what may leave the endpoint (sources only inside it: no
//    spoofing), `filterOut` what may enter it; an external's `filterIn` starts by denying every
//    source outside the external's addresses (bogons and our own prefixes among them);
//  - on a firewall, in its security rules between zones, for every policy rule whose traffic can
//    cross it (relevance.ts), with anti-spoofing rules for its segment and external zones first.
// In every rule list: [reply rules, ICMP errors (stateless devices only)] [denies] [allows],
// default deny. Denies before allows is "deny wins". Reply rules come first so that a deny of
// connections opened by one side does not drop the replies of connections the other side may
// open; on a stateless device they admit more than the replies, and the compiler says so (C703).
// The ICMP errors of allowed connections follow them for the same reason (icmp-errors.ts).
// Stateful devices (PAN-OS, nftables) admit replies and ICMP errors by connection tracking and
// get neither.
//
// Where devices translate addresses (compiler/nat.ts), each filter matches the addresses as it
// sees them at its place (compiler/nat-views.ts): a partner seen as mapped inside, ours as mapped
// on an IOS-XE edge's outside, everything real in nftables' forward filter.
//
// placeFilters returns each device's filters, zones and security rules, and what each interface
// is bound to; compileIntent puts them in the model.

import { formatPrefix, type Family, type Prefix } from '../language/address.js';
import { diagnostic, type Diagnostic, type Span } from '../language/diagnostic.js';
import { Codes } from '../language/diagnostics/index.js';
import { traitsOf } from '../language/platforms.js';
import type { CheckedIntent, IntentRule } from '../language/intent.js';
import type { DeviceDraft } from './devices.js';
import { externalParts, type EndpointSets } from './endpoints.js';
import { byName, compareText } from './interfaces.js';
import { match } from 'ts-pattern';
import { icmpErrorRules } from './icmp-errors.js';
import type { DeviceModel, FilterModel, FilterRule, InterfaceModel, Match, ZoneModel } from './model.js';
import { complement, familiesOf, intersect, type PrefixSet } from './prefix-set.js';
import type { Relevance } from './relevance.js';
import { forwardMatches, replyMatches, type ServiceMatch } from './services.js';
import { realmKey, type FilterRealm, type NatViews } from './nat-views.js';

interface RuleInfo {
  index: number;
  rule: IntentRule;
  src: PrefixSet | undefined;
  dst: PrefixSet | undefined;
  fwd: ServiceMatch[];
  reply: ServiceMatch[];
  excess: string[];
  description: string;
  /** The description of its reply rules (stateless devices). */
  replyDescription: string;
}

export function ruleText(rule: IntentRule): string {
  const services = rule.services.length > 0 ? ` : ${rule.services.join(', ')}` : '';
  return `${rule.action} ${rule.sources.join(', ')} -> ${rule.destinations.join(', ')}${services}`;
}

export function where(span: Span): string {
  return `${span.file}:${span.start.line}`;
}

/** What one interface is bound to: its filters (routers) or its zone (firewalls). */
export type InterfaceBinding = Pick<InterfaceModel, 'filterIn' | 'filterOut' | 'zone'>;

/** The enforcement of the policy on one device. */
export interface DeviceFilters {
  /** Routers: the edge filters, sorted by name. */
  filters: FilterModel[];
  /** Firewalls: every interface in exactly one zone, sorted by name. */
  zones: ZoneModel[];
  /** Firewalls: the zone policy. */
  securityRules: FilterRule[];
  /** Interface name → what it is bound to (only interfaces with a binding). */
  bindings: Map<string, InterfaceBinding>;
}

export interface FilterPlacement {
  /** Device id → its filters. */
  devices: Map<string, DeviceFilters>;
  /** C703: stateless filters that admit more than the replies of a rule. */
  diagnostics: Diagnostic[];
}

/** The filters of every device; the drafts are read, not changed. */
export function placeFilters(
  intent: CheckedIntent,
  drafts: Map<string, DeviceDraft>,
  sets: EndpointSets,
  relevant: Relevance,
  views?: NatViews,
): FilterPlacement {
  const infos: RuleInfo[] = intent.rules.map((rule, index) => {
    const reply = rule.clauses.map(replyMatches);
    const description = `${ruleText(rule)} (${where(rule.span)})`;
    return {
      index,
      rule,
      src: sets.setOf(rule.sourcesExpanded),
      dst: sets.setOf(rule.destinationsExpanded),
      fwd: rule.clauses.flatMap(forwardMatches),
      reply: reply.flatMap((r) => r.matches),
      excess: [...new Set(reply.flatMap((r) => (r.excess ? [r.excess] : [])))],
      description,
      replyDescription: `replies of ${description}`,
    };
  });
  // Rules by the endpoint names they mention, to find an endpoint's rules without a full scan.
  const mentions = new Map<string, Set<number>>();
  for (const info of infos) {
    for (const n of [...info.rule.sourcesExpanded, ...info.rule.destinationsExpanded]) {
      let s = mentions.get(n);
      if (!s) mentions.set(n, (s = new Set()));
      s.add(info.index);
    }
  }
  const rulesFor = (names: string[]): RuleInfo[] => {
    const idx = new Set<number>();
    for (const n of [...names, 'any']) for (const i of mentions.get(n) ?? []) idx.add(i);
    return [...idx].sort((a, b) => a - b).map((i) => infos[i]!);
  };
  // Names whose addresses can overlap an endpoint's: itself, its hosts (segments), and the
  // externals whose address sets overlap it (externals).
  const related = new Map<string, string[]>();
  for (const s of intent.segments) related.set(s.name, [s.name, ...intent.hosts.filter((h) => h.segment === s.name).map((h) => h.name)]);
  for (const x of intent.externals) {
    const mine = sets.sets.get(x.name) ?? [];
    const overlapping = intent.externals.filter((y) => y.name !== x.name && intersect(mine, sets.sets.get(y.name) ?? []).length > 0);
    related.set(x.name, [x.name, ...(x.parts ?? []).map((p) => p.name), ...overlapping.flatMap((y) => [y.name, ...(y.parts ?? []).map((p) => p.name)])]);
  }

  const replied = new Map<number, Set<string>>();
  const noteReply = (info: RuleInfo, device: string) => {
    if (info.excess.length === 0) return;
    let s = replied.get(info.index);
    if (!s) replied.set(info.index, (s = new Set()));
    s.add(device);
  };

  // The rules with their address sets as a filter of `realm` sees them (as written without NAT),
  // each computed once per realm: every device inside sees the same.
  const seenRules = new Map<string, RuleInfo>();
  const seenIn = (realm: FilterRealm | undefined, list: RuleInfo[]): RuleInfo[] => {
    if (!views || !realm) return list;
    const key = realmKey(realm);
    return list.map((info) => {
      let seen = seenRules.get(`${key}\u0000${info.index}`);
      if (!seen) seenRules.set(`${key}\u0000${info.index}`, (seen = { ...info, ...views.seen(realm, info.rule.sourcesExpanded, info.rule.destinationsExpanded, info.fwd) }));
      return seen;
    });
  };

  const devices = new Map<string, DeviceFilters>();
  const untracked = new Map<number, Set<string>>();
  for (const draft of drafts.values()) {
    const device = draft.model;
    if (device.role === 'firewall') {
      devices.set(device.id, placeFirewall(device, intent, sets, seenIn(views?.securityRealm(device), infos), relevant, noteReply));
      for (const index of untrackedAllows(device, infos, relevant)) {
        if (!untracked.has(index)) untracked.set(index, new Set());
        untracked.get(index)!.add(device.id);
      }
      continue;
    }
    const filters = new Map<string, FilterModel>();
    const bindings = new Map<string, InterfaceBinding>();
    for (const iface of device.interfaces) {
      const name = edgeEndpoint(iface);
      if (!name) continue;
      const local = sets.sets.get(name) ?? [];
      const candidates = rulesFor(related.get(name) ?? [name]);
      const prefix = `${iface.role === 'segment' ? 'seg' : 'ext'}-${name}`;
      const binding: InterfaceBinding = {};
      bindings.set(iface.name, binding);
      for (const side of ['from', 'to'] as const) {
        const filterName = `${prefix}-${side === 'from' ? 'in' : 'out'}`;
        if (!filters.has(filterName)) {
          filters.set(filterName, {
            name: filterName,
            rules: [
              ...(side === 'from' && iface.role === 'external' ? externalAntiSpoofing(name, local, iface) : []),
              ...edgeRules(local, side, seenIn(views?.filterRealm(device, iface, side === 'from' ? 'in' : 'out'), candidates), device, noteReply, iface.role === 'external' ? 'external' : 'segment'),
            ],
            defaultAction: 'deny',
          });
        }
        if (side === 'from') binding.filterIn = filterName;
        else binding.filterOut = filterName;
      }
    }
    devices.set(device.id, { filters: [...filters.values()].sort(byName), zones: [], securityRules: [], bindings });
  }

  const diagnostics: Diagnostic[] = [];
  for (const [index, devices] of [...replied].sort((a, b) => a[0] - b[0])) {
    const info = infos[index]!;
    diagnostics.push(
      diagnostic(
        Codes.replyRuleTooWide,
        info.rule.span,
        `stateless filters on ${[...devices].sort().join(', ')} admit the replies of this rule with rules that also admit ${info.excess.join('; ')}`,
        { severity: 'warning', hint: 'put the enforcement on a stateful device (a firewall, frr or linux) to admit exactly the replies; an IOS-XE `router` keeps stateless ACLs by choice, an IOS-XE `firewall` is a zone-based firewall' },
      ),
    );
  }
  for (const [index, ids] of [...untracked].sort((a, b) => a[0] - b[0])) {
    const info = infos[index]!;
    const names = [...ids].sort();
    const platforms = [...new Set(names.map((id) => traitsOf(drafts.get(id)!.model.platform)))];
    const tracked = [...new Set(platforms.flatMap((t) => t.statefulProtocols ?? []))].sort((a, b) => a - b);
    const what = info.fwd.some((m) => m.protocol === undefined) ? 'every protocol' : `protocol ${[...new Set(info.fwd.map((m) => m.protocol))].join(', ')}`;
    diagnostics.push(
      diagnostic(
        Codes.untrackedProtocol,
        info.rule.span,
        `this rule allows ${what} through ${names.join(', ')}, which ${names.length === 1 ? 'tracks' : 'track'} the connections of IP protocols ${tracked.join(', ')} only: the replies of the others would be dropped`,
        { hint: `name services of those protocols (tcp, udp, icmp); or let the traffic cross a device of a platform that tracks every protocol; or make the device a router, with stateless filters` },
      ),
    );
  }
  return { devices, diagnostics };
}

/**
 * The indices of the allow rules a stateful firewall must let through whose protocol it does not
 * track (its platform's `statefulProtocols`): their replies would not pass (C725).
 */
function untrackedAllows(device: DeviceModel, infos: RuleInfo[], relevant: Relevance): number[] {
  const tracked = traitsOf(device.platform).statefulProtocols;
  if (!device.stateful || tracked === undefined) return [];
  return infos
    .filter((i) => i.rule.action === 'allow' && relevant(device.id, i.rule.sourcesExpanded, i.rule.destinationsExpanded))
    .filter((i) => i.fwd.some((m) => m.protocol === undefined || !tracked.includes(m.protocol)))
    .map((i) => i.index);
}

/** The segment or external an edge interface leads to; undefined for links and loopbacks. */
function edgeEndpoint(iface: InterfaceModel): string | undefined {
  return match(iface.role)
    .with('segment', () => iface.segment)
    .with('external', () => iface.external)
    .with('link', 'loopback', () => undefined)
    .exhaustive();
}

const restrictCache = new WeakMap<PrefixSet, WeakMap<PrefixSet, PrefixSet>>();

/** set ∩ local (`local` for any), returning one of the inputs when it is the answer. */
function restrictTo(set: PrefixSet | undefined, local: PrefixSet): PrefixSet {
  if (!set || set === local) return local;
  let inner = restrictCache.get(set);
  if (!inner) restrictCache.set(set, (inner = new WeakMap()));
  let r = inner.get(local);
  if (!r) {
    const x = intersect(set, local);
    const same = (y: PrefixSet) => y.length === x.length && y.every((p, i) => p.value === x[i]!.value && p.length === x[i]!.length && p.family === x[i]!.family);
    r = same(local) ? local : same(set) ? set : x;
    inner.set(local, r);
  }
  return r;
}

/**
 * The first rule of the filter entering from an external on a router: deny every source outside
 * the external's address set (our own prefixes, other externals' more specific ones and the
 * special-purpose ranges it does not declare, endpoints.ts). The rules after it admit only
 * sources inside the set anyway; this one makes the config drop spoofed and bogon sources by a
 * line of its own, as a firewall's zone does (placeFirewall).
 */
function externalAntiSpoofing(external: string, local: PrefixSet, iface: InterfaceModel): FilterRule[] {
  const foreign = complement(local);
  if (foreign.length === 0) return [];
  return [
    {
      action: 'deny',
      match: { sources: foreign.map(formatPrefix) },
      origin: iface.origin,
      description: `anti-spoofing: external ${external} sends only from its own addresses`,
    },
  ];
}

/** The rules of one edge filter: 'from' the endpoint (filterIn) or 'to' it (filterOut). */
function edgeRules(
  local: PrefixSet,
  side: 'from' | 'to',
  candidates: RuleInfo[],
  device: DeviceModel,
  noteReply: (info: RuleInfo, device: string) => void,
  edge: 'segment' | 'external' = 'segment',
): FilterRule[] {
  const out: FilterRule[] = [];
  if (!device.stateful) {
    for (const info of candidates) {
      if (info.rule.action !== 'allow' || info.reply.length === 0) continue;
      const n = out.length;
      if (side === 'from') {
        const mine = restrictTo(info.dst, local);
        if (mine.length > 0) addRules(out, 'permit', mine, info.src, info.reply, info.rule.span, info.replyDescription);
      } else {
        const mine = restrictTo(info.src, local);
        if (mine.length > 0) addRules(out, 'permit', info.dst, mine, info.reply, info.rule.span, info.replyDescription);
      }
      if (out.length > n) noteReply(info, device.id);
    }
    // ICMP errors of the allowed connections, in the direction of their replies (icmp-errors.ts).
    const allowed = candidates.filter((info) => info.rule.action === 'allow');
    const flows = allowed.map((info) => ({ src: info.src, dst: info.dst, mine: restrictTo(side === 'from' ? info.dst : info.src, local), origin: info.rule.span, description: info.description }));
    out.push(...icmpErrorRules(flows, side, edge));
  }
  for (const action of ['deny', 'allow'] as const) {
    for (const info of candidates) {
      if (info.rule.action !== action) continue;
      const verdict = action === 'deny' ? 'deny' : 'permit';
      if (side === 'from') {
        const mine = restrictTo(info.src, local);
        if (mine.length > 0) addRules(out, verdict, mine, info.dst, info.fwd, info.rule.span, info.description);
      } else {
        const mine = restrictTo(info.dst, local);
        if (mine.length > 0) addRules(out, verdict, info.src, mine, info.fwd, info.rule.span, info.description);
      }
    }
  }
  return out;
}

// Formatting and family splits of the same sets repeat across thousands of rules: cache them
// per set object (the lists are shared by the rules, which is fine: the model is plain data).
const familyCache = new WeakMap<PrefixSet, Family[]>();
const textCache = new WeakMap<PrefixSet, Map<Family | 0, string[]>>();

function familiesCached(set: PrefixSet): Family[] {
  let f = familyCache.get(set);
  if (!f) familyCache.set(set, (f = familiesOf(set)));
  return f;
}

function textOf(set: PrefixSet, only: Family | undefined): string[] {
  let m = textCache.get(set);
  if (!m) textCache.set(set, (m = new Map()));
  let t = m.get(only ?? 0);
  if (!t) m.set(only ?? 0, (t = (only ? set.filter((p: Prefix) => p.family === only) : set).map(formatPrefix)));
  return t;
}

/** Adds to `out` the filter rules for src → dst, one for each service match, split by family where a match needs it. */
function addRules(
  out: FilterRule[],
  action: 'permit' | 'deny',
  src: PrefixSet | undefined,
  dst: PrefixSet | undefined,
  matches: ServiceMatch[],
  origin: Span,
  description: string,
  zones?: { fromZones?: string[]; toZones?: string[] },
): void {
  for (const sm of matches) {
    let v4 = sm.family === undefined || sm.family === 4;
    let v6 = sm.family === undefined || sm.family === 6;
    if (src) {
      const families = familiesCached(src);
      v4 &&= families.includes(4);
      v6 &&= families.includes(6);
    }
    if (dst) {
      const families = familiesCached(dst);
      v4 &&= families.includes(4);
      v6 &&= families.includes(6);
    }
    if (!v4 && !v6) continue;
    const only: Family | undefined = v4 && v6 ? undefined : v4 ? 4 : 6;
    const pick = (set: PrefixSet | undefined): string[] | undefined => {
      if (!set) return only && sm.family ? [only === 4 ? '0.0.0.0/0' : '::/0'] : undefined;
      return textOf(set, only);
    };
    const sources = src ? pick(src) : undefined;
    // The family of an ICMP match is pinned by a prefix: the destination's when sources are any.
    const destinations = dst ? pick(dst) : src ? undefined : pick(undefined);
    // Each key only when it has a value, in this order (the model's JSON keeps it).
    const match: Match = {};
    if (sources) match.sources = sources;
    if (destinations) match.destinations = destinations;
    if (sm.protocol !== undefined) match.protocol = sm.protocol;
    if (sm.sourcePorts) match.sourcePorts = sm.sourcePorts;
    if (sm.destinationPorts) match.destinationPorts = sm.destinationPorts;
    if (sm.icmpType !== undefined) match.icmpType = sm.icmpType;
    if (sm.tcpEstablished) match.tcpEstablished = true;
    if (zones?.fromZones) match.fromZones = zones.fromZones;
    if (zones?.toZones) match.toZones = zones.toZones;
    out.push({ action, match, origin, description });
  }
}

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

/** A firewall's zones (every interface in one), anti-spoofing and the relevant policy rules. */
function placeFirewall(
  device: DeviceModel,
  intent: CheckedIntent,
  sets: EndpointSets,
  infos: RuleInfo[],
  relevant: Relevance,
  noteReply: (info: RuleInfo, device: string) => void,
): DeviceFilters {
  const transit = transitZone(intent);
  const bindings = new Map<string, InterfaceBinding>();
  const zoneOf = new Map<string, string>();
  const zoneMembers = new Map<string, { names: string[]; origin: Span }>();
  for (const iface of device.interfaces) {
    const endpoint = edgeEndpoint(iface);
    const zone = match(iface.role)
      .with('segment', () => intent.segments.find((s) => s.name === endpoint)?.zone ?? endpoint ?? transit)
      .with('external', () => endpoint ?? transit)
      .with('link', 'loopback', () => transit)
      .exhaustive();
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
  const mine = infos.filter((i) => relevant(device.id, i.rule.sourcesExpanded, i.rule.destinationsExpanded));
  if (!device.stateful) {
    for (const info of mine) {
      if (info.rule.action !== 'allow' || info.reply.length === 0) continue;
      const n = out.length;
      addRules(out, 'permit', info.dst, info.src, info.reply, info.rule.span, info.replyDescription);
      if (out.length > n) noteReply(info, device.id);
    }
  }
  const zonesOf = ruleZones(device, intent, zoneOf, transit, zoneModels.length);
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
function ruleZones(
  device: DeviceModel,
  intent: CheckedIntent,
  zoneOf: Map<string, string>,
  transit: string,
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
  const segments = new Map(intent.segments.map((s) => [s.name, s]));
  const hosts = new Map(intent.hosts.map((h) => [h.name, h]));
  // A part of an external (`datahub.api`) is in the zones of its external.
  const externals = new Map([...intent.externals.map((x) => [x.name, x] as const), ...externalParts(intent).map((p) => [p.name, p.external] as const)]);
  return (names) => {
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
}
