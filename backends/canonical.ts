// Canonical order of a DeviceModel's configuration lists, and the comparison behind the
// backends' law `read(render(d))` equals `d`: readers emit lists in this order, and the law
// compares after putting both sides in it (the model documents these lists as sorted; the
// ordering here is the one spelled out in compiler/model.ts, made total).

import type { DeviceModel, FilterRule, Match, StaticRouteModel } from '../compiler/model.js';
import { copyWithFib } from '../compiler/fib-views.js';
import { comparePrefixes, ipv4PrefixOrder, mask, parseAddress, prefixOf, type Address } from '../language/address.js';

function compareText(a: string | undefined, b: string | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  return a < b ? -1 : 1;
}

/** Addresses: IPv4 first, then numerically; unparsable text last, by text. */
export function compareAddressText(a: string | undefined, b: string | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  const pa = parseAddress(a);
  const pb = parseAddress(b);
  if (!pa || !pb) return compareText(a, b);
  if (pa.family !== pb.family) return pa.family - pb.family;
  return pa.value < pb.value ? -1 : pa.value > pb.value ? 1 : 0;
}

export function comparePrefixText(a: string, b: string): number {
  return comparePrefixes(prefixOf(a), prefixOf(b)) || compareText(a, b);
}

/**
 * A prefix text with what `comparePrefixText` compares, computed once per sort, not per
 * comparison: the family, then the network address and the length in one `order` (as
 * `ipv4PrefixOrder` makes it: a number for IPv4, read without a parsed object; a bigint for
 * IPv6, whose family comes later, so the two never meet), then the text.
 */
interface PrefixKey {
  text: string;
  family: number;
  order: number | bigint;
}

function prefixKey(text: string): PrefixKey {
  const order = ipv4PrefixOrder(text);
  if (order >= 0) return { text, family: 4, order };
  const p = prefixOf(text);
  return { text, family: p.family, order: ((p.value & mask(p.family, p.length)) << 8n) | BigInt(p.length) };
}

/**
 * Whether `items` are already in order (by prefix as `comparePrefixText` orders them, then by
 * `tie`), every prefix being IPv4 in its written form: then a stable sort would leave them as
 * they are. Lists usually come in order
 * (the compiler's, and a reader's of what was rendered from it); checking costs one pass with no
 * key objects. False, too, when a prefix is not such IPv4 text: the sort then decides (and
 * `prefixOf` reports a bad prefix as before).
 */
function inOrder<T>(items: readonly T[], prefixOfItem: (item: T) => string, tie: (a: T, b: T) => number): boolean {
  let before = items[0]!;
  let beforeOrder = ipv4PrefixOrder(prefixOfItem(before));
  if (beforeOrder < 0) return false;
  for (let i = 1; i < items.length; i++) {
    const item = items[i]!;
    const order = ipv4PrefixOrder(prefixOfItem(item));
    if (order < 0 || order < beforeOrder) return false;
    if (order === beforeOrder && (compareText(prefixOfItem(before), prefixOfItem(item)) || tie(before, item)) > 0) return false;
    before = item;
    beforeOrder = order;
  }
  return true;
}

/** `comparePrefixText` on keys. */
function comparePrefixKeys(a: PrefixKey, b: PrefixKey): number {
  if (a.family !== b.family) return a.family - b.family;
  if (a.order !== b.order) return a.order < b.order ? -1 : 1;
  return compareText(a.text, b.text);
}

/** An address text parsed once for `compareAddressText`: undefined when absent or unparsable. */
function addressKey(text: string | undefined): Address | undefined {
  return text === undefined ? undefined : parseAddress(text);
}

/** `compareAddressText` on texts parsed by `addressKey`. */
function compareAddressKeys(a: string | undefined, pa: Address | undefined, b: string | undefined, pb: Address | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  if (!pa || !pb) return compareText(a, b);
  if (pa.family !== pb.family) return pa.family - pb.family;
  return pa.value < pb.value ? -1 : pa.value > pb.value ? 1 : 0;
}

