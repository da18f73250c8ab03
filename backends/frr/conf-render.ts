// frr.conf for FRR 8.4: router id, OSPF (v2 on the interfaces with IPv4, v3 on those with IPv6)
// with the model's costs on its interfaces, static routes, eBGP with route-maps and exact-match
// prefix-lists in both directions, GTSM (`ttl-security hops`) and `maximum-prefix` per session,
// and neighbour logging. Comments (`!`) carry origins that conf-read.ts parses back.
// User text (the neighbour descriptions, the intent's name, paths in origin tags) goes through
// text.ts; names are checked by render-guard.ts (in linux/render.ts, which renders the same box).

import type {
  BgpModel,
  BgpNeighborModel,
  DeviceModel,
  InterfaceModel,
  NetworkModel,
  OspfModel,
  StaticRouteModel,
} from '../../compiler/model.js';
import { sortPrefixes, sortStaticRoutes } from '../canonical.js';
import { formatOriginTag } from '../origin-tag.js';
import { commentText, descriptionText } from './text.js';
import { hasIpv6 } from '../linux/setup-render.js';
import { bgpPasswordLines, ospfAuthLines } from './conf-secrets.js';

export const FRR_FILE = 'frr.conf';

const isV6 = (p: string): boolean => p.includes(':');

export function renderFrrConf(device: DeviceModel, model: NetworkModel): string {
  const out: string[] = [
    'frr defaults traditional',
    `hostname ${device.name}`,
    `! Routing of ${device.id} (frr ${device.role}), compiled by Plumb from the intent "${commentText(model.name)}".`,
    '! Addresses are set by setup.sh, filters by nftables.conf. Edits are lost when the intent is compiled again.',
  ];
  if (device.routerId !== undefined) out.push(`router-id ${device.routerId}`);
  out.push('!');
  const policy = new PolicyWriter();
  if (device.ospf) out.push(...ospfInterfaces(device, device.ospf));
  out.push(...staticRoutes(device.staticRoutes));
  const ospfBlocks = device.ospf ? ospfRouters(device, device.ospf, policy) : [];
  const bgpBlock = device.bgp ? bgpRouter(device.bgp, policy) : [];
  out.push(...policy.lines(), ...ospfBlocks, ...bgpBlock);
  return out.join('\n') + '\n';
}

/** The OSPF versions an interface runs: OSPFv2 iff it has IPv4, OSPFv3 iff it has IPv6. */
export function ospfFamilies(ifc: InterfaceModel | undefined): { v2: boolean; v3: boolean } {
  return {
    v2: ifc !== undefined && ifc.addresses.some((a) => !isV6(a)),
    v3: ifc !== undefined && hasIpv6(ifc),
  };
}

/** Whether the device runs OSPFv3: on an OSPF interface with IPv6, or for IPv6 to announce. */
export function needsOspf6(device: DeviceModel, ospf: OspfModel): boolean {
  const byName = new Map(device.interfaces.map((i) => [i.name, i]));
  return (
    ospf.interfaces.some((i) => ospfFamilies(byName.get(i.name)).v3) ||
    ospf.defaultOriginate.ipv6 ||
    ospf.redistribute.some((r) => r.prefixes.some(isV6))
  );
}

function ospfInterfaces(device: DeviceModel, ospf: OspfModel): string[] {
  const out: string[] = [];
  for (const i of ospf.interfaces) {
    const ifc = device.interfaces.find((x) => x.name === i.name);
    const p2p = ifc?.role === 'link';
    const { v2, v3 } = ospfFamilies(ifc);
    out.push(`interface ${i.name}`);
    if (v2) {
      out.push(' ip ospf area 0', ` ip ospf cost ${i.cost}`);
      if (p2p) out.push(' ip ospf network point-to-point');
      if (i.passive) out.push(' ip ospf passive');
      out.push(...ospfAuthLines(i, 'v2'));
    }
    if (v3) {
      out.push(' ipv6 ospf6 area 0', ` ipv6 ospf6 cost ${i.cost}`);
      if (p2p) out.push(' ipv6 ospf6 network point-to-point');
      if (i.passive) out.push(' ipv6 ospf6 passive');
      out.push(...ospfAuthLines(i, 'v3'));
    }
    out.push('exit', '!');
  }
  return out;
}

