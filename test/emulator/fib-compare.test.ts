// The model-versus-kernel FIB comparison (emulator/fib-compare.ts) on `ip -j route` output as
// iproute2 prints it: equal tables give no difference, and each crafted difference (a missing
// route, an extra one, another next hop, one ECMP branch too few, a shadowed duplicate) is
// named with the device, the prefix and both next-hop sets. What the model leaves out on purpose
// (fe80::/64, the local table but the loopback's IPv4 host routes) is not a difference.

import { describe, expect, it } from 'vitest';
import type { RouteModel } from '../../compiler/model.js';
import { compareFib, fibDifferenceText, type KernelTables } from '../../emulator/fib-compare.js';
import { fullNeighbours } from '../../emulator/frr.js';

const fib: RouteModel[] = [
  { prefix: '10.1.0.0/24', protocol: 'connected', nextHops: [{ interface: 'eth2' }], metric: 0 },
  { prefix: '10.255.0.1/32', protocol: 'connected', nextHops: [{ interface: 'lo' }], metric: 0 },
  {
    prefix: '10.2.0.0/24',
    protocol: 'ospf',
    nextHops: [
      { interface: 'eth1', address: '10.0.0.1', device: 's.r2' },
      { interface: 'eth3', address: '10.0.0.3', device: 's.r3' },
    ],
    metric: 2,
  },
  { prefix: '0.0.0.0/0', protocol: 'static', nextHops: [{ interface: 'eth1', address: '10.0.0.1' }], metric: 1 },
  { prefix: '2001:db8:1::/64', protocol: 'connected', nextHops: [{ interface: 'eth2' }], metric: 0 },
  {
    prefix: '2001:db8:2::/64',
    protocol: 'ospf',
    nextHops: [{ interface: 'eth1', address: 'fe80::2', device: 's.r2' }],
    metric: 2,
  },
];

/** The tables a kernel holds for `fib` (as `ip -j route show` prints them). */
function kernel(): KernelTables {
  return {
    main4: [
      { dst: 'default', gateway: '10.0.0.1', dev: 'eth1', protocol: 'static', metric: 20 },
      { dst: '10.0.0.0/31', dev: 'eth1', protocol: 'kernel' },
      { dst: '10.0.0.2/31', dev: 'eth3', protocol: 'kernel' },
      { dst: '10.1.0.0/24', dev: 'eth2', protocol: 'kernel' },
      {
        dst: '10.2.0.0/24',
        protocol: 'ospf',
        metric: 20,
        nexthops: [
          { gateway: '10.0.0.3', dev: 'eth3' },
          { gateway: '10.0.0.1', dev: 'eth1' },
        ],
      },
    ],
    main6: [
      { dst: '2001:db8:1::/64', dev: 'eth2', protocol: 'kernel', metric: 256 },
      { dst: '2001:db8:2::/64', gateway: 'fe80::2', dev: 'eth1', protocol: 'ospf', metric: 20 },
      { dst: 'fe80::/64', dev: 'eth1', protocol: 'kernel', metric: 256 },
      { dst: 'fe80::/64', dev: 'eth2', protocol: 'kernel', metric: 256 },
    ],
    local4: [
      { type: 'local', dst: '10.255.0.1', dev: 'lo', protocol: 'kernel' },
      { type: 'local', dst: '10.1.0.1', dev: 'eth2', protocol: 'kernel' },
      { type: 'local', dst: '127.0.0.0/8', dev: 'lo', protocol: 'kernel' },
      { type: 'broadcast', dst: '127.255.255.255', dev: 'lo', protocol: 'kernel' },
    ],
  };
}

/** The model with the two link subnets it has on a real device. */
function fullFib(): RouteModel[] {
  return [
    ...fib,
    { prefix: '10.0.0.0/31', protocol: 'connected', nextHops: [{ interface: 'eth1' }], metric: 0 },
    { prefix: '10.0.0.2/31', protocol: 'connected', nextHops: [{ interface: 'eth3' }], metric: 0 },
  ];
}

