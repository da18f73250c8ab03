// DeviceModel → `<device>.cfg` for Cisco IOS-XE 17 (Catalyst 8000V), in `show running-config`
// order: hostname, object-groups, interfaces, routing processes, static routes, ACLs,
// prefix-lists, route-maps. What the config itself cannot say (a link's far end, which intent
// line made an object) is kept in `! plumb ...` comment lines and ACL remarks, so that
// read(render(d)) = d; IOS ignores the comments when the file is loaded. User text goes
// through text.ts (`iosText`); names are checked by render-guard.ts before anything is written.

import type { BgpModel, BgpNeighborModel, DeviceModel, InterfaceModel, NetworkModel, OspfModel } from '../../compiler/model.js';
import type { RenderedFile } from '../backend.js';
import { addressOf, containsAddress, formatIPv4, formatIPv6, network, prefixOf } from '../../language/address.js';
import { ipv6Filters, renderAcls, selfPrefixes, type ControlPlane, type LocalPart } from './acl-render.js';
import { renderVty } from './vty.js';
import { bgpPasswordLines, ospfAuthLines } from './auth.js';
import { renderZbf } from './zbf-render.js';
import { natInterfaceLine, renderNat } from './nat-render.js';
import { renameInterfaces, subinterfaceNames } from '../interface-names.js';
import { formatOriginTag } from '../origin-tag.js';
import { iosText } from './text.js';
import { requireWritableNames } from '../render-guard.js';
import { CONFIG_SUFFIX, dottedMask, IPV6_ACL_SUFFIX, OSPF_PROCESS, RA_SUPPRESS, safeName, URPF_MODE } from './syntax.js';
import { comparePrefix, exactRouteMap, familyOf, linkLocalText, split, staticRouteLines, textOf, type Family, type RouteMapParts } from './render-routes.js';

/** Appends `lines` to `out` (no spread: a long block is not passed as arguments). */
function pushAll(out: string[], lines: readonly string[]): void {
  for (const l of lines) out.push(l);
}

/** Where the local filter's own list is bound: the addressed interfaces without an inbound filter. */
function localIn(i: InterfaceModel, device: DeviceModel): string | undefined {
  return device.localFilter !== undefined && i.filterIn === undefined && addressed(i) ? device.localFilter : undefined;
}

/** An interface packets can enter and be addressed to the router by: not a loopback, with an address. */
function addressed(i: InterfaceModel): boolean {
  return i.role !== 'loopback' && (i.addresses.length > 0 || hasIpv6(i));
}

