// Filter placement, rule by rule: anti-spoofing, deny before allow, ICMP per family, reply
// rules only on stateless devices (with C703), zones and security rules on firewalls, and the
// C704 warning for a prefix the network cannot route.

import { describe, expect, it } from 'vitest';
import type { DeviceModel, FilterRule } from '../../compiler/model.js';
import { compileText, device } from './helpers.js';

const TEXT = (gateway: 'cisco-iosxe' | 'frr') => `routing ospf
pool infra 10.255.0.0/16
pool infra6 fd00:255::/48
site s {
  router   g ${gateway}
  firewall f paloalto-panos
  router   h frr
  link g -- f
  link f -- h
}
segment office 10.20.0.0/16, fd00:20::/64 at s.g
segment web    10.10.1.0/24, fd00:10::/64 at s.f zone dmz
segment guest  10.99.0.0/24 at s.h
external internet {
  prefixes 0.0.0.0/0
  attach s.g address 203.0.113.2/30 gateway 203.0.113.1
}
policy {
  allow office -> web : https, ping
  deny  guest  -> web
  allow any    -> web : http
}
`;

const filter = (d: DeviceModel, name: string): FilterRule[] => d.filters.find((f) => f.name === name)!.rules;

describe('edge filters', () => {
  it('bind to the segment interface in both directions, default deny', () => {
    const g = device(compileText(TEXT('frr')).model, 's.g');
    const office = g.interfaces.find((i) => i.segment === 'office')!;
    expect([office.filterIn, office.filterOut]).toEqual(['seg-office-in', 'seg-office-out']);
    expect(g.filters.every((f) => f.defaultAction === 'deny')).toBe(true);
  });

  it('anti-spoofing: every rule leaving a segment has the segment as its sources', () => {
    const g = device(compileText(TEXT('frr')).model, 's.g');
    const rules = filter(g, 'seg-office-in');
    expect(rules.length).toBeGreaterThan(0);
    for (const r of rules) expect(r.match.sources!.every((s) => s === '10.20.0.0/16' || s === 'fd00:20::/64')).toBe(true);
  });

  it('ICMP echo is protocol 1 type 8 for IPv4 and protocol 58 type 128 for IPv6', () => {
    const g = device(compileText(TEXT('frr')).model, 's.g');
    const icmp = filter(g, 'seg-office-in').filter((r) => r.match.protocol === 1 || r.match.protocol === 58);
    expect(icmp.map((r) => [r.match.protocol, r.match.icmpType, r.match.destinations])).toEqual([
      [1, 8, ['10.10.1.0/24']],
      [58, 128, ['fd00:10::/64']],
    ]);
  });

  it('stateful gateways get no reply rules; every rule carries its policy line and a description', () => {
    const { model, diagnostics } = compileText(TEXT('frr'));
    const g = device(model, 's.g');
    expect(g.filters.flatMap((f) => f.rules).some((r) => r.match.tcpEstablished || r.description.startsWith('replies'))).toBe(false);
    expect(diagnostics.filter((d) => d.code === 'C703')).toEqual([]);
    const https = filter(g, 'seg-office-in').find((r) => r.match.destinationPorts?.[0]?.from === 443)!;
    expect(https.origin.start.line).toBe(19);
    expect(https.description).toBe('allow office -> web : https, ping (t.plumb:19)');
  });

  it('stateless gateways get the narrowest reply rules, first, and a C703 warning at the policy line', () => {
    const { model, diagnostics } = compileText(TEXT('cisco-iosxe'));
    const g = device(model, 's.g');
    const out = filter(g, 'seg-office-out');
    const replies = out.filter((r) => r.description.startsWith('replies of'));
    expect(out.slice(0, replies.length)).toEqual(replies);
    expect(replies.map((r) => r.match)).toEqual([
      // Prefix lists mix families: an IPv4 packet only matches the IPv4 prefixes.
      {
        sources: ['10.10.1.0/24', 'fd00:10::/64'],
        destinations: ['10.20.0.0/16', 'fd00:20::/64'],
        protocol: 6,
        sourcePorts: [{ from: 443, to: 443 }],
        tcpEstablished: true,
      },
      { sources: ['10.10.1.0/24'], destinations: ['10.20.0.0/16'], protocol: 1, icmpType: 0 },
      { sources: ['fd00:10::/64'], destinations: ['fd00:20::/64'], protocol: 58, icmpType: 129 },
      // `allow any -> web : http` covers office too.
      {
        sources: ['10.10.1.0/24', 'fd00:10::/64'],
        destinations: ['10.20.0.0/16', 'fd00:20::/64'],
        protocol: 6,
        sourcePorts: [{ from: 80, to: 80 }],
        tcpEstablished: true,
      },
    ]);
    const c703 = diagnostics.filter((d) => d.code === 'C703');
    expect(c703.map((d) => [d.severity, d.span.start.line])).toEqual([
      ['warning', 19],
      ['warning', 21],
    ]);
    expect(c703[0]!.message).toContain('any TCP packet with ACK or RST from port 443');
    expect(c703[0]!.message).toContain('s.g');
  });

  it("an external's filters admit only its addresses: its prefixes less our own and the special-purpose ranges", () => {
    const { model } = compileText(TEXT('frr'));
    const internet = model.endpoints.find((e) => e.name === 'internet')!;
    expect(internet.include).toEqual(['0.0.0.0/0']);
    // Our own 10.x prefixes and the attachment's 203.0.113.0/30 lie inside private and
    // documentation ranges, which 0.0.0.0/0 loses whole.
    expect(internet.exclude).toEqual([
      '0.0.0.0/8', '10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12', '192.0.0.0/24',
      '192.0.2.0/24', '192.168.0.0/16', '198.18.0.0/15', '198.51.100.0/24', '203.0.113.0/24', '224.0.0.0/3',
    ]);
    const http = filter(device(model, 's.g'), 'ext-internet-in').find((r) => r.match.destinationPorts?.[0]?.from === 80)!;
    expect(http.match.sources).not.toContain('0.0.0.0/0');
    expect(http.match.sources).toContain('1.0.0.0/8');
    expect(http.match.sources!.some((s) => s.startsWith('10.'))).toBe(false);
  });
});

