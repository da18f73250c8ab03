// IOS-XE ACL blocks → FilterModels: the entries under one run of remarks form one rule (several
// entries when IOS needs one per combination); rule k of `F` and of `F-ipv6` share a sequence
// number and merge into one mixed-family rule. The control-plane, neighbour-discovery and default
// blocks are checked and left out of the rules.

import type { FilterModel, FilterRule, Match, PortRange } from '../../compiler/model.js';
import type { Span } from '../../language/diagnostic.js';
import { comparePrefixes, formatPrefix, network, parsePrefix, type Prefix } from '../../language/address.js';
import { remarkText, type Ace, type Block, type ParsedAcl } from './acl-read.js';
import { Codes } from '../../language/diagnostics/index.js';
import { textSpan, wordSpanAt } from '../config-text.js';
import type { Reporter } from '../reporter.js';
import type { IosLine } from './lines.js';
import { parseOriginTag } from '../origin-tag.js';
import { readText } from './text.js';
import { CONTROL_REMARK, DEFAULT_REMARK, INTENT_REMARK, IPV6_ACL_SUFFIX, ND_REMARK } from './syntax.js';

const rangeKey = (p: PortRange | undefined): string => (p ? `${p.from}-${p.to}` : '');
/**
 * A prefix's text (of its network address). Kept per frozen Prefix object (it cannot change
 * after): the reader shares one per operand written (acl-read.ts), and a large list's rules
 * name a few networks.
 */
const prefixKeys = new WeakMap<Prefix, string>();
const prefixKey = (p: Prefix): string => {
  let key = prefixKeys.get(p);
  if (key === undefined) {
    key = formatPrefix(network(p));
    if (Object.isFrozen(p)) prefixKeys.set(p, key);
  }
  return key;
};

/** Distinct values by key, in order of first use; `add` gives a value's index among them. */
class Distinct<T> {
  readonly values: T[] = [];
  private readonly index = new Map<string, number>();
  constructor(private readonly key: (t: T) => string) {}
  add(t: T): number {
    const k = this.key(t);
    let i = this.index.get(k);
    if (i === undefined) {
      i = this.values.length;
      this.index.set(k, i);
      this.values.push(t);
    }
    return i;
  }
}

export interface HalfRule {
  seq: number;
  line: IosLine;
  action: 'permit' | 'deny';
  description: string;
  origin?: Span;
  protocol: number | undefined;
  sources?: Prefix[];
  destinations?: Prefix[];
  sourcePorts?: PortRange[];
  destinationPorts?: PortRange[];
  icmpType?: number;
  established: boolean;
}

/**
 * One block's entries as one rule of one family; undefined (after a diagnostic) if they do not
 * form one. `origins`: the spans of intent remarks read before, by the remark's text (a span is
 * the same for the same text): a rule's remark heads its entries in both families' lists and a
 * policy rule's heads its rules in the filters of both its ends, so a large list's tags are read
 * once each. Its spans are shared by the rules that name them, as the model's are; a remark that
 * holds no span is reported each time.
 */
