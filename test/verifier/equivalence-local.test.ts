// Translation validation of what devices do with their own traffic: the local filter is a rule
// list in force (proven with Z3 like the interface filters), and uRPF, GTSM and maximum-prefix
// are configuration items compared exactly.

import { describe, expect, it } from 'vitest';
import type { DeviceModel } from '../../compiler/model.js';
import { checkEquivalence, differenceText } from '../../verifier/equivalence.js';
import { sharedPool } from '../shared-solvers.js';
import { ModelBuilder, TCP } from './builder.js';

// One Z3 worker for the file's comparisons (test/shared-solvers.ts), the size each would start
// of its own; every query starts from a clean solver.
const pool = sharedPool(1);

function device(localPort: number | undefined, urpf?: 'strict' | 'loose'): DeviceModel {
  const b = new ModelBuilder('eq')
    .device('s.r1')
    .segment('noc', ['10.9.0.0/24'], 's.r1', 'Gi2', ['10.9.0.1/24'])
    .segment('lan', ['10.1.0.0/24'], 's.r1', 'Gi3', ['10.1.0.1/24']);
  if (localPort !== undefined) {
    b.filter('s.r1', 'local', [{ action: 'permit', match: { sources: ['10.9.0.0/24'], protocol: TCP, destinationPorts: [{ from: localPort, to: localPort }] } }]);
    b.local('s.r1', 'local');
  }
  if (urpf) b.urpf('s.r1', 'Gi3', urpf);
  return b.build().devices[0]!;
}

describe('equivalence of devices\' own traffic', () => {
  it('proves equal local filters equal and finds the packet two local filters decide differently', async () => {
    const same = await checkEquivalence(device(22), device(22), { pool: pool() });
    expect(same.equivalent).toBe(true);
    expect(same.stats.lists).toBe(1);

    const r = await checkEquivalence(device(22), device(23), { skipIdentical: false, pool: pool() });
    expect(r.equivalent).toBe(false);
    expect(r.differences).toHaveLength(1);
    const d = r.differences[0]!;
    expect(d.kind).toBe('packet');
    if (d.kind !== 'packet') return;
    expect(d.scope).toEqual({ kind: 'local' });
    expect(d.packet.protocol).toBe(TCP);
    expect([22, 23]).toContain(d.packet.destinationPort);
    expect(differenceText(d)).toMatch(/ addressed to the device itself is (admitted|dropped) by the config but (dropped|admitted) by the model/);
  }, 120_000);

  it('a device without a local filter accepts everything: one with a filter differs from it', async () => {
    const r = await checkEquivalence(device(undefined), device(22), { pool: pool() });
    expect(r.equivalent).toBe(false);
    expect(r.differences.map((d) => (d.kind === 'packet' ? d.scope : d.item))).toEqual([{ kind: 'local' }]);
  }, 120_000);

  it('compares uRPF per interface and GTSM and maximum-prefix per BGP neighbour', async () => {
    const r = await checkEquivalence(device(22, 'strict'), device(22, 'loose'), { pool: pool() });
    expect(r.differences.map((d) => (d.kind === 'item' ? `${d.item}: ${d.expected} / ${d.actual}` : 'packet'))).toEqual([
      'interface Gi3: role segment; addresses 10.1.0.1/24; segment lan; uRPF strict / role segment; addresses 10.1.0.1/24; segment lan; uRPF loose',
    ]);
    const withBgp = (ttl: number | undefined, max: number): DeviceModel => {
      const d = device(22);
      d.bgp = {
        asn: 65000,
        routerId: '10.9.0.1',
        neighbors: [{ address: '192.0.2.1', remoteAs: 64500, description: '', external: 'isp', importPrefixes: ['0.0.0.0/0'], exportPrefixes: ['10.0.0.0/8'], ...(ttl !== undefined ? { ttlSecurity: ttl } : {}), maxPrefixes: max, origin: d.origin }],
      };
      return d;
    };
    const bgp = await checkEquivalence(withBgp(1, 1), withBgp(undefined, 2), { pool: pool() });
    expect(bgp.differences.map((d) => (d.kind === 'item' ? `${d.item}: ${d.expected} / ${d.actual}` : 'packet'))).toEqual([
      'BGP neighbor 192.0.2.1: remote-as 64500; external isp; import 0.0.0.0/0; export 10.0.0.0/8; ttl-security hops 1; maximum-prefix 1 / remote-as 64500; external isp; import 0.0.0.0/0; export 10.0.0.0/8; maximum-prefix 2',
    ]);
  }, 120_000);
});
