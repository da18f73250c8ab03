// setup.sh's route commands read back (setup-read.ts reads the rest of the file): `route replace
// PREFIX [via A] [dev I] [metric N]`, with `nexthop ...` groups (ECMP), and `route replace
// blackhole PREFIX [metric N]`; each static route takes the origin of its `# route` comment.

import type { Span } from '../../language/diagnostic.js';
import type { StaticRouteModel } from '../../compiler/model.js';
import { canonicalPrefix, formatAddress, formatPrefix, parseAddress, parsePrefix } from '../../language/address.js';
import { lineSpan, wordSpan, type SetupLine, type SetupWord } from './setup-lines.js';
import { sortStaticRoutes } from '../canonical.js';
import { Codes, type DiagnosticCode } from '../../language/diagnostics/index.js';
import { BLACKHOLE_TYPE } from './setup-render.js';
import { isLinkLocal } from './setup-read-ipv6.js';

export type ErrorAt = (code: DiagnosticCode, span: Span, message: string, hint?: string) => void;

/** The part of the reader's state a route command reads and changes. */
export interface RouteState {
  readonly error: ErrorAt;
  /** The origins of the `# route` comments above the next route command, one per next hop; emptied by the route that takes them. */
  routeOrigins: Span[];
  readonly staticRoutes: StaticRouteModel[];
  /** Per static route, `ipv4Key` of its prefix (-1 for any other prefix): `sortedRoutes` reads them. */
  readonly routeKeys: number[];
  /** The next hop and the interface of the last route `readWrittenRoute` read ('' before it): the next routes most likely share them. */
  lastNextHop: string;
  lastInterface: string;
  /**
   * The last hop `readWrittenRoute` read whole (` via A dev I`, ` via A` or ` dev I`; '' before
   * it), with its next hop and interface: a router's routes nearly all share one, and a text equal
   * to it is that hop without reading its address and name again.
   */
  lastHop: string;
  lastHopNextHop: string | undefined;
  lastHopInterface: string | undefined;
}

/**
 * An IPv4 prefix written canonically (`parseIPv4`'s decimal octets, a length from 0 to 32 without
 * leading zeros, no host bits) as the number network × 64 + length, which orders such prefixes
 * as `sortStaticRoutes` does; -1 for any other text (the general path decides it).
 */
export function ipv4Key(text: string): number {
  return ipv4KeyAt(text, 0, text.length);
}

/** `ipv4Key` of the text from `from` to `end` of `text`. */
function ipv4KeyAt(text: string, from: number, end: number): number {
  const slash = text.indexOf('/', from);
  if (slash < 0 || slash >= end) return -1;
  const address = ipv4Number(text, from, slash);
  const length = decimal(text, slash + 1, end, 32);
  if (address < 0 || length < 0) return -1;
  // the host bits by mask (`>>>` takes its count modulo 32: a /32 has none), not by a modulo of doubles
  const hostBits = length === 32 ? 0 : address & (0xffffffff >>> length);
  return hostBits === 0 ? address * 64 + length : -1;
}

/** The IPv4 address from `from` to `end` of `text` as a number when written as `parseIPv4` reads it (and so as `formatIPv4` writes it); -1 otherwise. */
export function ipv4Number(text: string, from: number, end: number): number {
  let value = 0;
  let at = from;
  for (let k = 0; k < 4; k++) {
    let stop = at;
    while (stop < end && text.charCodeAt(stop) !== 0x2e) stop++;
    if ((k < 3) !== (stop < end)) return -1;
    const octet = decimal(text, at, stop, 255);
    if (octet < 0) return -1;
    value = value * 256 + octet;
    at = stop + 1;
  }
  return value;
}

/** The decimal from `from` to `end` (`0` or 1 to 3 digits without a leading zero) when at most `max`; -1 otherwise. */
function decimal(text: string, from: number, end: number, max: number): number {
  if (end <= from || end - from > 3 || (end - from > 1 && text.charCodeAt(from) === 0x30)) return -1;
  let n = 0;
  for (let i = from; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return -1;
    n = n * 10 + (c - 0x30);
  }
  return n <= max ? n : -1;
}

