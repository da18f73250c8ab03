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
import { parseAddress, parsePrefix } from '../../language/address.js';
import { ownCopy, parseOriginTag } from '../origin-tag.js';
import { PlainLine, ROUTE_ANNOTATION, type Section, type WrittenTaker } from './lines.js';
import { cmp, type Family } from './read-state.js';
import { WrittenEntries, writtenEntry } from './written-entries.js';
import { ipv4NetworkText, ipv4Number } from './syntax.js';
import { digitsWordAt, dottedWordAt, nameEnd, scanned, wordIs } from './written-scan.js';

/**
 * Whether static routes come in the order the reader gives them (network, length, next hop,
 * interface; `sortedRoutes`), checked one route at a time against the route before: Plumb
 * writes a router's routes in that order, so a route read in place needs no sort key of its own
 * (an object per route, about half of a route's bytes, for 385,000 routes at 400 devices); the
 * routes are sorted only when one comes out of order.
 */
export class RouteOrder {
  /** Every route so far came at or after the one before it. */
  ordered = true;
  private value = -1;
  private length = 0;
  private hop = -1;
  private iface = '';

  /** The next IPv4 route: its network and length, its next hop's value (-1: none) and interface. */
  next(value: number, length: number, hop: number, iface: string | undefined): void {
    const name = iface ?? '';
    if (this.ordered && (value !== this.value ? value < this.value : length !== this.length ? length < this.length : hop !== this.hop ? hop < this.hop : name < this.iface)) this.ordered = false;
    this.value = value;
    this.length = length;
    this.hop = hop;
    this.iface = name;
  }
}

/** A route's sort key, made from its texts (the reader's own, canonical) when the routes need sorting. */
interface RouteKey {
  family: Family;
  value: number | bigint;
  length: number;
  hop: number | bigint;
  route: StaticRouteModel;
}

function routeKey(route: StaticRouteModel): RouteKey {
  const p = parsePrefix(route.prefix)!;
  const hop = route.nextHop === undefined ? -1 : (ipv4Number(route.nextHop) ?? parseAddress(route.nextHop)!.value);
  return { family: p.family, value: p.value, length: p.length, hop, route };
}

/**
 * `routes` (as the reader made them: a network's text, a next hop as a parsed address writes
 * it) in the reader's order: comparePrefixes's on the network, then the next hop's value, then
 * the interface; routes that tie keep their order. Each key made once, not at every comparison.
 */
export function sortedRoutes(routes: readonly StaticRouteModel[]): StaticRouteModel[] {
  const keyed = routes.map(routeKey);
  keyed.sort((a, b) => a.family - b.family || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0) || a.length - b.length || (a.hop < b.hop ? -1 : a.hop > b.hop ? 1 : cmp(a.route.interface ?? '', b.route.interface ?? '')));
  return keyed.map((k) => k.route);
}

export type WrittenItem = StaticRouteModel | WrittenEntries;

/** Whether an item of lexSections is a route read in place (the reader's own object, not a class's). */
export function isTakenRoute(item: Section | PlainLine | WrittenItem): item is StaticRouteModel {
  return !(item instanceof WrittenEntries) && !(item instanceof PlainLine) && !('head' in item);
}

/** The length of a contiguous mask's value; -1 when it is not one. */
function maskBits(m: number): number {
  const length = Math.clz32(~m);
  return (length === 0 ? 0 : (0xffffffff << (32 - length)) >>> 0) === m ? length : -1;
}

/**
 * A route read in place, with staticRoute's properties in staticRoute's order (prefix, origin,
 * interface, next hop, distance; the absent ones left out), made whole by one literal for its
 * shape: properties added one by one to `{ prefix, origin }`, as staticRoute does, go past the
 * object's two in-object fields into a property array of their own, one more object for each of
 * a large network's hundreds of thousands of routes. `distance` is -1 when there is none; an
 * interface or a next hop (or both) is there (route checks it).
 */
export function writtenRoute(prefix: string, origin: Span, iface: string | undefined, hop: string | undefined, distance: number): StaticRouteModel {
  if (distance > 0) {
    if (iface === undefined) return { prefix, origin, nextHop: hop, distance };
    if (hop === undefined) return { prefix, origin, interface: iface, distance };
    return { prefix, origin, interface: iface, nextHop: hop, distance };
  }
  if (iface === undefined) return { prefix, origin, nextHop: hop };
  if (hop === undefined) return { prefix, origin, interface: iface };
  return { prefix, origin, interface: iface, nextHop: hop };
}

