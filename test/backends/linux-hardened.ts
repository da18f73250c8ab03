// Example models with the fields the contract adds for the Linux and FRR boxes, filled the way
// compiler/model.ts describes them: a `local` filter (BGP with each peer on the session address,
// OSPF from the link neighbours without destinations, ICMP errors, ssh from a NOC prefix), strict
// uRPF on segments and externals, GTSM and maximum-prefix on eBGP sessions. For the backend tests
// until the compiler emits them (and after: they then test the same lines on more variety).

import type { DeviceModel, FilterRule, Match, NetworkModel } from '../../compiler/model.js';
import { canonicalPrefix } from '../../language/address.js';

const SPAN = { file: 'hardened.plumb', start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 2, offset: 1 } };

export const NOC = ['10.99.0.0/24', '2001:db8:99::/64'];

const host = (a: string): string => canonicalPrefix(`${a.split('/')[0]}/${a.includes(':') ? 128 : 32}`)!;

function rule(description: string, match: Match): FilterRule {
  return { action: 'permit', match, origin: SPAN, description };
}

/** The local filter the contract describes for `d` in `model`. */
export function localFilterRules(d: DeviceModel, model: NetworkModel): FilterRule[] {
  const rules: FilterRule[] = [];
  for (const n of d.bgp?.neighbors ?? []) {
    const v6 = n.address.includes(':');
    const session = d.interfaces
      .flatMap((i) => i.addresses)
      .filter((a) => a.includes(':') === v6)
      .find((a) => {
        const len = Number(a.split('/')[1]);
        return canonicalPrefix(`${a.split('/')[0]}/${len}`) === canonicalPrefix(`${n.address}/${len}`);
      });
    rules.push(
      rule(`bgp from ${n.address}`, {
        sources: [host(n.address)],
        ...(session ? { destinations: [host(session)] } : {}),
        protocol: 6,
        destinationPorts: [{ from: 179, to: 179 }],
      }),
      rule(`bgp replies from ${n.address}`, { sources: [host(n.address)], protocol: 6, sourcePorts: [{ from: 179, to: 179 }] }),
    );
  }
  if (d.ospf) {
    const neighbours: string[] = [];
    for (const i of d.interfaces) {
      if (!i.peer || !d.ospf.interfaces.some((o) => o.name === i.name)) continue;
      const peer = model.devices.find((x) => x.id === i.peer!.device)?.interfaces.find((x) => x.name === i.peer!.interface);
      if (!peer) continue;
      neighbours.push(...peer.addresses.map(host), ...(peer.linkLocal ? [`${peer.linkLocal}/128`] : []));
    }
    if (neighbours.length > 0) rules.push(rule('ospf from the link neighbours', { sources: [...new Set(neighbours)], protocol: 89 }));
  }
  for (const [protocol, type] of [[1, 3], [1, 11], [58, 1], [58, 2], [58, 3]] as const)
    rules.push(rule(`icmp error ${protocol}/${type}`, { protocol, icmpType: type }));
  rules.push(rule('manage from noc : ssh', { sources: NOC, protocol: 6, destinationPorts: [{ from: 22, to: 22 }] }));
  return rules;
}

/** `d` with a local filter, uRPF, GTSM and maximum-prefix. */
export function hardenDevice(d: DeviceModel, model: NetworkModel): DeviceModel {
  const local = { name: 'local', rules: localFilterRules(d, model), defaultAction: 'deny' as const };
  const has = d.localFilter !== undefined; // the compiler's own, once it writes one
  return {
    ...d,
    localFilter: has ? d.localFilter : 'local',
    filters: has ? d.filters : [...d.filters, local].sort((a, b) => (a.name < b.name ? -1 : 1)),
    interfaces: d.interfaces.map((i) =>
      i.role === 'segment' || i.role === 'external' ? { ...i, urpf: i.role === 'external' && d.bgp ? ('loose' as const) : ('strict' as const) } : i,
    ),
    ...(d.bgp ? { bgp: { ...d.bgp, neighbors: d.bgp.neighbors.map((n) => ({ ...n, ttlSecurity: 1, maxPrefixes: 10 + n.importPrefixes.length })) } } : {}),
  };
}

/** The model with every Linux and FRR box hardened. */
export function hardenModel(model: NetworkModel): NetworkModel {
  return {
    ...model,
    devices: model.devices.map((d) => (d.platform === 'linux' || d.platform === 'frr' ? hardenDevice(d, model) : d)),
  };
}
