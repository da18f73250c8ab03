// Filters → IOS-XE named ACLs. One model filter F becomes `ip access-list extended F` (its IPv4
// part) and `ipv6 access-list F-ipv6` (its IPv6 part). Rule i keeps its place: its entries are
// numbered from (i+1)·step in both lists, under remarks that carry the rule's description and
// intent span. IPv4 entries use object-groups for several addresses or ports; IPv6 ACLs are
// written one entry per address/port combination (portable across IOS-XE 17 platforms). The
// implicit deny is written out as the last entry, under DEFAULT_REMARK.

import { createHash } from 'node:crypto';
import type { FilterModel, FilterRule, PortRange } from '../../compiler/model.js';
import { prefixOf, type Prefix } from '../../language/address.js';
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
  ND_REMARK,
  ND_TYPES,
  portOperand,
  protocolText,
  wrapRemark,
} from './syntax.js';

type Family = 4 | 6;

export interface RenderedAcls {
  objectGroups: string[][]; // blocks of lines
  accessLists: string[][];
}

/** Whether a rule can match packets of this family (a prefix list only matches its own family). */
export function ruleApplies(rule: FilterRule, family: Family): boolean {
  const m = rule.match;
  if (m.protocol === 1 && family === 6) return false;
  if (m.protocol === 58 && family === 4) return false;
  const has = (list: string[] | undefined): boolean =>
    list === undefined || list.some((p) => prefixOf(p).family === family);
  return has(m.sources) && has(m.destinations);
}

function familyPrefixes(list: string[] | undefined, family: Family): Prefix[] | undefined {
  return list?.map(prefixOf).filter((p) => p.family === family);
}

const combos = <A, B>(as: A[], bs: B[]): [A, B][] => as.flatMap((a) => bs.map((b): [A, B] => [a, b]));
const orNone = (ranges: PortRange[] | undefined): (PortRange | undefined)[] =>
  ranges && ranges.length > 0 ? ranges : [undefined];

interface AceBody {
  service: string; // `tcp`, `ip`, `object-group NAME`
  src: string;
  srcPort?: PortRange;
  dst: string;
  dstPort?: PortRange;
  tail: string[]; // icmp type, established
}

function aceText(b: AceBody): string {
  const parts = [b.service, b.src];
  if (b.srcPort) parts.push(portOperand(b.srcPort));
  parts.push(b.dst);
  if (b.dstPort) parts.push(portOperand(b.dstPort));
  parts.push(...b.tail);
  return parts.join(' ');
}

/** The entry bodies of one rule in one family, creating object-groups (IPv4) as needed. */
type DefineGroup = (kind: string, name: string, lines: string[]) => string;

function ruleBodies(rule: FilterRule, family: Family, groupBase: string, define: DefineGroup): AceBody[] {
  const m = rule.match;
  const proto = protocolText(family, m.protocol);
  const tail: string[] = [];
  if (m.icmpType !== undefined) tail.push(icmpTypeText(family, m.icmpType));
  if (m.tcpEstablished) tail.push('established');
  const ported = m.protocol === 6 || m.protocol === 17;
  const srcRanges = ported ? orNone(m.sourcePorts) : [undefined];
  const dstRanges = ported ? orNone(m.destinationPorts) : [undefined];
  const srcs = familyPrefixes(m.sources, family);
  const dsts = familyPrefixes(m.destinations, family);

  if (family === 6) {
    const srcOps = srcs ? srcs.map(aclAddress) : ['any'];
    const dstOps = dsts ? dsts.map(aclAddress) : ['any'];
    return combos(combos(srcOps, srcRanges), combos(dstOps, dstRanges)).map(([[src, srcPort], [dst, dstPort]]) => ({
      service: proto,
      src,
      ...(srcPort ? { srcPort } : {}),
      dst,
      ...(dstPort ? { dstPort } : {}),
      tail,
    }));
  }

  const operand = (list: Prefix[] | undefined, which: string): string => {
    if (list === undefined) return 'any';
    if (list.length === 1) return aclAddress(list[0]!);
    return `object-group ${define('network', `${groupBase}-${which}`, list.map((p) => ` ${groupAddress(p)}`))}`;
  };
  const src = operand(srcs, 'src');
  const dst = operand(dsts, 'dst');
  const several = srcRanges.length > 1 || dstRanges.length > 1;
  if (several && !m.tcpEstablished) {
    const lines = combos(srcRanges, dstRanges).map(([s, d]) =>
      [` ${proto}`, ...(s ? [`source ${portOperand(s)}`] : []), ...(d ? [portOperand(d)] : [])].join(' '),
    );
    return [{ service: `object-group ${define('service', `${groupBase}-svc`, lines)}`, src, dst, tail }];
  }
  // `established` cannot follow a service object-group: one entry per port combination.
  return combos(srcRanges, dstRanges).map(([srcPort, dstPort]) => ({
    service: proto,
    src,
    ...(srcPort ? { srcPort } : {}),
    dst,
    ...(dstPort ? { dstPort } : {}),
    tail,
  }));
}