describe('firewalls', () => {
  it('put every interface in one zone and enforce the policy in security rules, deny first', () => {
    const f = device(compileText(TEXT('frr')).model, 's.f');
    expect(f.zones.map((z) => [z.name, z.interfaces.length])).toEqual([
      ['dmz', 1],
      ['transit', 3],
    ]);
    expect(f.interfaces.every((i) => i.zone && !i.filterIn && !i.filterOut)).toBe(true);
    const kinds = f.securityRules.map((r) => (r.description.startsWith('anti-spoofing') ? 'spoof' : r.action));
    expect(kinds[0]).toBe('spoof');
    expect(kinds.indexOf('deny', 1)).toBeLessThan(kinds.indexOf('permit'));
    const spoof = f.securityRules[0]!;
    expect(spoof.match.fromZones).toEqual(['dmz']);
    expect(spoof.match.sources).not.toContain('10.10.1.0/24');
    const guestDeny = f.securityRules.find((r) => r.action === 'deny' && r.match.sources?.[0] === '10.99.0.0/24')!;
    expect(guestDeny.match.destinations).toEqual(['10.10.1.0/24']);
  });
});

describe('C704', () => {
  it('is silent for IPv6 without an IPv6 pool: links route it over their link-local addresses', () => {
    const text = TEXT('frr').replace('pool infra6 fd00:255::/48\n', '');
    const { model, diagnostics } = compileText(text);
    expect(diagnostics.filter((d) => d.code === 'C704')).toEqual([]);
    const h = device(model, 's.h');
    const office = h.fib.find((r) => r.prefix === 'fd00:20::/64')!;
    expect(office.protocol).toBe('ospf');
    expect(office.nextHops).toEqual([{ interface: h.interfaces.find((i) => i.peer?.device === 's.f')!.name, address: 'fe80::1', device: 's.f' }]);
  });

  it('warns at a segment that no link joins to the rest of the network', () => {
    const text = `pool infra 10.255.0.0/16
site s {
  router a frr
  router b frr
}
segment lan 10.1.0.0/24 at s.a
segment dc  10.2.0.0/24 at s.b
policy {
  allow lan -> dc : https
}
`;
    const c704 = compileText(text).diagnostics.filter((d) => d.code === 'C704');
    expect(c704.map((d) => [d.span.start.line, d.message])).toEqual([
      [6, '10.1.0.0/24 of segment lan is not routed to 1 device(s): s.b'],
      [7, '10.2.0.0/24 of segment dc is not routed to 1 device(s): s.a'],
    ]);
    expect(c704[0]!.hint).toContain('links');
  });

  it("warns at an external whose prefix the inside cannot route (an IPv6 prefix over an IPv4 gateway), with C710", () => {
    const text = `pool infra 10.255.0.0/16
site s {
  router a frr
  router b frr
  link a -- b
}
segment lan 10.1.0.0/24, 2001:db8:1::/64 at s.b
external net {
  prefixes 0.0.0.0/0, ::/0
  attach s.a address 203.0.113.2/30 gateway 203.0.113.1
}
policy {
  allow lan -> net : https
}
`;
    const { model, diagnostics } = compileText(text);
    const c704 = diagnostics.filter((d) => d.code === 'C704');
    expect(c704.map((d) => [d.span.start.line, d.message])).toEqual([[8, '::/0 of external net is not routed to 2 device(s): s.a, s.b']]);
    expect(c704[0]!.hint).toContain('no attachment of external net has an IPv6 address');
    const c710 = diagnostics.filter((d) => d.code === 'C710');
    expect(c710.map((d) => [d.span.start.line, d.message])).toEqual([
      [10, 'every attachment of external net is IPv4 only: its IPv6 prefixes ::/0 are not reachable'],
    ]);
    // The static route carries the gateway's family only: no `ipv6 route ::/0 203.0.113.1`.
    const defaults = device(model, 's.a').staticRoutes.filter((r) => r.prefix.endsWith('/0'));
    expect(defaults.map((r) => `${r.prefix} via ${r.nextHop}`)).toEqual(['0.0.0.0/0 via 203.0.113.1']);
    expect(device(model, 's.b').staticRoutes.filter((r) => r.prefix === '::/0')).toEqual([]);
  });

  it('is silent when every prefix is routed', () => {
    expect(compileText(TEXT('frr')).diagnostics.filter((d) => d.code === 'C704')).toEqual([]);
  });
});
