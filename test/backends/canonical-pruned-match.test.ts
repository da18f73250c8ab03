// prunedMatch (backends/canonical.ts) tells each side's address families in one pass and filters
// a side only when it has a family the other side lacks; checked against the family-by-family
// filter it replaces, over seeded matches with absent, empty, single-family and mixed sides.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Match } from '../../compiler/model.js';
import { prunedMatch, sortPrefixes } from '../../backends/canonical.js';

/** The previous prunedMatch: each family kept when both sides have it (an absent side has all). */
function referencePruned(match: Match): Match | undefined {
  const fam = (p: string): 4 | 6 => (p.includes(':') ? 6 : 4);
  const families = ([4, 6] as const).filter(
    (f) => (match.sources?.some((p) => fam(p) === f) ?? true) && (match.destinations?.some((p) => fam(p) === f) ?? true),
  );
  if (families.length === 0) return undefined;
  const out: Match = { ...match };
  if (match.sources) out.sources = sortPrefixes(match.sources.filter((p) => families.includes(fam(p))));
  if (match.destinations) out.destinations = sortPrefixes(match.destinations.filter((p) => families.includes(fam(p))));
  return out;
}

const v4 = fc.constantFrom('10.0.0.0/8', '10.1.0.0/16', '0.0.0.0/0', '192.168.1.0/24', '10.0.0.1/32', '9.0.0.0/8');
const v6 = fc.constantFrom('::/0', '2001:db8::/32', 'fd00::/8', '2001:db8:1::/48', 'fe80::/10');
/** A side: absent, empty, IPv4 only, IPv6 only or mixed, in any order. */
const side = fc.oneof(
  fc.constant(undefined),
  fc.constant([] as string[]),
  fc.array(v4, { minLength: 1, maxLength: 6 }),
  fc.array(v6, { minLength: 1, maxLength: 6 }),
  fc.array(fc.oneof(v4, v6), { minLength: 1, maxLength: 8 }),
);
const match = fc
  .record({ sources: side, destinations: side, protocol: fc.option(fc.constantFrom(1, 6, 17, 58), { nil: undefined }) })
  .map(({ sources, destinations, protocol }): Match => ({
    ...(sources ? { sources } : {}),
    ...(destinations ? { destinations } : {}),
    ...(protocol !== undefined ? { protocol } : {}),
  }));

describe('prunedMatch', () => {
  it('keeps and sorts what the family-by-family filter keeps (seeded)', () => {
    fc.assert(
      fc.property(match, (m) => {
        const before = JSON.stringify(m);
        const pruned = prunedMatch(m);
        expect(pruned).toEqual(referencePruned(m));
        if (pruned?.sources) expect(pruned.sources).not.toBe(m.sources);
        if (pruned?.destinations) expect(pruned.destinations).not.toBe(m.destinations);
        expect(JSON.stringify(m)).toBe(before); // the match given is left as it was
      }),
      { seed: 43, numRuns: 4000 },
    );
  });

  it('drops the family one side lacks, and a match no packet satisfies', () => {
    expect(prunedMatch({ sources: ['2001:db8::/32', '10.0.0.0/8'], destinations: ['10.1.0.0/16'] })).toEqual({
      sources: ['10.0.0.0/8'],
      destinations: ['10.1.0.0/16'],
    });
    expect(prunedMatch({ sources: ['10.0.0.0/8'], destinations: ['fd00::/8', '10.1.0.0/16', '::/0'] })).toEqual({
      sources: ['10.0.0.0/8'],
      destinations: ['10.1.0.0/16'],
    });
    expect(prunedMatch({ sources: ['2001:db8::/32'], destinations: ['10.1.0.0/16'] })).toBeUndefined();
    expect(prunedMatch({ sources: [], protocol: 6 })).toBeUndefined();
    expect(prunedMatch({ destinations: ['fd00::/8', '10.0.0.0/8'] })).toEqual({ destinations: ['10.0.0.0/8', 'fd00::/8'] });
  });
});
