// IOS-XE named ACLs and object-groups read back, line by line: object-groups, entries (addresses,
// ports, ICMP types, `established`) and the blocks of entries under one run of remarks.
// acl-merge.ts turns the blocks into rules.

import type { PortRange } from '../../compiler/model.js';
import type { Span } from '../../language/diagnostic.js';
import { network, parseAddress, parsePrefix, type Prefix } from '../../language/address.js';
import { Codes } from '../../language/diagnostics/index.js';
import { isWhitespaceAt, textAfter, textSpan, wordSpanAt } from '../config-text.js';
import type { References } from '../references.js';
import type { Reporter } from '../reporter.js';
import { afterWords, type IosLine, type Section } from './lines.js';
import { entryWords } from './acl-words.js';
import { icmpTypeOf, maskLength, portOf, protocolOf } from './syntax.js';
import { writtenOperand } from './acl-operands.js';
import { BlockList } from './acl-blocks.js';

type Family = 4 | 6;

export interface NetworkGroup {
  kind: 'network';
  line: IosLine;
  prefixes: Prefix[];
}
export interface ServiceGroup {
  kind: 'service';
  line: IosLine;
  protocol: number | undefined;
  combos: { src?: PortRange; dst?: PortRange }[];
}
export type ObjectGroup = NetworkGroup | ServiceGroup;

/**
 * An entry. Its operand lists and port combinations may be shared with other entries (one
 * frozen list per operand written, see readAddress and portCombos): never changed in place.
 */
export interface Ace {
  line: IosLine;
  seq: number;
  action: 'permit' | 'deny';
  protocol: number | undefined;
  combos: readonly { src?: PortRange; dst?: PortRange }[];
  src: readonly Prefix[] | 'any';
  dst: readonly Prefix[] | 'any';
  /** The object-group named as the destination, if one is. */
  dstGroup: string | undefined;
  icmpType: number | undefined;
  established: boolean;
}

export interface Block {
  remarks: IosLine[];
  aces: Ace[];
}

export interface ParsedAcl {
  name: string;
  family: Family;
  section: Section;
  blocks: Block[];
}

class Cursor {
  i: number;
  constructor(
    readonly l: IosLine,
    start: number,
    /** The line's words: `l.texts`, or the same words split into scratch (entryWords). */
    readonly w: readonly string[] = l.texts,
  ) {
    this.i = start;
  }
  peek(): string | undefined {
    return this.w[this.i];
  }
  next(): string | undefined {
    return this.w[this.i++];
  }
  span(): Span {
    return wordSpanAt(this.l, this.i);
  }
  /** The span of word `at` (a position kept before reading on): made only for a diagnostic. */
  spanAt(at: number): Span {
    return wordSpanAt(this.l, at);
  }
}

export function readObjectGroup(section: Section, reporter: Reporter): { name: string; group: ObjectGroup } | undefined {
  const head = section.head;
  const kind = head.texts[1];
  const name = head.texts[2];
  if ((kind !== 'network' && kind !== 'service') || !name || head.texts.length !== 3) {
    reporter.error(Codes.readerUnknownCommand, textSpan(head), `unsupported object-group line \`${head.text}\``, 'Plumb reads `object-group network NAME` and `object-group service NAME`.');
    return undefined;
  }
  // the members' words split into scratch (entryWords), not kept on each line: a large policy's
  // groups have thousands of members
  if (kind === 'network') {
    const prefixes: Prefix[] = [];
    for (const l of section.body) {
      if (l.isComment) continue;
      const words = entryWords(l);
      if (words[0] === 'description') continue;
      const c = new Cursor(l, 0, words);
      const p = readAddress(c, 4, reporter, false);
      if (p && p !== 'any' && c.peek() === undefined) prefixes.push(...p);
      else if (p) reporter.error(Codes.readerUnknownCommand, textSpan(l), `unsupported network object-group line \`${l.text.trim()}\``);
    }
    return { name, group: { kind, line: head, prefixes } };
  }
  let protocol: number | undefined;
  const combos: ServiceGroup['combos'] = [];
  for (const l of section.body) {
    if (l.isComment) continue;
    const words = entryWords(l);
    if (words[0] === 'description') continue;
    const c = new Cursor(l, 0, words);
    const proto = c.next()!;
    const p = protocolOf(4, proto);
    if (p !== 6 && p !== 17) {
      reporter.error(Codes.readerUnknownCommand, textSpan(l), `unsupported service object-group line \`${l.text.trim()}\``, 'Plumb writes `tcp|udp [source PORTS] [PORTS]` lines.');
      continue;
    }
    if (protocol !== undefined && protocol !== p) {
      reporter.error(Codes.readerContradiction, wordSpanAt(l, 0), `service object-group ${name} mixes protocols`);
    }
    protocol = p;
    let src: PortRange | undefined;
    if (c.peek() === 'source') {
      c.next();
      src = readPorts(c, reporter);
    }
    const dst = c.peek() !== undefined ? readPorts(c, reporter) : undefined;
    if (c.peek() !== undefined) reporter.error(Codes.readerUnknownCommand, c.span(), `unexpected \`${c.peek()}\` in a service object-group`);
    combos.push({ ...(src ? { src } : {}), ...(dst ? { dst } : {}) });
  }
  return { name, group: { kind, line: head, protocol, combos } };
}

