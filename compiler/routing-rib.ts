// The routing information bases of convergence (routing.ts): candidates by prefix, the
// administrative distances, and the selection of each device's forwarding table from its RIB.
//
// Every prefix of a convergence is numbered once, for all devices, before any RIB is filled
// (PrefixNumbers): a RIB is then an array indexed by prefix number rather than a map of texts,
// and the numbers' prefix order, sorted once, gives every device's table in order without a
// sort of its own (most prefixes are in every device's RIB).

import type { Prefix } from '../language/address.js';
import type { NextHopModel, RouteModel, RouteProtocol } from './model.js';
import { RouteClasses } from './route-classes.js';
import { cachedPrefix } from './topology.js';

export const DISTANCE: Record<RouteProtocol, number> = { connected: 0, static: 1, bgp: 20, ospf: 110 };

export interface Candidate {
  protocol: RouteProtocol;
  distance: number;
  metric: number;
  hops: NextHopModel[];
}

/** The prefix texts of one convergence, numbered in the order they were first met. */
export class PrefixNumbers {
  private readonly ids = new Map<string, number>();
  readonly texts: string[] = [];

  add(text: string): number {
    let id = this.ids.get(text);
    if (id === undefined) {
      id = this.texts.length;
      this.ids.set(text, id);
      this.texts.push(text);
    }
    return id;
  }

  get(text: string): number | undefined {
    return this.ids.get(text);
  }
}

/**
 * The numbers in prefix order (family, network address, length). Texts of the same prefix (one
 * with host bits written differently) are `tied` to the one before them: a device's table keeps
 * such texts in the order its RIB first had them.
 */
export interface PrefixOrder {
  order: Uint32Array;
  /** tied[i]: order[i] is the same prefix as order[i - 1]. */
  tied: Uint8Array;
  /** Whether any two texts are tied (then every RIB records the order of its prefixes). */
  anyTied: boolean;
}

export function prefixOrder(numbers: PrefixNumbers): PrefixOrder {
  const prefixes = numbers.texts.map((t) => cachedPrefix(t));
  const order = Uint32Array.from(prefixes.keys()).sort((a, b) => compareCanonical(prefixes[a]!, prefixes[b]!) || a - b);
  const tied = new Uint8Array(order.length);
  let anyTied = false;
  for (let i = 1; i < order.length; i++) {
    if (compareCanonical(prefixes[order[i - 1]!]!, prefixes[order[i]!]!) === 0) {
      tied[i] = 1;
      anyTied = true;
    }
  }
  return { order, tied, anyTied };
}

/** A device's candidates by prefix number: one candidate as itself (most prefixes have one), several as a list. */
export class Rib {
  readonly entries: (Candidate | Candidate[] | undefined)[];
  /** The position of each prefix's first candidate among the RIB's prefixes (kept only when texts are tied). */
  readonly firstSeen: Int32Array | undefined;
  private seen = 0;

  constructor(size: number, recordOrder: boolean) {
    this.entries = new Array<Candidate | Candidate[] | undefined>(size).fill(undefined);
    this.firstSeen = recordOrder ? new Int32Array(size) : undefined;
  }

  push(id: number, c: Candidate): void {
    const entry = this.entries[id];
    if (entry === undefined) {
      this.entries[id] = c;
      if (this.firstSeen) this.firstSeen[id] = this.seen++;
    } else if (Array.isArray(entry)) entry.push(c);
    else this.entries[id] = [entry, c];
  }

  /** The best non-OSPF candidate of a prefix (by number; undefined: a prefix of no RIB). */
  bestLocal(id: number | undefined): Candidate | undefined {
    if (id === undefined) return undefined;
    const entry = this.entries[id];
    if (entry === undefined) return undefined;
    if (!Array.isArray(entry)) return entry.protocol === 'ospf' ? undefined : entry;
    let best: Candidate | undefined;
    for (const c of entry) {
      if (c.protocol === 'ospf') continue;
      if (!best || c.distance < best.distance) best = c;
    }
    return best;
  }
}

