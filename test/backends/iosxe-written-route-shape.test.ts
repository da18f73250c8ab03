// A static route read in place (read-written.ts) is made by one object literal per shape
// (`writtenRoute`), not by properties added one by one as the line-by-line reader (read.ts
// staticRoute) adds them. Held here to that reader for every shape Plumb writes: the same
// properties, the same values, in the same order (JSON text compared, before any sorting).

import { describe, expect, it } from 'vitest';
import type { StaticRouteModel } from '../../compiler/model.js';
import { lexSections } from '../../backends/cisco-iosxe/lines.js';
import { readIosxe } from '../../backends/cisco-iosxe/read.js';
import { isTakenRoute, WrittenReader, writtenRoute } from '../../backends/cisco-iosxe/read-written.js';
import { ciscoIosxeBackend as ios } from '../../backends/cisco-iosxe/index.js';
import { contextOf, edgeRouter, networkOf } from './vendor-fixtures.js';

/** The route as staticRoute builds it: `{ prefix, origin }`, then each part present, in its order. */
function addedOneByOne(prefix: string, origin: StaticRouteModel['origin'], iface: string | undefined, hop: string | undefined, distance: number): StaticRouteModel {
  const route: StaticRouteModel = { prefix, origin: undefined as unknown as StaticRouteModel['origin'] };
  if (iface !== undefined) route.interface = iface;
  if (hop !== undefined) route.nextHop = hop;
  if (distance > 0) route.distance = distance;
  route.origin = origin;
  return route;
}

const SHAPES: [string | undefined, string | undefined, number][] = [
  ['GigabitEthernet1', '10.255.0.1', -1],
  ['GigabitEthernet1', undefined, -1],
  [undefined, '10.255.0.1', -1],
  ['GigabitEthernet1', '10.255.0.1', 7],
  ['GigabitEthernet1', undefined, 200],
  [undefined, '10.255.0.1', 255],
];

describe('IOS-XE routes read in place, made whole', () => {
  const origin = edgeRouter().staticRoutes[0]!.origin;

  it('give every shape the properties, values and order staticRoute gives', () => {
    for (const [iface, hop, distance] of SHAPES) {
      expect(JSON.stringify(writtenRoute('10.1.0.0/16', origin, iface, hop, distance))).toBe(JSON.stringify(addedOneByOne('10.1.0.0/16', origin, iface, hop, distance)));
    }
  });

  it('read a rendered router of every shape as the line-by-line reader does, before and after sorting', () => {
    const d = edgeRouter();
    const at = d.staticRoutes[0]!.origin;
    const span = (i: number): typeof at => ({ ...at, start: { ...at.start, offset: 1000 + i }, end: { ...at.end, offset: 1009 + i } });
    d.staticRoutes = [
      ...d.staticRoutes,
      ...SHAPES.map(([iface, hop, distance], i) => addedOneByOne(`10.${210 + i}.0.0/16`, span(i), iface, hop, distance)),
    ];
    const content = ios.render(d, networkOf([d]))[0]!.content;
    // each route as lexSections takes it, in the file's order, against the model's in staticRoute's order (the renderer writes them in order)
    const taken = lexSections('edge1.cfg', content, new WrittenReader('edge1.cfg')).items.filter(isTakenRoute);
    const written = d.staticRoutes.filter((r) => !r.prefix.includes(':') && !r.discard).map((r) => addedOneByOne(r.prefix, r.origin, r.interface, r.nextHop, r.distance ?? -1));
    expect(taken.map((r) => JSON.stringify(r))).toEqual(written.map((r) => JSON.stringify(r)));
    const files = [{ path: 'edge1.cfg', content }];
    const inPlace = JSON.stringify(readIosxe(files, contextOf(d), { inPlace: true }));
    expect(inPlace).toBe(JSON.stringify(readIosxe(files, contextOf(d), { inPlace: false })));
    expect(JSON.parse(inPlace).diagnostics).toEqual([]);
  });
});
