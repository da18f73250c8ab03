// The virtual router's routing configuration: static routes, OSPF and OSPFv3 with their
// redistribution profiles, BGP peer groups with exact-prefix import/export rules and the
// redistribution that originates the announced prefixes (PAN-OS has no `network` statement),
// and the authentication profiles of the sessions and links the model authenticates (auth.ts).

import type { BgpNeighborModel, DeviceModel } from '../../compiler/model.js';
import { comparePrefixes, containsAddress, formatIPv4, formatIPv6, parseAddress, prefixOf } from '../../language/address.js';
import { formatOriginTag } from '../origin-tag.js';
import { authProfileNames, bgpAuthProfilesXml, ospfAuthProfilesXml } from './auth.js';
import { addressName, annotation, cleanName, NameTable } from './names.js';
import { comment, el, entry, members, type XmlElement, type XmlNode } from './xml.js';

const familyOf = (p: string): 4 | 6 => prefixOf(p).family;
const yes = (b: boolean): string => (b ? 'yes' : 'no');
const DEFAULT_ROUTES = new Set(['0.0.0.0/0', '::/0']);
const isDefaultRoute = (p: string): boolean => DEFAULT_ROUTES.has(p);

/** Prefixes, canonical and sorted (IPv4 first), without duplicates. */
export function sortedUnique(prefixes: string[]): string[] {
  return [...new Set(prefixes)].map(prefixOf).sort(comparePrefixes).map((p) => `${p.family === 4 ? formatIPv4(p.value) : formatIPv6(p.value)}/${p.length}`);
}

/** The next hop of a discard route (StaticRouteModel.discard): PAN-OS drops what it routes. */
export const DISCARD = 'discard';

export function staticRoutesXml(device: DeviceModel): XmlElement | undefined {
  if (device.staticRoutes.length === 0) return undefined;
  const names = new NameTable();
  const tables: XmlElement[] = [];
  for (const family of [4, 6] as const) {
    const routes = device.staticRoutes.filter((r) => familyOf(r.prefix) === family);
    if (routes.length === 0) continue;
    const entries = routes.map((r) => {
      const body: XmlNode[] = [comment(annotation('route', [['origin', formatOriginTag(r.origin)]])), el('destination', r.prefix)];
      if (r.interface !== undefined) body.push(el('interface', r.interface));
      if (r.nextHop !== undefined) body.push(el('nexthop', [el(family === 4 ? 'ip-address' : 'ipv6-address', r.nextHop)]));
      if (r.discard) body.push(el('nexthop', [el(DISCARD)]));
      if (r.distance !== undefined) body.push(el('admin-dist', String(r.distance)));
      const p = prefixOf(r.prefix);
      const label = p.length === 0 ? `default-ipv${family}` : `route-${addressName(r.prefix).replace(/^[nh]6?-/, '')}`;
      return entry(names.take(label), body);
    });
    tables.push(el(family === 4 ? 'ip' : 'ipv6', [el('static-route', entries)]));
  }
  return el('routing-table', tables);
}

const REDIST_TYPE = { static: 'static', connected: 'connect', bgp: 'bgp' } as const;

/** The redistribution profiles that originate the prefixes announced to BGP neighbours. */
export const BGP_ANNOUNCE = { 4: 'bgp-announce', 6: 'bgp-announce-v6' } as const;
const ANNOUNCE_TYPES = { 4: ['connect', 'static', 'ospf'], 6: ['connect', 'static', 'ospfv3'] } as const;

/** Prefixes announced to any BGP neighbour, per family, sorted. */
export function announced(device: DeviceModel): Record<4 | 6, string[]> {
  const all = sortedUnique((device.bgp?.neighbors ?? []).flatMap((n) => n.exportPrefixes));
  return { 4: all.filter((p) => familyOf(p) === 4), 6: all.filter((p) => familyOf(p) === 6) };
}

