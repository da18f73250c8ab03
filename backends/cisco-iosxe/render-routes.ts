// The routing lines of render.ts that carry a device's many prefixes: the static routes of both
// families and the route-maps with their exact prefix-lists (redistribution, BGP import and
// export), each block written as one text as its lines are made; and the prefix helpers they
// share with the rest of the renderer.

import { formatIPv4, formatIPv6, network, prefixOf, type Prefix } from '../../language/address.js';
import type { DeviceModel, StaticRouteModel } from '../../compiler/model.js';
import type { Span } from '../../language/diagnostic.js';
import { formatOriginTag, keepSpanValues, sameSpanValues, type SpanValues } from '../origin-tag.js';
import { LineText } from '../line-text.js';
import { prefixListParts } from './prefix-list-lines.js';
import { dottedMask, ipv4HostBits, ipv4NumberIn, isLinkLocal, NULL_INTERFACE } from './syntax.js';

export type Family = 4 | 6;

// The model's prefixes are valid (the compiler's, or a reader's that parsed them): IPv6 ones,
// and only they, have a colon.
export const familyOf = (prefix: string): Family => (prefix.includes(':') ? 6 : 4);
const NO_PREFIXES: readonly string[] = Object.freeze([]);
/**
 * `list`'s prefixes by family, in their order. A list of one family (nearly every list: a
 * router's redistribution list of thousands, which is split once per family and again for its
 * route-map) is given back itself, not copied: the callers only read the two lists.
 */
export const split = (list: readonly string[]): Record<Family, readonly string[]> => {
  let v6 = 0;
  for (let i = 0; i < list.length; i++) if (familyOf(list[i]!) === 6) v6++;
  if (v6 === 0) return { 4: list, 6: NO_PREFIXES };
  if (v6 === list.length) return { 4: NO_PREFIXES, 6: list };
  const out: Record<Family, string[]> = { 4: [], 6: [] };
  for (const p of list) out[familyOf(p)].push(p);
  return out;
};

/**
 * A route-map permitting exactly `prefixes` (deny-all when empty), with its prefix-lists: each
 * family's lines as flat parts (LineText.parts: lines joined by line breaks), made at once so
 * that the thousands of entries of a redistribution list do not live as pieces until the file is
 * joined.
 */
export interface RouteMapParts {
  prefixLists: Partial<Record<Family, readonly string[]>>;
  routeMap: string[];
}

export function exactRouteMap(name: string, prefixes: readonly string[]): RouteMapParts {
  const byFamily = split(prefixes);
  const prefixLists: RouteMapParts['prefixLists'] = {};
  const routeMap: string[] = [];
  let seq = 10;
  for (const family of [4, 6] as const) {
    if (byFamily[family].length === 0) continue;
    // IOS keeps IPv4 and IPv6 prefix-list names apart, but one name per list reads better.
    const pl = family === 6 && byFamily[4].length > 0 ? `${name}-V6` : name;
    prefixLists[family] = prefixListParts(pl, family, byFamily[family]);
    routeMap.push(`route-map ${name} permit ${seq}`, ` match ${family === 4 ? 'ip' : 'ipv6'} address prefix-list ${pl}`, '!');
    seq += 10;
  }
  if (routeMap.length === 0) routeMap.push(`route-map ${name} deny 10`, '!');
  return { prefixLists, routeMap };
}

/** A link-local address as IOS prints it (upper case). */
export function linkLocalText(address: string): string {
  return address.toUpperCase();
}

export function comparePrefix(a: Prefix, b: Prefix): number {
  if (a.family !== b.family) return a.family - b.family;
  if (a.value !== b.value) return a.value < b.value ? -1 : 1;
  return a.length - b.length;
}

export function textOf(p: Prefix): string {
  const n = network(p);
  return `${n.family === 4 ? formatIPv4(n.value) : formatIPv6(n.value)}/${n.length}`;
}

