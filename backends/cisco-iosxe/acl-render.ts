// Filters → IOS-XE named ACLs. One model filter F becomes `ip access-list extended F` (its IPv4
// part) and `ipv6 access-list F-ipv6` (its IPv6 part). Rule i keeps its place: its entries are
// numbered from (i+1)·step in both lists, under remarks that carry the rule's description and
// intent span. IPv4 entries use object-groups for several addresses or ports; IPv6 ACLs are
// written one entry per address/port combination (portable across IOS-XE 17 platforms). The
// implicit deny is written out as the last entry, under DEFAULT_REMARK.

import { createHash } from 'node:crypto';
import type { FilterModel, FilterRule, PortRange } from '../../compiler/model.js';
import type { Span } from '../../language/diagnostic.js';
import { comparePrefixes, containsPrefix, formatPrefix, network, prefixOf, type Prefix } from '../../language/address.js';
import { formatOriginTag } from '../origin-tag.js';
import { iosText } from './text.js';
import {
  aclAddress,
  CONTROL_REMARK,
  DEFAULT_REMARK,
  groupAddress,
  icmpTypeText,
  INTENT_REMARK,
  IPV6_ACL_SUFFIX,
  LOCAL_HEAD,
  LOCAL_HEAD_TAIL,
  ND_REMARK,
  NO_FILTER_REMARK,
  SELF_GROUP_PREFIX,
  SELF_REMARK,
  ND_TYPES,
  portOperand,
  protocolText,
  wrapRemark,
} from './syntax.js';

type Family = 4 | 6;

export interface RenderedAcls {
  objectGroups: string[][]; // blocks of lines
  /**
   * Each list's lines, joined: a large policy's lines, built from pieces, are held as one flat
   * text per list rather than thousands of strings until the file is joined (the young
   * generation's collections copied them, docs/performance.md).
   */
  accessLists: string[];
}

/** Whether a rule can match packets of this family (a prefix list only matches its own family). */
export function ruleApplies(rule: FilterRule, family: Family): boolean {
  const m = rule.match;
  if (m.protocol === 1 && family === 6) return false;
  if (m.protocol === 58 && family === 4) return false;
  return hasFamily(m.sources, family) && hasFamily(m.destinations, family);
}

// The model's prefixes are valid (the compiler's, or a reader's that parsed them): IPv6 ones,
// and only they, have a colon. A list's family is told by it, without parsing; only the prefixes
// an entry is written from are parsed.
const ofFamily = (text: string, family: Family): boolean => text.includes(':') === (family === 6);

/** Whether a prefix list (undefined: any) holds a prefix of `family`. */
function hasFamily(list: string[] | undefined, family: Family): boolean {
  if (list === undefined) return true;
  for (const p of list) if (ofFamily(p, family)) return true;
  return false;
}

function familyPrefixes(list: string[] | undefined, family: Family): Prefix[] | undefined {
  if (list === undefined) return undefined;
  const out: Prefix[] = [];
  for (const text of list) if (ofFamily(text, family)) out.push(prefixOf(text));
  return out;
}

/** Every pair of an element of `as` and one of `bs`, `as` outermost. */
const combos = <A, B>(as: A[], bs: B[]): [A, B][] => {
  const out: [A, B][] = [];
  for (const a of as) for (const b of bs) out.push([a, b]);
  return out;
};
// Shared lists, only read: an entry with no ports, no ICMP type or `established`, a rule with no entry.
const NO_RANGE: (PortRange | undefined)[] = Object.freeze([undefined]) as (PortRange | undefined)[];
const NO_TAIL: string[] = Object.freeze([]) as unknown as string[];
const NO_BODIES: AceBody[] = Object.freeze([]) as unknown as AceBody[];
const orNone = (ranges: PortRange[] | undefined): (PortRange | undefined)[] =>
  ranges && ranges.length > 0 ? ranges : NO_RANGE;

interface AceBody {
  service: string; // `tcp`, `ip`, `object-group NAME`
  src: string;
  srcPort?: PortRange;
  dst: string;
  dstPort?: PortRange;
  tail: string[]; // icmp type, established
}