export function blockRule(block: Block, reporter: Reporter, origins?: Map<string, Span>): HalfRule | undefined {
  const first = block.aces[0]!;
  const remarks = block.remarks;
  let origin: Span | undefined;
  const last = remarks.length > 0 ? remarkText(remarks[remarks.length - 1]!) : undefined;
  if (last !== undefined && last.startsWith(INTENT_REMARK)) {
    origin = origins?.get(last);
    if (origin === undefined) {
      origin = parseOriginTag(last.slice(INTENT_REMARK.length));
      if (origin && origins) origins.set(last, origin);
    }
    if (!origin) reporter.warning(Codes.readerBadAnnotation, textSpan(remarks[remarks.length - 1]!), 'this intent remark does not hold a span');
  }
  // the remarks above the intent remark (all of them when there is no span)
  const described = origin ? remarks.length - 1 : remarks.length;
  for (const a of block.aces) {
    const same =
      a.action === first.action &&
      a.protocol === first.protocol &&
      a.icmpType === first.icmpType &&
      a.established === first.established &&
      (a.src === 'any') === (first.src === 'any') &&
      (a.dst === 'any') === (first.dst === 'any');
    if (!same) {
      reporter.error(Codes.readerContradiction, textSpan(a.line), 'entries under one remark must differ only in addresses and ports', 'Give each rule its own remark.');
      return undefined;
    }
  }
  const parts = block.aces.length === 1 ? oneEntryParts(first) : undefined;
  if (parts) return halfRule(first, remarksDescription(remarks, described, last), origin, parts);
  // Every (source, destination, source ports, destination ports) of the entries, as numbers:
  // each distinct value of a part gets an index in order of first use (the order the rule
  // lists them in), and a combination is one number of those indexes.
  const srcs = first.src === 'any' ? undefined : new Distinct<Prefix>(prefixKey);
  const dsts = first.dst === 'any' ? undefined : new Distinct<Prefix>(prefixKey);
  const sps = new Distinct<PortRange | undefined>(rangeKey);
  const dps = new Distinct<PortRange | undefined>(rangeKey);
  const indexed: { s: number[]; d: number[]; sp: number[]; dp: number[] }[] = [];
  for (const a of block.aces) {
    // an entry with an empty group matches nothing and names none of its values
    if ((a.src !== 'any' && a.src.length === 0) || (a.dst !== 'any' && a.dst.length === 0) || a.combos.length === 0) continue;
    indexed.push({
      s: a.src === 'any' ? [0] : a.src.map((p) => srcs!.add(p)),
      d: a.dst === 'any' ? [0] : a.dst.map((p) => dsts!.add(p)),
      sp: a.combos.map((c) => sps.add(c.src)),
      dp: a.combos.map((c) => dps.add(c.dst)),
    });
  }
  const [nd, nsp, ndp] = [dsts?.values.length ?? 1, sps.values.length, dps.values.length];
  const seen = new Set<number>();
  for (const x of indexed) {
    for (const s of x.s) for (const d of x.d) for (let c = 0; c < x.sp.length; c++) seen.add(((s * nd + d) * nsp + x.sp[c]!) * ndp + x.dp[c]!);
  }
  const distinct = seen.size;
  const product = (srcs?.values.length ?? 1) * nd * nsp * ndp;
  const mixed = (ps: (PortRange | undefined)[]): boolean => ps.length > 1 && ps.includes(undefined);
  if (distinct !== product || mixed(sps.values) || mixed(dps.values)) {
    reporter.error(Codes.readerContradiction, textSpan(first.line), 'the entries under this remark do not cover every combination of their addresses and ports', 'Give each rule its own remark.');
    return undefined;
  }
  return halfRule(first, remarksDescription(remarks, described, last), origin, { sources: srcs?.values, destinations: dsts?.values, sourcePorts: sps.values, destinationPorts: dps.values });
}

/** A rule's distinct values of each part, in order of first use (undefined addresses: `any`). */
interface RuleParts {
  sources: Prefix[] | undefined;
  destinations: Prefix[] | undefined;
  sourcePorts: (PortRange | undefined)[];
  destinationPorts: (PortRange | undefined)[];
}

/**
 * The parts of a block of one entry with one port combination (nearly every block of a large
 * policy): its own addresses, duplicates left out, and its ports. They cover every combination
 * by themselves, as blockRule's count would find. Undefined for an entry with an empty group or
 * several port combinations: blockRule's general path decides those.
 */
function oneEntryParts(a: Ace): RuleParts | undefined {
  if ((a.src !== 'any' && a.src.length === 0) || (a.dst !== 'any' && a.dst.length === 0) || a.combos.length !== 1) return undefined;
  const distinct = (ps: readonly Prefix[]): Prefix[] => {
    // the reader's one-operand list, frozen and shared by the entries that write it: a rule's
    // lists are only read (a change in place would throw)
    if (ps.length === 1) return ps as Prefix[];
    const d = new Distinct<Prefix>(prefixKey);
    for (const p of ps) d.add(p);
    return d.values;
  };
  const combo = a.combos[0]!;
  return {
    sources: a.src === 'any' ? undefined : distinct(a.src),
    destinations: a.dst === 'any' ? undefined : distinct(a.dst),
    sourcePorts: oneRange(combo.src),
    destinationPorts: oneRange(combo.dst),
  };
}