/**
 * The static routes' lines of both families, in one pass: each destination parsed once (the two
 * families' blocks are written apart, around the lists and route-maps). Each family's block is
 * flat parts, its lines joined as they are made (LineText.parts): an edge router has thousands.
 */
export function staticRouteLines(device: DeviceModel): Partial<Record<Family, readonly string[]>> {
  const lines: Record<Family, LineText | undefined> = { 4: undefined, 6: undefined };
  const tails = new RouteTails();
  for (const r of device.staticRoutes) {
    // most routes: the annotation and the head as one text kept across devices, the tail added
    const pair = routePairs.of(r.prefix, r.origin);
    if (pair !== undefined) {
      (lines[4] ??= new LineText()).push(pair + tails.of(r));
      continue;
    }
    let family: Family = 4;
    let text = routeHeads.ipv4(r.prefix);
    if (text === undefined) {
      const p = prefixOf(r.prefix);
      const n = network(p);
      family = p.family;
      // `A.B.C.D M.M.M.M` (IPv4) or `P/len`, of the network address
      text = p.family === 4 ? `ip route ${formatIPv4(n.value)} ${dottedMask(n.length)}` : `ipv6 route ${formatIPv6(n.value)}/${n.length}`;
    }
    text += tails.of(r);
    const block = (lines[family] ??= new LineText());
    block.push(routeAnnotations.of(r.origin));
    block.push(text);
  }
  const texts: Partial<Record<Family, readonly string[]>> = {};
  for (const family of [4, 6] as const) {
    const block = lines[family];
    if (block === undefined) continue;
    block.push('!');
    texts[family] = block.parts();
  }
  return texts;
}

/**
 * `ip route A.B.C.D M.M.M.M` for an IPv4 prefix written in its network's canonical form (four
 * parts without leading zeros, a length without one, no host bits: then the address as written
 * is formatIPv4 of the network, as the general path writes it), its address taken as written;
 * undefined for any other text, which the general path parses. Most of a large router's
 * thousands of routes are such prefixes.
 */
export function ipv4RouteHead(prefix: string): string | undefined {
  const slash = prefix.indexOf('/');
  if (slash < 0) return undefined;
  const value = ipv4NumberIn(prefix, 0, slash);
  const end = prefix.length;
  if (value < 0 || end - slash < 2 || end - slash > 3 || (end - slash === 3 && prefix.charCodeAt(slash + 1) === 48)) return undefined;
  let length = 0;
  for (let j = slash + 1; j < end; j++) {
    const d = prefix.charCodeAt(j) - 48;
    if (d < 0 || d > 9) return undefined;
    length = length * 10 + d;
  }
  if (length > 32 || ipv4HostBits(value, length)) return undefined;
  // joined: a flat string (see RouteAnnotations), which RouteHeads keeps for every route to it
  return ['ip route ', prefix.slice(0, slash), ' ', dottedMask(length)].join('');
}

/**
 * What follows a route's destination (` Null0`, the interface, the next hop, the distance), kept
 * for the last route: a router's routes nearly all leave by the same interface and next hop (an
 * edge router's 4,800 routes at 400 devices have one tail), so the tail is made once, not
 * piece by piece for every route.
 */
export class RouteTails {
  private discard: boolean | undefined = undefined;
  private interface: string | undefined = undefined;
  private nextHop: string | undefined = undefined;
  private distance: number | undefined = undefined;
  private tail: string | undefined = undefined;

  of(r: StaticRouteModel): string {
    if (this.tail !== undefined && r.discard === this.discard && r.interface === this.interface && r.nextHop === this.nextHop && r.distance === this.distance) return this.tail;
    let tail = '';
    if (r.discard) tail += ` ${NULL_INTERFACE}`;
    if (r.interface !== undefined) tail += ` ${r.interface}`;
    if (r.nextHop !== undefined) tail += ` ${isLinkLocal(r.nextHop) ? linkLocalText(r.nextHop) : r.nextHop}`;
    if (r.distance !== undefined) tail += ` ${r.distance}`;
    this.discard = r.discard;
    this.interface = r.interface;
    this.nextHop = r.nextHop;
    this.distance = r.distance;
    this.tail = tail;
    return tail;
  }
}