function aceText(b: AceBody): string {
  let text = `${b.service} ${b.src}`;
  if (b.srcPort) text += ` ${portOperand(b.srcPort)}`;
  text += ` ${b.dst}`;
  if (b.dstPort) text += ` ${portOperand(b.dstPort)}`;
  for (const t of b.tail) text += ` ${t}`;
  return text;
}

/** An entry body; the port fields are left out when undefined, as the model leaves them. */
function aceBody(service: string, src: string, srcPort: PortRange | undefined, dst: string, dstPort: PortRange | undefined, tail: string[]): AceBody {
  const body: AceBody = { service, src, dst, tail };
  if (srcPort) body.srcPort = srcPort;
  if (dstPort) body.dstPort = dstPort;
  return body;
}

/** The entry bodies of one rule in one family, creating object-groups (IPv4) as needed (named by their content). */
type DefineGroup = (kind: 'network' | 'service', lines: string[]) => string;

/**
 * A render's address operands by model list: a large policy's rules share a few lists (a
 * segment's prefixes, one array for every rule that names it), so each list's prefixes are
 * parsed and written (and a network object-group's lines hashed) once per render, not once per
 * rule. Keyed by the list itself: the model does not change while it is rendered.
 */
interface Operands {
  define: DefineGroup;
  /** An IPv4 list's one operand (`A W`, `host A` or `object-group NAME`). */
  ipv4: Map<string[], string>;
  /** An IPv6 list's operands, one per prefix. */
  ipv6: Map<string[], string[]>;
}

const ANY_OPERANDS: string[] = Object.freeze(['any']) as unknown as string[];

function ipv4OperandOf(list: string[] | undefined, ops: Operands): string {
  if (list === undefined) return 'any';
  let op = ops.ipv4.get(list);
  if (op === undefined) ops.ipv4.set(list, (op = ipv4Operand(familyPrefixes(list, 4)!, ops.define)));
  return op;
}

function ipv6OperandsOf(list: string[] | undefined, ops: Operands): string[] {
  if (list === undefined) return ANY_OPERANDS;
  let out = ops.ipv6.get(list);
  if (out === undefined) ops.ipv6.set(list, (out = familyPrefixes(list, 6)!.map(aclAddress)));
  return out;
}

function ruleBodies(rule: FilterRule, family: Family, ops: Operands): AceBody[] {
  const m = rule.match;
  const proto = protocolText(family, m.protocol);
  let tail = NO_TAIL;
  if (m.icmpType !== undefined || m.tcpEstablished) {
    tail = [];
    if (m.icmpType !== undefined) tail.push(icmpTypeText(family, m.icmpType));
    if (m.tcpEstablished) tail.push('established');
  }
  const ported = m.protocol === 6 || m.protocol === 17;
  const srcRanges = ported ? orNone(m.sourcePorts) : NO_RANGE;
  const dstRanges = ported ? orNone(m.destinationPorts) : NO_RANGE;

  if (family === 6) {
    const srcOps = ipv6OperandsOf(m.sources, ops);
    const dstOps = ipv6OperandsOf(m.destinations, ops);
    const out: AceBody[] = [];
    for (const src of srcOps) {
      for (const srcPort of srcRanges) {
        for (const dst of dstOps) for (const dstPort of dstRanges) out.push(aceBody(proto, src, srcPort, dst, dstPort, tail));
      }
    }
    return out;
  }

  const src = ipv4OperandOf(m.sources, ops);
  const dst = ipv4OperandOf(m.destinations, ops);
  const several = srcRanges.length > 1 || dstRanges.length > 1;
  if (several && !m.tcpEstablished) {
    const lines = combos(srcRanges, dstRanges).map(([s, d]) =>
      [` ${proto}`, ...(s ? [`source ${portOperand(s)}`] : []), ...(d ? [portOperand(d)] : [])].join(' '),
    );
    return [{ service: `object-group ${ops.define('service', lines)}`, src, dst, tail }];
  }
  // `established` cannot follow a service object-group: one entry per port combination.
  const out: AceBody[] = [];
  for (const srcPort of srcRanges) for (const dstPort of dstRanges) out.push(aceBody(proto, src, srcPort, dst, dstPort, tail));
  return out;
}

