// Variants of the hand-built network of fixture.ts, each a copy of its model with one thing
// changed: no partner (a lab that converges at once), r2 as a stateful PAN-OS firewall, and IPv6
// beside IPv4 on lan, srv and the link between the routers.

import type { DeviceModel, NetworkModel } from '../../compiler/model.js';
import { PARTNER, rule, span } from './fixture.js';

/** The fixture without the partner (no BGP): a lab that converges at once. */
export function withoutPartner(model: NetworkModel): NetworkModel {
  const m = structuredClone(model);
  m.endpoints = m.endpoints.filter((e) => e.name !== 'partner');
  m.assertions = m.assertions.filter(
    (a) => !a.sources.includes('partner') && !a.destinations.includes('partner'),
  );
  const r1 = m.devices.find((d) => d.id === 's.r1')!;
  delete r1.bgp;
  r1.interfaces = r1.interfaces.filter((i) => i.name !== 'eth3');
  r1.fib = r1.fib.filter((r) => r.prefix !== PARTNER && r.prefix !== '169.254.0.0/30');
  r1.filters = [];
  const r2 = m.devices.find((d) => d.id === 's.r2')!;
  r2.staticRoutes = r2.staticRoutes.filter((r) => r.prefix !== PARTNER);
  r2.fib = r2.fib.filter((r) => r.prefix !== PARTNER);
  return m;
}

/**
 * r2 as a PAN-OS firewall instead of an IOS-XE router: the same permits as a stateful zone
 * policy (outside → inside), no reply rules, no interface filters.
 */
export function statefulVariant(model: NetworkModel): NetworkModel {
  const m = structuredClone(model);
  const r2 = m.devices.find((d) => d.id === 's.r2')!;
  r2.platform = 'paloalto-panos';
  r2.role = 'firewall';
  r2.stateful = true;
  const toSrv = r2.filters.find((f) => f.name === 'to-srv')!;
  r2.securityRules = toSrv.rules.map((r) => ({
    ...r,
    match: { ...r.match, fromZones: ['outside'], toZones: ['inside'] },
  }));
  r2.filters = [];
  r2.zones = [
    { name: 'inside', interfaces: ['GigabitEthernet2'] },
    { name: 'outside', interfaces: ['GigabitEthernet1'] },
  ];
  for (const i of r2.interfaces) {
    delete i.filterIn;
    delete i.filterOut;
    i.zone = i.name === 'GigabitEthernet2' ? 'inside' : 'outside';
  }
  return m;
}

const LAN6 = '2001:db8:1::/64';
const SRV6 = '2001:db8:2::/64';

/**
 * lan, srv and the r1–r2 link also carry IPv6 (static routes both ways; r2's ACLs admit the
 * same flows for IPv6, ICMPv6 echo for ping). Three assertions that the verifier proves for
 * both families.
 */
export function dualStack(model: NetworkModel): NetworkModel {
  const m = structuredClone(model);
  const r1 = m.devices.find((d) => d.id === 's.r1')!;
  const r2 = m.devices.find((d) => d.id === 's.r2')!;
  const itf = (d: DeviceModel, name: string) => d.interfaces.find((i) => i.name === name)!;
  itf(r1, 'eth1').addresses.push('2001:db8:ff::1/64');
  itf(r1, 'eth2').addresses.push('2001:db8:1::1/64');
  itf(r2, 'GigabitEthernet1').addresses.push('2001:db8:ff::2/64');
  itf(r2, 'GigabitEthernet2').addresses.push('2001:db8:2::1/64');
  r1.staticRoutes.push({ prefix: SRV6, nextHop: '2001:db8:ff::2', origin: span });
  r2.staticRoutes.push({ prefix: LAN6, nextHop: '2001:db8:ff::1', origin: span });
  r1.fib.push(
    { prefix: LAN6, protocol: 'connected', nextHops: [{ interface: 'eth2' }], metric: 0 },
    {
      prefix: SRV6,
      protocol: 'static',
      nextHops: [{ interface: 'eth1', address: '2001:db8:ff::2', device: 's.r2' }],
      metric: 1,
    },
    { prefix: '2001:db8:ff::/64', protocol: 'connected', nextHops: [{ interface: 'eth1' }], metric: 0 },
  );
  r2.fib.push(
    {
      prefix: LAN6,
      protocol: 'static',
      nextHops: [{ interface: 'GigabitEthernet1', address: '2001:db8:ff::1', device: 's.r1' }],
      metric: 1,
    },
    { prefix: SRV6, protocol: 'connected', nextHops: [{ interface: 'GigabitEthernet2' }], metric: 0 },
    {
      prefix: '2001:db8:ff::/64',
      protocol: 'connected',
      nextHops: [{ interface: 'GigabitEthernet1' }],
      metric: 0,
    },
  );
  const toSrv = r2.filters.find((f) => f.name === 'to-srv')!;
  const fromSrv = r2.filters.find((f) => f.name === 'from-srv')!;
  toSrv.rules[0]!.match.sources!.push(LAN6);
  toSrv.rules[0]!.match.destinations!.push(SRV6);
  toSrv.rules.push(
    rule(
      'permit',
      { sources: [LAN6], destinations: [SRV6], protocol: 58, icmpType: 128 },
      'allow lan -> srv : ping (v6)',
    ),
  );
  fromSrv.rules[0]!.match.sources!.push(SRV6);
  fromSrv.rules[0]!.match.destinations!.push(LAN6);
  fromSrv.rules.push(
    rule(
      'permit',
      { sources: [SRV6], destinations: [LAN6], protocol: 58, icmpType: 129 },
      'replies: ping (v6)',
    ),
  );
  for (const ep of m.endpoints) {
    if (ep.name === 'lan') ep.include.push(LAN6);
    if (ep.name === 'srv') ep.include.push(SRV6);
  }
  const pick = ['reach lan -> srv : https', 'reach lan -> srv : ping', 'isolate lan -> srv : ssh'];
  m.assertions = m.assertions.filter((a) => pick.includes(a.text));
  return m;
}
