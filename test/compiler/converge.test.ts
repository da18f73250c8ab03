// converge() on hand-written DeviceModels, as a reader of configuration files would build them:
// no `peer` fields, no descriptions, empty FIBs. Adjacency comes from addresses alone.

import { describe, expect, it } from 'vitest';
import { converge } from '../../compiler/routing.js';
import { iface, ospf, router, span } from './read-back-devices.js';

describe('converge on configuration read back', () => {
  const a = router('s.a', [iface('eth1', 'link', '10.0.0.0/31'), iface('eth2', 'link', '10.0.0.2/31'), iface('eth3', 'segment', '10.1.0.1/24')], {
    ospf: ospf('1.1.1.1', [['eth1', 1, false], ['eth2', 1, false], ['eth3', 1, true]]),
  });
  // A square a-b-e and a-c-e (ECMP from a toward e), and d behind e's passive eth1.
  const b = router('s.b', [iface('eth1', 'link', '10.0.0.1/31'), iface('eth2', 'link', '10.0.0.9/31')], {
    ospf: ospf('2.2.2.2', [['eth1', 1, false], ['eth2', 1, false]]),
  });
  const c = router('s.c', [iface('eth1', 'link', '10.0.0.3/31'), iface('eth2', 'link', '10.0.0.11/31')], {
    ospf: ospf('3.3.3.3', [['eth1', 1, false], ['eth2', 1, false]]),
  });
  const d = router(
    's.d',
    [iface('eth1', 'link', '10.0.0.6/31'), iface('eth2', 'external', '192.0.2.2/30')],
    { staticRoutes: [{ prefix: '0.0.0.0/0', nextHop: '192.0.2.1', origin: span }, { prefix: '10.1.0.0/24', nextHop: '10.0.0.7', origin: span }] },
  );
  const e = router('s.e', [iface('eth1', 'link', '10.0.0.7/31'), iface('eth2', 'link', '10.0.0.8/31'), iface('eth3', 'link', '10.0.0.10/31')], {
    ospf: ospf('5.5.5.5', [['eth1', 1, true], ['eth2', 1, false], ['eth3', 1, false]], {
      redistribute: [{ protocol: 'static', prefixes: [] }],
      defaultOriginate: { ipv4: true, ipv6: false },
    }),
    staticRoutes: [{ prefix: '0.0.0.0/0', nextHop: '10.0.0.6', origin: span }],
  });
  const devices = [a, b, c, d, e];
  const fibs = converge(devices, { externals: [] });
  const fib = (id: string, prefix: string) => fibs.find((x) => x.id === id)!.fib.find((r) => r.prefix === prefix);

  it('finds adjacencies by shared subnets and keeps equal-cost paths', () => {
    expect(fib('s.a', '0.0.0.0/0')).toMatchObject({
      protocol: 'ospf',
      nextHops: [
        { interface: 'eth1', address: '10.0.0.1', device: 's.b' },
        { interface: 'eth2', address: '10.0.0.3', device: 's.c' },
      ],
    });
  });

  it('resolves static next hops through connected subnets and names our devices', () => {
    expect(fib('s.d', '10.1.0.0/24')).toMatchObject({ protocol: 'static', nextHops: [{ interface: 'eth1', address: '10.0.0.7', device: 's.e' }] });
    expect(fib('s.d', '0.0.0.0/0')!.nextHops).toEqual([{ interface: 'eth2', address: '192.0.2.1' }]);
  });

  it('advertises a passive interface as a stub, not an adjacency', () => {
    // e's eth1 toward d is passive: its subnet is reachable, d is not an OSPF neighbour.
    expect(fib('s.a', '10.0.0.6/31')).toMatchObject({ protocol: 'ospf' });
    expect(fib('s.a', '10.0.0.6/31')!.nextHops.map((h) => h.device)).toEqual(['s.b', 's.c']);
    expect(fibs.find((x) => x.id === 's.d')!.fib.some((r) => r.protocol === 'ospf')).toBe(false);
  });

  it('drops a static route whose next hop is not on a connected subnet', () => {
    const lonely = router('s.x', [iface('eth1', 'link', '10.9.0.0/31')], { staticRoutes: [{ prefix: '10.1.0.0/24', nextHop: '10.8.0.1', origin: span }] });
    const [x] = converge([lonely], { externals: [] });
    expect(x!.fib.map((r) => r.prefix)).toEqual(['10.9.0.0/31']);
  });

  it('resolves each next hop of many static routes by its own interface and address', () => {
    // Routes through the same next hop address share its resolution: one given an interface
    // keeps that interface, an unresolvable next hop drops every route through it.
    const s = (prefix: string, nextHop: string, extra: { interface?: string; distance?: number } = {}) => ({ prefix, nextHop, origin: span, ...extra });
    const many = router('s.m', [iface('eth1', 'link', '10.0.0.0/31'), iface('eth2', 'link', '10.0.0.2/31'), iface('eth3', 'link', '10.0.0.4/31')], {
      staticRoutes: [
        s('10.1.0.0/24', '10.0.0.1'),
        s('10.2.0.0/24', '10.0.0.1', { interface: 'eth3' }),
        s('10.3.0.0/24', '10.0.0.1'),
        s('10.4.0.0/24', '10.7.0.1'),
        s('10.5.0.0/24', '10.7.0.1'),
        s('10.6.0.0/24', '10.0.0.3'),
        s('10.6.0.0/24', '10.0.0.1'),
        s('10.7.0.0/24', '10.0.0.1', { distance: 5 }),
        s('10.7.0.0/24', '10.0.0.3', { interface: 'eth2', distance: 5 }),
      ],
    });
    const peer = router('s.p', [iface('eth1', 'link', '10.0.0.1/31')]);
    const [m] = converge([many, peer], { externals: [] });
    const hops = (prefix: string) => m!.fib.find((r) => r.prefix === prefix)?.nextHops;
    expect(hops('10.1.0.0/24')).toEqual([{ interface: 'eth1', address: '10.0.0.1', device: 's.p' }]);
    expect(hops('10.2.0.0/24')).toEqual([{ interface: 'eth3', address: '10.0.0.1', device: 's.p' }]);
    expect(hops('10.3.0.0/24')).toEqual([{ interface: 'eth1', address: '10.0.0.1', device: 's.p' }]);
    expect(hops('10.4.0.0/24')).toBeUndefined();
    expect(hops('10.5.0.0/24')).toBeUndefined();
    expect(hops('10.6.0.0/24')).toEqual([
      { interface: 'eth1', address: '10.0.0.1', device: 's.p' },
      { interface: 'eth2', address: '10.0.0.3' },
    ]);
    expect(m!.fib.find((r) => r.prefix === '10.7.0.0/24')).toMatchObject({
      protocol: 'static',
      nextHops: [
        { interface: 'eth1', address: '10.0.0.1', device: 's.p' },
        { interface: 'eth2', address: '10.0.0.3' },
      ],
    });
  });
});
