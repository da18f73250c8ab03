// Longest-match tables: each device's FIB as pieces covering the whole address space, each piece
// with the route its addresses use (or none). Devices whose FIBs hold the same prefixes in the
// same order share one table of piece bounds, built once; each device's table is those columns
// with its own routes, without an object per piece (`piecesOf` makes them for who asks).

import type { RouteModel } from '../compiler/model.js';
import { BITS, lastAddress, network, prefixOf, type Family } from '../language/address.js';

/** One piece of a device's forwarding table: every address in [lo, hi] uses `route` (or none). */
export interface LpmPiece {
  lo: bigint;
  hi: bigint;
  route?: RouteModel;
}

/**
 * A forwarding table as columns: piece k holds the addresses [los[k], his[k]] and uses
 * `routes[entries[k]]` (no route where `entries[k]` < 0); `find` gives the piece that holds an
 * address. A device that shares its FIB's shape shares the bounds and entries with the other
 * devices of that shape, and its routes are its FIB: a table costs no memory per piece.
 */
export interface LpmTable {
  los: readonly bigint[];
  his: readonly bigint[];
  entries: Int32Array;
  routes: readonly RouteModel[];
  find(address: bigint): number;
}

/** The route of a table's piece k (undefined: none). */
export const routeAt = (table: LpmTable, k: number): RouteModel | undefined => {
  const at = table.entries[k]!;
  return at < 0 ? undefined : table.routes[at];
};

/** A table's pieces as objects. */
export function piecesOf(table: LpmTable): LpmPiece[] {
  const pieces: LpmPiece[] = [];
  for (let k = 0; k < table.los.length; k++) {
    const route = routeAt(table, k);
    pieces.push(route ? { lo: table.los[k]!, hi: table.his[k]!, route } : { lo: table.los[k]!, hi: table.his[k]! });
  }
  return pieces;
}

/** A prefix's first and last address, and its family. */
type PrefixRange = readonly [Family, bigint, bigint];

/**
 * A table's pieces as positions in the FIB it was built from (-1: no route), with their bounds.
 * It depends on the FIB's prefixes in order alone, and most devices' FIBs hold the same prefixes
 * in the same order (every internal prefix, by other next hops): they share one shape, built
 * once, and each device's table only puts its own routes in.
 */
interface ShapeTable {
  los: bigint[];
  his: bigint[];
  entries: Int32Array;
  find(address: bigint): number;
}

interface LpmShape {
  prefixes: readonly string[];
  tables: Partial<Record<Family, ShapeTable>>;
}

const samePrefixes = (fib: readonly RouteModel[], prefixes: readonly string[]): boolean => {
  if (fib.length !== prefixes.length) return false;
  for (let k = 0; k < fib.length; k++) if (fib[k]!.prefix !== prefixes[k]) return false;
  return true;
};

/**
 * Every device's longest-match tables of one model: the shapes are found by the hash of their
 * prefix sequence (a full comparison on a hit), and each prefix text's range is computed once
 * for all tables (the tables share most of their prefixes).
 */
export class LpmTables {
  private readonly ranges = new Map<string, PrefixRange>();
  private readonly shapes = new Map<number, LpmShape[]>();
  /** The shape of each FIB already asked for (both families use it). */
  private readonly shapeOfFib = new WeakMap<readonly RouteModel[], LpmShape>();
  /** A number for each prefix text, in the order first seen, for the sequences' hashes. */
  private readonly prefixIds = new Map<string, number>();
  private readonly hash: (fib: readonly RouteModel[]) => number;

  /** `hash`: the sequences' hash, for tests (the default is `sequenceHash`). */
  constructor(hash?: (fib: readonly RouteModel[]) => number) {
    this.hash = hash ?? ((fib) => this.sequenceHash(fib));
  }

  /** How many distinct prefix sequences the tables built so far hold. */
  get shapeCount(): number {
    let n = 0;
    for (const list of this.shapes.values()) n += list.length;
    return n;
  }

  table(fib: readonly RouteModel[], family: Family): LpmTable {
    const shape = this.shape(fib);
    const table = (shape.tables[family] ??= buildShape(fib, family, this.ranges));
    const { entries } = table;
    for (let k = 1; k < entries.length; k++) {
      const at = entries[k]!;
      const before = entries[k - 1]!;
      // The same route object twice in one FIB would merge pieces the shape keeps apart.
      if (at >= 0 && before >= 0 && fib[at] === fib[before]) return buildLpm(fib, family, this.ranges);
    }
    return { los: table.los, his: table.his, entries, routes: fib, find: table.find };
  }

  /**
   * A number from a FIB's prefixes in order, to find its shape among the others without comparing
   * it with each: FNV-1a over the prefixes' numbers (a map lookup per prefix; V8 keeps each
   * text's own hash, so that costs less than hashing the characters). A text key would not do:
   * V8 hashes a string longer than 16,383 characters by its length alone, and a FIB's prefixes
   * joined are longer than that at a few thousand routes.
   */
  private sequenceHash(fib: readonly RouteModel[]): number {
    let h = Math.imul(0x811c9dc5 ^ fib.length, 0x01000193);
    for (let k = 0; k < fib.length; k++) {
      const text = fib[k]!.prefix;
      let id = this.prefixIds.get(text);
      if (id === undefined) {
        id = this.prefixIds.size;
        this.prefixIds.set(text, id);
      }
      h = Math.imul(h ^ id, 0x01000193);
    }
    return h >>> 0;
  }

