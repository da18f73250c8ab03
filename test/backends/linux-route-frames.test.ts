// setup.sh's one-hop routes are written from frames kept across devices by their origin's start
// offset (setup-render.ts `RouteFrames`): a frame must serve only a route of the same prefix and an
// origin of the same values, whatever other devices rendered before and however their origins
// share start offsets, objects or prefixes. Each route's two lines are held to the lines made afresh.

import { describe, expect, it } from 'vitest';
import { renderSetup } from '../../backends/linux/setup-render.js';
import { formatOriginTag } from '../../backends/origin-tag.js';
import type { StaticRouteModel } from '../../compiler/model.js';
import type { Span } from '../../language/diagnostic.js';
import { prng } from '../verifier/random-networks.js';
import { gw1, network } from './builder.js';

const pick = <T>(rand: () => number, xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

/** Spans of few start offsets, so that most of them meet a frame of other values there. */
function spanPool(rand: () => number): Span[] {
  const pool: Span[] = [];
  for (let k = 0; k < 12; k++) {
    const start = pick(rand, [10, 20, 30]);
    pool.push({
      file: pick(rand, ['net/main.plumb', 'net/other.plumb', 'a b.plumb']),
      start: { line: 1 + Math.floor(rand() * 3), column: 1 + Math.floor(rand() * 3), offset: start },
      end: { line: 1 + Math.floor(rand() * 3), column: 1 + Math.floor(rand() * 3), offset: start + pick(rand, [5, 6]) },
    });
  }
  return pool;
}

/** The route lines of setup.sh as each route's own values make them. */
function expectedLines(routes: readonly StaticRouteModel[]): string[] {
  return routes.flatMap((r) => {
    const hop = `${r.nextHop !== undefined ? ` via ${r.nextHop}` : ''}${r.interface !== undefined ? ` dev ${r.interface}` : ''}`;
    const metric = r.distance !== undefined ? ` metric ${r.distance}` : '';
    return [`# route ${r.prefix}${hop} @ ${formatOriginTag(r.origin)}`, `route replace ${r.prefix}${hop}${metric}`];
  });
}

describe('setup.sh route frames kept across devices', () => {
  it('write every route with its own prefix and origin, on seeded devices sharing offsets and objects', () => {
    const rand = prng(4311);
    const pool = spanPool(rand);
    for (let n = 0; n < 400; n++) {
      const routes: StaticRouteModel[] = [];
      const count = 1 + Math.floor(rand() * 10);
      for (let k = 0; k < count; k++) {
        // a shared object, a copy of one (same values, another object) or one changed in place
        let origin = pick(rand, pool);
        if (rand() < 0.2) origin = { file: origin.file, start: { ...origin.start }, end: { ...origin.end } };
        if (rand() < 0.05) {
          const changed = pick(rand, pool);
          changed.start.line = 1 + Math.floor(rand() * 3);
          changed.end.column = 1 + Math.floor(rand() * 3);
        }
        const route: StaticRouteModel = { prefix: `10.${k}.${pick(rand, [0, 1])}.0/24`, nextHop: pick(rand, ['192.0.2.1', '192.0.2.2']), interface: 'eth1', origin };
        if (rand() < 0.1) route.distance = 5;
        routes.push(route);
      }
      const device = { ...gw1(), staticRoutes: routes };
      const text = renderSetup(device, network([device]), { routes: true, routerIdComment: true });
      const lines = text.split('\n').filter((l) => l.startsWith('# route ') || l.startsWith('route replace '));
      expect(lines).toEqual(expectedLines(routes));
    }
  });

  it('tells two prefixes of one origin apart', () => {
    const origin: Span = { file: 'n.plumb', start: { line: 2, column: 1, offset: 7 }, end: { line: 2, column: 9, offset: 15 } };
    for (const prefixes of [['10.0.0.0/24', '2001:db8::/64'], ['10.0.0.0/24'], ['2001:db8::/64'], ['10.0.0.0/24', '2001:db8::/64']]) {
      const routes: StaticRouteModel[] = prefixes.map((prefix) => ({ prefix, interface: 'eth1', origin }));
      const device = { ...gw1(), staticRoutes: routes };
      const text = renderSetup(device, network([device]), { routes: true, routerIdComment: true });
      expect(text.split('\n').filter((l) => l.startsWith('# route ') || l.startsWith('route replace '))).toEqual(expectedLines(routes));
    }
  });
});
