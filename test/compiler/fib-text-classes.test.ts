// `select` classes each FIB it makes by its list of prefix texts (FibTextLists in
// compiler/routing-rib.ts), and sameFibTexts compares two FIBs of one convergence by their
// classes instead of route by route. On seeded convergences (RIBs of a few shared patterns, one
// prefix more or less, texts of one prefix tied in each RIB's own order, lists of one length that
// differ) every answer must be the route-by-route one: for FIBs of one convergence, of two
// convergences numbered differently, of one whose lists all hash alike, and for copies made by
// hand; and a FIB must be what `select` gives without classing.

import { describe, expect, it } from 'vitest';
import type { RouteModel } from '../../compiler/model.js';
import { FibTextLists, PrefixNumbers, prefixOrder, Rib, sameFibTexts, sameTextsRouteByRoute, select } from '../../compiler/routing-rib.js';
import { address, random } from './urpf-seeds.js';
import { expectEqual } from '../expect-equal.js';

/** A prefix text; some IPv6 prefixes come in two spellings, which tie. */
function textOf(n: number): string {
  if (n % 7 === 3) return `2001:db8:${(n % 5).toString(16)}::/48`;
  if (n % 7 === 5) return `2001:0db8:000${(n % 5).toString(16)}::/48`;
  return `${address(n * 4)}/${22 + (n % 9)}`;
}

interface Convergence {
  fibs: RouteModel[][];
}

function converged(
  rnd: () => number,
  patterns: readonly number[][],
  devices: number,
  classed: boolean,
  check: (plain: RouteModel[], fib: RouteModel[]) => void,
  hashOf?: (ids: Int32Array, count: number) => number,
): Convergence {
  const numbers = new PrefixNumbers();
  // Numbered in an order of its own: two convergences give one text different numbers.
  const all = [...new Set(patterns.flat())].sort(() => rnd() - 0.5);
  for (const n of all) numbers.add(textOf(n));
  for (let extra = 0; extra < 3; extra++) numbers.add(textOf(1000 + extra));
  const order = prefixOrder(numbers);
  const lists = new FibTextLists(numbers.texts.length, hashOf);
  const fibs: RouteModel[][] = [];
  for (let d = 0; d < devices; d++) {
    let texts = patterns[Math.floor(rnd() * patterns.length)]!.map(textOf);
    const kind = rnd();
    if (kind < 0.15) texts = texts.slice(1);
    else if (kind < 0.3) texts = [...texts, textOf(1000 + Math.floor(rnd() * 3))];
    // Candidates in an order of the device's own (tied texts keep the order first had).
    const rib = new Rib(numbers.texts.length, order.anyTied);
    for (const t of [...texts].sort(() => rnd() - 0.5)) rib.push(numbers.get(t)!, { protocol: 'static', distance: 1, metric: 0, hops: [{ interface: `eth${d % 3}` }] });
    const fib = select(rib, numbers, order, classed ? lists : undefined);
    check(select(rib, numbers, order), fib);
    fibs.push(fib);
  }
  return { fibs };
}

describe('FIB text classes', () => {
  it('give the route-by-route answer of sameFibTexts, on seeded convergences', () => {
    let same = 0;
    let sameLengthDiffer = 0;
    for (let seed = 1; seed <= 150; seed++) {
      const rnd = random(seed);
      // A few patterns of one length (lists that differ only in their texts) and others.
      const length = 4 + Math.floor(rnd() * 6);
      const patterns = Array.from({ length: 2 + Math.floor(rnd() * 5) }, () => {
        const size = rnd() < 0.6 ? length : 2 + Math.floor(rnd() * 10);
        return [...new Set(Array.from({ length: size }, () => Math.floor(rnd() * 60)))];
      });
      const check = (plain: RouteModel[], fib: RouteModel[]) => expectEqual(fib, plain, `seed ${seed}`);
      const one = converged(rnd, patterns, 12, true, check);
      const two = converged(rnd, patterns, 12, true, check);
      // Every list of one hash: the lists themselves must tell them apart.
      const colliding = converged(rnd, patterns, 8, true, check, () => 7);
      const unclassed = converged(rnd, patterns, 4, false, check);
      const copies = one.fibs.slice(0, 4).map((fib) => fib.map((r) => ({ ...r })));
      const fibs = [...one.fibs, ...two.fibs, ...colliding.fibs, ...unclassed.fibs, ...copies];
      for (const a of fibs) {
        for (const b of fibs) {
          const expected = sameTextsRouteByRoute(a, b);
          // 240,000 pairs: vitest's expect (and the message) only for a pair that differs.
          const got = sameFibTexts(a, b);
          if (got !== expected) expect(got, `seed ${seed}: ${a.map((r) => r.prefix).join(' ')} | ${b.map((r) => r.prefix).join(' ')}`).toBe(expected);
          if (a !== b && expected) same++;
          if (!expected && a.length === b.length) sameLengthDiffer++;
        }
      }
    }
    // The cases that matter occur often: FIBs that share their texts, and lists of one length that differ.
    expect(same).toBeGreaterThan(10_000);
    expect(sameLengthDiffer).toBeGreaterThan(10_000);
  });
});