/** Static routes by prefix, then distance (default first), then discard before the rest, then next hop, then interface. */
export function sortStaticRoutes(routes: readonly StaticRouteModel[]): StaticRouteModel[] {
  if (routes.length < 2 || inOrder(routes, routePrefix, compareRoutesAfterPrefix)) return [...routes];
  // Each route's keys are computed once: a router may have thousands of routes. The next hop's
  // only when two routes tie before it (few do: most prefixes have one route).
  const keyed: { route: StaticRouteModel; prefix: PrefixKey; hop: Address | undefined | null }[] = routes.map((route) => ({ route, prefix: prefixKey(route.prefix), hop: null }));
  const hopOf = (k: (typeof keyed)[number]): Address | undefined => (k.hop === null ? (k.hop = addressKey(k.route.nextHop)) : k.hop);
  keyed.sort((x, y) => {
    const a = x.route;
    const b = y.route;
    return (
      comparePrefixKeys(x.prefix, y.prefix) ||
      (a.distance ?? -1) - (b.distance ?? -1) ||
      Number(b.discard === true) - Number(a.discard === true) ||
      (a.nextHop === b.nextHop ? 0 : compareAddressKeys(a.nextHop, hopOf(x), b.nextHop, hopOf(y))) ||
      compareText(a.interface, b.interface)
    );
  });
  return keyed.map((k) => k.route);
}

/**
 * The order of two routes with the same prefix, as `sortStaticRoutes` sorts them, for `inOrder`;
 * 1 (not in order: the sort decides) for two different next hops of which one does not parse.
 * Those `compareAddressText` orders by text, and that order need not agree with the numeric
 * order of the others (10.0.0.2 < 10.0.0.2x < 9.0.0.0 < 10.0.0.2): adjacent pairs in order then
 * prove nothing of the whole list by the language's rules. (V8's sort keeps a list whose adjacent
 * pairs are in order as it is, so no test can tell; another engine need not.)
 */
function compareRoutesAfterPrefix(a: StaticRouteModel, b: StaticRouteModel): number {
  return (
    (a.distance ?? -1) - (b.distance ?? -1) ||
    Number(b.discard === true) - Number(a.discard === true) ||
    compareParsedHops(a.nextHop, b.nextHop) ||
    compareText(a.interface, b.interface)
  );
}

function compareParsedHops(a: string | undefined, b: string | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  const pa = parseAddress(a);
  const pb = parseAddress(b);
  if (!pa || !pb) return 1;
  if (pa.family !== pb.family) return pa.family - pb.family;
  return pa.value < pb.value ? -1 : pa.value > pb.value ? 1 : 0;
}

function routePrefix(route: StaticRouteModel): string {
  return route.prefix;
}

export function sortPrefixes(prefixes: readonly string[]): string[] {
  if (prefixes.length < 2 || textsInOrder(prefixes)) return [...prefixes];
  return prefixes
    .map(prefixKey)
    .sort(comparePrefixKeys)
    .map((k) => k.text);
}

/**
 * `inOrder` for a list of prefix texts, without the callbacks: a rule's match has two such
 * lists, and the readers of IOS-XE and PAN-OS give 85,000 rules at 400 devices.
 */
function textsInOrder(prefixes: readonly string[]): boolean {
  let before = prefixes[0]!;
  let beforeOrder = ipv4PrefixOrder(before);
  if (beforeOrder < 0) return false;
  for (let i = 1; i < prefixes.length; i++) {
    const text = prefixes[i]!;
    const order = ipv4PrefixOrder(text);
    if (order < 0 || order < beforeOrder || (order === beforeOrder && before > text)) return false;
    before = text;
    beforeOrder = order;
  }
  return true;
}

/** A prefix list's address families as bits (1: IPv4, 2: IPv6); an absent list is any family (3). */
function familiesOf(prefixes: readonly string[] | undefined): number {
  if (prefixes === undefined) return 3;
  let families = 0;
  for (let i = 0; i < prefixes.length && families !== 3; i++) families |= prefixes[i]!.includes(':') ? 2 : 1;
  return families;
}

/** The prefixes of the families in `families` (bits as familiesOf gives them). */
function ofFamilies(prefixes: readonly string[], families: number): string[] {
  return prefixes.filter((p) => ((p.includes(':') ? 2 : 1) & families) !== 0);
}

