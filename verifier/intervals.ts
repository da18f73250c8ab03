// Sets of addresses of one family as sorted, disjoint, non-adjacent closed intervals [lo, hi].
// Exact bigint arithmetic: the forwarding analysis splits destination sets with these.

import { BITS, lastAddress, network, prefixOf, type Family } from '../language/address.js';

export type Interval = readonly [bigint, bigint];
export type IntervalSet = readonly Interval[];

export function fullSet(family: Family): IntervalSet {
  return [[0n, (1n << BigInt(BITS[family])) - 1n]];
}

export function normalize(items: Interval[]): IntervalSet {
  // One interval, as a forwarding table's piece of a set mostly is: nothing to sort or merge.
  if (items.length === 1) return [[items[0]![0], items[0]![1]]];
  const sorted = [...items].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const out: [bigint, bigint][] = [];
  for (const [lo, hi] of sorted) {
    const last = out[out.length - 1];
    if (last && lo <= last[1] + 1n) {
      if (hi > last[1]) last[1] = hi;
    } else out.push([lo, hi]);
  }
  return out;
}

export function union(a: IntervalSet, b: IntervalSet): IntervalSet {
  return normalize([...a, ...b]);
}

export function intersect(a: IntervalSet, b: IntervalSet): IntervalSet {
  const out: Interval[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const [alo, ahi] = a[i]!;
    const [blo, bhi] = b[j]!;
    const lo = alo > blo ? alo : blo;
    const hi = ahi < bhi ? ahi : bhi;
    if (lo <= hi) out.push([lo, hi]);
    if (ahi < bhi) i++;
    else j++;
  }
  return out;
}

export function subtract(a: IntervalSet, b: IntervalSet): IntervalSet {
  const out: Interval[] = [];
  let j = 0;
  for (const [lo0, hi] of a) {
    let lo = lo0;
    while (j < b.length && b[j]![1] < lo) j++;
    let k = j;
    while (k < b.length && b[k]![0] <= hi) {
      const [blo, bhi] = b[k]!;
      if (blo > lo) out.push([lo, blo - 1n]);
      if (bhi >= hi) {
        lo = hi + 1n;
        break;
      }
      lo = bhi + 1n;
      k++;
    }
    if (lo <= hi) out.push([lo, hi]);
  }
  return out;
}

export function isEmpty(a: IntervalSet): boolean {
  return a.length === 0;
}

export function contains(a: IntervalSet, v: bigint): boolean {
  let lo = 0;
  let hi = a.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [l, h] = a[mid]!;
    if (v < l) hi = mid - 1;
    else if (v > h) lo = mid + 1;
    else return true;
  }
  return false;
}

export function equalSets(a: IntervalSet, b: IntervalSet): boolean {
  return a.length === b.length && a.every(([l, h], i) => l === b[i]![0] && h === b[i]![1]);
}

/** The addresses of the given family among canonical prefix texts (other families ignored). */
export function prefixesToSet(prefixes: readonly string[], family: Family): IntervalSet {
  const items: Interval[] = [];
  for (const text of prefixes) {
    const p = prefixOf(text);
    if (p.family !== family) continue;
    items.push([network(p).value, lastAddress(p)]);
  }
  return normalize(items);
}

export function size(a: IntervalSet): bigint {
  return a.reduce((n, [l, h]) => n + (h - l + 1n), 0n);
}

/** Prefix text -> [family, first, last], cached: filters repeat the same prefixes many times. */
const prefixRanges = new Map<string, readonly [Family, bigint, bigint]>();

export function prefixRange(text: string): readonly [Family, bigint, bigint] {
  let r = prefixRanges.get(text);
  if (!r) {
    const p = prefixOf(text);
    r = [p.family, network(p).value, lastAddress(p)];
    if (prefixRanges.size > 1_000_000) prefixRanges.clear();
    prefixRanges.set(text, r);
  }
  return r;
}
