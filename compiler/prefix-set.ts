// Prefix-set algebra: sets of addresses written as lists of prefixes. A normalized set is a
// sorted list (IPv4 first, then by network address) of disjoint network prefixes with siblings
// merged, so equal sets have equal lists. Filters can only say "source in these prefixes", so
// "an external's addresses" (its prefixes less our more specific ones) become such a list here.

import {
  BITS,
  formatPrefix,
  lastAddress,
  mask,
  prefixOf,
  type Family,
  type Prefix,
} from '../language/address.js';

export type PrefixSet = readonly Prefix[];

export function parseSet(texts: readonly string[]): Prefix[] {
  return normalize(texts.map(prefixOf));
}

export function formatSet(set: PrefixSet): string[] {
  return set.map(formatPrefix);
}

export function universe(family: Family): Prefix {
  return { family, value: 0n, length: 0 };
}

/**
 * `network(p)`, or `p` itself when it has no host bits (most members): a set may hold its
 * caller's prefix objects, since no one changes a prefix after it is made.
 */
function networkOf(p: Prefix): Prefix {
  const value = p.value & mask(p.family, p.length);
  return value === p.value ? p : { family: p.family, value, length: p.length };
}

/** `comparePrefixes` for prefixes without host bits: their values are their networks. */
function compareNetworks(a: Prefix, b: Prefix): number {
  if (a.family !== b.family) return a.family - b.family;
  if (a.value !== b.value) return a.value < b.value ? -1 : 1;
  return a.length - b.length;
}

/** Sorted, disjoint, siblings merged. */
export function normalize(prefixes: readonly Prefix[]): Prefix[] {
  const sorted = prefixes.map(networkOf).sort(compareNetworks);
  const stack: Prefix[] = [];
  let lastKept: Prefix | undefined;
  for (const p of sorted) {
    if (lastKept && lastKept.family === p.family && lastAddress(lastKept) >= lastAddress(p) && lastKept.value <= p.value) {
      continue; // contained in a kept prefix
    }
    lastKept = p;
    stack.push(p);
    // Merge the top two while they are the two halves of one parent.
    while (stack.length >= 2) {
      const b = stack[stack.length - 1]!;
      const a = stack[stack.length - 2]!;
      if (a.family !== b.family || a.length !== b.length || a.length === 0) break;
      // The parent's network is a's address, or a is no left half: no parent is made to tell.
      if ((a.value & mask(a.family, a.length - 1)) !== a.value) break;
      const parent: Prefix = { family: a.family, value: a.value, length: a.length - 1 };
      if (lastAddress(parent) !== lastAddress(b)) break;
      stack.length -= 2;
      stack.push(parent);
      lastKept = parent;
    }
  }
  return stack;
}

function first(p: Prefix): bigint {
  return p.value;
}

function cmpRange(fa: Family, va: bigint, fb: Family, vb: bigint): number {
  if (fa !== fb) return fa - fb;
  return va < vb ? -1 : va > vb ? 1 : 0;
}

/** A ∩ B for normalized sets. */
export function intersect(a: PrefixSet, b: PrefixSet): Prefix[] {
  const out: Prefix[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (cmpRange(x.family, lastAddress(x), y.family, first(y)) < 0) {
      i++;
      continue;
    }
    if (cmpRange(y.family, lastAddress(y), x.family, first(x)) < 0) {
      j++;
      continue;
    }
    // Overlapping prefixes: one contains the other.
    out.push(x.length >= y.length ? x : y);
    if (lastAddress(x) <= lastAddress(y)) i++;
    else j++;
  }
  return normalize(out);
}

/** A \ B for normalized sets. */
export function difference(a: PrefixSet, b: PrefixSet): Prefix[] {
  const out: Prefix[] = [];
  for (const p of a) {
    const inside = overlapping(b, p);
    subtract(p, inside, out);
  }
  return normalize(out);
}

/** The members of normalized `set` that overlap `p` (binary search). */
function overlapping(set: PrefixSet, p: Prefix): Prefix[] {
  let lo = 0;
  let hi = set.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const m = set[mid]!;
    if (cmpRange(m.family, lastAddress(m), p.family, first(p)) < 0) lo = mid + 1;
    else hi = mid;
  }
  const out: Prefix[] = [];
  const end = lastAddress(p);
  for (let k = lo; k < set.length; k++) {
    const m = set[k]!;
    if (cmpRange(m.family, first(m), p.family, end) > 0) break;
    out.push(m);
  }
  return out;
}

function subtract(p: Prefix, holes: Prefix[], out: Prefix[]): void {
  if (holes.length === 0) {
    out.push(p);
    return;
  }
  if (holes.some((h) => h.length <= p.length)) return; // a hole covers all of p
  const bits = BITS[p.family];
  const half = 1n << BigInt(bits - p.length - 1);
  const left: Prefix = { family: p.family, value: p.value, length: p.length + 1 };
  const right: Prefix = { family: p.family, value: p.value + half, length: p.length + 1 };
  const rightStart = right.value;
  subtract(
    left,
    holes.filter((h) => h.value < rightStart),
    out,
  );
  subtract(
    right,
    holes.filter((h) => h.value >= rightStart),
    out,
  );
}

export function union(...sets: PrefixSet[]): Prefix[] {
  return normalize(sets.flat());
}

/** Every address of the families present in `families` except those in `set`. */
export function complement(set: PrefixSet, families: readonly Family[] = [4, 6]): Prefix[] {
  return difference(
    families.map((f) => universe(f)),
    set,
  );
}

export function isEmpty(set: PrefixSet): boolean {
  return set.length === 0;
}

export function familiesOf(set: PrefixSet): Family[] {
  const fams = new Set(set.map((p) => p.family));
  return ([4, 6] as Family[]).filter((f) => fams.has(f));
}

/** Whether `p` overlaps any member of the normalized `set`. */
export function overlapsAny(set: PrefixSet, p: Prefix): boolean {
  return overlapping(set, p).length > 0;
}
