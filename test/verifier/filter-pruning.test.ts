// A filter's function in a query leaves out the rules that cannot match the query's addresses
// (smt.ts, firstMatchFormula with an address space): each rule's prefixes are read once and
// compared with the space's sources and destinations, by family.

import { describe, expect, it } from 'vitest';
import type { FilterRule } from '../../compiler/model.js';
import { prefixesToSet } from '../../verifier/intervals.js';
import { FORWARD } from '../../verifier/queries.js';
import { firstMatchFormula } from '../../verifier/smt.js';

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
