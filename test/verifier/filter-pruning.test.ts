// A filter's function in a query leaves out the rules that cannot match the query's addresses
// (smt.ts, firstMatchFormula with an address space): each rule's prefixes are read once and
// compared with the space's sources and destinations, by family.

import { describe, expect, it } from 'vitest';
import type { FilterRule } from '../../compiler/model.js';
import { prefixesToSet, prefixRange, type IntervalSet } from '../../verifier/intervals.js';
import { FORWARD } from '../../verifier/queries.js';
import { rulesMeeting, type AddressSpace } from '../../verifier/rule-pruning.js';
import { firstMatchFormula } from '../../verifier/smt.js';
import { prng } from './random-networks.js';

const rule = (action: 'permit' | 'deny', sources?: string[], destinations?: string[], protocol = 6): FilterRule =>
  ({ action, match: { ...(sources ? { sources } : {}), ...(destinations ? { destinations } : {}), protocol } }) as FilterRule;

describe('filter pruning by the query address space', () => {
  it('keeps exactly the rules whose prefixes touch the space, by family', () => {
    const rules = [
      rule('deny', ['10.9.0.0/16']), // source outside
      rule('permit', ['10.1.2.0/24'], ['10.2.0.0/16'], 17), // touches both
      rule('permit', undefined, ['10.3.0.0/24']), // destination outside
      rule('deny', ['2001:db8::/32']), // another family
      rule('permit', ['10.9.0.0/16', '10.1.0.0/16'], undefined, 1), // one of its sources touches
      rule('deny', undefined, undefined, 47), // no prefixes: always kept
    ];
    const space = { src: prefixesToSet(['10.1.2.128/25'], 4), dst: prefixesToSet(['10.2.3.0/24'], 4) };
    const pruned = firstMatchFormula(rules, 'deny', FORWARD, 4, undefined, undefined, space);
    const kept = firstMatchFormula([rules[1]!, rules[4]!, rules[5]!], 'deny', FORWARD, 4);
    expect(pruned).toBe(kept);
    // Without a space nothing is left out but the other family's rule.
    expect(firstMatchFormula(rules, 'deny', FORWARD, 4)).toBe(firstMatchFormula(rules.filter((_, k) => k !== 3), 'deny', FORWARD, 4));
    // The same rule objects pruned against another space (the ranges are read once per rule).
    const other = { src: prefixesToSet(['10.9.1.0/24'], 4), dst: prefixesToSet(['10.3.0.0/24'], 4) };
    expect(firstMatchFormula(rules, 'deny', FORWARD, 4, undefined, undefined, other)).toBe(firstMatchFormula([rules[0]!, rules[2]!, rules[4]!, rules[5]!], 'deny', FORWARD, 4));
    // The same list in the other family (its rules' bounds are kept per family): only the IPv6
    // rule and the rule without prefixes can match.
    const v6 = { src: prefixesToSet(['2001:db8:1::/48'], 6), dst: prefixesToSet(['2001:db8:2::/48'], 6) };
    expect(firstMatchFormula(rules, 'deny', FORWARD, 6, undefined, undefined, v6)).toBe(firstMatchFormula([rules[3]!, rules[5]!], 'deny', FORWARD, 6));
    // And back in IPv4: the first space's pruning again.
    expect(firstMatchFormula(rules, 'deny', FORWARD, 4, undefined, undefined, space)).toBe(kept);
  });
});

describe('the rules that meet a space, found by the destination index', () => {
  /** The scan the index replaced: every rule, each side's ranges against the space. */
  function scanned(rules: readonly FilterRule[], family: 4 | 6, space: AddressSpace): number[] {
    const meets = (prefixes: readonly string[] | undefined, set: IntervalSet): boolean =>
      prefixes === undefined ||
      prefixes.some((t) => {
        const [f, lo, hi] = prefixRange(t);
        return f === family && set.some(([l, h]) => l <= hi && h >= lo);
      });
    return rules.flatMap((r, k) => (meets(r.match.sources, space.src) && meets(r.match.destinations, space.dst) ? [k] : []));
  }

  it('keeps exactly the rules a scan keeps, in order, on seeded random lists and spaces', () => {
    const rnd = prng(0x2f6e2b1);
    const pick = (n: number): number => Math.floor(rnd() * n);
    // Nested and overlapping prefixes in a small range, so that ranges hold each other and the spaces' bounds.
    const prefix4 = (): string => {
      const len = 8 + pick(25);
      return `10.${pick(4)}.${pick(8)}.${pick(256)}/${len}`;
    };
    const prefix6 = (): string => `2001:db8:${pick(4).toString(16)}:${pick(8).toString(16)}::${pick(64).toString(16)}/${32 + pick(97)}`;
    const prefixes = (): string[] | undefined => (rnd() < 0.2 ? undefined : Array.from({ length: 1 + pick(3) }, () => (rnd() < 0.2 ? prefix6() : prefix4())));
    const set = (family: 4 | 6): IntervalSet => {
      const texts = Array.from({ length: 1 + pick(3) }, () => (family === 4 ? prefix4() : prefix6()));
      const whole = prefixesToSet(texts, family);
      // Unaligned bounds too: a space is any interval set, not only prefixes.
      return whole.map(([lo, hi]) => (hi - lo > 4n && rnd() < 0.5 ? [lo + 1n, hi - 2n] : [lo, hi]) as [bigint, bigint]);
    };
    let kept = 0;
    let total = 0;
    for (let round = 0; round < 300; round++) {
      const rules = Array.from({ length: pick(60) }, () => rule(rnd() < 0.5 ? 'permit' : 'deny', prefixes(), prefixes()));
      for (const family of [4, 6] as const) {
        for (let q = 0; q < 4; q++) {
          const space = { src: rnd() < 0.1 ? [] : set(family), dst: rnd() < 0.1 ? [] : set(family) };
          const expected = scanned(rules, family, space);
          expect(rulesMeeting(rules, family, space), `round ${round}`).toEqual(expected);
          kept += expected.length;
          total += rules.length;
        }
      }
    }
    // A space interval that ends where a rule's range starts, and one that starts where it ends.
    const edge = [rule('permit', undefined, ['10.0.0.8/30']), rule('deny', undefined, ['10.0.0.0/29'])];
    const at = (lo: number, hi: number): AddressSpace => ({ src: [[0n, (1n << 32n) - 1n]], dst: [[BigInt(0x0a000000 + lo), BigInt(0x0a000000 + hi)]] });
    expect(rulesMeeting(edge, 4, at(5, 8))).toEqual([0, 1]);
    expect(rulesMeeting(edge, 4, at(11, 20))).toEqual([0]);
    expect(rulesMeeting(edge, 4, at(12, 20))).toEqual([]);
    // Neither all nor none kept, or the comparison proves little.
    expect(kept).toBeGreaterThan(total / 20);
    expect(kept).toBeLessThan(total / 2);
  });
});
