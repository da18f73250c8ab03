// The canonical sorts key each item once; checked against the comparators they replace
// (prefixes and addresses parsed at every comparison), over seeded random routes and prefixes.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { StaticRouteModel } from '../../compiler/model.js';
import { compareAddressText, comparePrefixText, sortPrefixes, sortStaticRoutes } from '../../backends/canonical.js';

const span = { file: 'a.plumb', start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 2, offset: 1 } };
const prefix = fc.constantFrom('10.0.0.0/8', '10.0.0.0/16', '10.0.0.1/8', '10.1.0.0/16', '0.0.0.0/0', '192.168.1.0/24', '::/0', '2001:db8::/32', '2001:DB8::/32', '2001:db8::1/32', 'fd00::/8', '10.0.0.0/32');
const hop = fc.option(fc.constantFrom('10.0.0.1', '10.0.0.2', '9.255.255.255', 'fe80::1', 'FE80::1', '2001:db8::2', 'not-an-address', ''), { nil: undefined });
const route = fc.record(
  {
    prefix,
    nextHop: hop,
    interface: fc.option(fc.constantFrom('eth0', 'eth1', 'Gi1', 'Null0'), { nil: undefined }),
    distance: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
    discard: fc.option(fc.constant(true as const), { nil: undefined }),
    tag: fc.nat(),
  },
  { requiredKeys: ['prefix', 'tag'] },
).map(({ tag, ...r }): StaticRouteModel => ({ ...r, origin: { ...span, start: { ...span.start, offset: tag } } }));

// IPv4 in its written form only: lists of these that are already in order are recognised in one
// pass (backends/canonical.ts inOrder), which these lists exercise: sorted first, then perhaps
// one adjacent pair swapped.
const prefix4 = fc.constantFrom('10.0.0.0/8', '10.0.0.0/16', '10.0.0.1/8', '10.1.0.0/16', '0.0.0.0/0', '192.168.1.0/24', '10.0.0.0/32', '255.255.255.255/32', '128.0.0.0/1', '9.255.255.255/8');
const hop4 = fc.option(fc.constantFrom('10.0.0.1', '10.0.0.2', '10.0.0.2x', '9.0.0.0', '9.255.255.255', 'fe80::1', 'FE80::1', 'not-an-address', ''), { nil: undefined });
const route4 = fc.record(
  {
    prefix: prefix4,
    nextHop: hop4,
    interface: fc.option(fc.constantFrom('eth0', 'eth1', 'Gi1'), { nil: undefined }),
    distance: fc.option(fc.integer({ min: 1, max: 2 }), { nil: undefined }),
    discard: fc.option(fc.constant(true as const), { nil: undefined }),
  },
  { requiredKeys: ['prefix'] },
).map((r): StaticRouteModel => ({ ...r, origin: span }));

/** `items` put in `sort`'s order, then perhaps one adjacent pair swapped. */
function nearlySorted<T>(items: readonly T[], sort: (xs: readonly T[]) => T[], swapAt: number): T[] {
  const out = sort(items);
  if (swapAt + 1 < out.length) [out[swapAt], out[swapAt + 1]] = [out[swapAt + 1]!, out[swapAt]!];
  return out;
}

function referenceRoutes(routes: readonly StaticRouteModel[]): StaticRouteModel[] {
  return [...routes].sort(
    (a, b) =>
      comparePrefixText(a.prefix, b.prefix) ||
      (a.distance ?? -1) - (b.distance ?? -1) ||
      Number(b.discard === true) - Number(a.discard === true) ||
      compareAddressText(a.nextHop, b.nextHop) ||
      (a.interface === b.interface ? 0 : a.interface === undefined ? -1 : b.interface === undefined ? 1 : a.interface < b.interface ? -1 : 1),
  );
}

describe('canonical sorts', () => {
  it('sort static routes as the comparator does, stable for equal keys (seeded)', () => {
    fc.assert(
      fc.property(fc.array(route, { maxLength: 30 }), (routes) => {
        const sorted = sortStaticRoutes(routes);
        expect(sorted).toEqual(referenceRoutes(routes));
        // the same objects, in the reference's order (stability included)
        referenceRoutes(routes).forEach((r, i) => expect(sorted[i]).toBe(r));
        expect(sorted).not.toBe(routes);
      }),
      { seed: 34, numRuns: 2000 },
    );
  });

  it('sort prefixes as comparePrefixText does (seeded)', () => {
    fc.assert(
      fc.property(fc.array(prefix, { maxLength: 30 }), (prefixes) => {
        expect(sortPrefixes(prefixes)).toEqual([...prefixes].sort(comparePrefixText));
      }),
      { seed: 34, numRuns: 2000 },
    );
  });

  it('leave lists in order as they are and sort the others, routes and prefixes (seeded)', () => {
    fc.assert(
      fc.property(fc.array(route4, { maxLength: 30 }), fc.integer({ min: 0, max: 40 }), (items, swapAt) => {
        const routes = nearlySorted(items, referenceRoutes, swapAt);
        const sorted = sortStaticRoutes(routes);
        referenceRoutes(routes).forEach((r, i) => expect(sorted[i]).toBe(r));
        expect(sorted).toHaveLength(routes.length);
        expect(sorted).not.toBe(routes);
      }),
      { seed: 35, numRuns: 3000 },
    );
    fc.assert(
      fc.property(fc.array(prefix4, { maxLength: 30 }), fc.integer({ min: 0, max: 40 }), (items, swapAt) => {
        const prefixes = nearlySorted(items, (xs) => [...xs].sort(comparePrefixText), swapAt);
        const sorted = sortPrefixes(prefixes);
        expect(sorted).toEqual([...prefixes].sort(comparePrefixText));
        expect(sorted).not.toBe(prefixes);
      }),
      { seed: 35, numRuns: 3000 },
    );
  });

  it('throw on an invalid prefix, as parsing it in the comparator did', () => {
    expect(() => sortPrefixes(['10.0.0.0/8', 'nonsense'])).toThrow(/invalid prefix/);
    expect(sortPrefixes(['nonsense'])).toEqual(['nonsense']);
  });
});