function interfaceLines(i: InterfaceModel, device: DeviceModel, modelNames: Map<string, string>, withIpv6: Set<string>): string[] {
  const meta = [`role ${i.role}`];
  const modelName = modelNames.get(i.name);
  if (modelName !== undefined) meta.unshift(`model-name ${modelName}`);
  if (i.peer) meta.push(`peer ${i.peer.device} ${i.peer.interface}`);
  if (i.segment !== undefined) meta.push(`segment ${i.segment}`);
  if (i.external !== undefined) meta.push(`external ${i.external}`);
  if (i.zone !== undefined) meta.push(`zone ${i.zone}`);
  const lines = [`interface ${i.name}`, ` ! plumb interface ${meta.join(' ')} origin ${formatOriginTag(i.origin)}`];
  if (i.description !== '') lines.push(` description ${iosText(i.description)}`);
  if (i.vlan !== undefined) lines.push(` encapsulation dot1Q ${i.vlan}`);
  const addrs = split(i.addresses);
  addrs[4].forEach((a, k) => {
    const p = prefixOf(a);
    lines.push(` ip address ${formatIPv4(p.value)} ${dottedMask(p.length)}${k > 0 ? ' secondary' : ''}`);
  });
  const own = localIn(i, device);
  if (i.filterIn !== undefined) lines.push(` ip access-group ${i.filterIn} in`);
  else if (own !== undefined && addrs[4].length > 0) lines.push(` ip access-group ${own} in`);
  if (i.filterOut !== undefined) lines.push(` ip access-group ${i.filterOut} out`);
  const nat = natInterfaceLine(modelName ?? i.name, device.nat) ?? natInterfaceLine(i.name, device.nat);
  if (nat !== undefined) lines.push(nat);
  if (i.zone !== undefined && device.zones.length > 0) lines.push(` zone-member security ${i.zone}`);
  const v6On = hasIpv6(i);
  // uRPF in both families; `allow-default` because the model's route back may be a default route
  const urpf = i.urpf !== undefined ? `verify unicast source reachable-via ${URPF_MODE[i.urpf]} allow-default` : undefined;
  if (urpf !== undefined && (addrs[4].length > 0 || !v6On)) lines.push(` ip ${urpf}`);
  const ospf = device.ospf?.interfaces.find((o) => o.name === i.name);
  const v2 = ospf !== undefined && (addrs[4].length > 0 || !v6On);
  const v3 = ospf !== undefined && v6On;
  // links are point-to-point, as the FRR backend writes them: both ends must agree
  const p2p = i.role === 'link';
  if (v2) lines.push(` ip ospf ${OSPF_PROCESS} area 0`, ` ip ospf cost ${ospf.cost}`, ...(p2p ? [' ip ospf network point-to-point'] : []));
  if (v2) lines.push(...ospfAuthLines(ospf));
  // IOS prints IPv6 addresses in upper case; a configured link-local replaces the automatic one
  // and turns IPv6 on by itself (no `ipv6 enable`)
  if (i.linkLocal !== undefined) lines.push(` ipv6 address ${linkLocalText(i.linkLocal)} link-local`);
  for (const a of addrs[6]) {
    const p = prefixOf(a);
    lines.push(` ipv6 address ${formatIPv6(p.value)}/${p.length}`);
  }
  // IOS-XE sends router advertisements on every IPv6 interface unless told not to; the model has none
  if (v6On) lines.push(` ${RA_SUPPRESS}`);
  if (urpf !== undefined && v6On) lines.push(` ipv6 ${urpf}`);
  if (i.filterIn !== undefined && withIpv6.has(i.filterIn)) lines.push(` ipv6 traffic-filter ${i.filterIn}${IPV6_ACL_SUFFIX} in`);
  else if (own !== undefined && v6On) lines.push(` ipv6 traffic-filter ${own}${IPV6_ACL_SUFFIX} in`);
  if (i.filterOut !== undefined && withIpv6.has(i.filterOut)) lines.push(` ipv6 traffic-filter ${i.filterOut}${IPV6_ACL_SUFFIX} out`);
  if (v3) lines.push(` ospfv3 ${OSPF_PROCESS} ipv6 area 0`, ` ospfv3 cost ${ospf.cost}`, ...(p2p ? [' ospfv3 network point-to-point'] : []));
  lines.push(' no shutdown', '!');
  return lines;
}

/** Whether IPv6 is on for the interface: a global address or a configured link-local. */
function hasIpv6(i: InterfaceModel): boolean {
  return i.linkLocal !== undefined || i.addresses.some((a) => familyOf(a) === 6);
}

const REDIST_NAME = { static: 'OSPF-STATIC', connected: 'OSPF-CONNECTED', bgp: 'OSPF-BGP' } as const;

