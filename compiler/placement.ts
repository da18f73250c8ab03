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

import { diagnostic, type Diagnostic, type Span } from '../language/diagnostic.js';
import { Codes } from '../language/diagnostics/index.js';
import { traitsOf } from '../language/platforms.js';
import type { CheckedIntent, IntentRule } from '../language/intent.js';
import type { DeviceDraft } from './devices.js';
import { hostsBySegment, type EndpointSets } from './endpoints.js';
import { byName } from './interfaces.js';
import type { DeviceModel, FilterModel, FilterRule, InterfaceModel, ZoneModel } from './model.js';
import { firewallIntent, placeFirewall, type FirewallIntent } from './placement-firewall.js';
import { edgeEndpoint, edgeRules, externalAntiSpoofing, type RuleInfo } from './placement-rules.js';
import { intersect } from './prefix-set.js';
import type { RuleFirewalls } from './relevance.js';
import { forwardMatches, replyMatches, type ServiceMatch } from './services.js';
import { realmKey, type FilterRealm, type NatViews } from './nat-views.js';

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
  firewallsOf: RuleFirewalls,
  views?: NatViews,
): FilterPlacement {
  const infos: RuleInfo[] = intent.rules.map((rule, index) => {
    // Loops rather than flatMap (a slow generic path in V8, about a microsecond a call): 20,000
    // rules at 400 devices.
    const fwd: ServiceMatch[] = [];
    const reply: ServiceMatch[] = [];
    const excess: string[] = [];
    for (const clause of rule.clauses) {
      for (const m of forwardMatches(clause)) fwd.push(m);
      const replies = replyMatches(clause);
      for (const m of replies.matches) reply.push(m);
      if (replies.excess && !excess.includes(replies.excess)) excess.push(replies.excess);
    }
    const description = `${ruleText(rule)} (${where(rule.span)})`;
    return {
      index,
      rule,
      src: sets.setOf(rule.sourcesExpanded),
      dst: sets.setOf(rule.destinationsExpanded),
      fwd,
      reply,
      excess,
      description,
      replyDescription: `replies of ${description}`,
    };
  });
  // Rules by the endpoint names they mention, to find an endpoint's rules without a full scan.
  const mentions = ruleMentions(infos);
  const rulesFor = (names: string[]): RuleInfo[] => rulesNaming(mentions, infos, names);
  // Names whose addresses can overlap an endpoint's: itself, its hosts (segments), and the
  // externals whose address sets overlap it (externals).
  const related = new Map<string, string[]>();
  const hostsOf = hostsBySegment(intent);
  for (const s of intent.segments) related.set(s.name, [s.name, ...(hostsOf.get(s.name) ?? []).map((h) => h.name)]);
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

  const rulesOn = firewallRules(drafts, infos, firewallsOf);
  let known: FirewallIntent | undefined;
  const devices = new Map<string, DeviceFilters>();
  const untracked = new Map<number, Set<string>>();
  for (const draft of drafts.values()) {
    const device = draft.model;
    if (device.role === 'firewall') {
      const mine = rulesOn.get(device.id)!;
      devices.set(device.id, placeFirewall(device, (known ??= firewallIntent(intent)), sets, seenIn(views?.securityRealm(device), mine), noteReply));
      for (const index of untrackedAllows(device, mine)) {
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
 * The numbers of the rules that name each endpoint (on either side), ascending, each once: the
 * rules are numbered in order, so a rule naming an endpoint twice is its list's last number.
 */
export function ruleMentions(infos: readonly RuleInfo[]): Map<string, number[]> {
  const mentions = new Map<string, number[]>();
  const note = (name: string, index: number): void => {
    const list = mentions.get(name);
    if (list === undefined) mentions.set(name, [index]);
    else if (list[list.length - 1] !== index) list.push(index);
  };
  for (const info of infos) {
    for (const n of info.rule.sourcesExpanded) note(n, info.index);
    for (const n of info.rule.destinationsExpanded) note(n, info.index);
  }
  return mentions;
}

/** The rules that name any of `names` or `any`, in policy order, each once. */
export function rulesNaming(mentions: ReadonlyMap<string, readonly number[]>, infos: readonly RuleInfo[], names: readonly string[]): RuleInfo[] {
  // Usually one list (a segment's rules, its hosts named in none): taken as it is.
  let only: readonly number[] | undefined;
  let merged: number[] | undefined;
  const take = (name: string): void => {
    const list = mentions.get(name);
    if (list === undefined || list.length === 0) return;
    if (merged !== undefined) for (const i of list) merged.push(i);
    else if (only === undefined) only = list;
    else {
      merged = [...only];
      for (const i of list) merged.push(i);
    }
  };
  for (const n of names) take(n);
  take('any');
  if (merged === undefined) return only === undefined ? [] : only.map((i) => infos[i]!);
  merged.sort((a, b) => a - b);
  const out: RuleInfo[] = [];
  for (let k = 0; k < merged.length; k++) if (k === 0 || merged[k] !== merged[k - 1]) out.push(infos[merged[k]!]!);
  return out;
}

/**
 * Each firewall's rules (those whose traffic can cross it, relevance.ts), in policy order: every
 * rule's firewalls are found once and the rule handed to each of them.
 */
export function firewallRules(drafts: Map<string, DeviceDraft>, infos: RuleInfo[], firewallsOf: RuleFirewalls): Map<string, RuleInfo[]> {
  const rulesOn = new Map<string, RuleInfo[]>();
  for (const draft of drafts.values()) if (draft.model.role === 'firewall') rulesOn.set(draft.model.id, []);
  if (rulesOn.size === 0) return rulesOn;
  const every = [...rulesOn.values()];
  for (const info of infos) {
    const firewalls = firewallsOf(info.rule.sourcesExpanded, info.rule.destinationsExpanded);
    if (!firewalls) {
      for (const list of every) list.push(info);
      continue;
    }
    for (const fw of firewalls) rulesOn.get(fw)?.push(info);
  }
  return rulesOn;
}

/**
 * The indices of the allow rules (of those a firewall carries) a stateful firewall must let
 * through whose protocol it does not track (its platform's `statefulProtocols`): their replies
 * would not pass (C725).
 */
function untrackedAllows(device: DeviceModel, mine: RuleInfo[]): number[] {
  const tracked = traitsOf(device.platform).statefulProtocols;
  if (!device.stateful || tracked === undefined) return [];
  return mine
    .filter((i) => i.rule.action === 'allow')
    .filter((i) => i.fwd.some((m) => m.protocol === undefined || !tracked.includes(m.protocol)))
    .map((i) => i.index);
}