function readPorts(c: Cursor, reporter: Reporter): PortRange | undefined {
  const op = c.peek();
  if (op !== 'eq' && op !== 'range') return undefined;
  c.next();
  const at = c.i;
  const a = c.next();
  const from = a === undefined ? undefined : portOf(a);
  if (from === undefined) {
    reporter.error(Codes.readerMalformedValue, c.spanAt(at), `\`${a ?? ''}\` is not a port`);
    return undefined;
  }
  if (op === 'eq') return portRange(from, from);
  const bAt = c.i;
  const b = c.next();
  const to = b === undefined ? undefined : portOf(b);
  if (to === undefined || to < from) {
    reporter.error(Codes.readerMalformedValue, c.spanAt(bAt), `\`${b ?? ''}\` does not end a port range starting at ${from}`);
    return undefined;
  }
  return portRange(from, to);
}

// A large list's entries name a few port ranges and combinations of them over and over: each
// is one frozen object (and one frozen one-combination list), shared by the entries that write
// it, rather than new objects per entry kept until the whole file is read. Keyed by number:
// a range by from·65536+to (ports are 0-65535), a combination by its source range's number
// (-1: none), then its destination range's.
const RANGES = new Map<number, PortRange>();
const COMBO_LISTS = new Map<number, Map<number, readonly { src?: PortRange; dst?: PortRange }[]>>();
const rangeNumber = (r: PortRange | undefined): number => (r ? r.from * 65536 + r.to : -1);

function portRange(from: number, to: number): PortRange {
  const key = from * 65536 + to;
  let r = RANGES.get(key);
  if (r === undefined) remember(RANGES, key, (r = Object.freeze({ from, to })));
  return r;
}

/** The one combination of an entry's inline ports, as a shared frozen list. */
function portCombos(src: PortRange | undefined, dst: PortRange | undefined): readonly { src?: PortRange; dst?: PortRange }[] {
  const srcKey = rangeNumber(src);
  let byDst = COMBO_LISTS.get(srcKey);
  if (byDst === undefined) remember(COMBO_LISTS, srcKey, (byDst = new Map()));
  const dstKey = rangeNumber(dst);
  let list = byDst.get(dstKey);
  if (list === undefined) {
    // the ports present, set in this order
    const combo: { src?: PortRange; dst?: PortRange } = {};
    if (src) combo.src = src;
    if (dst) combo.dst = dst;
    remember(byDst, dstKey, (list = Object.freeze([Object.freeze(combo)])));
  }
  return list;
}

