// A PAN-OS firewall's local filter as the model contract describes it (compiler/model.ts), for
// devices the compiler has not given one yet: BGP with each peer on the session address (and
// its replies from port 179), OSPF from the link neighbours, ICMP errors, then `manage` rules
// (SSH, SNMP and ping from a NOC prefix).

import type { DeviceModel, FilterRule, Match } from '../../compiler/model.js';
import { containsAddress, formatPrefix, network, parseAddress, prefixOf } from '../../language/address.js';
import type { Span } from '../../language/diagnostic.js';
import { firewall } from './vendor-fixtures.js';

const at = (line: number): Span => ({
  file: 'acme.plumb',
  start: { line, column: 3, offset: (line - 1) * 100 + 2 },
  end: { line, column: 40, offset: (line - 1) * 100 + 39 },
});

const rule = (line: number, description: string, match: Match): FilterRule => ({ action: 'permit', match, origin: at(line), description });
const host = (a: string): string => `${a}/${a.includes(':') ? 128 : 32}`;

export const NOC = ['10.10.9.0/24', '2001:db8:10:9::/64'];

/** The local filter's rules for `d`, in the compiler's order: routing, ICMP errors, then `manage`. */
export function localRulesOf(d: DeviceModel, manage: Match[] = [
  { protocol: 6, destinationPorts: [{ from: 22, to: 22 }] },
  { protocol: 17, destinationPorts: [{ from: 161, to: 161 }] },
  { protocol: 1, icmpType: 8 },
  { protocol: 58, icmpType: 128 },
]): FilterRule[] {
  const out: FilterRule[] = [];
  for (const n of d.bgp?.neighbors ?? []) {
    const peer = parseAddress(n.address)!;
    const local = d.interfaces.flatMap((i) => i.addresses).find((a) => containsAddress(prefixOf(a), peer));
    if (local === undefined) continue;
    const m = { sources: [host(n.address)], destinations: [host(local.split('/')[0]!)], protocol: 6 };
    out.push(rule(12, `BGP from ${n.external} ${n.address}`, { ...m, destinationPorts: [{ from: 179, to: 179 }] }));
    out.push(rule(12, `BGP replies from ${n.external} ${n.address}`, { ...m, sourcePorts: [{ from: 179, to: 179 }] }));
  }
  const ospf = (d.ospf?.interfaces ?? []).filter((o) => !o.passive).map((o) => d.interfaces.find((i) => i.name === o.name)!);
  for (const i of ospf) {
    const sources = [...i.addresses.map((a) => formatPrefix(network(prefixOf(a)))), ...(i.linkLocal !== undefined ? ['fe80::/64'] : [])];
    out.push(rule(10, `OSPF from link neighbour on ${i.name}`, { sources, protocol: 89 }));
  }
  out.push(rule(3, 'ICMP unreachable', { protocol: 1, icmpType: 3 }));
  out.push(rule(3, 'ICMP time exceeded', { protocol: 1, icmpType: 11 }));
  out.push(rule(3, 'ICMPv6 unreachable', { protocol: 58, icmpType: 1 }));
  out.push(rule(3, 'ICMPv6 packet too big', { protocol: 58, icmpType: 2 }));
  out.push(rule(3, 'ICMPv6 time exceeded', { protocol: 58, icmpType: 3 }));
  for (const m of manage) {
    const sources = NOC.filter((p) => m.protocol !== 1 || !p.includes(':')).filter((p) => m.protocol !== 58 || p.includes(':'));
    out.push(rule(60, `manage from noc (acme.plumb:60)`, { sources, ...m }));
  }
  return out;
}

/** `d` with a local filter `local` (unless it has one). */
export function withLocalFilter(d: DeviceModel, manage?: Match[]): DeviceModel {
  if (d.localFilter !== undefined) return d;
  const filters = [...d.filters, { name: 'local', defaultAction: 'deny' as const, rules: localRulesOf(d, manage) }];
  return { ...d, filters: filters.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)), localFilter: 'local' };
}

/** The hand-built firewall with its local filter. */
export const localFirewall = (): DeviceModel => withLocalFilter(firewall());