/**
 * `sortStaticRoutes(routes)`; `keys` are their `ipv4Key`s. Routes as setup-render.ts writes them
 * are in that order already, each prefix once: when every key is a number and each greater than
 * the one before, the order is kept without sorting (a stable sort would keep it too).
 */
export function sortedRoutes(routes: StaticRouteModel[], keys: readonly number[]): StaticRouteModel[] {
  if (keys.length !== routes.length) return sortStaticRoutes(routes);
  for (let i = 0; i < keys.length; i++) {
    if (keys[i]! < 0 || (i > 0 && keys[i]! <= keys[i - 1]!)) return sortStaticRoutes(routes);
  }
  return routes;
}

/**
 * `route replace PREFIX [via A] [dev I] [metric N]`, or with `nexthop ...` groups (ECMP): one
 * static route per next hop, each with the origin of its `# route` comment. `route replace
 * blackhole PREFIX [metric N]` is a discard route. `allTexts` are the command's words from
 * `route` on, `allWords` their positions (made only for a diagnostic).
 */
export function readRoute(state: RouteState, lineOf: () => SetupLine, allTexts: readonly string[], from: number): void {
  const discard = allTexts[2] === BLACKHOLE_TYPE;
  const t = discard ? [...allTexts.slice(0, 2), ...allTexts.slice(3)] : allTexts;
  // the words' positions, only for a diagnostic
  const lazyWords = (): SetupWord[] => {
    const w = from === 0 ? lineOf().words : lineOf().words.slice(from);
    return discard ? [...w.slice(0, 2), ...w.slice(3)] : w;
  };
  // the line's span: only for a diagnostic or a route without its `# route` comment
  const span = (): Span => lineSpan(lineOf());
  const key = t[2] === undefined ? -1 : ipv4Key(t[2]);
  // An IPv4 prefix written canonically is its own canonical text.
  const prefix = key >= 0 ? t[2] : t[2] === undefined ? undefined : canonicalPrefix(t[2]);
  // The text is its canonical form (as written by setup-render.ts): it has no host bits.
  if (!prefix || (prefix !== t[2] && prefix !== formatPrefix(parsePrefix(t[2]!)!))) {
    return state.error(
      Codes.readerMalformedValue,
      t[2] !== undefined ? wordSpan(lineOf(), lazyWords()[2]!) : span(),
      `\`${t[2] ?? ''}\` is not a network prefix (with its length, no host bits)`,
    );
  }
  if (discard) return discardRoute(state, t, lazyWords, lineOf, prefix, key);
  const hops: { nextHop?: string; interface?: string }[] = [];
  let distance: number | undefined;
  let i = 3;
  let hop: { nextHop?: string; interface?: string } | undefined;
  const multipath = t[3] === 'nexthop';
  if (!multipath) {
    hop = {};
    hops.push(hop);
  }
  while (i < t.length) {
    if (t[i] === 'nexthop' && multipath) {
      hop = {};
      hops.push(hop);
      i++;
    } else if (t[i] === 'via' && hop && t[i + 1] !== undefined) {
      const via = t[i + 1]!;
      // an IPv4 address written as parseIPv4 reads it is its own canonical text
      if (ipv4Number(via, 0, via.length) >= 0) hop.nextHop = via;
      else {
        const a = parseAddress(via);
        if (!a)
          return state.error(Codes.readerMalformedValue, wordSpan(lineOf(), lazyWords()[i + 1]!), `\`${via}\` is not an address`);
        hop.nextHop = formatAddress(a);
      }
      i += 2;
    } else if (t[i] === 'dev' && hop && t[i + 1] !== undefined) {
      hop.interface = t[i + 1]!;
      i += 2;
    } else if (t[i] === 'metric' && t[i + 1] !== undefined && /^\d+$/.test(t[i + 1]!)) {
      distance = Number(t[i + 1]);
      i += 2;
    } else {
      return state.error(
        Codes.readerUnknownCommand,
        wordSpan(lineOf(), lazyWords()[i]!),
        `unknown route argument \`${t[i]}\``,
        'routes have `via ADDRESS`, `dev NAME`, `metric N` or `nexthop ...` groups',
      );
    }
  }
  if (hops.length === 0 || hops.some((h) => h.nextHop === undefined && h.interface === undefined)) {
    return state.error(Codes.readerMissingPart, span(), 'a route without a next hop or an interface');
  }
  const bare = hops.find((h) => h.nextHop !== undefined && h.interface === undefined && isLinkLocal(h.nextHop));
  if (bare)
    return state.error(
      Codes.readerMissingPart,
      span(),
      `the link-local next hop ${bare.nextHop} without its interface`,
      'a link-local address is only an address on one link: add `dev NAME`',
    );
  let origins = state.routeOrigins;
  if (origins.length !== hops.length) {
    const lineAt = span();
    origins = hops.map(() => lineAt);
  }
  state.routeOrigins = [];
  hops.forEach((h, k) => {
    state.staticRoutes.push({
      prefix,
      ...h,
      ...(distance !== undefined ? { distance } : {}),
      origin: origins[k]!,
    });
    state.routeKeys.push(key);
  });
}