/**
 * ipv4RouteHead's answers by destination text, across devices: the routers of a large network
 * carry the same destinations (at 400 devices, 385,000 routes to about 4,800 prefixes), and a
 * head looked up costs less than one read and written again. Cleared when full, so that it
 * never holds more than HEADS_MAX texts.
 */
const HEADS_MAX = 1 << 16;

class RouteHeads {
  private readonly heads = new Map<string, string | null>();

  ipv4(prefix: string): string | undefined {
    const known = this.heads.get(prefix);
    if (known !== undefined) return known ?? undefined;
    const head = ipv4RouteHead(prefix);
    if (this.heads.size >= HEADS_MAX) this.heads.clear();
    this.heads.set(prefix, head ?? null);
    return head;
  }
}

export const routeHeads = new RouteHeads();

/** A span's values and the annotation line made of them. */
interface Annotation {
  span: SpanValues;
  line: string;
}

const ANNOTATIONS_MAX = 1 << 16;

/**
 * A route's annotation line (`! plumb route origin TAG`) by its origin span's start offset, across
 * devices: the model's routes share their spans (at 400 devices, 385,000 routes of 4,829 spans),
 * and a line found is not formatted again from six numbers. A line is used only for a span of
 * the same values (file, lines, columns, offsets); the map is cleared when it holds
 * ANNOTATIONS_MAX lines.
 */
class RouteAnnotations {
  private readonly lines = new Map<number, Annotation>();

  of(span: Span): string {
    const known = this.lines.get(span.start.offset);
    if (known !== undefined && sameSpanValues(known.span, span)) return known.line;
    // joined, not concatenated: a flat string, which every file's join copies at once, where a
    // concatenation would leave a tree of the tag's pieces for each of them to walk
    const line = ['! plumb route origin ', formatOriginTag(span)].join('');
    if (this.lines.size >= ANNOTATIONS_MAX) this.lines.clear();
    const kept: SpanValues = { file: '', startLine: 0, startColumn: 0, startOffset: 0, endLine: 0, endColumn: 0, endOffset: 0 };
    keepSpanValues(kept, span);
    this.lines.set(span.start.offset, { span: kept, line });
    return line;
  }
}

export const routeAnnotations = new RouteAnnotations();

const PAIRS_MAX = 1 << 16;

/**
 * A route's annotation line and its IPv4 head (`! plumb route origin TAG` and `ip route A M`,
 * joined by a line break) by destination text, across devices: a destination has one origin
 * in the model (at 400 devices, 385,000 routes to about 4,800 prefixes, of 4,829 spans), so the
 * two lines are one text found by one lookup and pushed as one, where each was looked up and
 * pushed apart. Used only for a span of the same values as the one it was made with (else made
 * again, and kept in its place); cleared when it holds PAIRS_MAX texts. Undefined for a
 * destination routeHeads gives no IPv4 head (the general path writes it).
 */
class RoutePairs {
  private readonly pairs = new Map<string, Annotation>();

  of(prefix: string, span: Span): string | undefined {
    const known = this.pairs.get(prefix);
    if (known !== undefined && sameSpanValues(known.span, span)) return known.line;
    const head = routeHeads.ipv4(prefix);
    if (head === undefined) return undefined;
    // joined: one flat text (see RouteAnnotations)
    const line = [routeAnnotations.of(span), head].join('\n');
    if (this.pairs.size >= PAIRS_MAX) this.pairs.clear();
    const kept: SpanValues = { file: '', startLine: 0, startColumn: 0, startOffset: 0, endLine: 0, endColumn: 0, endOffset: 0 };
    keepSpanValues(kept, span);
    this.pairs.set(prefix, { span: kept, line });
    return line;
  }

  /** How many texts are kept (for the tests of the bound). */
  get size(): number {
    return this.pairs.size;
  }
}

export const routePairs = new RoutePairs();
