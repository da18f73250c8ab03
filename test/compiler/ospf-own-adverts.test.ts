// addOspf computes one candidate per advertisement class and device; at a router that advertises
// the class itself it adds none (its connected or redistributed route stays its own). The RIBs
// after addOspf must hold candidates only, and an OSPF one exactly where the device does not
// advertise the class (routing-ospf.ts).

import { describe, expect, it } from 'vitest';
import { addOspf } from '../../compiler/routing-ospf.js';
import { PrefixNumbers, Rib, type Candidate } from '../../compiler/routing-rib.js';
import { subnetIndex } from '../../compiler/topology.js';
import { iface, ospf, router } from './read-back-devices.js';

describe("OSPF at a class's own advertisers", () => {
  it('adds no candidate where the device advertises the class, an OSPF one elsewhere', () => {
    // r1 - r2 - r3 on a chain; r1 and r2 both redistribute the static 192.0.2.0/24 (one external
    // class of two advertisers); r3 advertises its segment's stub.
    const external = '192.0.2.0/24';
    const redistribute = [{ protocol: 'static' as const, prefixes: [external] }];
    const r1 = router('x.r1', [iface('eth1', 'link', '10.0.0.0/31')], { ospf: ospf('1.1.1.1', [['eth1', 1, false]], { redistribute }) });
    const r2 = router('x.r2', [iface('eth1', 'link', '10.0.0.1/31'), iface('eth2', 'link', '10.0.0.2/31')], {
      ospf: ospf('2.2.2.2', [['eth1', 1, false], ['eth2', 1, false]], { redistribute }),
    });
    const r3 = router('x.r3', [iface('eth1', 'link', '10.0.0.3/31'), iface('eth2', 'segment', '10.3.0.1/24')], {
      ospf: ospf('3.3.3.3', [['eth1', 1, false], ['eth2', 1, true]]),
    });
    const devices = [r1, r2, r3];
    const numbers = new PrefixNumbers();
    for (const p of ['10.0.0.0/31', '10.0.0.2/31', '10.3.0.0/24', external, '0.0.0.0/0']) numbers.add(p);
    const ribs = new Map(devices.map((d) => [d.id, new Rib(numbers.texts.length, false)]));
    const local: Candidate = { protocol: 'static', distance: 1, metric: 0, hops: [{ interface: 'eth1', address: '10.9.9.9' }] };
    for (const id of ['x.r1', 'x.r2']) ribs.get(id)!.push(numbers.get(external)!, local);
    ribs.get('x.r3')!.push(numbers.get('10.3.0.0/24')!, { protocol: 'connected', distance: 0, metric: 0, hops: [{ interface: 'eth2' }] });

    addOspf(devices, ribs, numbers, subnetIndex(devices));

    const entry = (device: string, prefix: string): Candidate[] => {
      const e = ribs.get(device)!.entries[numbers.get(prefix)!];
      return e === undefined ? [] : Array.isArray(e) ? e : [e];
    };
    // Every entry is a candidate with a protocol (never a marker of the device's own class).
    for (const rib of ribs.values()) {
      for (const e of rib.entries) for (const c of e === undefined ? [] : Array.isArray(e) ? e : [e]) expect(typeof c.protocol).toBe('string');
    }
    expect(entry('x.r1', external)).toEqual([local]);
    expect(entry('x.r2', external)).toEqual([local]);
    expect(entry('x.r3', external).map((c) => [c.protocol, c.metric])).toEqual([['ospf', 21]]);
    expect(entry('x.r3', '10.3.0.0/24').map((c) => c.protocol)).toEqual(['connected']);
    expect(entry('x.r1', '10.3.0.0/24').map((c) => [c.protocol, c.metric])).toEqual([['ospf', 3]]);
    // r2 advertises the link 10.0.0.2/31 itself: r3 (its other end) too; r1 reaches it over r2.
    expect(entry('x.r2', '10.0.0.2/31')).toEqual([]);
    expect(entry('x.r1', '10.0.0.2/31').map((c) => [c.protocol, c.metric])).toEqual([['ospf', 2]]);
  });
});