function ospfLines(ospf: OspfModel, device: DeviceModel, maps: RouteMapParts[]): string[] {
  const v6On = (name: string): boolean => {
    const i = device.interfaces.find((x) => x.name === name);
    return i !== undefined && hasIpv6(i);
  };
  const v4On = (name: string): boolean => {
    const i = device.interfaces.find((x) => x.name === name);
    return i === undefined || i.addresses.some((a) => familyOf(a) === 4) || !hasIpv6(i);
  };
  const redistribute = (family: Family): string[] =>
    ospf.redistribute.flatMap((r) => {
      const prefixes = split(r.prefixes)[family];
      if (prefixes.length === 0 && !(family === 4 && r.prefixes.length === 0)) return [];
      const name = `${REDIST_NAME[r.protocol]}${family === 6 ? '-V6' : ''}`;
      maps.push(exactRouteMap(name, prefixes));
      const source = r.protocol === 'bgp' ? `bgp ${bgpAsn(device)}` : r.protocol;
      return [`${family === 4 ? ' ' : '  '}redistribute ${source}${family === 4 ? ' subnets' : ''} route-map ${name}`];
    });
  const lines = [`router ospf ${OSPF_PROCESS}`, ` router-id ${ospf.routerId}`];
  for (const i of ospf.interfaces) if (i.passive && v4On(i.name)) lines.push(` passive-interface ${i.name}`);
  lines.push(...redistribute(4));
  if (ospf.defaultOriginate.ipv4) lines.push(' default-information originate');
  lines.push('!');
  const v6Redistribute = redistribute(6);
  const v3 = ospf.interfaces.some((i) => v6On(i.name)) || ospf.defaultOriginate.ipv6 || v6Redistribute.length > 0;
  if (v3) {
    lines.push(`router ospfv3 ${OSPF_PROCESS}`, ` router-id ${ospf.routerId}`, ' !', ' address-family ipv6 unicast');
    for (const i of ospf.interfaces) if (i.passive && v6On(i.name)) lines.push(`  passive-interface ${i.name}`);
    lines.push(...v6Redistribute);
    if (ospf.defaultOriginate.ipv6) lines.push('  default-information originate');
    lines.push(' exit-address-family', '!');
  }
  return lines;
}

function bgpAsn(device: DeviceModel): number {
  if (!device.bgp) throw new Error(`internal: ${device.id} redistributes BGP into OSPF without BGP`);
  return device.bgp.asn;
}

/** Route-map base names per neighbour: the external's name, numbered when it has several sessions. */
function neighborMapNames(bgp: BgpModel): Map<BgpNeighborModel, string> {
  const count = new Map<string, number>();
  for (const n of bgp.neighbors) count.set(n.external, (count.get(n.external) ?? 0) + 1);
  const seen = new Map<string, number>();
  const names = new Map<BgpNeighborModel, string>();
  for (const n of bgp.neighbors) {
    const k = (seen.get(n.external) ?? 0) + 1;
    seen.set(n.external, k);
    const base = `BGP-${safeName(n.external).toUpperCase()}`;
    names.set(n, count.get(n.external)! > 1 ? `${base}-${k}` : base);
  }
  return names;
}

function bgpLines(bgp: BgpModel, maps: RouteMapParts[]): string[] {
  const names = neighborMapNames(bgp);
  const lines = [`router bgp ${bgp.asn}`, ` bgp router-id ${bgp.routerId}`, ' bgp log-neighbor-changes', ' no bgp default ipv4-unicast'];
  for (const n of bgp.neighbors) {
    lines.push(` ! plumb neighbor ${n.address} external ${n.external} origin ${formatOriginTag(n.origin)}`);
    lines.push(` neighbor ${n.address} remote-as ${n.remoteAs}`);
    if (n.description !== '') lines.push(` neighbor ${n.address} description ${iosText(n.description)}`);
    lines.push(...bgpPasswordLines(n));
    if (n.ttlSecurity !== undefined) lines.push(` neighbor ${n.address} ttl-security hops ${n.ttlSecurity}`);
  }
  for (const n of bgp.neighbors) {
    const name = names.get(n)!;
    maps.push(exactRouteMap(`${name}-IN`, n.importPrefixes), exactRouteMap(`${name}-OUT`, n.exportPrefixes));
  }
  // A session carries its own address family only: a neighbour is activated in the family of
  // its address (`no bgp default ipv4-unicast` keeps IPv4 off the others).
  for (const n of bgp.neighbors) {
    const other = [...n.importPrefixes, ...n.exportPrefixes].find((p) => familyOf(p) !== sessionFamily(n));
    if (other !== undefined) throw new Error(`internal: BGP neighbour ${n.address} carries ${other}, of the other address family`);
  }
  for (const family of [4, 6] as const) {
    const members = bgp.neighbors.filter((n) => sessionFamily(n) === family);
    if (members.length === 0) continue;
    lines.push(' !', ` address-family ${family === 4 ? 'ipv4' : 'ipv6'}`);
    const announced = [...new Set(members.flatMap((n) => split(n.exportPrefixes)[family]))].map(prefixOf).sort(comparePrefix);
    for (const p of announced) {
      const n = network(p);
      lines.push(family === 4 ? `  network ${formatIPv4(n.value)} mask ${dottedMask(n.length)}` : `  network ${textOf(p)}`);
    }
    for (const n of members) {
      const name = names.get(n)!;
      lines.push(`  neighbor ${n.address} activate`);
      lines.push(`  neighbor ${n.address} route-map ${name}-IN in`);
      lines.push(`  neighbor ${n.address} route-map ${name}-OUT out`);
      if (n.maxPrefixes !== undefined) lines.push(`  neighbor ${n.address} maximum-prefix ${n.maxPrefixes}`);
    }
    lines.push(' exit-address-family');
  }
  lines.push('!');
  return lines;
}