function staticRoutes(routes: StaticRouteModel[]): string[] {
  const out: string[] = [];
  for (const r of sortStaticRoutes(routes)) {
    const hop = [r.discard ? BLACKHOLE : undefined, r.nextHop, r.interface, r.distance !== undefined ? String(r.distance) : undefined]
      .filter((x) => x !== undefined)
      .join(' ');
    out.push(
      `! route ${r.prefix} @ ${formatOriginTag(r.origin)}`,
      `${isV6(r.prefix) ? 'ipv6' : 'ip'} route ${r.prefix} ${hop}`,
    );
  }
  if (out.length > 0) out.push('!');
  return out;
}

/** FRR's next hop of a discard route (StaticRouteModel.discard): packets routed by it are dropped silently. */
export const BLACKHOLE = 'blackhole';

/**
 * Every session's state changes are logged (FRR's `traditional` defaults leave them out): an
 * operator sees a peer go down, or be torn down by `maximum-prefix`, in the log.
 */
export const LOG_NEIGHBOR_CHANGES = 'bgp log-neighbor-changes';

/** The route-map action that installs a BGP route's global IPv6 next hop, not its link-local. */
export const PREFER_GLOBAL = 'set ipv6 next-hop prefer-global';

/** Collects prefix-lists and route-maps; each route-map permits exactly its prefixes. */
class PolicyWriter {
  private readonly prefixLists: string[] = [];
  private readonly routeMaps: string[] = [];

  /**
   * A route-map permitting exactly `prefixes` (IPv4 and IPv6 clauses); denies all when empty.
   * `preferGlobal`: the IPv6 clause keeps the global next hop of a route that comes with both a
   * global and a link-local one (an eBGP session over IPv6), which FRR would otherwise install
   * via the link-local: the model's next hop is the neighbour's address.
   */
  routeMap(name: string, prefixes: readonly string[], preferGlobal = false): string {
    const v4 = sortPrefixes(prefixes.filter((p) => !isV6(p)));
    const v6 = sortPrefixes(prefixes.filter(isV6));
    v4.forEach((p, i) => this.prefixLists.push(`ip prefix-list ${name} seq ${(i + 1) * 5} permit ${p}`));
    v6.forEach((p, i) => this.prefixLists.push(`ipv6 prefix-list ${name} seq ${(i + 1) * 5} permit ${p}`));
    if (v4.length > 0)
      this.routeMaps.push(
        `route-map ${name} permit 10`,
        ` match ip address prefix-list ${name}`,
        'exit',
        '!',
      );
    if (v6.length > 0)
      this.routeMaps.push(
        `route-map ${name} permit 20`,
        ` match ipv6 address prefix-list ${name}`,
        ...(preferGlobal ? [` ${PREFER_GLOBAL}`] : []),
        'exit',
        '!',
      );
    if (v4.length === 0 && v6.length === 0) this.routeMaps.push(`route-map ${name} deny 10`, 'exit', '!');
    return name;
  }

  lines(): string[] {
    return [...this.prefixLists, ...(this.prefixLists.length > 0 ? ['!'] : []), ...this.routeMaps];
  }
}

