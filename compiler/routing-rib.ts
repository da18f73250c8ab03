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

/** The candidates a prefix's list selects: the lowest distance, its equal candidates of one protocol. */
function winners(entry: readonly Candidate[]): Candidate[] {
  let best: Candidate[] = [];
  for (const c of entry) {
    if (best.length === 0 || c.distance < best[0]!.distance) best = [c];
    else if (c.distance === best[0]!.distance && c.protocol === best[0]!.protocol) best.push(c);
  }
  return best;
}

/** The route a prefix's candidates select: the lowest distance, its equal candidates of one protocol as ECMP. */
function route(prefix: string, entry: Candidate | Candidate[]): RouteModel {
  if (!Array.isArray(entry)) {
    return { prefix, protocol: entry.protocol, nextHops: entry.hops.length <= 1 ? entry.hops : merged([entry]), metric: entry.metric };
  }
  const best = winners(entry);
  const first = best[0]!;
  const hops = best.length === 1 && first.hops.length <= 1 ? first.hops : merged(best);
  return { prefix, protocol: first.protocol, nextHops: hops, metric: first.metric };
}

/** The next hops of `route(prefix, entry)`, without the route. */
function selectedHops(entry: Candidate | Candidate[]): NextHopModel[] {
  if (!Array.isArray(entry)) return entry.hops.length <= 1 ? entry.hops : merged([entry]);
  const best = winners(entry);
  return best.length === 1 && best[0]!.hops.length <= 1 ? best[0]!.hops : merged(best);
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
  return selectFib(rib, numbers, prefixOrder, lists).routes();
}

/** `select`, with the route objects made only when `routes()` is first called (SelectedFib). */
export function selectFib(rib: Rib, numbers: PrefixNumbers, prefixOrder: PrefixOrder, lists?: FibTextLists): SelectedFib {
  const { order, tied } = prefixOrder;
  const { entries, firstSeen } = rib;
  // The prefix numbers of the routes, in the FIB's order.
  const ids = lists?.scratch ?? new Int32Array(order.length);
  const routes = lists?.routeClasses;
  let count = 0;
  const add = (id: number, entry: Candidate | Candidate[]): void => {
    ids[count++] = id;
    if (routes) routes.note(id, entry, selectedHops);
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
  if (!lists) return new SelectedFib(ids.slice(0, count), entries, numbers.texts, undefined);
  const textClass = lists.classOf(count);
  routes!.refine();
  return new SelectedFib(textClass.ids, entries, numbers.texts, textClass);
}

const NO_ENTRIES: readonly (Candidate | Candidate[] | undefined)[] = [];

/**
 * A device's forwarding table as `select` chose it: the prefix numbers of its routes in order and
 * the RIB's candidates, from which each route's prefix, protocol and next hops are read without
 * a route object. The route objects (1.93 M at 400 devices, about 156 MiB live) are made on the
 * first call of `routes()`, the same ones `select` makes: `compile -o` reads the FIBs only in the
 * compiler (relevance, uRPF, C704), which read this form (compiler/fib-views.ts), and never makes
 * them; `check` and `verify` read every route and make them all.
 */
export class SelectedFib {
  private made: RouteModel[] | undefined;

  constructor(
    /** The prefix numbers of the routes, in the FIB's order (shared by the FIBs of one text class). */
    readonly ids: Int32Array,
    private entries: readonly (Candidate | Candidate[] | undefined)[],
    private readonly texts: readonly string[],
    readonly textClass: FibTextClass | undefined,
  ) {}

  get length(): number {
    return this.ids.length;
  }

  prefixAt(position: number): string {
    return this.texts[this.ids[position]!]!;
  }

  nextHopsAt(position: number): readonly NextHopModel[] {
    if (this.made !== undefined) return this.made[position]!.nextHops;
    return selectedHops(this.entries[this.ids[position]!]!);
  }

  protocolAt(position: number): RouteProtocol {
    if (this.made !== undefined) return this.made[position]!.protocol;
    const entry = this.entries[this.ids[position]!]!;
    return Array.isArray(entry) ? winners(entry)[0]!.protocol : entry.protocol;
  }

  /** The route objects, if made. */
  get routesMade(): readonly RouteModel[] | undefined {
    return this.made;
  }

  /** The route objects, made once. */
  routes(): RouteModel[] {
    if (this.made === undefined) {
      const { ids, entries, texts } = this;
      const out: RouteModel[] = [];
      for (let i = 0; i < ids.length; i++) out.push(route(texts[ids[i]!]!, entries[ids[i]!]!));
      if (this.textClass) fibTextClasses.set(out, this.textClass);
      this.made = out;
      // Read from the routes from now on (fibView): the RIB goes (400 arrays of every prefix
      // number at 400 devices, which `check` and `verify` would otherwise keep beside the routes).
      this.entries = NO_ENTRIES;
    }
    return this.made;
  }
}

/**
 * The class of a FIB's prefix texts, among the FIBs of one convergence: two FIBs of one
 * convergence hold the same texts in the same order exactly when they have the same class
 * (prefix numbers and texts correspond one to one).
 */
export interface FibTextClass {
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
export function routeClassesOf(fib: readonly RouteModel[]): RouteClassesByPosition | undefined {
  return routeClassesOfText(fibTextClasses.get(fib));
}

export interface RouteClassesByPosition {
  convergence: object;
  classAt: (position: number) => number;
}

/** routeClassesOf for a FIB of text class `c` (undefined: not made by `select`). */
export function routeClassesOfText(c: FibTextClass | undefined): RouteClassesByPosition | undefined {
  if (c === undefined) return undefined;
  const classes = c.lists.routeClasses;
  return { convergence: c.lists, classAt: (position) => classes.of(c.ids[position]!) };
}

/** The text class of a FIB `select` made (or `SelectedFib.routes()`); undefined for any other. */
export function textClassOf(fib: readonly RouteModel[]): FibTextClass | undefined {
  return fibTextClasses.get(fib);
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

/** comparePrefixes for prefixes already in network form (every FIB prefix), without masking. */
function compareCanonical(a: Prefix, b: Prefix): number {
  if (a.family !== b.family) return a.family - b.family;
  if (a.value !== b.value) return a.value < b.value ? -1 : 1;
  return a.length - b.length;
}