/** The rest of `route replace blackhole PREFIX`: nothing, or `metric N`. */
function discardRoute(state: RouteState, t: readonly string[], words: () => SetupWord[], lineOf: () => SetupLine, prefix: string, key: number): void {
  const metric = t[3] === 'metric' && t.length === 5 && /^\d+$/.test(t[4]!) ? Number(t[4]) : undefined;
  if (t.length > 3 && metric === undefined)
    return state.error(
      Codes.readerUnknownCommand,
      wordSpan(lineOf(), words()[3]!),
      `unknown argument \`${t[3]}\` of a blackhole route`,
      'a blackhole route has only `metric N`',
    );
  const origin = state.routeOrigins.length === 1 ? state.routeOrigins[0]! : lineSpan(lineOf());
  state.routeOrigins = [];
  state.staticRoutes.push({ prefix, discard: true, ...(metric !== undefined ? { distance: metric } : {}), origin });
  state.routeKeys.push(key);
}

/**
 * A route command as setup-render.ts writes a route of one next hop, from `from` (just past
 * `route replace `) to `end` (the line's end): `PREFIX [via A] [dev I] [metric N]`, the prefix and
 * the next hop IPv4 written canonically, `I` of printable ASCII but `"` and `#`, `N` digits, and
 * the one `# route` comment's origin waiting. Read as `readRoute` reads that line (the static
 * route, its key and its origin, with nothing to report) and true; false, with nothing read, for
 * any other line. test/backends/setup-written-routes.test.ts holds it to `readRoute`.
 */
export function readWrittenRoute(state: RouteState, text: string, from: number, end: number): boolean {
  if (state.routeOrigins.length !== 1) return false;
  const prefixEnd = wordEnd(text, from, end);
  const key = ipv4KeyAt(text, from, prefixEnd);
  if (key < 0) return false;
  let at = prefixEnd;
  let nextHop: string | undefined;
  let iface: string | undefined;
  let distance: number | undefined;
  const hop = state.lastHop;
  const hopEnd = at + hop.length;
  // a cut compared whole: V8 compares two strings' characters in bulk, where `startsWith` reads
  // them one by one. What follows it must be the line's end or its metric, as after any hop.
  if (hop !== '' && hopEnd <= end && text.slice(at, hopEnd) === hop) {
    at = hopEnd;
    nextHop = state.lastHopNextHop;
    iface = state.lastHopInterface;
  } else {
    if (text.startsWith(' via ', at)) {
      const start = at + 5;
      at = wordEnd(text, start, end);
      if (ipv4Number(text, start, at) < 0) return false;
      const last = state.lastNextHop;
      nextHop = at - start === last.length && text.startsWith(last, start) ? last : (state.lastNextHop = text.slice(start, at));
    }
    if (text.startsWith(' dev ', at)) {
      const start = at + 5;
      at = wordEnd(text, start, end);
      if (at === start || !plainWord(text, start, at)) return false;
      const last = state.lastInterface;
      iface = at - start === last.length && text.startsWith(last, start) ? last : (state.lastInterface = text.slice(start, at));
    }
    if (nextHop === undefined && iface === undefined) return false;
    state.lastHop = text.slice(prefixEnd, at);
    state.lastHopNextHop = nextHop;
    state.lastHopInterface = iface;
  }
  if (text.startsWith(' metric ', at)) {
    const start = at + 8;
    at = wordEnd(text, start, end);
    if (at === start) return false;
    for (let i = start; i < at; i++) {
      const c = text.charCodeAt(i);
      if (c < 0x30 || c > 0x39) return false;
    }
    distance = Number(text.slice(start, at));
  }
  if (at !== end) return false;
  const prefix = prefixText(key, text, from, prefixEnd);
  state.staticRoutes.push(writtenRoute(prefix, nextHop, iface, distance, state.routeOrigins.pop()!));
  state.routeKeys.push(key);
  return true;
}