/** The address family a BGP session carries: its neighbour address's. */
function sessionFamily(n: BgpNeighborModel): Family {
  return familyOf(`${n.address}/0`);
}

/**
 * The entries that let the router's own routing sessions through the inbound lists of the
 * interfaces they run on (see CONTROL_REMARK): BGP with each neighbour on the interface's
 * subnets, OSPF (protocol 89) to the OSPF groups and the interface's addresses.
 */
function controlPlane(device: DeviceModel): ControlPlane {
  const out: ControlPlane = new Map();
  for (const i of device.interfaces) {
    if (i.filterIn === undefined) continue;
    const entries = out.get(i.filterIn) ?? { 4: [], 6: [] };
    const add = (family: Family, text: string): void => {
      if (!entries[family].includes(text)) entries[family].push(text);
    };
    const host = (a: string): string => `host ${a}`;
    for (const a of i.addresses) {
      const p = prefixOf(a);
      const local = p.family === 4 ? formatIPv4(p.value) : formatIPv6(p.value);
      for (const n of device.bgp?.neighbors ?? []) {
        if (!containsAddress(p, addressOf(n.address)) || n.address === local) continue;
        add(p.family, `tcp ${host(n.address)} ${host(local)} eq 179`);
        add(p.family, `tcp ${host(n.address)} eq 179 ${host(local)}`);
      }
    }
    const ospf = device.ospf?.interfaces.find((o) => o.name === i.name);
    if (ospf && !ospf.passive) {
      const v4 = i.addresses.filter((a) => familyOf(a) === 4);
      if (v4.length > 0 || !hasIpv6(i)) {
        for (const g of ['224.0.0.5', '224.0.0.6', ...v4.map((a) => formatIPv4(prefixOf(a).value))]) add(4, `ospf any ${host(g)}`);
      }
      // OSPFv3 speaks from and to link-local addresses: the groups and fe80::/10
      if (hasIpv6(i)) {
        for (const g of ['host ff02::5', 'host ff02::6', 'fe80::/10']) add(6, `89 any ${g}`);
      }
    }
    if (entries[4].length + entries[6].length > 0) out.set(i.filterIn, entries);
  }
  return out;
}

/** The model's local filter as the infrastructure ACL writes it; undefined without one. */
function localPart(device: DeviceModel): LocalPart | undefined {
  if (device.localFilter === undefined) return undefined;
  const filter = device.filters.find((f) => f.name === device.localFilter);
  if (!filter) throw new Error(`internal: ${device.id}: the local filter ${device.localFilter} is not among its filters`);
  const inbound = new Set(device.interfaces.map((i) => i.filterIn).filter((f) => f !== undefined));
  if (inbound.has(filter.name) || device.interfaces.some((i) => i.filterOut === filter.name)) {
    throw new Error(`internal: ${device.id}: the local filter ${filter.name} is also bound to an interface`);
  }
  const withoutIn = device.interfaces.filter((i) => localIn(i, device) !== undefined);
  return {
    filter,
    self: selfPrefixes(device.interfaces.flatMap((i) => i.addresses), device.interfaces.some(hasIpv6), device.ospf !== undefined),
    inbound,
    own: { 4: withoutIn.length > 0, 6: withoutIn.length > 0 && device.interfaces.some(hasIpv6) },
  };
}

