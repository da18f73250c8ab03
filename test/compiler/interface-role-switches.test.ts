// The compiler's per-interface choices by role are switches (placement-rules.ts edgeEndpoint,
// placement-firewall.ts zones, route-protocols.ts OSPF interfaces), not pattern matches that
// made a matcher and closures per interface. Each role gives what the match gave, and a role no
// case names throws as the match's exhaustive end did.

import { describe, expect, it } from 'vitest';
import type { InterfaceModel } from '../../compiler/model.js';
import { edgeEndpoint } from '../../compiler/placement-rules.js';
import { zoneOfInterface, type FirewallIntent } from '../../compiler/placement-firewall.js';
import { iface } from './read-back-devices.js';

describe('interface roles by switch', () => {
  it('gives an edge interface its segment or external, and links and loopbacks none', () => {
    expect(edgeEndpoint({ ...iface('eth1', 'segment', '10.0.0.1/24'), segment: 'lan' })).toBe('lan');
    expect(edgeEndpoint({ ...iface('eth2', 'external', '192.0.2.1/30'), external: 'isp', segment: 'lan' })).toBe('isp');
    expect(edgeEndpoint({ ...iface('eth3', 'link', '10.9.0.0/31'), segment: 'lan', external: 'isp' })).toBeUndefined();
    expect(edgeEndpoint({ ...iface('lo', 'loopback', '10.255.0.1/32'), segment: 'lan' })).toBeUndefined();
  });

  it("puts a firewall's interface in its segment's zone, its external's, or the transit zone", () => {
    const known = { transit: 'transit-1', segmentZone: new Map([['lan', 'inside'], ['dmz', undefined]]) } as unknown as FirewallIntent;
    const zone = (i: InterfaceModel) => zoneOfInterface(i, edgeEndpoint(i), known);
    expect(zone({ ...iface('eth1', 'segment', '10.0.0.1/24'), segment: 'lan' })).toBe('inside');
    expect(zone({ ...iface('eth2', 'segment', '10.0.1.1/24'), segment: 'dmz' })).toBe('dmz');
    expect(zone({ ...iface('eth3', 'segment', '10.0.2.1/24') })).toBe('transit-1');
    expect(zone({ ...iface('eth4', 'external', '192.0.2.1/30'), external: 'isp' })).toBe('isp');
    expect(zone({ ...iface('eth5', 'external', '192.0.2.5/30') })).toBe('transit-1');
    expect(zone({ ...iface('eth6', 'link', '10.9.0.0/31'), segment: 'lan' })).toBe('transit-1');
    expect(zone({ ...iface('lo', 'loopback', '10.255.0.1/32'), external: 'isp' })).toBe('transit-1');
  });

  it('throws on a role no case names', () => {
    const odd = { ...iface('eth9', 'link', '10.9.0.0/31'), role: 'tunnel' } as unknown as InterfaceModel;
    expect(() => edgeEndpoint(odd)).toThrow(/unknown interface role: "tunnel"/);
    expect(() => zoneOfInterface(odd, undefined, { transit: 't', segmentZone: new Map() } as unknown as FirewallIntent)).toThrow(/unknown interface role: "tunnel"/);
  });
});