/** An IPv4 address operand: `any`, one prefix's operand, or a network object-group of several. */
function ipv4Operand(list: Prefix[] | undefined, define: DefineGroup): string {
  if (list === undefined) return 'any';
  if (list.length === 1) return aclAddress(list[0]!);
  return `object-group ${define('network', list.map((p) => ` ${groupAddress(p)}`))}`;
}

/**
 * A rule's remark lines: its description (escaped, wrapped) and its intent span. A rule's
 * remarks head its entries in both families' lists, and a policy rule's description heads its
 * rules in the filters of both its ends, so each line is made once per render and pushed as is.
 */
type RuleRemarks = (rule: FilterRule, lines: string[]) => void;

function ruleRemarkLines(): RuleRemarks {
  const descriptions = new Map<string, string[]>();
  const origins = new Map<Span, string>();
  return (rule, lines) => {
    let description = descriptions.get(rule.description);
    if (!description) descriptions.set(rule.description, (description = wrapRemark(iosText(rule.description)).map((r) => ` remark ${r}`)));
    let origin = origins.get(rule.origin);
    if (origin === undefined) origins.set(rule.origin, (origin = ` remark ${INTENT_REMARK}${formatOriginTag(rule.origin)}`));
    // indexed: every rule of a large list comes here before the code is optimized
    for (let i = 0; i < description.length; i++) lines.push(description[i]!);
    lines.push(origin);
  };
}

/**
 * The filters whose IPv6 half is written: those with a rule that can match IPv6, and those
 * bound to an interface with an IPv6 address (its default action must apply there too).
 */
export function ipv6Filters(filters: FilterModel[], boundToIpv6: (filter: string) => boolean): Set<string> {
  return new Set(filters.filter((f) => f.rules.some((r) => ruleApplies(r, 6)) || boundToIpv6(f.name)).map((f) => f.name));
}

/** Per filter and family: the control-plane entries (see CONTROL_REMARK) its list starts with. */
export type ControlPlane = Map<string, Record<Family, string[]>>;

/** The model's local filter, as the infrastructure ACL writes it (see LOCAL_HEAD). */
export interface LocalPart {
  filter: FilterModel;
  /** The router's own destinations per family (selfPrefixes). */
  self: Record<Family, Prefix[]>;
  /** Filters that are some interface's inbound filter: their lists start with the local part. */
  inbound: Set<string>;
  /** Per family: whether the local filter's own list is written (an addressed interface has no inbound filter). */
  own: Record<Family, boolean>;
}

