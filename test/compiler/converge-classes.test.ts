// converge() computes an OSPF route once per advertisement class (the prefixes advertised by
// the same routers at the same costs) and sorts every table by prefix ranks shared by all
// devices. These cases hold what that must not change: a class's prefixes get the same route,
// a prefix in another class its own, intra-area beats external per prefix (not per class),
// unreachable classes get nothing, and the table's order is the order of prefixes.

import { describe, expect, it } from 'vitest';
import { converge } from '../../compiler/routing.js';
import { iface, ospf, router, span } from './read-back-devices.js';

describe('converge by advertisement class', () => {
  // a - b - c in a line (costs 1 and 5); c has three passive segments at cost 1 (one class) and
  // one at cost 2 (another class). b redistributes static routes: one to c's first segment
  // (also c's stub: intra-area must win there) and one to 10.7.0.0/24 (external only).
  const a = router('s.a', [iface('eth1', 'link', '10.0.0.0/31')], { ospf: ospf('1.1.1.1', [['eth1', 1, false]]) });
  const b = router('s.b', [iface('eth1', 'link', '10.0.0.1/31'), iface('eth2', 'link', '10.0.0.2/31'), iface('eth3', 'external', '192.0.2.2/30')], {
    ospf: ospf('2.2.2.2', [['eth1', 1, false], ['eth2', 5, false]], { redistribute: [{ protocol: 'static', prefixes: ['10.1.1.0/24', '10.7.0.0/24'] }] }),
    staticRoutes: [
      { prefix: '10.1.1.0/24', nextHop: '192.0.2.1', origin: span },
      { prefix: '10.7.0.0/24', nextHop: '192.0.2.1', origin: span },
    ],
  });
  const c = router(
    's.c',
    [iface('eth1', 'link', '10.0.0.3/31'), iface('eth2', 'segment', '10.1.1.1/24'), iface('eth3', 'segment', '10.1.2.1/24'), iface('eth4', 'segment', '10.1.3.1/24'), iface('eth5', 'segment', '10.1.4.1/24')],
    { ospf: ospf('3.3.3.3', [['eth1', 5, false], ['eth2', 1, true], ['eth3', 1, true], ['eth4', 1, true], ['eth5', 2, true]]) },
  );
  // d: OSPF on, but no adjacency (its only OSPF interface's subnet has nobody else).
  const d = router('s.d', [iface('eth1', 'segment', '10.9.0.1/24')], { ospf: ospf('4.4.4.4', [['eth1', 1, true]]) });
  const fibs = converge([a, b, c, d], { externals: [] });
  const fibOf = (id: string) => fibs.find((x) => x.id === id)!.fib;
  const route = (id: string, prefix: string) => fibOf(id).find((r) => r.prefix === prefix);
  const toC = [{ interface: 'eth1', address: '10.0.0.1', device: 's.b' }];

  it('gives every prefix of a class the same route, and another class its own metric', () => {
    for (const p of ['10.1.1.0/24', '10.1.2.0/24', '10.1.3.0/24']) expect(route('s.a', p)).toEqual({ prefix: p, protocol: 'ospf', nextHops: toC, metric: 7 });
    expect(route('s.a', '10.1.4.0/24')).toEqual({ prefix: '10.1.4.0/24', protocol: 'ospf', nextHops: toC, metric: 8 });
  });

  it('lets the intra-area route beat an external one prefix by prefix', () => {
    // 10.1.1.0/24 is c's stub and b's external: a takes the stub's metric; 10.7.0.0/24 is external only.
    expect(route('s.a', '10.1.1.0/24')!.metric).toBe(7);
    expect(route('s.a', '10.7.0.0/24')).toEqual({ prefix: '10.7.0.0/24', protocol: 'ospf', nextHops: toC, metric: 21 });
    // On b itself the static route is the best (distance 1), whatever OSPF says.
    expect(route('s.b', '10.1.1.0/24')!.protocol).toBe('static');
  });

  it('leaves a class with no reachable advertiser out, and a device its own prefixes', () => {
    expect(route('s.a', '10.9.0.0/24')).toBeUndefined();
    expect(fibOf('s.d').map((r) => r.prefix)).toEqual(['10.9.0.0/24']);
    expect(route('s.c', '10.1.2.0/24')!.protocol).toBe('connected');
  });

  it('sorts every table by prefix: family, network address, then length', () => {
    expect(fibOf('s.a').map((r) => r.prefix)).toEqual([
      '10.0.0.0/31',
      '10.0.0.2/31',
      '10.1.1.0/24',
      '10.1.2.0/24',
      '10.1.3.0/24',
      '10.1.4.0/24',
      '10.7.0.0/24',
    ]);
  });

  it('keeps two texts of the same prefix in the order the device has them', () => {
    const x = router('s.x', [iface('eth1', 'link', '2001:db8:ff::/127')], {
      staticRoutes: [
        { prefix: '2001:0db8::/32', nextHop: '2001:db8:ff::1', origin: span },
        { prefix: '2001:db8::/32', nextHop: '2001:db8:ff::1', origin: span },
        { prefix: '10.5.0.0/16', interface: 'eth1', origin: span },
      ],
    });
    const [fib] = converge([x], { externals: [] });
    expect(fib!.fib.map((r) => r.prefix)).toEqual(['10.5.0.0/16', '2001:0db8::/32', '2001:db8::/32', '2001:db8:ff::/127']);
  });
});
