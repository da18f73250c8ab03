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

  it('throw on an invalid prefix, as parsing it in the comparator did', () => {
    expect(() => sortPrefixes(['10.0.0.0/8', 'nonsense'])).toThrow(/invalid prefix/);
    expect(sortPrefixes(['nonsense'])).toEqual(['nonsense']);
  });
});