/**
 * Removes what cannot match any packet from a rule's match, which nftables cannot write: the
 * prefixes of an address family the other side of the match does not have (an IPv6 source
 * with only IPv4 destinations). Returns undefined for a match that no packet can satisfy.
 */
export function prunedMatch(match: Match): Match | undefined {
  // The families both sides have (an absent side has every family); a side whose families are
  // all among them keeps every prefix, which is nearly every match.
  const sources = familiesOf(match.sources);
  const destinations = familiesOf(match.destinations);
  const families = sources & destinations;
  if (families === 0) return undefined;
  const out: Match = { ...match };
  if (match.sources) out.sources = sortPrefixes(sources === families ? match.sources : ofFamilies(match.sources, families));
  if (match.destinations) out.destinations = sortPrefixes(destinations === families ? match.destinations : ofFamilies(match.destinations, families));
  return out;
}

/**
 * prunedMatch, but `match` itself when it would come out the same: each prefix list absent or
 * IPv4 in its written form and in order (then no family is pruned: both sides have only IPv4, or
 * any). A rule read back nearly always is, and copying its match, the match's two lists and the
 * rule itself for each of the 85,000 rules read back at 400 devices was work for the collector
 * alone; the one pass over each list also stands for prunedMatch's two (families, then order).
 * The canonical form then shares the reader's objects, which nothing changes once read
 * (prunedMatch itself still copies: the nftables renderer gives it the model's matches).
 */
function canonicalMatch(match: Match): Match | undefined {
  return ipv4InOrder(match.sources) && ipv4InOrder(match.destinations) ? match : prunedMatch(match);
}

/** Whether `prefixes` is absent, or a list of IPv4 prefixes in sortPrefixes' order (an empty list matches nothing: not so). */
function ipv4InOrder(prefixes: readonly string[] | undefined): boolean {
  return prefixes === undefined || (prefixes.length > 0 && textsInOrder(prefixes));
}

function canonicalRules(rules: readonly FilterRule[]): FilterRule[] {
  const out: FilterRule[] = [];
  for (const r of rules) {
    const match = canonicalMatch(r.match);
    if (match) out.push(match === r.match ? r : { ...r, match });
  }
  return out;
}

/**
 * The configuration of `d` in canonical form: `fib` emptied, documented-sorted lists sorted,
 * matches pruned as `prunedMatch` does. `read(render(d))` must equal `canonicalDevice(d)`.
 */
export function canonicalDevice(d: DeviceModel): DeviceModel {
  return {
    // Not `...d, fib: []`: a spread reads a converged device's `fib`, which makes its routes (compiler/fib-views.ts).
    ...copyWithFib(d, []),
    interfaces: [...d.interfaces].sort((a, b) => compareText(a.name, b.name)),
    filters: [...d.filters]
      .sort((a, b) => compareText(a.name, b.name))
      .map((f) => ({ ...f, rules: canonicalRules(f.rules) })),
    zones: [...d.zones]
      .sort((a, b) => compareText(a.name, b.name))
      .map((z) => ({ ...z, interfaces: [...z.interfaces].sort() })),
    securityRules: canonicalRules(d.securityRules),
    staticRoutes: sortStaticRoutes(d.staticRoutes),
    ...(d.ospf
      ? {
          ospf: {
            ...d.ospf,
            interfaces: [...d.ospf.interfaces].sort((a, b) => compareText(a.name, b.name)),
            redistribute: [...d.ospf.redistribute]
              .sort((a, b) => compareText(a.protocol, b.protocol))
              .map((r) => ({ ...r, prefixes: sortPrefixes(r.prefixes) })),
          },
        }
      : {}),
    ...(d.bgp
      ? {
          bgp: {
            ...d.bgp,
            neighbors: [...d.bgp.neighbors]
              .sort((a, b) => compareAddressText(a.address, b.address))
              .map((n) => ({
                ...n,
                importPrefixes: sortPrefixes(n.importPrefixes),
                exportPrefixes: sortPrefixes(n.exportPrefixes),
              })),
          },
        }
      : {}),
  };
}
