// OSPF's advertisement classes are found by a hash of their routers and costs, and lists of one
// hash are compared in full. Costs that hash alike but differ (the hash takes a cost's low 32
// bits as an integer) must still make two classes, with two metrics, as the key texts did in the
// computation before (converge-before.ts).

import { describe, expect, it } from 'vitest';
import { converge } from '../../compiler/routing.js';
import { convergeBefore } from './converge-before.js';
import { iface, ospf, router } from './read-back-devices.js';

function network(costs: readonly [number, number]) {
  const a = router('s.a', [iface('eth1', 'link', '10.0.0.0/31'), iface('eth2', 'segment', '10.1.0.1/24'), iface('eth3', 'segment', '10.2.0.1/24')], {
    ospf: ospf('1.1.1.1', [
      ['eth1', 1, false],
      ['eth2', costs[0], true],
      ['eth3', costs[1], true],
    ]),
  });
  const b = router('s.b', [iface('eth1', 'link', '10.0.0.1/31')], { ospf: ospf('1.1.1.2', [['eth1', 1, false]]) });
  return [a, b];
}

describe('OSPF advertisement classes by hash', () => {
  for (const costs of [
    [1, 1 + 2 ** 32],
    [1, 1.5],
    [2, 2],
  ] as [number, number][]) {
    it(`separates or joins stubs of costs ${costs.join(' and ')} as their texts did`, () => {
      const devices = network(costs);
      const after = converge(devices, { externals: [] });
      expect(after.map((d) => d.fib)).toEqual(convergeBefore(devices, { externals: [] }).map((d) => d.fib));
      const atB = after[1]!.fib.filter((r) => r.protocol === 'ospf');
      expect(atB.map((r) => r.prefix)).toEqual(['10.1.0.0/24', '10.2.0.0/24']);
      // One class: the same candidate's metric; two classes: each its own.
      if (costs[0] !== costs[1]) expect(atB[0]!.metric).not.toBe(atB[1]!.metric);
    });
  }
});