/** The static route of a route line read in place, its properties in `readRoute`'s order. */
export function writtenRoute(
  prefix: string,
  nextHop: string | undefined,
  iface: string | undefined,
  distance: number | undefined,
  origin: Span,
): StaticRouteModel {
  return nextHop !== undefined && iface !== undefined && distance === undefined
    ? { prefix, nextHop, interface: iface, origin }
    : {
        prefix,
        ...(nextHop !== undefined ? { nextHop } : {}),
        ...(iface !== undefined ? { interface: iface } : {}),
        ...(distance !== undefined ? { distance } : {}),
        origin,
      };
}

/**
 * The texts of the IPv4 prefixes read in place, by `ipv4Key`: a key has exactly one canonical
 * text, and the routers of a network route to the same prefixes, so the read-back models share
 * one string a prefix. Made from the key (not cut from a file, which a cut would keep alive);
 * emptied past PREFIX_TEXTS entries.
 */
const PREFIX_TEXTS = 65_536;
/**
 * By length, by network number (the address's first `length` bits): a /30 or shorter has a
 * number small enough for V8 to keep as a small integer, where the key itself (past 2^30 for any
 * address from 16.0.0.0 on) would be a heap number for every lookup.
 */
const prefixTexts = Array.from({ length: 33 }, () => new Map<number, string>());
let prefixTextCount = 0;

/** The prefix from `from` to `end` of `text`, whose `ipv4Key` is `key`. */
function prefixText(key: number, text: string, from: number, end: number): string {
  const length = key % 64;
  const n = Math.floor(key / 64);
  const network = length === 0 ? 0 : n >>> (32 - length);
  const byNetwork = prefixTexts[length]!;
  const known = byNetwork.get(network);
  if (known !== undefined) return known;
  const made = `${n >>> 24}.${(n >>> 16) & 0xff}.${(n >>> 8) & 0xff}.${n & 0xff}/${length}`;
  // the key allows no other text; a difference would be a fault here, and the file's text wins
  if (made.length !== end - from || !text.startsWith(made, from)) return text.slice(from, end);
  if (prefixTextCount >= PREFIX_TEXTS) {
    for (const m of prefixTexts) m.clear();
    prefixTextCount = 0;
  }
  byNetwork.set(network, made);
  prefixTextCount++;
  return made;
}

/** The first space from `from` on before `end`, or `end`. */
function wordEnd(text: string, from: number, end: number): number {
  let i = from;
  while (i < end && text.charCodeAt(i) !== 0x20) i++;
  return i;
}

/** Whether the text from `from` to `end` is printable ASCII but `"` and `#` (a word `plainWords` takes). */
function plainWord(text: string, from: number, end: number): boolean {
  for (let i = from; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x21 || c > 0x7e || c === 0x22 || c === 0x23) return false;
  }
  return true;
}
