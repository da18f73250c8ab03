// canonicalDevice (backends/canonical.ts) keeps a rule as it is, the very object, when its match
// would come out of prunedMatch the same (nothing pruned, each prefix list in order), and copies
// it otherwise; checked against the copy of every rule it replaces, over seeded rule lists whose
// matches are absent, empty, single-family, mixed, in order and out of order.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { DeviceModel, FilterRule, Match } from '../../compiler/model.js';
import { canonicalDevice, prunedMatch, sortPrefixes } from '../../backends/canonical.js';
import { gw1, rule } from './builder.js';

/** The rules as canonicalDevice gave them before: every rule copied with its pruned match. */
function referenceRules(rules: readonly FilterRule[]): FilterRule[] {
  return rules.flatMap((r) => {
    const match = prunedMatch(r.match);
    return match ? [{ ...r, match }] : [];
  });
}

/** Whether prunedMatch gives the match back as it is (same fields, same lists in the same order). */
const unchangedByPruning = (m: Match): boolean => JSON.stringify(prunedMatch(m)) === JSON.stringify(m);
/** IPv4 prefixes only: lists whose order is told in one pass (an IPv6 list is sorted, and so copied). */
const ipv4Only = (m: Match): boolean => ![...(m.sources ?? []), ...(m.destinations ?? [])].some((p) => p.includes(':'));

const v4 = fc.constantFrom('10.0.0.0/8', '10.1.0.0/16', '0.0.0.0/0', '192.168.1.0/24', '10.0.0.1/32', '9.0.0.0/8', '10.0.0.0/16');
const v6 = fc.constantFrom('::/0', '2001:db8::/32', 'fd00::/8', 'fe80::/10');
/** IPv4 lists in sortPrefixes' order (most read-back lists), or as generated. */
const v4List = fc
  .tuple(fc.uniqueArray(v4, { minLength: 1, maxLength: 5 }), fc.boolean())
  .map(([ps, sorted]) => (sorted ? sortPrefixes(ps) : ps));
const side = fc.oneof(
  fc.constant(undefined),
  fc.constant([] as string[]),
  v4List,
  v4List,
  fc.array(v6, { minLength: 1, maxLength: 3 }),
  fc.array(fc.oneof(v4, v6), { minLength: 1, maxLength: 5 }),
);
const match = fc
  .record({ sources: side, destinations: side, protocol: fc.option(fc.constantFrom(1, 6, 17), { nil: undefined }) })
  .map(({ sources, destinations, protocol }): Match => ({
    ...(sources ? { sources } : {}),
    ...(destinations ? { destinations } : {}),
    ...(protocol !== undefined ? { protocol } : {}),
  }));
const rules = fc
  .array(fc.tuple(match, fc.constantFrom('permit' as const, 'deny' as const)), { maxLength: 8 })
  .map((xs) => xs.map(([m, action], i) => rule(action, m, 10 + i, `r${i}`)));

function device(filterRules: FilterRule[], securityRules: FilterRule[]): DeviceModel {
  const d = gw1();
  return { ...d, filters: [{ name: 'F', defaultAction: 'deny', rules: filterRules }], securityRules };
}

describe('canonicalDevice rules', () => {
  it('equal the copies it made before, and are the very rules where nothing changes (seeded)', () => {
    let shared = 0;
    let copied = 0;
    fc.assert(
      fc.property(rules, rules, (filterRules, securityRules) => {
        const d = device(filterRules, securityRules);
        const before = JSON.stringify(d);
        const c = canonicalDevice(d);
        expect(c.filters[0]!.rules).toStrictEqual(referenceRules(filterRules));
        expect(c.securityRules).toStrictEqual(referenceRules(securityRules));
        for (const [given, out] of [
          [filterRules, c.filters[0]!.rules],
          [securityRules, c.securityRules],
        ] as const) {
          const kept = given.filter((r) => prunedMatch(r.match) !== undefined);
          kept.forEach((r, i) => {
            if (out[i] === r) {
              expect(unchangedByPruning(r.match)).toBe(true);
              shared++;
            } else {
              expect(unchangedByPruning(r.match) && ipv4Only(r.match)).toBe(false);
              expect(out[i]).not.toBe(r);
              expect(out[i]!.match).not.toBe(r.match);
              copied++;
            }
          });
          expect(out).not.toBe(given);
        }
        expect(JSON.stringify(d)).toBe(before); // the device given is left as it was
      }),
      { seed: 50, numRuns: 500 },
    );
    // both ways are taken, often
    expect(shared).toBeGreaterThan(300);
    expect(copied).toBeGreaterThan(300);
  });

  it('copies a match whose lists are out of order or lose a family, and drops one no packet satisfies', () => {
    const inOrder = rule('permit', { sources: ['10.0.0.0/8', '10.1.0.0/16'], destinations: ['192.168.1.0/24'], protocol: 6 }, 1, 'a');
    const outOfOrder = rule('permit', { sources: ['10.1.0.0/16', '10.0.0.0/8'] }, 2, 'b');
    const mixed = rule('deny', { sources: ['2001:db8::/32', '10.0.0.0/8'], destinations: ['10.1.0.0/16'] }, 3, 'c');
    const none = rule('deny', { sources: ['2001:db8::/32'], destinations: ['10.1.0.0/16'] }, 4, 'd');
    const anyAddress = rule('deny', { protocol: 17 }, 5, 'e');
    const c = canonicalDevice(device([inOrder, outOfOrder, mixed, none, anyAddress], [inOrder]));
    const [a, b, m, e] = c.filters[0]!.rules;
    expect(a).toBe(inOrder);
    expect(b!.match.sources).toEqual(['10.0.0.0/8', '10.1.0.0/16']);
    expect(outOfOrder.match.sources).toEqual(['10.1.0.0/16', '10.0.0.0/8']);
    expect(m!.match).toEqual({ sources: ['10.0.0.0/8'], destinations: ['10.1.0.0/16'] });
    expect(e).toBe(anyAddress);
    expect(c.filters[0]!.rules).toHaveLength(4);
    expect(c.securityRules[0]).toBe(inOrder);
  });
});