/**
 * A one-range list, one per range object: the reader shares one frozen range per range written
 * (acl-read.ts), and the rules of a large list name a few; the lists are only read.
 */
const oneRanges = new WeakMap<PortRange, PortRange[]>();
const NO_PORT_RANGE: (PortRange | undefined)[] = Object.freeze([undefined]) as (PortRange | undefined)[];
function oneRange(r: PortRange | undefined): (PortRange | undefined)[] {
  if (r === undefined) return NO_PORT_RANGE;
  let list = oneRanges.get(r);
  if (list === undefined) {
    list = [r];
    if (Object.isFrozen(r)) oneRanges.set(r, Object.freeze(list) as PortRange[]);
  }
  return list;
}

/**
 * The description a block's first `count` remarks say: their texts joined by spaces, read back
 * (readText). `last`: the last remark's text, already cut. Made without a list of the texts for
 * the blocks of one or two remarks (nearly every block: a description and the intent remark).
 */
function remarksDescription(remarks: readonly IosLine[], count: number, last: string | undefined): string {
  const textAt = (i: number): string => (i === remarks.length - 1 ? last! : remarkText(remarks[i]!));
  if (count === 0) return readText('');
  if (count === 1) return readText(textAt(0));
  const texts: string[] = [];
  for (let i = 0; i < count; i++) texts.push(textAt(i));
  return readText(texts.join(' '));
}

function halfRule(first: Ace, description: string, origin: Span | undefined, parts: RuleParts): HalfRule {
  const defined = (ps: (PortRange | undefined)[]): PortRange[] | undefined => (ps[0] === undefined ? undefined : (ps as PortRange[]));
  const sourcePorts = defined(parts.sourcePorts);
  const destinationPorts = defined(parts.destinationPorts);
  const srcs = parts.sources;
  const dsts = parts.destinations;
  // the optional parts set one by one in this order (not spread from one-off objects: one per block of a large list)
  const rule = { seq: first.seq, line: first.line, action: first.action, description } as HalfRule;
  if (origin) rule.origin = origin;
  rule.protocol = first.protocol;
  if (srcs) rule.sources = srcs;
  if (dsts) rule.destinations = dsts;
  if (sourcePorts) rule.sourcePorts = sourcePorts;
  if (destinationPorts) rule.destinationPorts = destinationPorts;
  if (first.icmpType !== undefined) rule.icmpType = first.icmpType;
  rule.established = first.established;
  return rule;
}

function isDefaultBlock(block: Block): boolean {
  return (
    block.remarks.length === 1 &&
    remarkText(block.remarks[0]!) === DEFAULT_REMARK &&
    block.aces.length === 1 &&
    block.aces[0]!.protocol === undefined &&
    block.aces[0]!.src === 'any' &&
    block.aces[0]!.dst === 'any'
  );
}

export function isNdBlock(block: Block): boolean {
  return block.remarks.length === 1 && remarkText(block.remarks[0]!) === ND_REMARK && block.aces.every((a) => a.action === 'permit' && a.protocol === 58);
}

interface FilterHalf {
  acl: ParsedAcl;
  rules: HalfRule[];
  defaultAction?: 'permit' | 'deny';
}

const CONTROL_GROUPS = new Set(['224.0.0.5/32', '224.0.0.6/32', 'ff02::5/128', 'ff02::6/128', 'fe80::/10']);

/**
 * Whether a block is the control-plane block (CONTROL_REMARK); reports entries in it that could
 * admit anything but the router's own BGP and OSPF packets.
 */
function isControlBlock(block: Block, local: Set<string>, reporter: Reporter): boolean {
  if (block.remarks.length !== 1 || remarkText(block.remarks[0]!) !== CONTROL_REMARK) return false;
  for (const a of block.aces) {
    const dst = a.dst === 'any' || a.dst.length !== 1 ? undefined : prefixKey(a.dst[0]!);
    const toRouter = dst !== undefined && (local.has(dst) || (a.protocol === 89 && CONTROL_GROUPS.has(dst)));
    const bgp = a.protocol === 6 && a.combos.length === 1 && (a.combos[0]!.dst?.from === 179 || a.combos[0]!.src?.from === 179);
    const ok = a.action === 'permit' && toRouter && (a.protocol === 89 || bgp) && !a.established;
    if (!ok) reporter.error(Codes.readerContradiction, textSpan(a.line), 'a control-plane entry may only permit BGP or OSPF packets addressed to this router', 'Move the entry under a rule of its own.');
  }
  return true;
}