function remarks(description: string, origin: string | undefined): string[] {
  const lines = wrapRemark(iosText(description)).map((t) => ` remark ${t}`);
  if (origin !== undefined) lines.push(` remark ${INTENT_REMARK}${origin}`);
  return lines;
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

export function renderAcls(filters: FilterModel[], withIpv6: Set<string>, control: ControlPlane = new Map()): RenderedAcls {
  const objectGroups: string[][] = [];
  const accessLists: string[][] = [];
  // Object-groups are named by their content (NET-/SVC- and a short hash): defined once however
  // many entries use them, and stable when unrelated rules change.
  const defined = new Set<string>();
  const define = (kind: string, _firstUse: string, lines: string[]): string => {
    const hash = createHash('sha256').update(`${kind}\n${lines.join('\n')}`).digest('hex').slice(0, 8).toUpperCase();
    const name = `${kind === 'service' ? 'SVC' : 'NET'}-${hash}`;
    if (!defined.has(name)) {
      defined.add(name);
      objectGroups.push([`object-group ${kind} ${name}`, ...lines]);
    }
    return name;
  };
  for (const filter of filters) {
    const aclName = (family: Family): string => (family === 4 ? filter.name : `${filter.name}${IPV6_ACL_SUFFIX}`);
    const bodies = { 4: [] as AceBody[][], 6: [] as AceBody[][] };
    for (const family of [4, 6] as const) {
      bodies[family] = filter.rules.map((rule, i) =>
        ruleApplies(rule, family) ? ruleBodies(rule, family, `${aclName(family)}-${i + 1}`, define) : [],
      );
    }
    // One numbering for both lists, so that rule i has the same sequence number in each; the
    // control-plane block, when there is one, takes the first number and shifts the rules.
    const cp = control.get(filter.name) ?? { 4: [], 6: [] };
    const shift = cp[4].length + cp[6].length > 0 ? 1 : 0;
    const largest = Math.max(1 + ND_TYPES.length, cp[4].length, cp[6].length, ...bodies[4].map((b) => b.length), ...bodies[6].map((b) => b.length));
    let step = 10;
    while (step < largest) step *= 10;
    for (const family of [4, 6] as const) {
      if (family === 6 && !withIpv6.has(filter.name)) continue;
      const acl = aclName(family);
      const perRule = bodies[family];
      const seqWord = family === 4 ? '' : 'sequence ';
      const lines = [family === 4 ? `ip access-list extended ${acl}` : `ipv6 access-list ${acl}`];
      if (cp[family].length > 0) {
        lines.push(` remark ${CONTROL_REMARK}`);
        cp[family].forEach((text, k) => lines.push(` ${seqWord}${step + k} permit ${text}`));
      }
      filter.rules.forEach((rule, i) => {
        const bodies = perRule[i]!;
        if (bodies.length === 0) return;
        lines.push(...remarks(rule.description, formatOriginTag(rule.origin)));
        bodies.forEach((b, k) => lines.push(` ${seqWord}${(i + 1 + shift) * step + k} ${rule.action} ${aceText(b)}`));
      });
      let seq = (filter.rules.length + 1 + shift) * step;
      if (family === 6 && filter.defaultAction === 'deny') {
        lines.push(` remark ${ND_REMARK}`);
        for (const t of ND_TYPES) lines.push(` ${seqWord}${seq++} permit icmp any any ${t}`);
        seq = (filter.rules.length + 2 + shift) * step;
      }
      lines.push(` remark ${DEFAULT_REMARK}`);
      lines.push(` ${seqWord}${seq} ${filter.defaultAction} ${family === 4 ? 'ip' : 'ipv6'} any any`);
      accessLists.push(lines);
    }
  }
  return { objectGroups, accessLists };
}