/** What a route's tail says (readTail): its text from the head's end to the line's end. */
interface RouteTail {
  text: string;
  iface: string | undefined;
  hop: string | undefined;
  /** The next hop's value; -1: none. */
  hopValue: number;
  /** -1: none. */
  distance: number;
}

/**
 * A route's annotation and head as read (`! plumb route origin TAG` and `ip route A M `, the line
 * break between them and the space before the tail included) and what they say: the destination's
 * network text, number and length, and the tag's span.
 */
interface RouteHead {
  text: string;
  /** Where the tail starts, from the annotation's start: the text's length. */
  tailAt: number;
  prefix: string;
  origin: Span;
  value: number;
  length: number;
  /** The head read right after this one the last time this one was read. */
  next: RouteHead | undefined;
}

/**
 * Route heads read, by destination text, across files: the routers of a large network carry the
 * same destinations with the same origins, in the same order (at 400 devices, 385,000 routes of
 * about 4,800 heads). The head read after a head is mostly the one read after it on the router
 * before, so `lastHead.next` is compared with the text first (one comparison of about 90
 * characters, where reading it takes two addresses, a mask and a tag); the store by destination
 * finds a head when the guess fails. A head is taken only when its text is the file's text there,
 * and what it says is a function of that text (route's own reading of it, with a frozen span).
 * Emptied past HEADS_MAX heads, the chain with it (every head reached from lastHead after that
 * was kept since).
 */
const headsByPrefix = new Map<string, RouteHead>();
const HEADS_MAX = 1 << 16;
let lastHead: RouteHead | undefined;

/** How many route heads are kept, and how many the chain from the last one reaches (for the tests of the bound). */
export function keptRouteHeadCounts(): { kept: number; chained: number } {
  const seen = new Set<RouteHead>();
  for (let h = lastHead; h !== undefined && !seen.has(h); h = h.next) seen.add(h);
  return { kept: headsByPrefix.size, chained: seen.size };
}

let headGuessesTaken = 0;

/** How many routes were read by the chain's guess (for the tests that it is taken). */
export function routeHeadGuessesTaken(): number {
  return headGuessesTaken;
}

/** The chain's guess when `content` holds its text at `annAt` (its tail must start with a word: route's head reading requires it). */
function keptHeadAt(content: string, annAt: number): RouteHead | undefined {
  const guess = lastHead?.next;
  // a cut compared whole (V8 compares the characters in bulk), not startsWith (one at a time:
  // about 400 against 60 ns for a head's 100 characters)
  if (guess === undefined || content.slice(annAt, annAt + guess.tailAt) !== guess.text) return undefined;
  const c = content.charCodeAt(annAt + guess.tailAt);
  if (c < 0x21 || c > 0x7e) return undefined;
  lastHead = guess;
  headGuessesTaken++;
  return guess;
}

/** Keeps `head` (read at `annAt` of `content`), or the head kept for its destination when that has its text; it follows lastHead. */
function keepHead(content: string, annAt: number, head: RouteHead): void {
  let kept = headsByPrefix.get(head.prefix);
  if (kept === undefined || kept.tailAt !== head.tailAt || content.slice(annAt, annAt + head.tailAt) !== kept.text) {
    if (headsByPrefix.size >= HEADS_MAX) {
      headsByPrefix.clear();
      lastHead = undefined;
    }
    head.text = ownCopy(content.slice(annAt, annAt + head.tailAt));
    headsByPrefix.set(head.prefix, head);
    kept = head;
  }
  if (lastHead !== undefined) lastHead.next = kept;
  lastHead = kept;
}

/** Takes what Plumb writes for read.ts; keeps the last interface and next hop read, which a router's routes repeat. */
export class WrittenReader implements WrittenTaker<WrittenItem> {
  private lastInterface = '';
  private lastHop = '';
  /** The last tail read (a router's routes nearly all leave by one interface and next hop). */
  private lastTail: RouteTail | undefined;
  /** Whether the routes read in place came in the reader's order (the reader sorts them otherwise). */
  readonly order = new RouteOrder();

  constructor(private readonly file: string) {}