function compareNextHops(a: NextHopModel, b: NextHopModel): number {
  if (a.interface !== b.interface) return a.interface < b.interface ? -1 : 1;
  const x = a.address ?? '';
  const y = b.address ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The route a prefix's candidates select: the lowest distance, its equal candidates of one protocol as ECMP. */
function route(prefix: string, entry: Candidate | Candidate[]): RouteModel {
  if (!Array.isArray(entry)) {
    return { prefix, protocol: entry.protocol, nextHops: entry.hops.length <= 1 ? entry.hops : merged([entry]), metric: entry.metric };
  }
  let best: Candidate[] = [];
  for (const c of entry) {
    if (best.length === 0 || c.distance < best[0]!.distance) best = [c];
    else if (c.distance === best[0]!.distance && c.protocol === best[0]!.protocol) best.push(c);
  }
  const first = best[0]!;
  const hops = best.length === 1 && first.hops.length <= 1 ? first.hops : merged(best);
  return { prefix, protocol: first.protocol, nextHops: hops, metric: first.metric };
}

function merged(best: readonly Candidate[]): NextHopModel[] {
  const hops: NextHopModel[] = [];
  for (const c of best) {
    for (const h of c.hops) {
      if (!hops.some((x) => x.interface === h.interface && x.address === h.address)) hops.push(h);
    }
  }
  return hops.sort(compareNextHops);
}

/** A device's forwarding table from its RIB, sorted by prefix; `lists` records its text list's class (see FibTextLists) and refines the route classes. */
export function select(rib: Rib, numbers: PrefixNumbers, prefixOrder: PrefixOrder, lists?: FibTextLists): RouteModel[] {
  const { order, tied } = prefixOrder;
  const { entries, firstSeen } = rib;
  const texts = numbers.texts;
  const out: RouteModel[] = [];
  // The prefix numbers of the routes, in the FIB's order.
  const ids = lists?.scratch;
  const routes = lists?.routeClasses;
  const add = (id: number, entry: Candidate | Candidate[]): void => {
    const r = route(texts[id]!, entry);
    if (ids) ids[out.length] = id;
    if (routes) routes.note(id, entry, r.nextHops);
    out.push(r);
  };
  for (let i = 0; i < order.length; i++) {
    if (i + 1 < order.length && tied[i + 1] === 1) {
      // A group of tied texts: those this RIB has, in the order it first had them.
      let end = i + 1;
      while (end + 1 < order.length && tied[end + 1] === 1) end++;
      const group = Array.from(order.subarray(i, end + 1)).filter((id) => entries[id] !== undefined);
      group.sort((a, b) => firstSeen![a]! - firstSeen![b]!);
      for (const id of group) add(id, entries[id]!);
      i = end;
      continue;
    }
    const id = order[i]!;
    const entry = entries[id];
    if (entry !== undefined) add(id, entry);
  }
  if (lists) {
    fibTextClasses.set(out, lists.classOf(out.length));
    routes!.refine();
  }
  return out;
}

/**
 * The class of a FIB's prefix texts, among the FIBs of one convergence: two FIBs of one
 * convergence hold the same texts in the same order exactly when they have the same class
 * (prefix numbers and texts correspond one to one).
 */
interface FibTextClass {
  lists: FibTextLists;
  ids: Int32Array;
}

/**
 * The FIBs `select` made, by their text classes (weakly: nothing is kept once a FIB is gone). A
 * FIB is not changed once made (the model is plain data its readers only read), so a reader of
 * many FIBs compares two classes instead of every route's text (sameFibTexts): at 400 devices
 * the tables hold 1.93 M routes in about 25 distinct lists of three lengths, and the comparisons
 * walked a route object each.
 */
const fibTextClasses = new WeakMap<readonly RouteModel[], FibTextClass>();

/** The distinct text lists of one convergence's FIBs, by a hash of their prefix numbers. */
export class FibTextLists {
  /** Where `select` writes the prefix numbers of the FIB it makes (a FIB has at most one route per number). */
  readonly scratch: Int32Array;
  /** The prefixes routed to the same next devices on every FIB selected so far (route-classes.ts). */
  readonly routeClasses: RouteClasses;
  private readonly byHash = new Map<number, FibTextClass[]>();

  /** `hashOf`: a hash of the first `count` numbers of a list (tests pass one that collides). */
  constructor(
    size: number,
    private readonly hashOf: (ids: Int32Array, count: number) => number = hashNumbers,
  ) {
    this.scratch = new Int32Array(size);
    this.routeClasses = new RouteClasses(size);
  }

  /** The class of the first `count` numbers of `scratch`: a class met before, or a new one. */
  classOf(count: number): FibTextClass {
    const ids = this.scratch;
    const hash = this.hashOf(ids, count);
    let bucket = this.byHash.get(hash);
    if (!bucket) this.byHash.set(hash, (bucket = []));
    for (const c of bucket) if (sameNumbers(c.ids, ids, count)) return c;
    const added: FibTextClass = { lists: this, ids: ids.slice(0, count) };
    bucket.push(added);
    return added;
  }
}

function hashNumbers(ids: Int32Array, count: number): number {
  let hash = count;
  for (let i = 0; i < count; i++) hash = (Math.imul(hash ^ ids[i]!, 0x9e3779b1) + 0x7f4a7c15) | 0;
  return hash;
}

function sameNumbers(kept: Int32Array, ids: Int32Array, count: number): boolean {
  if (kept.length !== count) return false;
  for (let i = 0; i < count; i++) if (kept[i] !== ids[i]) return false;
  return true;
}

/**
 * The route class of each route of a FIB `select` made, by its position, and the convergence it
 * belongs to (classes of two convergences do not compare); undefined for any other FIB.
 */
export function routeClassesOf(fib: readonly RouteModel[]): { convergence: object; classAt: (position: number) => number } | undefined {
  const c = fibTextClasses.get(fib);
  if (c === undefined) return undefined;
  const classes = c.lists.routeClasses;
  return { convergence: c.lists, classAt: (position) => classes.of(c.ids[position]!) };
}

/**
 * Whether two FIBs hold routes of the same prefix texts in the same order. Most devices of a
 * network do (their tables come out of one numbering, in one order), and a reader of many FIBs
 * can reuse what it worked out for the texts of the one before.
 */
export function sameFibTexts(a: readonly RouteModel[], b: readonly RouteModel[]): boolean {
  if (a.length !== b.length) return false;
  // Two FIBs of one convergence: their classes decide.
  const x = fibTextClasses.get(a);
  const y = fibTextClasses.get(b);
  if (x !== undefined && y !== undefined && x.lists === y.lists) return x === y;
  return sameTextsRouteByRoute(a, b);
}

/** sameFibTexts for any two FIBs (read back, made by hand, of two convergences): text by text. */
export function sameTextsRouteByRoute(a: readonly RouteModel[], b: readonly RouteModel[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i]!.prefix !== b[i]!.prefix) return false;
  return true;
}

/**
 * What a reader of many FIBs works out from a FIB's prefix texts alone (their numbers, say),
 * kept for the last few distinct text lists: a FIB of the same texts in the same order as one of
 * them gets its value without a look-up per route.
 */
export class ByFibTexts<T> {
  private readonly kept: { fib: readonly RouteModel[]; value: T }[] = [];

  constructor(private readonly make: (fib: readonly RouteModel[]) => T) {}

  get(fib: readonly RouteModel[]): T {
    for (const k of this.kept) if (sameFibTexts(k.fib, fib)) return k.value;
    const value = this.make(fib);
    if (this.kept.length >= 4) this.kept.pop();
    this.kept.unshift({ fib, value });
    return value;
  }
}

/** comparePrefixes for prefixes already in network form (every FIB prefix), without masking. */
function compareCanonical(a: Prefix, b: Prefix): number {
  if (a.family !== b.family) return a.family - b.family;
  if (a.value !== b.value) return a.value < b.value ? -1 : 1;
  return a.length - b.length;
}