/** An address operand; undefined after reporting an error. Object-groups are resolved later. */
function readAddress(c: Cursor, family: Family, reporter: Reporter, allowGroup: boolean, groups?: Map<string, ObjectGroup>, refs?: References): readonly Prefix[] | 'any' | undefined {
  const at = c.i;
  const w = c.next();
  if (w === undefined) {
    reporter.error(Codes.readerMissingPart, c.spanAt(at), 'an address is missing');
    return undefined;
  }
  if (w === 'any') return 'any';
  if (w === 'object-group' && allowGroup && family === 4) {
    const nameSpan = c.span();
    const name = c.next() ?? '';
    refs?.reference('network object-group', name, nameSpan);
    const g = groups?.get(name);
    return g?.kind === 'network' ? g.prefixes : undefined;
  }
  if (w === 'host') {
    const aAt = c.i;
    const text = c.next() ?? '';
    const known = HOSTS.get(text);
    if (known?.[0]!.family === family) return known;
    const a = parseAddress(text);
    if (!a || a.family !== family) {
      reporter.error(Codes.readerMalformedValue, c.spanAt(aAt), `not an IPv${family} address`);
      return undefined;
    }
    const p: Prefix = Object.freeze({ family, value: a.value, length: family === 4 ? 32 : 128 });
    const one = Object.freeze([p]);
    remember(HOSTS, text, one);
    return one;
  }
  if (family === 6) {
    const p = parsePrefix(w);
    if (!p || p.family !== 6) {
      reporter.error(Codes.readerMalformedValue, c.spanAt(at), `\`${w}\` is not an IPv6 address operand (any, host A or P/len)`);
      return undefined;
    }
    return [network(p)];
  }
  const maskAt = c.i;
  const m = c.next();
  const written = m === undefined ? undefined : writtenOperand(w, m, allowGroup);
  if (written !== undefined) return written;
  const masked = allowGroup ? WITH_WILDCARD : WITH_MASK;
  const known = m === undefined ? undefined : masked.get(w)?.get(m);
  if (known) return known;
  const a = parseAddress(w);
  const len = m === undefined ? undefined : maskLength(m, !allowGroup ? false : true);
  if (!a || a.family !== 4 || len === undefined) {
    reporter.error(Codes.readerMalformedValue, c.spanAt(a ? maskAt : at), `\`${w} ${m ?? ''}\` is not an IPv4 address and ${allowGroup ? 'wildcard' : 'mask'}`);
    return undefined;
  }
  const one = Object.freeze([Object.freeze(network({ family: 4, value: a.value, length: len }))]);
  let byMask = masked.get(w);
  if (!byMask) remember(masked, w, (byMask = new Map()));
  byMask.set(m!, one);
  return one;
}

// Operands read before, by their words: an address and a wildcard (entries) or a mask
// (network object-groups), and `host A`. A large list names the same few networks in most of
// its entries; each is parsed once, and its one frozen Prefix, in one frozen list, is shared
// (acl-merge.ts keys it once). Only operands that parsed are kept: any other is read, and
// reported, every time.
const WITH_WILDCARD = new Map<string, Map<string, readonly Prefix[]>>();
const WITH_MASK = new Map<string, Map<string, readonly Prefix[]>>();
const HOSTS = new Map<string, readonly Prefix[]>();
const OPERANDS_KEPT = 1 << 16;

function remember<K, T>(cache: Map<K, T>, key: K, value: T): void {
  if (cache.size >= OPERANDS_KEPT) cache.clear();
  cache.set(key, value);
}

function readAce(l: IosLine, words: readonly string[], family: Family, seq: number, start: number, groups: Map<string, ObjectGroup>, refs: References, reporter: Reporter): Ace | undefined {
  const c = new Cursor(l, start, words);
  const action = c.next();
  if (action !== 'permit' && action !== 'deny') {
    reporter.error(Codes.readerUnknownCommand, wordSpanAt(l, start), `unsupported access-list entry \`${l.text.trim()}\``);
    return undefined;
  }
  let protocol: number | undefined;
  let combos: Ace['combos'] = NO_PORTS;
  const protoAt = c.i;
  const protoWord = c.next() ?? '';
  if (protoWord === 'object-group' && family === 4) {
    const nameSpan = c.span();
    const name = c.next() ?? '';
    refs.reference('service object-group', name, nameSpan);
    const g = groups.get(name);
    if (g?.kind !== 'service') return undefined;
    protocol = g.protocol;
    combos = g.combos;
  } else {
    const p = protocolOf(family, protoWord);
    if (p === undefined) {
      reporter.error(Codes.readerMalformedValue, c.spanAt(protoAt), `\`${protoWord}\` is not a protocol`);
      return undefined;
    }
    protocol = p ?? undefined;
  }
  const ported = protocol === 6 || protocol === 17;
  const inlinePorts = ported && protoWord !== 'object-group';
  const src = readAddress(c, family, reporter, true, groups, refs);
  if (!src) return undefined;
  const srcPort = inlinePorts ? readPorts(c, reporter) : undefined;
  const dstGroup = c.peek() === 'object-group' ? c.w[c.i + 1] : undefined;
  const dst = readAddress(c, family, reporter, true, groups, refs);
  if (!dst) return undefined;
  const dstPort = inlinePorts ? readPorts(c, reporter) : undefined;
  if (inlinePorts) combos = portCombos(srcPort, dstPort);
  let icmpType: number | undefined;
  if ((protocol === 1 || protocol === 58) && c.peek() !== undefined && c.peek() !== 'established') {
    const typeAt = c.i;
    const t = c.next()!;
    icmpType = icmpTypeOf(family, t);
    if (icmpType === undefined) reporter.error(Codes.readerMalformedValue, c.spanAt(typeAt), `\`${t}\` is not an ICMP type`);
  }
  let established = false;
  if (c.peek() === 'established' && protocol === 6) {
    c.next();
    established = true;
  }
  if (c.peek() !== undefined) {
    reporter.error(Codes.readerUnknownCommand, c.span(), `unsupported \`${c.peek()}\` in an access-list entry`, 'Plumb reads addresses, ports, ICMP types and `established`.');
    return undefined;
  }
  // every field in one literal: added one by one after it, the last ones went into a property
  // array of their own, one more object for each of a large policy's entries
  return { line: l, seq, action, protocol, combos, src, dst, dstGroup, icmpType, established };
}

