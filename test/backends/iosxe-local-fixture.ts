// The hand-built IOS-XE edge router (vendor-fixtures.ts) with what the compiler adds for the
// router's own traffic: a local filter as the model contract describes it (BGP with the peer on
// the session address, OSPF from the link neighbour, ICMP errors, SSH and SNMP from the NOC),
// uRPF on its external interfaces, GTSM and maximum-prefix on its eBGP session.

import type { DeviceModel, FilterRule, Match } from '../../compiler/model.js';
import type { Span } from '../../language/diagnostic.js';
import { edgeRouter } from './vendor-fixtures.js';

const at = (line: number): Span => ({
  file: 'acme.plumb',
  start: { line, column: 3, offset: (line - 1) * 100 + 2 },
  end: { line, column: 40, offset: (line - 1) * 100 + 39 },
});

const rule = (line: number, description: string, match: Match, action: 'permit' | 'deny' = 'permit'): FilterRule => ({ action, match, origin: at(line), description });

/** The local filter's rules, in the compiler's order: routing, ICMP errors, then `manage`. */
export function localRules(): FilterRule[] {
  return [
    rule(33, 'BGP from snowflake 169.254.10.2', { sources: ['169.254.10.2/32'], destinations: ['169.254.10.1/32'], protocol: 6, destinationPorts: [{ from: 179, to: 179 }] }),
    rule(33, 'BGP replies from snowflake 169.254.10.2', { sources: ['169.254.10.2/32'], destinations: ['169.254.10.1/32'], protocol: 6, sourcePorts: [{ from: 179, to: 179 }] }),
    rule(10, 'OSPF from link neighbour fra1.fw1', { sources: ['10.255.0.1/32', 'fe80::2/128'], protocol: 89 }),
    rule(3, 'ICMP unreachable', { protocol: 1, icmpType: 3 }),
    rule(3, 'ICMP time exceeded', { protocol: 1, icmpType: 11 }),
    rule(3, 'ICMPv6 unreachable', { protocol: 58, icmpType: 1 }),
    rule(3, 'ICMPv6 packet too big', { protocol: 58, icmpType: 2 }),
    rule(3, 'ICMPv6 time exceeded', { protocol: 58, icmpType: 3 }),
    rule(60, 'manage from noc : ssh (acme.plumb:60)', { sources: ['10.10.9.0/24', '2001:db8:10:9::/64'], protocol: 6, destinationPorts: [{ from: 22, to: 22 }] }),
    rule(60, 'manage from noc : snmp (acme.plumb:60)', { sources: ['10.10.9.0/24', '2001:db8:10:9::/64'], protocol: 17, destinationPorts: [{ from: 161, to: 161 }] }),
  ];
}

/** edge1 with a local filter `local`, uRPF, GTSM and maximum-prefix. */
export function localEdgeRouter(): DeviceModel {
  const d = edgeRouter();
  d.filters = [...d.filters, { name: 'local', defaultAction: 'deny' as const, rules: localRules() }].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  d.localFilter = 'local';
  d.interfaces = d.interfaces.map((i) => (i.role === 'external' ? { ...i, urpf: i.external === 'internet' ? 'loose' : 'strict' } : i));
  d.bgp = { ...d.bgp!, neighbors: d.bgp!.neighbors.map((n) => ({ ...n, ttlSecurity: 1, maxPrefixes: 2 })) };
  return d;
}