export function renderAcls(filters: FilterModel[], withIpv6: Set<string>, control: ControlPlane = new Map(), local?: LocalPart): RenderedAcls {
  const objectGroups: string[][] = [];
  const accessLists: string[] = [];
  const ruleRemarks = ruleRemarkLines();
  // Object-groups are named by their content (NET-/SVC-/SELF- and a short hash): defined once
  // however many entries use them, and stable when unrelated rules change.
  const defined = new Set<string>();
  const groupNamed = (prefix: string, kind: string, lines: string[]): string => {
    const hash = createHash('sha256').update(`${kind}\n${lines.join('\n')}`).digest('hex').slice(0, 8).toUpperCase();
    const name = `${prefix}${hash}`;
    if (!defined.has(name)) {
      defined.add(name);
      objectGroups.push([`object-group ${kind} ${name}`, ...lines]);
    }
    return name;
  };
  const define: DefineGroup = (kind, lines) => groupNamed(kind === 'service' ? 'SVC-' : 'NET-', kind, lines);
  const ops: Operands = { define, ipv4: new Map(), ipv6: new Map() };
  const selfGroup = local && local.self[4].length > 0 ? groupNamed(SELF_GROUP_PREFIX, 'network', local.self[4].map((p) => ` ${groupAddress(p)}`)) : undefined;
  const bodiesOf = (rules: FilterRule[], family: Family, restrict: boolean): AceBody[][] =>
    rules.map((rule) => {
      if (!restrict) return ruleApplies(rule, family) ? ruleBodies(rule, family, ops) : NO_BODIES;
      return localBodies(rule, family, ops, local!.self[family], selfGroup);
    });
  const localBodiesOf = local ? { 4: bodiesOf(local.filter.rules, 4, true), 6: bodiesOf(local.filter.rules, 6, true) } : undefined;

  const write = (filter: FilterModel, withLocal: boolean, ownList: boolean): void => {
    const aclName = (family: Family): string => (family === 4 ? filter.name : `${filter.name}${IPV6_ACL_SUFFIX}`);
    const bodies = { 4: [] as AceBody[][], 6: [] as AceBody[][] };
    if (!ownList) for (const family of [4, 6] as const) bodies[family] = bodiesOf(filter.rules, family, false);
    const cp = withLocal ? { 4: [], 6: [] } : (control.get(filter.name) ?? { 4: [], 6: [] });
    const localRules = withLocal ? local!.filter.rules.length : 0;
    // One numbering for both lists, so that rule i has the same sequence number in each; the
    // control-plane block takes the first number, the local part one per local rule and one
    // for its default, and the rules follow.
    const shift = withLocal ? localRules + 1 : cp[4].length + cp[6].length > 0 ? 1 : 0;
    const sizes = [1 + ND_TYPES.length, cp[4].length, cp[6].length, ...bodies[4].map((b) => b.length), ...bodies[6].map((b) => b.length)];
    if (withLocal) sizes.push(local!.self[6].length, ...localBodiesOf![4].map((b) => b.length), ...localBodiesOf![6].map((b) => b.length));
    let step = 10;
    while (step < Math.max(...sizes)) step *= 10;
    for (const family of [4, 6] as const) {
      if (ownList ? !(local!.own[family] && local!.self[family].length > 0) : family === 6 && !withIpv6.has(filter.name)) continue;
      const withLocalHere = withLocal && local!.self[family].length > 0;
      const seqWord = family === 4 ? '' : 'sequence ';
      const any = family === 4 ? 'ip' : 'ipv6';
      // The list's lines, written as its blocks are met: each block's remarks, then its entries.
      const lines = [family === 4 ? `ip access-list extended ${aclName(family)}` : `ipv6 access-list ${aclName(family)}`];
      const remarks = (texts: readonly string[]): void => {
        for (const r of texts) lines.push(` remark ${r}`);
      };
      const entry = (seq: number, text: string): void => void lines.push(` ${seqWord}${seq} ${text}`);
      const ndBlock = (seq: number): void => {
        remarks([ND_REMARK]);
        ND_TYPES.forEach((t, k) => entry(seq + k, `permit icmp any any ${t}`));
      };
      if (cp[family].length > 0) {
        remarks([CONTROL_REMARK]);
        cp[family].forEach((text, k) => entry(step + k, `permit ${text}`));
      }
      if (withLocalHere) {
        const lf = local!.filter;
        // neighbour discovery is link-layer plumbing outside the model: admitted before anything else
        if (family === 6) ndBlock(1);
        const head = `${LOCAL_HEAD}${lf.name}${LOCAL_HEAD_TAIL}`;
        let headed = false;
        lf.rules.forEach((rule, k) => {
          const b = localBodiesOf![family][k]!;
          if (b.length === 0) return;
          if (!headed) remarks([head]);
          ruleRemarks(rule, lines);
          b.forEach((x, j) => entry((k + 1) * step + j, `${rule.action} ${aceText(x)}`));
          headed = true;
        });
        const selfOps = family === 4 ? [`object-group ${selfGroup!}`] : local!.self[6].map(aclAddress);
        if (!headed) remarks([head]);
        remarks([SELF_REMARK]);
        selfOps.forEach((op, j) => entry((localRules + 1) * step + j, `${lf.defaultAction} ${any} any ${op}`));
      }
      if (ownList) {
        remarks([NO_FILTER_REMARK]);
        entry((localRules + 2) * step, `permit ${any} any any`);
      } else {
        // plain loops: a large list's rules run here before the code is optimized
        const familyBodies = bodies[family];
        for (let i = 0; i < filter.rules.length; i++) {
          const b = familyBodies[i]!;
          if (b.length === 0) continue;
          const rule = filter.rules[i]!;
          ruleRemarks(rule, lines);
          const first = (i + 1 + shift) * step;
          for (let k = 0; k < b.length; k++) lines.push(` ${seqWord}${first + k} ${rule.action} ${aceText(b[k]!)}`);
        }
        let seq = (filter.rules.length + 1 + shift) * step;
        if (family === 6 && filter.defaultAction === 'deny' && !withLocalHere) {
          ndBlock(seq);
          seq = (filter.rules.length + 2 + shift) * step;
        }
        remarks([DEFAULT_REMARK]);
        entry(seq, `${filter.defaultAction} ${any} any any`);
      }
      accessLists.push(lines.join('\n'));
    }
  };
  for (const filter of filters) {
    if (local && filter.name === local.filter.name) continue;
    write(filter, local?.inbound.has(filter.name) ?? false, false);
  }
  if (local && (local.own[4] || local.own[6])) write(local.filter, true, true);
  return { objectGroups, accessLists };
}