export function protocolXml(device: DeviceModel): XmlElement | undefined {
  const children: XmlNode[] = [];
  const ospf = device.ospf;
  const profiles: Record<4 | 6, XmlElement[]> = { 4: [], 6: [] };
  let priority = 1;
  if (ospf) {
    const exports: Record<4 | 6, string[]> = { 4: [], 6: [] };
    for (const r of ospf.redistribute) {
      for (const family of [4, 6] as const) {
        const prefixes = r.prefixes.filter((p) => familyOf(p) === family);
        if (prefixes.length === 0 && !(family === 4 && r.prefixes.length === 0)) continue;
        const name = `ospf${family === 6 ? '6' : ''}-${r.protocol}`;
        const filter: XmlNode[] = [members('type', [REDIST_TYPE[r.protocol]])];
        if (prefixes.length > 0) filter.push(members('destination', prefixes));
        profiles[family].push(
          entry(name, [el('priority', String(priority++)), el('filter', filter), el('action', [el(prefixes.length > 0 ? 'redist' : 'no-redist')])]),
        );
        exports[family].push(name);
      }
    }
    for (const family of [4, 6] as const) {
      if (!(family === 4 ? ospf.defaultOriginate.ipv4 : ospf.defaultOriginate.ipv6)) continue;
      const name = family === 4 ? 'default-route' : 'default-route-v6';
      profiles[family].push(
        entry(name, [
          el('priority', String(priority++)),
          el('filter', [members('type', defaultRouteSources(device, family)), members('destination', [family === 4 ? '0.0.0.0/0' : '::/0'])]),
          el('action', [el('redist')]),
        ]),
      );
      exports[family].push(name);
    }
    const ifaceFamilies = (name: string): { v4: boolean; v6: boolean } => {
      const i = device.interfaces.find((x) => x.name === name);
      const v6 = i !== undefined && (i.linkLocal !== undefined || i.addresses.some((a) => familyOf(a) === 6));
      return { v4: v6 === false || (i?.addresses.some((a) => familyOf(a) === 4) ?? false), v6 };
    };
    const ospfProfiles = authProfileNames(ospf.interfaces.flatMap((i) => (i.authentication ? [i.authentication.secret] : [])));
    for (const family of [4, 6] as const) {
      const ifaces = ospf.interfaces.filter((i) => (family === 4 ? ifaceFamilies(i.name).v4 : ifaceFamilies(i.name).v6));
      const defaultOn = family === 4 ? ospf.defaultOriginate.ipv4 : ospf.defaultOriginate.ipv6;
      if (family === 6 && ifaces.length === 0 && exports[6].length === 0) continue;
      const body: XmlNode[] = [el('enable', 'yes'), el('router-id', ospf.routerId)];
      const auth = family === 4 ? ospfAuthProfilesXml(ospfProfiles) : undefined;
      if (auth) body.push(auth);
      body.push(
        el('area', [
          entry('0.0.0.0', [
            el('type', [el('normal')]),
            el(
              'interface',
              ifaces.map((i) => {
                const body: XmlNode[] = [el('enable', 'yes'), el('passive', yes(i.passive)), el('metric', String(i.cost))];
                // links are point-to-point, as the FRR and IOS-XE backends write them
                if (device.interfaces.find((x) => x.name === i.name)?.role === 'link') body.push(el('link-type', [el('p2p')]));
                // OSPFv3 is never authenticated here: the compiler refuses it on PAN-OS (C720)
                if (family === 4 && i.authentication) body.push(el('authentication', ospfProfiles.get(i.authentication.secret)!));
                return entry(i.name, body);
              }),
            ),
          ]),
        ]),
      );
      if (exports[family].length > 0) {
        body.push(el('export-rules', exports[family].map((n) => entry(n, [el('new-path-type', 'ext-2')]))));
      }
      body.push(el('allow-redist-default-route', yes(defaultOn)));
      children.push(el(family === 4 ? 'ospf' : 'ospfv3', body));
    }
  }
  if (device.bgp) {
    // PAN-OS has no `network` statement: BGP originates what a redistribution rule admits.
    const announce = announced(device);
    for (const family of [4, 6] as const) {
      if (announce[family].length === 0) continue;
      profiles[family].push(
        entry(BGP_ANNOUNCE[family], [
          el('priority', String(priority++)),
          el('filter', [members('type', [...ANNOUNCE_TYPES[family]]), members('destination', announce[family])]),
          el('action', [el('redist')]),
        ]),
      );
    }
    children.push(bgpXml(device, announce));
  }
  const lists: XmlNode[] = [];
  if (profiles[4].length > 0) lists.push(el('redist-profile', profiles[4]));
  if (profiles[6].length > 0) lists.push(el('redist-profile-ipv6', profiles[6]));
  children.unshift(...lists);
  return children.length > 0 ? el('protocol', children) : undefined;
}

/**
 * Where the default route OSPF originates comes from, as the profile's route types: a static
 * default, and a default an eBGP peer announces (PAN-OS redistributes by the route's type).
 */
function defaultRouteSources(device: DeviceModel, family: 4 | 6): string[] {
  const isDefault = (p: string): boolean => isDefaultRoute(p) && familyOf(p) === family;
  const types: string[] = [];
  if (device.staticRoutes.some((r) => isDefault(r.prefix))) types.push('static');
  if (device.bgp?.neighbors.some((n) => n.importPrefixes.some(isDefault))) types.push('bgp');
  return types.length > 0 ? types : ['static'];
}

