// The IOS-XE renderer keeps what its static routes repeat (render-routes.ts): each route's
// annotation line by its origin span, across devices; each IPv4 destination's `ip route A M`,
// across devices; the last route's tail (Null0, interface, next hop, distance). Held here to the
// lines made afresh for every route, as the renderer made them before, on seeded sequences of
// routes: spans shared, repeated by value, changed in place; tails of every form; the same
// destinations on several devices.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { StaticRouteModel } from '../../compiler/model.js';
import type { Span } from '../../language/diagnostic.js';
import { formatIPv4, formatIPv6, formatPrefix, network, parseAddress, prefixOf } from '../../language/address.js';
import { formatOriginTag } from '../../backends/origin-tag.js';
import { linkLocalText, staticRouteLines, type Family } from '../../backends/cisco-iosxe/render-routes.js';
import { dottedMask, isLinkLocal, NULL_INTERFACE } from '../../backends/cisco-iosxe/syntax.js';
import { edgeRouter } from './vendor-fixtures.js';

/** Whether an address is IPv6 link-local, by parsing it (isLinkLocal before its IPv4 shortcut). */
function parsedLinkLocal(address: string): boolean {
  const a = parseAddress(address);
  return a !== undefined && a.family === 6 && a.value >> 118n === 0x3fan;
}

/** Each family's route lines, every piece made for every route. */
function fresh(routes: readonly StaticRouteModel[]): Partial<Record<Family, string>> {
  const out: Partial<Record<Family, string[]>> = {};
  for (const r of routes) {
    const p = prefixOf(r.prefix);
    const n = network(p);
    let text = p.family === 4 ? `ip route ${formatIPv4(n.value)} ${dottedMask(n.length)}` : `ipv6 route ${formatIPv6(n.value)}/${n.length}`;
    if (r.discard) text += ` ${NULL_INTERFACE}`;
    if (r.interface !== undefined) text += ` ${r.interface}`;
    if (r.nextHop !== undefined) text += ` ${parsedLinkLocal(r.nextHop) ? linkLocalText(r.nextHop) : r.nextHop}`;
    if (r.distance !== undefined) text += ` ${r.distance}`;
    (out[p.family] ??= []).push(`! plumb route origin ${formatOriginTag(r.origin)}`, text);
  }
  const texts: Partial<Record<Family, string>> = {};
  for (const f of [4, 6] as const) if (out[f]) texts[f] = [...out[f], '!'].join('\n');
  return texts;
}

const kept = (routes: StaticRouteModel[]): Partial<Record<Family, string>> => {
  const d = edgeRouter();
  d.staticRoutes = routes;
  const parts = staticRouteLines(d);
  const texts: Partial<Record<Family, string>> = {};
  for (const f of [4, 6] as const) if (parts[f]) texts[f] = parts[f].join('\n');
  return texts;
};

const spanOf = (file: string, offset: number, endOffset: number, line: number, column: number): Span => ({
  file,
  start: { line, column, offset },
  end: { line, column: column + 9, offset: endOffset },
});

// few values of each, so that spans, destinations and tails repeat
const span = fc
  .tuple(fc.constantFrom('a.plumb', 'b dir/a.plumb'), fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 2 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 2 }))
  .map(([file, o, e, line, column]) => spanOf(file, o, o + e, line, column));
const prefix = fc.oneof(
  fc.constantFrom('10.0.0.0/24', '10.0.1.0/24', '0.0.0.0/0', '10.1.2.3/24', '10.0.0.0/8', '192.168.7.9/32', '10.0.0.0/16'),
  fc.tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 32 }), fc.boolean()).map(([v, len, net]) => {
    const p = { family: 4 as const, value: BigInt(v), length: len };
    return formatPrefix(net ? network(p) : p);
  }),
  fc.constantFrom('2001:db8::/32', '2001:db8:0:1::/64', '::/0', '2001:db8::7/48'),
);
const route: fc.Arbitrary<Omit<StaticRouteModel, 'origin'>> = fc
  .record(
    {
      prefix,
      discard: fc.constant(true as const),
      interface: fc.constantFrom('GigabitEthernet2', 'GigabitEthernet3', 'Tunnel1'),
      nextHop: fc.constantFrom('100.64.1.152', '100.64.1.153', 'fe80::2', 'FE80::a', '2001:db8::1', 'fe81::1'),
      distance: fc.constantFrom(1, 2, 250),
    },
    { requiredKeys: ['prefix'] },
  )
  .map((r) => (r.discard ? { prefix: r.prefix, discard: r.discard, distance: r.distance } : { ...r, discard: undefined }))
  .map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)) as Omit<StaticRouteModel, 'origin'>);

describe('IOS-XE static route lines kept across routes and devices', () => {
  it('are the lines made afresh for every route (seeded)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.tuple(route, fc.nat(5), span, fc.boolean()), { maxLength: 14 }), { minLength: 1, maxLength: 4 }),
        (devices) => {
          // a few span objects shared by the routes of every device, as the model's are
          const shared: Span[] = Array.from({ length: 6 }, (_, i) => spanOf('a.plumb', i, i + 1, 1, 1));
          for (const routes of devices) {
            const rs: StaticRouteModel[] = routes.map(([r, k, own, useOwn]) => ({ ...r, origin: useOwn ? own : shared[k]! }));
            expect(kept(rs)).toEqual(fresh(rs));
            // a shared span changed in place between devices is written with its new values
            shared[devices.length % 6] = spanOf('a.plumb', 3, 5, 2, 2);
            shared[1]!.end.column += 1;
          }
        },
      ),
      { seed: 42, numRuns: 1500 },
    );
  });

  it('write a router with one tail and thousands of routes as made afresh', () => {
    const routes: StaticRouteModel[] = Array.from({ length: 3000 }, (_, i) => ({
      prefix: `10.${i >> 8}.${i & 255}.0/24`,
      interface: 'GigabitEthernet2',
      nextHop: '100.64.1.152',
      origin: spanOf('net.plumb', 1000 + i, 1050 + i, 10 + i, 3),
    }));
    expect(kept(routes)).toEqual(fresh(routes));
    // the same destinations on a second router, with other spans, tails and distances
    const second = routes.map((r, i) => ({ ...r, nextHop: i % 7 === 0 ? 'fe80::9' : '100.64.1.153', distance: i % 3 === 0 ? 5 : undefined, origin: spanOf('net.plumb', 1000 + i, 1051 + i, 10 + i, 3) }));
    const clean = second.map((r) => (r.distance === undefined ? { prefix: r.prefix, interface: r.interface, nextHop: r.nextHop, origin: r.origin } : r));
    expect(kept(clean)).toEqual(fresh(clean));
  });

  it('tell IPv4 next hops from link-local ones as the parse does', () => {
    for (const a of ['100.64.1.152', '0.0.0.0', 'fe80::1', 'FE80::1', 'febf::1', 'fec0::1', '::1', 'x', '', '1.2.3', 'fe80::1.2.3.4']) {
      expect(isLinkLocal(a)).toBe(parsedLinkLocal(a));
    }
  });
});