function half(acl: ParsedAcl, local: Set<string>, reporter: Reporter, origins: Map<string, Span>): FilterHalf {
  const rules: HalfRule[] = [];
  let defaultAction: 'permit' | 'deny' | undefined;
  // a plain loop: a large list's blocks run here before the code is optimized
  const blocks = acl.blocks;
  for (let i = 0; i < blocks.length; i++) {
    const b = blocks[i]!;
    if (b.aces.length === 0) continue; // remarks with no entry
    if (i === 0 && isControlBlock(b, local, reporter)) continue;
    if (isDefaultBlock(b)) {
      if (i !== blocks.length - 1) {
        reporter.error(Codes.readerContradiction, textSpan(b.aces[0]!.line), 'the default entry must be the last entry of the list');
      }
      defaultAction = b.aces[0]!.action;
      continue;
    }
    if (acl.family === 6 && isNdBlock(b)) continue;
    const rule = blockRule(b, reporter, origins);
    if (rule) rules.push(rule);
  }
  return { acl, rules, ...(defaultAction ? { defaultAction } : {}) };
}

/**
 * A one-prefix list of the model, one per frozen Prefix (kept with its key): a large list's rules
 * name a few networks, and a rule's lists are only read (frozen: a change in place would throw).
 */
const oneKeys = new WeakMap<Prefix, string[]>();
function oneKey(p: Prefix): string[] {
  let list = oneKeys.get(p);
  if (list === undefined) {
    list = [prefixKey(p)];
    if (Object.isFrozen(p)) oneKeys.set(p, Object.freeze(list) as string[]);
  }
  return list;
}

const sortedPrefixes = (ps: Prefix[]): string[] => (ps.length === 1 ? oneKey(ps[0]!) : [...ps].sort(comparePrefixes).map(prefixKey));

/** An `any` of one half facing addresses in the other is that half's family whole (see toRule). */
function whole(h: HalfRule | undefined, family: 4 | 6, other: HalfRule | undefined, lists: { 4?: boolean; 6?: boolean }): HalfRule | undefined {
  if (!h || !other || !lists[family]) return h;
  const all = [parsePrefix(family === 4 ? '0.0.0.0/0' : '::/0')!];
  return { ...h, ...(h.sources === undefined && other.sources !== undefined ? { sources: all } : {}), ...(h.destinations === undefined && other.destinations !== undefined ? { destinations: all } : {}) };
}

/** The halves' prefixes of one part together (IPv4's first), undefined when neither half lists any. */
function joined(p4: Prefix[] | undefined, p6: Prefix[] | undefined): string[] | undefined {
  if (p4 === undefined && p6 === undefined) return undefined;
  return sortedPrefixes(p4 === undefined ? p6! : p6 === undefined ? p4 : [...p4, ...p6]);
}

/**
 * `lists` (running configurations: both): the families whose lists decide packets of their own
 * family only. An entry of one family with no address (`any` both ways: a router prints
 * `0.0.0.0 255.255.255.255` so) and no entry at its sequence number in the other family's list
 * matches its own family only (an IPv4 list never sees IPv6): the rule gets that family's whole
 * range. Plumb's own files keep `0.0.0.0 255.255.255.255` apart from `any` (a rule of both
 * families on a router of one), and are read as written.
 */