  private shape(fib: readonly RouteModel[]): LpmShape {
    let shape = this.shapeOfFib.get(fib);
    if (shape) return shape;
    const h = this.hash(fib);
    let list = this.shapes.get(h);
    if (!list) {
      list = [];
      this.shapes.set(h, list);
    }
    shape = list.find((s) => samePrefixes(fib, s.prefixes));
    if (!shape) {
      shape = { prefixes: fib.map((r) => r.prefix), tables: {} };
      list.push(shape);
    }
    this.shapeOfFib.set(fib, shape);
    return shape;
  }
}

/**
 * Prefixes are nested or disjoint, so one sweep with a stack yields the longest match per piece.
 * `ranges` keeps each prefix text's range for every device's table (the tables share most of
 * their prefixes). The routes are taken in the order of their first address, a shorter prefix
 * first; a FIB is normally in that order already (compiler/routing.ts sorts it), so the sort is
 * skipped after one check (a stable sort would keep that order too). Pieces are named by their
 * routes' positions in the FIB (`key`): by the routes themselves for one device's table, by the
 * positions for a shape that many devices share.
 */
function sweep<K>(fib: readonly RouteModel[], family: Family, ranges: Map<string, PrefixRange>, key: (route: RouteModel, at: number) => K): { lo: bigint; hi: bigint; key?: K }[] {
  const routes: { key: K; lo: bigint; hi: bigint }[] = [];
  let sorted = true;
  for (let at = 0; at < fib.length; at++) {
    const route = fib[at]!;
    let r = ranges.get(route.prefix);
    if (!r) {
      const p = prefixOf(route.prefix);
      r = [p.family, network(p).value, lastAddress(p)];
      ranges.set(route.prefix, r);
    }
    if (r[0] !== family) continue;
    const last = routes[routes.length - 1];
    // Nested or disjoint: of two prefixes with the same first address the shorter ends last.
    if (last && (last.lo > r[1] || (last.lo === r[1] && last.hi < r[2]))) sorted = false;
    routes.push({ key: key(route, at), lo: r[1], hi: r[2] });
  }
  if (!sorted) routes.sort((a, b) => (a.lo < b.lo ? -1 : a.lo > b.lo ? 1 : a.hi > b.hi ? -1 : a.hi < b.hi ? 1 : 0));
  const max = (1n << BigInt(BITS[family])) - 1n;
  const out: { lo: bigint; hi: bigint; key?: K }[] = [];
  const stack: typeof routes = [];
  let cursor = 0n;
  const emit = (hi: bigint): void => {
    if (cursor > hi) return;
    const top = stack[stack.length - 1];
    const last = out[out.length - 1];
    if (last && last.key === top?.key && last.hi + 1n === cursor) last.hi = hi;
    else out.push(top ? { lo: cursor, hi, key: top.key } : { lo: cursor, hi });
    cursor = hi + 1n;
  };
  for (const r of routes) {
    while (stack.length > 0 && stack[stack.length - 1]!.hi < r.lo) {
      emit(stack[stack.length - 1]!.hi);
      stack.pop();
    }
    if (r.lo > 0n) emit(r.lo - 1n);
    stack.push(r);
  }
  while (stack.length > 0) {
    emit(stack[stack.length - 1]!.hi);
    stack.pop();
  }
  emit(max);
  return out;
}

function buildShape(fib: readonly RouteModel[], family: Family, ranges: Map<string, PrefixRange>): ShapeTable {
  const pieces = sweep(fib, family, ranges, (_, at) => at);
  const his = pieces.map((p) => p.hi);
  return { los: pieces.map((p) => p.lo), his, entries: Int32Array.from(pieces, (p) => p.key ?? -1), find: searchOf(family, his) };
}

/** One device's table on its own (a FIB that holds one route object twice): each piece's route listed once. */
function buildLpm(fib: readonly RouteModel[], family: Family, ranges: Map<string, PrefixRange>): LpmTable {
  const pieces = sweep(fib, family, ranges, (route) => route);
  const routes: RouteModel[] = [];
  const entries = Int32Array.from(pieces, (p) => (p.key ? routes.push(p.key) - 1 : -1));
  const his = pieces.map((p) => p.hi);
  return { los: pieces.map((p) => p.lo), his, entries, routes, find: searchOf(family, his) };
}

const searchOf = (family: Family, his: readonly bigint[]): ((address: bigint) => number) => (family === 4 ? numberSearch(his) : bigintSearch(his));

/** IPv4 addresses are exact as numbers: the search compares doubles, not bigints. */
function numberSearch(ends: readonly bigint[]): (address: bigint) => number {
  const his = Float64Array.from(ends, (hi) => Number(hi));
  return (address) => {
    const x = Number(address);
    let a = 0;
    let b = his.length - 1;
    while (a < b) {
      const mid = (a + b) >> 1;
      if (his[mid]! < x) a = mid + 1;
      else b = mid;
    }
    return a;
  };
}

function bigintSearch(his: readonly bigint[]): (address: bigint) => number {
  return (address) => {
    let a = 0;
    let b = his.length - 1;
    while (a < b) {
      const mid = (a + b) >> 1;
      if (his[mid]! < address) a = mid + 1;
      else b = mid;
    }
    return a;
  };
}