export function renderIosxe(modelDevice: DeviceModel, model: NetworkModel): RenderedFile[] {
  requireWritableNames(modelDevice, { bareWords: true });
  const renames = subinterfaceNames(modelDevice);
  const modelNames = new Map([...renames].map(([m, c]) => [c, m]));
  const device = renameInterfaces(modelDevice, renames);
  // a firewall's zone policy: the zone-based firewall (zbf-render.ts)
  const zbf = renderZbf(device);
  const aclFilters = zbf ? [...device.filters, ...zbf.filters] : device.filters;
  const out: string[] = [
    `! ${device.id}: Cisco IOS-XE 17 configuration of network ${iosText(model.name)}, generated by Plumb.`,
    '! Regenerate it from the intent rather than editing it; `! plumb` lines are read back by Plumb.',
    `! plumb device origin ${formatOriginTag(device.origin)}`,
  ];
  if (device.routerId !== undefined) out.push(`! plumb router-id ${device.routerId}`);
  out.push('!', `hostname ${device.name}`, '!');
  const anyV6 =
    device.interfaces.some(hasIpv6) ||
    device.staticRoutes.some((r) => familyOf(r.prefix) === 6);
  if (anyV6) out.push('ipv6 unicast-routing', '!');
  const local = localPart(device);
  // with a local filter, every inbound list of a router with IPv6 has both halves: the local part
  // reads back alike from every list
  const withIpv6 = ipv6Filters(aclFilters, (f) =>
    device.interfaces.some((i) => (i.filterIn === f || i.filterOut === f) && hasIpv6(i)) || (local !== undefined && local.self[6].length > 0 && local.inbound.has(f)),
  );
  const acls = renderAcls(aclFilters, withIpv6, local ? new Map() : controlPlane(device), local);
  // a router with no address an inbound list could hold the local part for has none, and then
  // no vty lines either (the reader finds no local filter)
  const written = local !== undefined && local.self[4].length + local.self[6].length > 0 && (local.inbound.size > 0 || local.own[4] || local.own[6]);
  const vty = local && written ? renderVty(local.filter, device.interfaces.some(hasIpv6)) : undefined;
  for (const g of acls.objectGroups) out.push(...g, '!');
  for (const b of zbf?.blocks ?? []) out.push(...b, '!');
  for (const i of device.interfaces) {
    // a tagged subinterface needs its physical interface up
    const parent = modelNames.get(i.name);
    if (parent !== undefined && !device.interfaces.some((x) => x.name === parent)) out.push(`interface ${parent}`, ' no shutdown', '!');
    pushAll(out, interfaceLines(i, device, modelNames, withIpv6));
  }
  const maps: RouteMapParts[] = [];
  if (device.ospf) pushAll(out, ospfLines(device.ospf, device, maps));
  if (device.bgp) pushAll(out, bgpLines(device.bgp, maps));
  // the order of `show running-config`: NAT, IPv4 routes, lists and prefix-lists, IPv6
  // prefix-lists, route-maps, then IPv6 routes and lists
  const nat = renderNat(device, (name) => renames.get(name) ?? name);
  if (nat && nat.lines.length > 0) out.push(...nat.lines, '!');
  const routes = staticRouteLines(device);
  if (routes[4] !== undefined) pushAll(out, routes[4]);
  if (vty && vty.acl4.length > 0) out.push(...vty.acl4, '!');
  for (const a of nat?.acls ?? []) out.push(...a, '!');
  for (const a of acls.accessLists.filter((l) => l.startsWith('ip '))) out.push(a, '!');
  for (const family of [4, 6] as const) {
    const parts = maps.flatMap((m) => m.prefixLists[family] ?? []);
    if (parts.length === 0) continue;
    pushAll(out, parts);
    out.push('!');
  }
  for (const m of maps) out.push(...m.routeMap);
  if (routes[6] !== undefined) pushAll(out, routes[6]);
  for (const a of acls.accessLists.filter((l) => l.startsWith('ipv6 '))) out.push(a, '!');
  if (vty && vty.acl6.length > 0) out.push(...vty.acl6, '!');
  if (vty) out.push(...vty.lines, '!');
  out.push('end', '');
  return [{ path: `${device.name}${CONFIG_SUFFIX}`, content: out.join('\n') }];
}
