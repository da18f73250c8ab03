// setup.sh's routes are written as the model lists them while each route's prefix orders after
// the one before (setup-render.ts `routeCommands`, by the order kept with each route frame), and
// from the sorted list otherwise. Held here to the lines the sorted list makes, route by route, on
// seeded lists in order and with one change each: two routes swapped, a prefix again (another
// distance, next hop or a discard), an IPv6 prefix, a prefix with host bits.

import { describe, expect, it } from 'vitest';
import { renderSetup, routesWrittenInOrder } from '../../backends/linux/setup-render.js';
import type { StaticRouteModel } from '../../compiler/model.js';
import type { Span } from '../../language/diagnostic.js';
import { prng } from '../verifier/random-networks.js';
import { gw1, network } from './builder.js';
import { expectedRouteLines, pick } from './setup-route-lines.js';

/** Distinct IPv4 prefixes in their sorted order, written canonically. */
function orderedPrefixes(rand: () => number, count: number): string[] {
  const out: string[] = [];
  let network = Math.floor(rand() * 64) * 256;
  for (let k = 0; k < count; k++) {
    network += (1 + Math.floor(rand() * 3)) * 256;
    const n = 0x0a000000 + network;
    out.push(`${n >>> 24}.${(n >>> 16) & 0xff}.${(n >>> 8) & 0xff}.0/24`);
  }
  return out;
}

function route(rand: () => number, prefix: string, offset: number): StaticRouteModel {
  const origin: Span = { file: 'net/main.plumb', start: { line: 3, column: 1, offset }, end: { line: 3, column: 9, offset: offset + 8 } };
  const r: StaticRouteModel = { prefix, origin };
  const kind = rand();
  if (kind < 0.1) r.discard = true;
  else {
    if (kind < 0.8) r.nextHop = pick(rand, ['10.255.0.6', '10.255.0.8']);
    if (kind > 0.4) r.interface = pick(rand, ['eth1', 'eth2']);
  }
  if (rand() < 0.3) r.distance = pick(rand, [5, 200]);
  return r;
}

/** The list with one change that leaves it out of setup.sh's order or with a prefix twice. */
function changed(rand: () => number, routes: StaticRouteModel[]): StaticRouteModel[] {
  const out = [...routes];
  const at = Math.floor(rand() * out.length);
  const r = out[at]!;
  switch (Math.floor(rand() * 5)) {
    case 0: // two routes swapped
      if (at + 1 < out.length) [out[at], out[at + 1]] = [out[at + 1]!, r];
      else [out[0], out[at]] = [r, out[0]!];
      break;
    case 1: // the prefix again, through another hop, another distance or as a discard
      out.splice(at + Math.floor(rand() * 2), 0, route(rand, r.prefix, 500 + at));
      break;
    case 2: { // the prefix again with the same distance and another hop: an ECMP route
      const first: StaticRouteModel = { prefix: r.prefix, nextHop: '10.255.0.6', interface: 'eth1', origin: r.origin };
      if (r.distance !== undefined) first.distance = r.distance;
      const origin = { ...r.origin, start: { ...r.origin.start, offset: 700 + at } };
      out.splice(at, 1, first, { ...first, nextHop: '10.255.0.9', interface: 'eth3', origin });
      break;
    }
    case 3: // an IPv6 prefix, which sorts after every IPv4 one
      out.splice(at, 0, route(rand, '2001:db8::/64', 800 + at));
      break;
    default: // a prefix with host bits: the same order as its network's
      out.splice(at + 1, 0, route(rand, r.prefix.replace(/\.0\/24$/, '.9/24'), 900 + at));
      break;
  }
  return out;
}

describe('setup.sh routes written in the model order', () => {
  it('are the sorted list\'s lines, in order and after one change', () => {
    const rand = prng(6421);
    const model = network([gw1()]);
    const bare = renderSetup({ ...gw1(), staticRoutes: [] }, model, { routes: true, routerIdComment: true }).split('\n');
    let inOrder = 0;
    let grouped = 0;
    for (let n = 0; n < 300; n++) {
      const count = 2 + Math.floor(rand() * 13);
      const routes = orderedPrefixes(rand, count).map((p, k) => route(rand, p, 10 * (n % 7) + k));
      const list = n % 2 === 0 ? routes : changed(rand, routes);
      const before = routesWrittenInOrder();
      const text = renderSetup({ ...gw1(), staticRoutes: list }, model, { routes: true, routerIdComment: true });
      const lines = expectedRouteLines(list);
      if (n % 2 === 0) {
        expect(routesWrittenInOrder() - before, `list ${n}`).toBe(list.length);
        inOrder++;
      } else {
        expect(routesWrittenInOrder() - before, `list ${n}`).toBeLessThan(list.length);
      }
      grouped += lines.filter((l) => l.includes(' nexthop ')).length;
      expect(text.split('\n'), `list ${n}`).toEqual([...bare.slice(0, -2), ...lines, 'PLUMB_EOF', '']);
    }
    expect(inOrder).toBe(150);
    expect(grouped).toBeGreaterThan(10);
  });
});
