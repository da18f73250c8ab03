// The IOS-XE reader keeps no sort key per route read in place: `RouteOrder` checks each route
// against the one before, and the routes are sorted (`sortedRoutes`, keys made from the routes'
// texts) only when one came out of order. Held here to the reader's order written out plainly
// (network, length, next hop, interface; ties kept in reading order), on seeded lists with ties
// at every level, and through the reader on a router whose routes are moved by hand.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { StaticRouteModel } from '../../compiler/model.js';
import { parseAddress, parsePrefix } from '../../language/address.js';
import { readIosxe } from '../../backends/cisco-iosxe/read.js';
import { RouteOrder, sortedRoutes } from '../../backends/cisco-iosxe/read-written.js';
import { ciscoIosxeBackend as ios } from '../../backends/cisco-iosxe/index.js';
import { contextOf, edgeRouter, networkOf } from './vendor-fixtures.js';

const SPAN = edgeRouter().staticRoutes[0]!.origin;

/** The reader's order, compared field by field from parsed texts. */
function readerOrder(a: StaticRouteModel, b: StaticRouteModel): number {
  const pa = parsePrefix(a.prefix)!;
  const pb = parsePrefix(b.prefix)!;
  const ha = a.nextHop === undefined ? -1 : parseAddress(a.nextHop)!.value;
  const hb = b.nextHop === undefined ? -1 : parseAddress(b.nextHop)!.value;
  if (pa.family !== pb.family) return pa.family - pb.family;
  if (pa.value !== pb.value) return pa.value < pb.value ? -1 : 1;
  if (pa.length !== pb.length) return pa.length - pb.length;
  if (ha !== hb) return ha < hb ? -1 : 1;
  const ia = a.interface ?? '';
  const ib = b.interface ?? '';
  return ia < ib ? -1 : ia > ib ? 1 : 0;
}

/** Routes from few values, so that every field ties often; each route its own origin offset. */
const routes = fc.array(
  fc.record({
    net: fc.constantFrom('10.0.0.0/8', '10.0.0.0/16', '10.1.0.0/16', '0.0.0.0/0', '192.168.1.0/24', '2001:db8::/32', '2001:db8::/48', '2001:db9::/32'),
    hop: fc.constantFrom(undefined, '10.255.0.1', '10.255.0.2', '9.0.0.1', '169.254.0.1'),
    iface: fc.constantFrom(undefined, 'GigabitEthernet1', 'GigabitEthernet2', 'Gi1'),
  }),
  { maxLength: 12 },
).map((rs) =>
  rs.map((r, i): StaticRouteModel => {
    const route: StaticRouteModel = { prefix: r.net, origin: { ...SPAN, start: { ...SPAN.start, offset: i } } };
    const v6 = r.net.includes(':');
    if (r.iface !== undefined || r.hop === undefined) route.interface = r.iface ?? 'GigabitEthernet1';
    if (r.hop !== undefined) route.nextHop = v6 ? `fe80::${r.hop.split('.')[3]}` : r.hop;
    return route;
  }),
);

describe('IOS-XE static routes in the reader\'s order', () => {
  it('are found ordered exactly when each IPv4 route is at or after the one before', () => {
    fc.assert(
      fc.property(routes, (rs) => {
        const v4 = rs.filter((r) => !r.prefix.includes(':'));
        const order = new RouteOrder();
        for (const r of v4) {
          const p = parsePrefix(r.prefix)!;
          order.next(Number(p.value), p.length, r.nextHop === undefined ? -1 : Number(parseAddress(r.nextHop)!.value), r.interface);
        }
        expect(order.ordered).toBe(v4.every((r, i) => i === 0 || readerOrder(v4[i - 1]!, r) <= 0));
      }),
      { seed: 4242, numRuns: 3000 },
    );
  });

  it('are sorted by network, length, next hop and interface, ties in their order', () => {
    fc.assert(
      fc.property(routes, (rs) => {
        const expected = rs.map((r, i) => ({ r, i })).sort((x, y) => readerOrder(x.r, y.r) || x.i - y.i).map((x) => x.r);
        expect(sortedRoutes(rs)).toEqual(expected);
      }),
      { seed: 4243, numRuns: 3000 },
    );
  });

  it('read from a router whose route lines were moved give the line-by-line reading', () => {
    const d = edgeRouter();
    d.staticRoutes = [
      { prefix: '10.10.0.0/16', interface: 'GigabitEthernet1', nextHop: '10.255.0.2', origin: { ...SPAN, start: { ...SPAN.start, offset: 500 } } },
      { prefix: '10.10.0.0/16', interface: 'GigabitEthernet1', nextHop: '10.255.0.1', origin: { ...SPAN, start: { ...SPAN.start, offset: 501 } } },
      { prefix: '10.9.0.0/16', interface: 'GigabitEthernet1', nextHop: '10.255.0.1', origin: { ...SPAN, start: { ...SPAN.start, offset: 502 } } },
      ...d.staticRoutes,
    ];
    const content = ios.render(d, networkOf([d]))[0]!.content;
    // the pairs of lines (annotation, route) in the file's order, and the file with them reversed
    const lines = content.split('\n');
    const pairs: number[] = lines.flatMap((l, k) => (l.startsWith('ip route ') ? [k - 1] : []));
    expect(pairs.length).toBeGreaterThan(3);
    const moved = [...lines];
    pairs.forEach((k, j) => {
      const from = pairs[pairs.length - 1 - j]!;
      moved[k] = lines[from]!;
      moved[k + 1] = lines[from + 1]!;
    });
    for (const text of [content, moved.join('\n')]) {
      const files = [{ path: 'edge1.cfg', content: text }];
      const inPlace = JSON.stringify(readIosxe(files, contextOf(d), { inPlace: true }));
      expect(inPlace).toBe(JSON.stringify(readIosxe(files, contextOf(d), { inPlace: false })));
    }
  });

  it('keep the reader\'s order where the canonical order ties after a subinterface takes its model name', () => {
    // GigabitEthernet3 (VLAN 30) is written as GigabitEthernet3.30; a route added by hand by the
    // bare parent's name ties with the written one once the reader renames the subinterface, and
    // only the reader's order (by the names as written) puts the hand-added one first
    const d = edgeRouter();
    d.staticRoutes = [{ prefix: '10.50.0.0/16', interface: 'GigabitEthernet3', nextHop: '203.0.113.1', origin: { ...SPAN, start: { ...SPAN.start, offset: 600 } } }];
    const content = ios.render(d, networkOf([d]))[0]!.content;
    const written = 'ip route 10.50.0.0 255.255.0.0 GigabitEthernet3.30 203.0.113.1';
    expect(content).toContain(written);
    // the hand-added route read in place, then line by line (two spaces): each way's routes alone are in order
    for (const gap of [' ', '  ']) {
      const edited = content.replace(written, `${written}\n! plumb route origin a.plumb:9:1-9:9 [700,708]\nip route 10.50.0.0 255.255.0.0${gap}GigabitEthernet3 203.0.113.1`);
      const files = [{ path: 'edge1.cfg', content: edited }];
      const inPlace = readIosxe(files, contextOf(d), { inPlace: true });
      expect(inPlace.device!.staticRoutes.map((r) => r.origin.start.offset)).toEqual([700, 600]);
      expect(JSON.stringify(inPlace)).toBe(JSON.stringify(readIosxe(files, contextOf(d), { inPlace: false })));
    }
  });
});