/** The combinations of an entry without ports. */
const NO_PORTS: Ace['combos'] = Object.freeze([Object.freeze({})]);

/** The index of the `remark` word of a remark line (`remark`, `N remark`, `sequence N remark`), or -1. */
function remarkIndex(l: IosLine, w: readonly string[] = l.texts): number {
  if (w[0] === 'remark') return 0;
  // the words first, the expressions only then: every entry of a list comes here
  if (w[1] === 'remark' && /^\d+$/.test(w[0] ?? '')) return 1;
  if (w[0] === 'sequence' && w[2] === 'remark' && /^\d+$/.test(w[1] ?? '')) return 2;
  return -1;
}

/** Whether afterWords(l, 'remark ') gives a text: decided without cutting it. */
function isWrittenRemark(l: IosLine): boolean {
  const t = l.text;
  const at = l.indent + 7;
  return t.startsWith('remark ', l.indent) && at < t.length && !isWhitespaceAt(t, at);
}

/** The text of a remark line, as written. */
export function remarkText(l: IosLine): string {
  return afterWords(l, 'remark ') ?? textAfter(l, remarkIndex(l) + 1);
}

export function readAcl(section: Section, family: Family, groups: Map<string, ObjectGroup>, refs: References, reporter: Reporter): ParsedAcl | undefined {
  const head = section.head;
  const name = family === 4 ? head.texts[3] : head.texts[2];
  if (!name || head.texts.length !== (family === 4 ? 4 : 3)) {
    reporter.error(Codes.readerUnknownCommand, textSpan(head), `unsupported access-list line \`${head.text}\``, 'Plumb reads `ip access-list extended NAME` and `ipv6 access-list NAME`.');
    return undefined;
  }
  const blocks = new BlockList();
  let lastSeq = 0;
  for (const l of section.body) {
    if (l.isComment) continue;
    // IOS-XE 16 and later show remarks numbered (` 10 remark ...`, ` sequence 10 remark ...`);
    // a remark written as Plumb writes it is known from its text, without its words
    const words = isWrittenRemark(l) ? undefined : entryWords(l);
    if (words === undefined || remarkIndex(l, words) >= 0) {
      blocks.remark(l);
      continue;
    }
    const w0 = words[0]!;
    let seq = lastSeq + 10;
    let start = 0;
    if (family === 4 && /^\d+$/.test(w0)) {
      seq = Number(w0);
      start = 1;
    } else if (family === 6 && w0 === 'sequence') {
      seq = Number(words[1] ?? 'x');
      start = 2;
    }
    if (!Number.isInteger(seq) || seq <= lastSeq) {
      reporter.error(Codes.readerMalformedValue, wordSpanAt(l, 0), 'sequence numbers must increase down the list');
      continue;
    }
    lastSeq = seq;
    const ace = readAce(l, words, family, seq, start, groups, refs, reporter);
    if (ace) blocks.entry(ace);
  }
  return { name, family, section, blocks: blocks.done() };
}