function localAddress(device: DeviceModel, n: BgpNeighborModel): XmlElement | undefined {
  const peer = parseAddress(n.address)!;
  for (const i of device.interfaces) {
    for (const a of i.addresses) {
      if (containsAddress(prefixOf(a), peer)) return el('local-address', [el('interface', i.name), el('ip', a)]);
    }
  }
  return undefined;
}

function bgpXml(device: DeviceModel, announce: Record<4 | 6, string[]>): XmlElement {
  const bgp = device.bgp!;
  const passwords = authProfileNames(bgp.neighbors.flatMap((n) => (n.password ? [n.password.secret] : [])));
  const groupNames = new NameTable(31);
  const ruleNames = new NameTable();
  const groups: XmlElement[] = [];
  const policy: Record<'import' | 'export', XmlElement[]> = { import: [], export: [] };
  for (const n of bgp.neighbors) {
    const group = groupNames.take(`pg-${n.external || 'peer'}`);
    const peer: XmlNode[] = [
      // PAN-OS has no GTSM: the annotation keeps the model's hops (docs/backends/paloalto-panos.md)
      comment(annotation('neighbor', [['external', n.external], ['description', n.description], ['ttl-security', n.ttlSecurity?.toString()], ['origin', formatOriginTag(n.origin)]])),
      el('enable', 'yes'),
      el('peer-as', String(n.remoteAs)),
      // without the element PAN-OS limits a peer to its default, 5000 prefixes
      el('max-prefixes', n.maxPrefixes !== undefined ? String(n.maxPrefixes) : 'unlimited'),
    ];
    const local = localAddress(device, n);
    if (local) peer.push(local);
    peer.push(el('peer-address', [el('ip', n.address)]));
    // a session carries its own address family only: no MP-BGP for the other one
    const own = familyOf(`${n.address}/0`);
    const other = [...n.importPrefixes, ...n.exportPrefixes].find((p) => familyOf(p) !== own);
    if (other !== undefined) throw new Error(`internal: BGP neighbour ${n.address} carries ${other}, of the other address family`);
    if (own === 6) peer.push(el('address-family-identifier', 'ipv6'));
    // TCP-MD5 with the profile of the session's secret
    if (n.password) peer.push(el('connection-options', [el('authentication', passwords.get(n.password.secret)!)]));
    const type =
      n.remoteAs === bgp.asn
        ? el('ibgp', [el('export-nexthop', 'original')])
        : el('ebgp', [el('import-nexthop', 'original'), el('export-nexthop', 'resolve'), el('remove-private-as', 'no')]);
    groups.push(entry(group, [el('enable', 'yes'), el('type', [type]), el('peer', [entry(cleanName(group.replace(/^pg-/, ''), 31), peer)])]));
    for (const [dir, prefixes] of [
      ['import', n.importPrefixes],
      ['export', n.exportPrefixes],
    ] as const) {
      if (prefixes.length > 0) {
        policy[dir].push(
          entry(ruleNames.take(`${group}-${dir}`), [
            el('enable', 'yes'),
            members('used-by', [group]),
            el('match', [el('address-prefix', prefixes.map((p) => entry(p, [el('exact', 'yes')])))]),
            el('action', [el('allow')]),
          ]),
        );
      }
      policy[dir].push(entry(ruleNames.take(`${group}-${dir}-deny`), [el('enable', 'yes'), members('used-by', [group]), el('action', [el('deny')])]));
    }
  }
  const body: XmlNode[] = [
    el('enable', 'yes'),
    el('router-id', bgp.routerId),
    el('local-as', String(bgp.asn)),
    el('install-route', 'yes'),
    // PAN-OS's defaults refuse a default route from a peer and never export one; written either
    // way, so that the file says what the model assumes
    el('reject-default-route', yes(!bgp.neighbors.some((n) => n.importPrefixes.some(isDefaultRoute)))),
    el('allow-redist-default-route', yes(bgp.neighbors.some((n) => n.exportPrefixes.some(isDefaultRoute)))),
  ];
  const auth = bgpAuthProfilesXml(passwords);
  if (auth) body.push(auth);
  body.push(el('peer-group', groups));
  const redist = ([4, 6] as const)
    .filter((f) => announce[f].length > 0)
    .map((f) => entry(BGP_ANNOUNCE[f], [el('address-family-identifier', f === 4 ? 'ipv4' : 'ipv6'), el('enable', 'yes'), el('set-origin', 'igp')]));
  if (redist.length > 0) body.push(el('redist-rules', redist));
  const pol: XmlNode[] = [];
  if (policy.import.length > 0) pol.push(el('import', [el('rules', policy.import)]));
  if (policy.export.length > 0) pol.push(el('export', [el('rules', policy.export)]));
  if (pol.length > 0) body.push(el('policy', pol));
  return el('bgp', body);
}