function ospfRouters(device: DeviceModel, ospf: OspfModel, policy: PolicyWriter): string[] {
  const redistribute = [...ospf.redistribute].sort((a, b) =>
    a.protocol < b.protocol ? -1 : a.protocol > b.protocol ? 1 : 0,
  );
  const out = ['router ospf', ` ospf router-id ${ospf.routerId}`];
  for (const r of redistribute) {
    const v4 = r.prefixes.filter((p) => !isV6(p));
    if (v4.length > 0 || r.prefixes.length === 0) {
      out.push(
        ` redistribute ${r.protocol} route-map ${policy.routeMap(`PLUMB-OSPF-${r.protocol.toUpperCase()}`, v4)}`,
      );
    }
  }
  if (ospf.defaultOriginate.ipv4) out.push(' default-information originate');
  out.push('exit', '!');
  if (needsOspf6(device, ospf)) {
    out.push('router ospf6', ` ospf6 router-id ${ospf.routerId}`);
    for (const r of redistribute) {
      const v6 = r.prefixes.filter(isV6);
      if (v6.length > 0)
        out.push(
          ` redistribute ${r.protocol} route-map ${policy.routeMap(`PLUMB-OSPF6-${r.protocol.toUpperCase()}`, v6)}`,
        );
    }
    if (ospf.defaultOriginate.ipv6) out.push(' default-information originate');
    out.push('exit', '!');
  }
  return out;
}

/** Route-map names per neighbour: by external, numbered when an external has several sessions. */
function neighborNames(neighbors: BgpNeighborModel[]): Map<BgpNeighborModel, string> {
  const count = new Map<string, number>();
  const names = new Map<BgpNeighborModel, string>();
  for (const n of neighbors) {
    const k = (count.get(n.external) ?? 0) + 1;
    count.set(n.external, k);
    names.set(n, `${n.external === '' ? 'PEER' : n.external}${k > 1 ? `-${k}` : ''}`);
  }
  return names;
}

/**
 * The address family a session carries: its own (an IPv4 neighbour address: IPv4 unicast; an
 * IPv6 one: IPv6 unicast), whatever its prefixes, which the compiler gives of that family only.
 */
export function sessionFamilies(n: BgpNeighborModel): { v4: boolean; v6: boolean } {
  return { v4: !isV6(n.address), v6: isV6(n.address) };
}

function bgpRouter(bgp: BgpModel, policy: PolicyWriter): string[] {
  const out = [
    `router bgp ${bgp.asn}`,
    ` bgp router-id ${bgp.routerId}`,
    ` ${LOG_NEIGHBOR_CHANGES}`,
    ' no bgp default ipv4-unicast',
  ];
  const names = neighborNames(bgp.neighbors);
  const maps = new Map<BgpNeighborModel, { in: string; out: string }>();
  for (const n of bgp.neighbors) {
    out.push(
      ` ! neighbor ${n.address} external ${n.external} @ ${formatOriginTag(n.origin)}`,
      ` neighbor ${n.address} remote-as ${n.remoteAs}`,
    );
    if (n.description !== '') out.push(` neighbor ${n.address} description ${descriptionText(n.description)}`);
    if (n.ttlSecurity !== undefined) out.push(` neighbor ${n.address} ttl-security hops ${n.ttlSecurity}`);
    out.push(...bgpPasswordLines(n));
    const name = names.get(n)!;
    maps.set(n, {
      in: policy.routeMap(`PLUMB-${name}-IN`, n.importPrefixes, isV6(n.address)),
      out: policy.routeMap(`PLUMB-${name}-OUT`, n.exportPrefixes),
    });
  }
  for (const family of ['ipv4', 'ipv6'] as const) {
    const members = bgp.neighbors.filter((n) => sessionFamilies(n)[family === 'ipv4' ? 'v4' : 'v6']);
    if (members.length === 0) continue;
    const originated = sortPrefixes([
      ...new Set(members.flatMap((n) => n.exportPrefixes).filter((p) => isV6(p) === (family === 'ipv6'))),
    ]);
    out.push(' !', ` address-family ${family} unicast`);
    for (const p of originated) out.push(`  network ${p}`);
    for (const n of members) {
      const m = maps.get(n)!;
      out.push(
        `  neighbor ${n.address} activate`,
        `  neighbor ${n.address} route-map ${m.in} in`,
        `  neighbor ${n.address} route-map ${m.out} out`,
      );
      if (n.maxPrefixes !== undefined) out.push(`  neighbor ${n.address} maximum-prefix ${n.maxPrefixes}`);
    }
    out.push(' exit-address-family');
  }
  out.push('exit', '!');
  return out;
}
