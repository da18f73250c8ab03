// The rule lists of filter placement (placement.ts): each edge filter's rules on a router, and
// the translation of a policy rule into filter rules (one per service match, split by family
// where a match needs it), shared with the firewalls' zone policy (placement-firewall.ts).

import { formatPrefix, type Family, type Prefix } from '../language/address.js';
import type { Span } from '../language/diagnostic.js';
import type { IntentRule } from '../language/intent.js';
import { icmpErrorRules } from './icmp-errors.js';
import { unknownRole } from './interfaces.js';
import type { DeviceModel, FilterRule, InterfaceModel, Match } from './model.js';
import { complement, familiesOf, intersect, type PrefixSet } from './prefix-set.js';
import type { ServiceMatch } from './services.js';

export interface RuleInfo {
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

/**
 * The segment or external an edge interface leads to; undefined for links and loopbacks. A
 * switch, not a pattern match: that made a matcher and three closures a call, for every
 * interface of every device, twice on a firewall (8.5 MB at 400 devices).
 */
export function edgeEndpoint(iface: InterfaceModel): string | undefined {
  switch (iface.role) {
    case 'segment':
      return iface.segment;
    case 'external':
      return iface.external;
    case 'link':
    case 'loopback':
      return undefined;
    default:
      return unknownRole(iface.role);
  }
}


const restrictCache = new WeakMap<PrefixSet, WeakMap<PrefixSet, PrefixSet>>();

/** set ∩ local (`local` for any), returning one of the inputs when it is the answer. */
export function restrictTo(set: PrefixSet | undefined, local: PrefixSet): PrefixSet {
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
export function externalAntiSpoofing(external: string, local: PrefixSet, iface: InterfaceModel): FilterRule[] {
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
export function edgeRules(
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

// Formatting and family splits of the same sets repeat across thousands of rules: kept per set
// object, in one entry (one lookup per set and rule list, where a family list and each match's
// texts were looked up apart); the lists are shared by the rules, which is fine: the model is
// plain data.
interface SetForms {
  has4: boolean;
  has6: boolean;
  /** The prefixes as text: all of them, the IPv4 ones, the IPv6 ones (made when first asked). */
  all?: string[];
  v4?: string[];
  v6?: string[];
}

const formsCache = new WeakMap<PrefixSet, SetForms>();

function formsOf(set: PrefixSet): SetForms {
  let f = formsCache.get(set);
  if (!f) {
    const families = familiesOf(set);
    formsCache.set(set, (f = { has4: families.includes(4), has6: families.includes(6) }));
  }
  return f;
}

function textOf(set: PrefixSet, forms: SetForms, only: Family | undefined): string[] {
  if (only === undefined) return (forms.all ??= set.map(formatPrefix));
  if (only === 4) return (forms.v4 ??= set.filter((p: Prefix) => p.family === 4).map(formatPrefix));
  return (forms.v6 ??= set.filter((p: Prefix) => p.family === 6).map(formatPrefix));
}

/** Adds to `out` the filter rules for src → dst, one for each service match, split by family where a match needs it. */
export function addRules(
  out: FilterRule[],
  action: 'permit' | 'deny',
  src: PrefixSet | undefined,
  dst: PrefixSet | undefined,
  matches: ServiceMatch[],
  origin: Span,
  description: string,
  zones?: { fromZones?: string[]; toZones?: string[] },
): void {
  if (matches.length === 0) return;
  // The families both sets hold (a set of any holds both), read once for every match.
  const srcForms = src ? formsOf(src) : undefined;
  const dstForms = dst ? formsOf(dst) : undefined;
  const both4 = (srcForms?.has4 ?? true) && (dstForms?.has4 ?? true);
  const both6 = (srcForms?.has6 ?? true) && (dstForms?.has6 ?? true);
  // The texts of the last family split asked: the matches of a rule mostly ask the same one.
  let textsFor: Family | 0 | -1 = -1;
  let srcTexts: string[] | undefined;
  let dstTexts: string[] | undefined;
  for (const sm of matches) {
    const v4 = both4 && (sm.family === undefined || sm.family === 4);
    const v6 = both6 && (sm.family === undefined || sm.family === 6);
    if (!v4 && !v6) continue;
    const only: Family | undefined = v4 && v6 ? undefined : v4 ? 4 : 6;
    if (textsFor !== (only ?? 0)) {
      textsFor = only ?? 0;
      srcTexts = src ? textOf(src, srcForms!, only) : undefined;
      dstTexts = dst ? textOf(dst, dstForms!, only) : undefined;
    }
    const sources = srcTexts;
    // The family of an ICMP match is pinned by a prefix: the destination's when sources are any.
    const destinations = dst ? dstTexts : src ? undefined : only && sm.family ? [only === 4 ? '0.0.0.0/0' : '::/0'] : undefined;
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
