// Static routes and IPv4 prefix-list entries read straight from a configuration's text where they
// are written as Plumb writes them (lexSections hands them here, WrittenTaker): printable ASCII,
// single spaces, IPv4 numbers without leading zeros, a contiguous mask, a network without host
// bits, a route's annotation a tag parseOriginTag reads. They are most of a large router's
// lines (at 400 devices 770,000 of IOS-XE's 1.38 million), and are read without a line object,
// a copy of the line, its words or closures. Anything else (a route to Null0, an IPv6 word, a
// tab, a value out of range, a tag that does not parse) is refused before anything is read, and
// goes to the line-by-line reader (read.ts), which gives the same results and every diagnostic.

import type { StaticRouteModel } from '../../compiler/model.js';
import type { Span } from '../../language/diagnostic.js';
import { parsePrefix, type Prefix } from '../../language/address.js';
import { parseOriginTag } from '../origin-tag.js';
import { PlainLine, ROUTE_ANNOTATION, type IosLine, type WrittenTaker } from './lines.js';
import type { Family } from './read-state.js';
import { ByNetwork } from './by-network.js';
import { ipv4HostBits, ipv4NetworkText, ipv4NumberIn } from './syntax.js';

/** A static route's sort key: its network and next hop as numbers (-1: none), and the route read. */
export class StaticKey {
  hop: number | bigint = -1;
  route: StaticRouteModel | undefined = undefined;
  constructor(
    readonly family: Family,
    readonly value: number | bigint,
    readonly length: number,
  ) {}
}

/**
 * Consecutive entries of one IPv4 prefix-list, each `seq N permit PREFIX` in Plumb's form; the
 * first entry's line defines the list when it is new (readPrefixList).
 */
export class WrittenEntries {
  readonly entries: { seq: number; prefix: Prefix }[] = [];
  private line: IosLine | undefined;
  constructor(
    private readonly first: PlainLine,
    readonly name: string,
  ) {}

  /** The first entry's line, as readPrefixList makes it (once). */
  firstLine(): IosLine {
    return (this.line ??= this.first.ios());
  }
}

export type WrittenItem = StaticKey | WrittenEntries;

/** Up to MAX_WORDS words' bounds of the line read last (plainWords): start, end, start, end... */
const MAX_WORDS = 8;
const bounds = new Int32Array(2 * MAX_WORDS);

/**
 * The words of `content`'s [at, end) into `bounds` when the line is printable ASCII with single
 * spaces between its words and none at its ends (the words PlainLine.words splits), at most
 * MAX_WORDS of them; -1 otherwise.
 */
function plainWords(content: string, at: number, end: number): number {
  let count = 0;
  let i = at;
  while (i < end) {
    const start = i;
    let c = content.charCodeAt(i);
    while (c >= 0x21 && c <= 0x7e) c = content.charCodeAt(++i);
    // an empty word (a second space, a space first) or a character that is not printable ASCII
    if (i === start || count === MAX_WORDS) return -1;
    bounds[2 * count] = start;
    bounds[2 * count + 1] = i;
    count++;
    if (i === end) return count;
    if (c !== 0x20 || i + 1 === end) return -1;
    i++;
  }
  return -1;
}

/** Digits only in [at, end), as a number at most `max` (intOf's test); -1 otherwise. */
function digitsIn(content: string, at: number, end: number, max: number): number {
  if (at === end) return -1;
  let n = 0;
  for (let i = at; i < end; i++) {
    const d = content.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
    if (n > max) return -1;
  }
  return n;
}

/** The length of a contiguous mask's value; -1 when it is not one. */
function maskBits(m: number): number {
  const length = Math.clz32(~m);
  return (length === 0 ? 0 : (0xffffffff << (32 - length)) >>> 0) === m ? length : -1;
}

/** The word in [at, end) is `word`. */
function wordIs(content: string, at: number, end: number, word: string): boolean {
  return end - at === word.length && content.startsWith(word, at);
}

/**
 * The prefixes of entries read, by length and address: the routers of a large network list the
 * same prefixes (at 400 devices, 385,000 entries of about 4,800), and a prefix found here is not
 * cut out of the text and parsed again. An entry's prefix text is canonical (no leading zeros,
 * no host bits: entry checks it), so its address and length say its text, and parsePrefix's
 * answer for it. Emptied when it holds 65,536.
 */
const entryPrefixes = new ByNetwork<Prefix>(1 << 16);

/** parsePrefix of `content`'s [at, end), the IPv4 prefix `address`/`length` in its canonical text; undefined if it is not one. */
function entryPrefix(content: string, at: number, end: number, address: number, length: number): Prefix | undefined {
  const known = entryPrefixes.get(length, address);
  if (known !== undefined) return known;
  const prefix = parsePrefix(content.slice(at, end));
  if (prefix === undefined || prefix.family !== 4) return undefined;
  entryPrefixes.set(length, address, prefix);
  return prefix;
}

/** Takes what Plumb writes for read.ts; keeps the last interface and next hop read, which a router's routes repeat. */
export class WrittenReader implements WrittenTaker<WrittenItem> {
  private lastInterface = '';
  private lastHop = '';