/**
 * The entries of a local filter rule: restricted to the router's own destinations `self` (a
 * rule without destinations gets all of them: the SELF object-group in IPv4, one entry per own
 * address in IPv6; listed destinations keep those that are the router's or hold its addresses).
 */
function localBodies(rule: FilterRule, family: Family, ops: Operands, self: Prefix[], selfGroup: string | undefined): AceBody[] {
  const m = rule.match;
  if (self.length === 0 || !ruleApplies({ ...rule, match: { ...m, destinations: undefined } }, family)) return [];
  if (m.destinations === undefined) {
    if (family === 4) return ruleBodies(rule, 4, ops).map((b) => ({ ...b, dst: `object-group ${selfGroup!}` }));
    return ruleBodies({ ...rule, match: { ...m, destinations: self.map(formatPrefix) } }, 6, ops);
  }
  const dsts = restrictTo(familyPrefixes(m.destinations, family) ?? [], self);
  if (dsts.length === 0) return [];
  return ruleBodies({ ...rule, match: { ...m, destinations: dsts.map(formatPrefix) } }, family, ops);
}

/** The part of `dsts` that is the router's: prefixes inside one of `self`, and the `self` prefixes inside a wider one. */
export function restrictTo(dsts: Prefix[], self: Prefix[]): Prefix[] {
  const out = new Map<string, Prefix>();
  for (const d of dsts) {
    if (self.some((s) => containsPrefix(s, d))) out.set(formatPrefix(network(d)), network(d));
    else for (const s of self) if (containsPrefix(d, s)) out.set(formatPrefix(s), s);
  }
  return [...out.values()].sort(comparePrefixes);
}

/**
 * The router's own destinations per family: the interfaces' addresses (hosts), in IPv6 every
 * link-local address (fe80::/10: a router never forwards to one), and where it runs OSPF the
 * OSPF groups (224.0.0.5/6, ff02::5/6).
 */
export function selfPrefixes(addresses: string[], ipv6: boolean, ospf: boolean): Record<Family, Prefix[]> {
  const hosts = addresses.map(prefixOf).map((p): Prefix => ({ family: p.family, value: p.value, length: p.family === 4 ? 32 : 128 }));
  const out: Record<Family, Prefix[]> = { 4: hosts.filter((p) => p.family === 4), 6: hosts.filter((p) => p.family === 6) };
  if (ospf) out[4].push(prefixOf('224.0.0.5/32'), prefixOf('224.0.0.6/32'));
  if (ipv6) out[6].push(prefixOf('fe80::/10'), ...(ospf ? [prefixOf('ff02::5/128'), prefixOf('ff02::6/128')] : []));
  for (const f of [4, 6] as const) out[f] = [...new Map(out[f].map((p) => [formatPrefix(p), p])).values()].sort(comparePrefixes);
  return out;
}