  /**
   * `ip route A M TAIL` under `! plumb route origin TAG`, as staticRoute reads it (TAIL:
   * readTail). Undefined for anything else.
   */
  route(content: string, annAt: number, annEnd: number, at: number, end: number): StaticRouteModel | undefined {
    // the route's two lines up to its tail as read on a router before (the chain's guess, or by
    // its destination): what they say is known, and only the tail is read
    const kept = keptHeadAt(content, annAt);
    if (kept !== undefined) return this.tail(content, annAt + kept.tailAt, end, kept);
    // the annotation ends in a word (its text is then afterWords's without trimming)
    const last = content.charCodeAt(annEnd - 1);
    if (last < 0x21 || last > 0x7e) return undefined;
    // `ip route ` was matched by lexSections; each word is read where it stands (written-scan.ts)
    const a = dottedWordAt(content, at + 9, end);
    if (a < 0 || scanned.at === end) return undefined;
    const m = dottedWordAt(content, scanned.at + 1, end);
    const length = m < 0 ? -1 : maskBits(m);
    if (length < 0 || scanned.at === end) return undefined;
    const tailAt = scanned.at + 1;
    const origin = parseOriginTag(content.slice(annAt + ROUTE_ANNOTATION.length, annEnd));
    if (origin === undefined) return undefined;
    const value = length === 0 ? 0 : (a & (0xffffffff << (32 - length))) >>> 0;
    const head: RouteHead = { text: '', tailAt: tailAt - annAt, prefix: ipv4NetworkText(a, length), origin, value, length, next: undefined };
    const route = this.tail(content, tailAt, end, head);
    // kept only for a span parseOriginTag shares (frozen: a function of the tag's text), so that
    // the chain gives every later read of these lines the object a read of the tag would give
    if (route !== undefined && Object.isFrozen(origin)) keepHead(content, annAt, head);
    return route;
  }

  /**
   * A route's tail after its head `head` (` [INTERFACE] [HOP] [DISTANCE]`, from `s`), as route
   * reads it; the last tail read is taken again when the line ends with the same text.
   */
  private tail(content: string, s: number, end: number, head: RouteHead): StaticRouteModel | undefined {
    let t = this.lastTail;
    if (t === undefined || end - s !== t.text.length || content.slice(s, end) !== t.text) {
      t = this.readTail(content, s, end);
      if (t === undefined) return undefined;
    }
    this.order.next(head.value, head.length, t.hopValue, t.iface);
    return writtenRoute(head.prefix, head.origin, t.iface, t.hop, t.distance);
  }

  /**
   * ` [INTERFACE] [HOP] [DISTANCE]` from `s` to the line's end: INTERFACE a word that starts with
   * a letter, has no colon and is not Null0 (so no address and no number), HOP an IPv4 address,
   * DISTANCE 1-255 and last, an interface or a next hop or both. Undefined for anything else.
   * Kept as the last tail read.
   */
  private readTail(content: string, s: number, end: number): RouteTail | undefined {
    const from = s;
    let iface: string | undefined;
    const first = content.charCodeAt(s) | 0x20;
    if (first >= 0x61 && first <= 0x7a) {
      const e = nameEnd(content, s, end, true);
      if (e < 0 || (e - s === 5 && content.slice(s, e).toLowerCase() === 'null0')) return undefined;
      iface = this.word(content, s, e, this.lastInterface);
      this.lastInterface = iface;
      s = e === end ? -1 : e + 1;
    }
    let hop: string | undefined;
    let hopValue = -1;
    if (s >= 0) {
      hopValue = dottedWordAt(content, s, end);
      if (hopValue >= 0) {
        hop = this.word(content, s, scanned.at, this.lastHop);
        this.lastHop = hop;
        s = scanned.at === end ? -1 : scanned.at + 1;
      }
    }
    let distance = -1;
    if (s >= 0) {
      distance = digitsWordAt(content, s, end, 255);
      if (distance < 1 || scanned.at !== end) return undefined;
    }
    if (iface === undefined && hop === undefined) return undefined;
    this.lastTail = { text: content.slice(from, end), iface, hop, hopValue, distance };
    return this.lastTail;
  }

  /**
   * `ip prefix-list NAME seq N permit A.B.C.D/LEN` with N 1-4294967294 and the prefix a network
   * (no host bits), as readPrefixList reads it (written-entries.ts); joined to `previous` when
   * that holds the same list's entries. Undefined for anything else.
   */
  entry(content: string, at: number, end: number, line: number, previous: WrittenItem | undefined): WrittenEntries | undefined {
    return writtenEntry(this.file, content, at, end, line, previous);
  }

  /** The word in [at, end): `known` when it is that word (no copy), else its text. */
  private word(content: string, at: number, end: number, known: string): string {
    return wordIs(content, at, end, known) ? known : content.slice(at, end);
  }
}
