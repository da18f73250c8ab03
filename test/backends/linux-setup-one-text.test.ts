// setup.sh is built as one text (setup-render.ts): the lines above the routes joined, then every
// route line appended piece by piece, each starting with its line break, then the batch's end.
// Held here to the file as lines: the lines of the same device without routes, then each route's
// lines as its own values make them (one-hop, ECMP, discard, with and without a metric), then
// `PLUMB_EOF` and a last line break, on seeded devices.

import { describe, expect, it } from 'vitest';
import { renderSetup } from '../../backends/linux/setup-render.js';
import type { StaticRouteModel } from '../../compiler/model.js';
import type { Span } from '../../language/diagnostic.js';
import { prng } from '../verifier/random-networks.js';
import { gw1, network } from './builder.js';
import { expectedRouteLines, pick } from './setup-route-lines.js';

describe('setup.sh as one text', () => {
  it('is the lines without routes, the route lines, then the batch end', () => {
    const rand = prng(5807);
    let ecmp = 0;
    let discards = 0;
    for (let n = 0; n < 300; n++) {
      const routes: StaticRouteModel[] = [];
      const count = Math.floor(rand() * 12);
      for (let k = 0; k < count; k++) {
        const offset = Math.floor(rand() * 40);
        const origin: Span = { file: pick(rand, ['net/main.plumb', 'a b.plumb']), start: { line: 2, column: 1, offset }, end: { line: 2, column: 9, offset: offset + 8 } };
        const route: StaticRouteModel = { prefix: pick(rand, ['10.0.0.0/24', '10.1.0.0/16', '2001:db8::/64', '0.0.0.0/0']), origin };
        const kind = rand();
        if (kind < 0.1) route.discard = true;
        else {
          if (kind < 0.8) route.nextHop = pick(rand, ['10.255.0.6', '10.255.0.8']);
          if (kind > 0.4) route.interface = pick(rand, ['eth1', 'eth2']);
        }
        if (rand() < 0.3) route.distance = pick(rand, [5, 200]);
        routes.push(route);
      }
      const device = { ...gw1(), staticRoutes: routes };
      const model = network([device]);
      const text = renderSetup(device, model, { routes: true, routerIdComment: true });
      const bare = renderSetup({ ...device, staticRoutes: [] }, model, { routes: true, routerIdComment: true }).split('\n');
      expect(bare.slice(-2)).toEqual(['PLUMB_EOF', '']);
      const routeLines = expectedRouteLines(routes);
      ecmp += routeLines.filter((l) => l.includes(' nexthop ')).length;
      discards += routeLines.filter((l) => l.startsWith('route replace blackhole')).length;
      expect(text.split('\n'), `device ${n}`).toEqual([...bare.slice(0, -2), ...routeLines, 'PLUMB_EOF', '']);
    }
    expect(ecmp).toBeGreaterThan(50);
    expect(discards).toBeGreaterThan(50);
  });

  it('ends the same way without routes, and for frr without kernel routes', () => {
    const device = { ...gw1(), staticRoutes: [] };
    const model = network([device]);
    for (const routes of [true, false]) {
      const text = renderSetup(device, model, { routes, routerIdComment: true });
      expect(text.endsWith('\nPLUMB_EOF\n')).toBe(true);
      expect(text.split('\n').filter((l) => l === 'PLUMB_EOF')).toHaveLength(1);
    }
  });
});