  constructor(private readonly file: string) {}

  /**
   * `ip route A M [INTERFACE] [HOP] [DISTANCE]` under `! plumb route origin TAG`, as staticRoute
   * reads it: INTERFACE a word that starts with a letter, has no colon and is not Null0 (so no
   * address and no number), HOP an IPv4 address, DISTANCE 1-255 and last, an interface or a
   * next hop or both. Undefined for anything else.
   */
  route(content: string, annAt: number, annEnd: number, at: number, end: number): StaticKey | undefined {
    // the annotation ends in a word (its text is then afterWords's without trimming)
    const last = content.charCodeAt(annEnd - 1);
    if (last < 0x21 || last > 0x7e) return undefined;
    const count = plainWords(content, at, end);
    if (count < 5 || count > 7) return undefined;
    const a = ipv4NumberIn(content, bounds[4]!, bounds[5]!);
    const m = ipv4NumberIn(content, bounds[6]!, bounds[7]!);
    const length = m < 0 ? -1 : maskBits(m);
    if (a < 0 || length < 0) return undefined;
    let k = 4;
    let iface: string | undefined;
    let s = bounds[2 * k]!;
    let e = bounds[2 * k + 1]!;
    const first = content.charCodeAt(s) | 0x20;
    if (first >= 0x61 && first <= 0x7a) {
      if (content.indexOf(':', s) < e || (e - s === 5 && content.slice(s, e).toLowerCase() === 'null0')) return undefined;
      iface = this.word(content, s, e, this.lastInterface);
      this.lastInterface = iface;
      k++;
    }
    let hop: string | undefined;
    let hopValue = -1;
    if (k < count) {
      s = bounds[2 * k]!;
      e = bounds[2 * k + 1]!;
      hopValue = ipv4NumberIn(content, s, e);
      if (hopValue >= 0) {
        hop = this.word(content, s, e, this.lastHop);
        this.lastHop = hop;
        k++;
      }
    }
    let distance = -1;
    if (k < count) {
      distance = digitsIn(content, bounds[2 * k]!, bounds[2 * k + 1]!, 255);
      if (distance < 1 || k + 1 !== count) return undefined;
    }
    if (iface === undefined && hop === undefined) return undefined;
    const origin = parseOriginTag(content.slice(annAt + ROUTE_ANNOTATION.length, annEnd));
    if (origin === undefined) return undefined;
    const prefix = ipv4NetworkText(a, length);
    // the properties in staticRoute's order
    const route: StaticRouteModel = { prefix, origin: undefined as unknown as Span };
    if (iface !== undefined) route.interface = iface;
    if (hop !== undefined) route.nextHop = hop;
    if (distance > 0) route.distance = distance;
    route.origin = origin;
    const key = new StaticKey(4, length === 0 ? 0 : (a & (0xffffffff << (32 - length))) >>> 0, length);
    key.hop = hopValue;
    key.route = route;
    return key;
  }

  /**
   * `ip prefix-list NAME seq N permit A.B.C.D/LEN` with N 1-4294967294 and the prefix a network
   * (no host bits), as readPrefixList reads it; joined to `previous` when that holds the same
   * list's entries. Undefined for anything else.
   */
  entry(content: string, at: number, end: number, line: number, previous: WrittenItem | undefined): WrittenEntries | undefined {
    if (plainWords(content, at, end) !== 7) return undefined;
    if (!wordIs(content, bounds[6]!, bounds[7]!, 'seq') || !wordIs(content, bounds[10]!, bounds[11]!, 'permit')) return undefined;
    const seq = digitsIn(content, bounds[8]!, bounds[9]!, 4294967294);
    if (seq < 1) return undefined;
    const ps = bounds[12]!;
    const pe = bounds[13]!;
    const slash = content.indexOf('/', ps);
    if (slash < 0 || slash >= pe) return undefined;
    const a = ipv4NumberIn(content, ps, slash);
    const length = digitsIn(content, slash + 1, pe, 32);
    // the length as parsePrefix takes it (no leading zero), and no host bits: the prefix is its network
    if (a < 0 || length < 0 || (pe - slash > 2 && content.charCodeAt(slash + 1) === 48)) return undefined;
    if (ipv4HostBits(a, length)) return undefined;
    const prefix = entryPrefix(content, ps, pe, a, length);
    if (prefix === undefined) return undefined;
    const ns = bounds[4]!;
    const ne = bounds[5]!;
    let entries: WrittenEntries;
    if (previous instanceof WrittenEntries && wordIs(content, ns, ne, previous.name)) entries = previous;
    else entries = new WrittenEntries(new PlainLine(this.file, line, at, content.slice(at, end)), content.slice(ns, ne));
    entries.entries.push({ seq, prefix });
    return entries;
  }

  /** The word in [at, end): `known` when it is that word (no copy), else its text. */
  private word(content: string, at: number, end: number, known: string): string {
    return wordIs(content, at, end, known) ? known : content.slice(at, end);
  }
}