describe('the model FIB against kernel tables', () => {
  it('equal tables (ECMP in any order, fe80::/64, the local table) give no difference', () => {
    expect(compareFib('s.r1', fullFib(), kernel())).toEqual([]);
  });

  it('a route the kernel lacks, with both sides named', () => {
    const k = kernel();
    k.main6 = k.main6.filter((r) => r.dst !== '2001:db8:2::/64');
    expect(compareFib('s.r1', fullFib(), k).map(fibDifferenceText)).toEqual([
      's.r1: 2001:db8:2::/64: model {eth1 via fe80::2}, kernel no entry',
    ]);
  });

  it('a route the model lacks', () => {
    const k = kernel();
    k.main4.push({ dst: '198.51.100.0/24', gateway: '10.0.0.1', dev: 'eth1', protocol: 'bgp' });
    expect(compareFib('s.r1', fullFib(), k).map(fibDifferenceText)).toEqual([
      's.r1: 198.51.100.0/24: model no entry, kernel {eth1 via 10.0.0.1}',
    ]);
  });

  it("another next hop: a global address where the model has the neighbour's link-local", () => {
    const k = kernel();
    k.main6[1] = { dst: '2001:db8:2::/64', gateway: 'fe80::a8c1:abff:fe00:2', dev: 'eth1', metric: 20 };
    expect(compareFib('s.r1', fullFib(), k)).toEqual([
      {
        device: 's.r1',
        prefix: '2001:db8:2::/64',
        model: ['eth1 via fe80::2'],
        kernel: ['eth1 via fe80::a8c1:abff:fe00:2'],
      },
    ]);
  });

  it('one equal-cost branch too few', () => {
    const k = kernel();
    k.main4[4] = { dst: '10.2.0.0/24', gateway: '10.0.0.1', dev: 'eth1', metric: 20 };
    expect(compareFib('s.r1', fullFib(), k).map(fibDifferenceText)).toEqual([
      's.r1: 10.2.0.0/24: model {eth1 via 10.0.0.1, eth3 via 10.0.0.3}, kernel {eth1 via 10.0.0.1}',
    ]);
  });

  it("the loopback's host route missing from the local table, and an unreachable route", () => {
    const k = kernel();
    k.local4 = k.local4.filter((r) => r.dst !== '10.255.0.1');
    k.main4.push({ type: 'unreachable', dst: '10.9.0.0/16', protocol: 'static' });
    expect(compareFib('s.r1', fullFib(), k).map(fibDifferenceText)).toEqual([
      's.r1: 10.255.0.1/32: model {lo}, kernel no entry',
      's.r1: 10.9.0.0/16: model no entry, kernel {unreachable}',
    ]);
  });

  it('a second entry of one prefix at a higher metric is a difference; equal metrics are one route', () => {
    const k = kernel();
    k.main4.push({ dst: '0.0.0.0/0', gateway: '10.0.0.3', dev: 'eth3', metric: 100 });
    expect(compareFib('s.r1', fullFib(), k).map(fibDifferenceText)).toEqual([
      's.r1: 0.0.0.0/0: model {eth1 via 10.0.0.1}, kernel {shadowed: eth3 via 10.0.0.3}',
    ]);
    const split = kernel();
    split.main6[1] = { dst: '2001:db8:2::/64', gateway: 'fe80::2', dev: 'eth1', metric: 20 };
    split.main6.push({ dst: '2001:db8:2::/64', gateway: 'fe80::2', dev: 'eth3', metric: 20 });
    expect(compareFib('s.r1', fullFib(), split).map(fibDifferenceText)).toEqual([
      's.r1: 2001:db8:2::/64: model {eth1 via fe80::2}, kernel {eth1 via fe80::2, eth3 via fe80::2}',
    ]);
  });
});

describe("FRR's OSPFv3 neighbour JSON", () => {
  it('counts the neighbours in state Full, listed or by interface', () => {
    const listed = {
      neighbors: [
        { neighborId: '10.0.0.1', state: 'Full', interfaceName: 'eth1' },
        { neighborId: '10.0.0.2', state: 'Init', interfaceName: 'eth2' },
      ],
    };
    expect(fullNeighbours(listed)).toBe(1);
    expect(fullNeighbours({ eth1: [{ routerId: '1.1.1.1', state: 'Full/DR' }] })).toBe(1);
    expect(fullNeighbours({})).toBe(0);
  });
});
