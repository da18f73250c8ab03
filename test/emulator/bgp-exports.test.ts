// The lab's export check (emulator/bgp-exports.ts) on FRR's `show bgp ipv4 unicast json` as
// FRR 8 prints it, and a discard route in the kernel comparison (emulator/fib-compare.ts): what
// an external's speaker received from each session against the model's exports, a prefix
// missing or extra named with the session; the model's discard route as the kernel's blackhole.

import { describe, expect, it } from 'vitest';
import type { RouteModel } from '../../compiler/model.js';
import { compareExports, exportCheckLines, receivedByPeer } from '../../emulator/bgp-exports.js';
import { compareFib, fibDifferenceText } from '../../emulator/fib-compare.js';
import type { EndpointPlan } from '../../emulator/lab.js';

/** The partner's speaker: its own 10.20.0.0/24 (no peer), and what two of our sessions sent it. */
const TABLE = {
  vrfId: 0,
  vrfName: 'default',
  localAS: 64700,
  routes: {
    '10.20.0.0/24': [{ valid: true, bestpath: true, pathFrom: 'internal', peerId: '(unspec)', path: '', weight: 32768 }],
    '100.64.20.0/24': [
      { valid: true, bestpath: true, pathFrom: 'external', peerId: '169.254.20.1', path: '65010' },
      { valid: true, pathFrom: 'external', peerId: '169.254.21.1', path: '65010' },
    ],
    '10.99.0.0/24': [{ valid: true, bestpath: true, pathFrom: 'external', peerId: '169.254.21.1', path: '65010' }],
  },
};

const partner = (exports: string[][]): EndpointPlan => ({
  name: 'partner',
  kind: 'external',
  ns: 'plabcdef-x-partner',
  addresses: [],
  routes: [],
  representative: {},
  hostInterface: { ifname: 'lo', lengths: {} },
  bgp: {
    asn: 64700,
    routerId: '169.254.20.2',
    neighbors: [
      { address: '169.254.20.1', remoteAs: 65010, device: 'fra1.edge1', exports: exports[0]! },
      { address: '169.254.21.1', remoteAs: 65010, device: 'fra1.edge2', exports: exports[1]! },
    ],
    announce: ['10.20.0.0/24'],
    extra: [],
  },
});

describe("the lab's export check", () => {
  it('groups the speaker\'s paths by the session they came from; its own prefixes are no session\'s', () => {
    const byPeer = receivedByPeer([TABLE]);
    expect([...byPeer.keys()].sort()).toEqual(['169.254.20.1', '169.254.21.1']);
    expect([...byPeer.get('169.254.20.1')!]).toEqual(['100.64.20.0/24']);
    expect([...byPeer.get('169.254.21.1')!].sort()).toEqual(['10.99.0.0/24', '100.64.20.0/24']);
  });

  it('agrees when every session brought exactly its exports', () => {
    const checks = compareExports(partner([['100.64.20.0/24'], ['10.99.0.0/24', '100.64.20.0/24']]), receivedByPeer([TABLE]));
    expect(checks.flatMap(exportCheckLines)).toEqual([]);
    expect(checks.map((c) => [c.device, c.session])).toEqual([
      ['fra1.edge1', '169.254.20.1'],
      ['fra1.edge2', '169.254.21.1'],
    ]);
  });

  it('names a prefix the model exports and the speaker lacks, and one it holds that the model does not export', () => {
    const table = { routes: { ...TABLE.routes, '100.64.20.0/24': [TABLE.routes['100.64.20.0/24'][1]!] } };
    const checks = compareExports(partner([['100.64.20.0/24'], ['100.64.20.0/24']]), receivedByPeer([table]));
    expect(checks.flatMap(exportCheckLines)).toEqual([
      'external partner: its BGP speaker lacks 100.64.20.0/24, which fra1.edge1 exports to it (session 169.254.20.1)',
      'external partner: its BGP speaker holds 10.99.0.0/24 from fra1.edge2 (session 169.254.21.1), which the model does not export to it',
    ]);
    expect(checks[0]).toMatchObject({ missing: ['100.64.20.0/24'], extra: [] });
  });

  it('an unreadable answer is an empty table: every export missing', () => {
    const checks = compareExports(partner([['100.64.20.0/24'], []]), receivedByPeer([undefined]));
    expect(checks.map((c) => c.missing)).toEqual([['100.64.20.0/24'], []]);
  });
});

describe('a discard route against the kernel', () => {
  const fib: RouteModel[] = [{ prefix: '100.64.20.0/24', protocol: 'static', nextHops: [], metric: 0 }];
  it("is the kernel's blackhole route, and missing without it", () => {
    const blackhole = { type: 'blackhole', dst: '100.64.20.0/24', protocol: 'static', metric: 20 };
    expect(compareFib('fra1.edge1', fib, { main4: [blackhole], main6: [], local4: [] })).toEqual([]);
    expect(compareFib('fra1.edge1', fib, { main4: [], main6: [], local4: [] }).map(fibDifferenceText)).toEqual([
      'fra1.edge1: 100.64.20.0/24: model {blackhole}, kernel no entry',
    ]);
    // A route that leads somewhere is no discard route.
    const unicast = { dst: '100.64.20.0/24', gateway: '169.254.20.2', dev: 'eth3', protocol: 'static', metric: 20 };
    expect(compareFib('fra1.edge1', fib, { main4: [unicast], main6: [], local4: [] }).map(fibDifferenceText)).toEqual([
      'fra1.edge1: 100.64.20.0/24: model {blackhole}, kernel {eth3 via 169.254.20.2}',
    ]);
  });
});