export function toRule(v4In: HalfRule | undefined, v6In: HalfRule | undefined, reporter: Reporter, lists: { 4?: boolean; 6?: boolean } = {}): FilterRule | undefined {
  const v4 = whole(v4In, 4, v6In, lists);
  const v6 = whole(v6In, 6, v4In, lists);
  const a = (v4 ?? v6)!;
  if (v4 && v6) {
    const same =
      v4.action === v6.action &&
      v4.description === v6.description &&
      JSON.stringify(v4.origin) === JSON.stringify(v6.origin) &&
      v4.protocol === v6.protocol &&
      (v4.sources === undefined) === (v6.sources === undefined) &&
      (v4.destinations === undefined) === (v6.destinations === undefined) &&
      JSON.stringify([v4.sourcePorts, v4.destinationPorts, v4.established]) === JSON.stringify([v6.sourcePorts, v6.destinationPorts, v6.established]);
    if (!same) {
      reporter.error(Codes.readerContradiction, textSpan(v6.line), `IPv6 entry ${v6.seq} does not enforce the same rule as IPv4 entry ${v4.seq}`, 'Entries with the same sequence number in the IPv4 and IPv6 lists are one rule.');
      return undefined;
    }
  }
  let sources = joined(v4?.sources, v6?.sources);
  const destinations = joined(v4?.destinations, v6?.destinations);
  if (sources === undefined && destinations === undefined && (v4 ? !v6 && lists[6] : lists[4])) sources = [v4 ? '0.0.0.0/0' : '::/0'];
  // the parts present, set in this order (not spread from one-off objects: one per rule of a large list)
  const match: Match = {};
  if (sources) match.sources = sources;
  if (destinations) match.destinations = destinations;
  if (a.protocol !== undefined) match.protocol = a.protocol;
  if (a.sourcePorts) match.sourcePorts = a.sourcePorts;
  if (a.destinationPorts) match.destinationPorts = a.destinationPorts;
  if (a.icmpType !== undefined) match.icmpType = a.icmpType;
  if (a.established) match.tcpEstablished = true;
  return { action: a.action, match, origin: a.origin ?? textSpan(a.line), description: a.description };
}

/** The first rule at each sequence number. */
function bySeq(rules: HalfRule[] = []): Map<number, HalfRule> {
  const out = new Map<number, HalfRule>();
  for (const h of rules) if (!out.has(h.seq)) out.set(h.seq, h);
  return out;
}

/** Pairs `F` and `F-ipv6` lists into filters, sorted by name. */
/** `local`: the router's own addresses (`A/32`, `A/128`), which control-plane entries may admit. */
/** `running`: a router's running configuration, where `any` is all a one-family entry without addresses says (toRule). */
export function filtersOf(acls: ParsedAcl[], local: Set<string>, reporter: Reporter, running = false): FilterModel[] {
  const byName = new Map<string, { 4?: ParsedAcl; 6?: ParsedAcl }>();
  for (const acl of acls) {
    let name = acl.name;
    if (acl.family === 6) {
      if (!name.endsWith(IPV6_ACL_SUFFIX)) {
        reporter.error(Codes.readerMalformedValue, wordSpanAt(acl.section.head, 2), `IPv6 access-list names end in \`${IPV6_ACL_SUFFIX}\` (the IPv6 half of filter NAME is NAME${IPV6_ACL_SUFFIX})`);
        continue;
      }
      name = name.slice(0, -IPV6_ACL_SUFFIX.length);
    }
    const entry = byName.get(name) ?? {};
    entry[acl.family] = acl;
    byName.set(name, entry);
  }
  const filters: FilterModel[] = [];
  const origins = new Map<string, Span>();
  for (const [name, pair] of byName) {
    const h4 = pair[4] ? half(pair[4], local, reporter, origins) : undefined;
    const h6 = pair[6] ? half(pair[6], local, reporter, origins) : undefined;
    const seqs = [...new Set([...(h4?.rules ?? []), ...(h6?.rules ?? [])].map((h) => h.seq))].sort((a, b) => a - b);
    const v4 = bySeq(h4?.rules);
    const v6 = bySeq(h6?.rules);
    const rules: FilterRule[] = [];
    for (const seq of seqs) {
      const rule = toRule(
        v4.get(seq),
        v6.get(seq),
        reporter,
        running ? { 4: true, 6: true } : {},
      );
      if (rule) rules.push(rule);
    }
    const d4 = h4?.defaultAction;
    const d6 = h6?.defaultAction;
    if (d4 && d6 && d4 !== d6 && h6) {
      reporter.error(Codes.readerContradiction, textSpan(h6.acl.section.head), `the IPv4 and IPv6 lists of filter ${name} end with different default actions`);
    }
    filters.push({ name, rules, defaultAction: d4 ?? d6 ?? 'deny' });
  }
  return filters.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
