// converge() numbers every prefix once for all devices and fills each RIB by number; a router's
// static routes share their resolved next hops, and the prefixes routed over one hop alone share
// its one-hop list. These cases hold what that must not change: a prefix's equal-cost static
// routes leave the lists of the other prefixes over the same hop alone, a discard route still
// beats or loses to next-hop routes by distance, and texts of the same prefix keep the order
// each device's RIB first had them, not the order the convergence first met them.

import { describe, expect, it } from 'vitest';
import { converge } from '../../compiler/routing.js';
import { iface, router, span } from './read-back-devices.js';

const s = (prefix: string, nextHop: string | undefined, extra: { interface?: string; distance?: number; discard?: true } = {}) => ({
  prefix,
  ...(nextHop ? { nextHop } : {}),
  origin: span,
  ...extra,
});

describe('converge by prefix number', () => {
  it('keeps the one-hop list of a prefix when another prefix over the same hop gains an equal-cost hop', () => {
    const m = router('s.m', [iface('eth1', 'link', '10.0.0.0/31'), iface('eth2', 'link', '10.0.0.2/31')], {
      staticRoutes: [
        s('10.1.0.0/24', '10.0.0.1'),
        s('10.2.0.0/24', '10.0.0.1'),
        s('10.2.0.0/24', '10.0.0.3'),
        s('10.3.0.0/24', '10.0.0.1'),
        s('10.4.0.0/24', '10.0.0.3'),
        s('10.4.0.0/24', '10.0.0.1', { distance: 5 }),
        s('10.5.0.0/24', '10.0.0.1', { distance: 5 }),
        s('10.5.0.0/24', undefined, { discard: true, distance: 2 }),
        s('10.6.0.0/24', '10.0.0.1'),
        s('10.6.0.0/24', undefined, { discard: true, distance: 2 }),
      ],
    });
    const [x] = converge([m], { externals: [] });
    const hops = (prefix: string) => x!.fib.find((r) => r.prefix === prefix)?.nextHops;
    const h1 = { interface: 'eth1', address: '10.0.0.1' };
    const h3 = { interface: 'eth2', address: '10.0.0.3' };
    expect(hops('10.1.0.0/24')).toEqual([h1]);
    expect(hops('10.2.0.0/24')).toEqual([h1, h3]);
    expect(hops('10.3.0.0/24')).toEqual([h1]);
    expect(hops('10.4.0.0/24')).toEqual([h3]);
    expect(hops('10.5.0.0/24')).toEqual([]);
    expect(hops('10.6.0.0/24')).toEqual([h1]);
  });

  it('keeps texts of the same prefix in the order each RIB first had them', () => {
    // 2001:db8::/32 written two ways: a takes the long form first, b the short one.
    const v6 = (id: string, first: string, second: string) =>
      router(id, [iface('eth1', 'link', '2001:db8:ffff::/127', '10.0.0.0/31')], {
        staticRoutes: [s(first, '2001:db8:ffff::1'), s('10.9.0.0/16', '10.0.0.1'), s(second, '2001:db8:ffff::1'), s('2001:db7::/32', '2001:db8:ffff::1')],
      });
    const [a, b] = converge([v6('s.a', '2001:0db8::/32', '2001:db8::/32'), v6('s.b', '2001:db8::/32', '2001:0db8::/32')], { externals: [] });
    expect(a!.fib.map((r) => r.prefix)).toEqual(['10.0.0.0/31', '10.9.0.0/16', '2001:db7::/32', '2001:0db8::/32', '2001:db8::/32', '2001:db8:ffff::/127']);
    expect(b!.fib.map((r) => r.prefix)).toEqual(['10.0.0.0/31', '10.9.0.0/16', '2001:db7::/32', '2001:db8::/32', '2001:0db8::/32', '2001:db8:ffff::/127']);
  });
});
