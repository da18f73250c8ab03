// DeviceModel → `<device>.xml` (the candidate config `load config partial` takes: devices/
// localhost.localdomain with network and vsys1, the structure of real PAN-OS 10.x configs) and
// `<device>.set` (the same as `set` commands). The zone policy becomes security rules (the
// firewall is stateful: no reply rules), ending with an explicit default deny; each rule's
// description is the model's, naming the intent line. `<!-- plumb … -->` comments keep what
// the config cannot say, for read(render(d)) = d; PAN-OS drops them on load.

import type { BgpNeighborModel, DeviceModel, FilterRule, InterfaceModel, Match, NetworkModel, PortRange } from '../../compiler/model.js';
import type { RenderedFile } from '../backend.js';
import { comparePrefixes, containsAddress, formatIPv4, formatIPv6, parseAddress, prefixOf } from '../../language/address.js';
import { renameInterfaces, subinterfaceNames } from '../cisco-iosxe/interface-names.js';
import { spanText } from '../cisco-iosxe/origin-text.js';
import { addressName, annotation, cleanName, NameTable, ZONE_NAME_MAX } from './names.js';
import { setLines } from './set.js';
import { comment, el, entry, members, parseXml, printXml, type XmlElement, type XmlNode } from './xml.js';

export const DEFAULT_RULE = 'default-deny';
/**
 * The rules the rulebase starts with so that the firewall's own routing sessions survive the
 * explicit default deny (PAN-OS applies security policy to traffic addressed to the firewall):
 * OSPF (IP protocol 89) to the OSPF groups and the OSPF interfaces' addresses, BGP (TCP 179) from
 * each neighbour to the address facing it. They admit only packets addressed to the firewall, so
 * no forwarded packet's fate changes; the reader checks that and leaves them out of the model.
 */
export const CONTROL_RULES = { ospf: 'control-plane-ospf', bgp: 'control-plane-bgp' } as const;
export const OSPF_GROUPS = ['224.0.0.5/32', '224.0.0.6/32', 'ff02::5/128', 'ff02::6/128', 'fe80::/10'];
export const DEFAULT_RULE_DESCRIPTION = 'Default: deny what no rule above allows (explicit, also within a zone).';
export const VIRTUAL_ROUTER = 'default';
export const ANY_PORT = '0-65535';
export const UNIT = /^(ethernet\d+\/\d+)\.(\d+)$/;
export const ETHERNET = /^ethernet\d+\/\d+$/;
export const LOOPBACK = /^loopback\.\d+$/;

const familyOf = (p: string): 4 | 6 => prefixOf(p).family;
const yes = (b: boolean): string => (b ? 'yes' : 'no');

export function portList(ranges: PortRange[]): string {
  return ranges.map((r) => (r.from === r.to ? `${r.from}` : `${r.from}-${r.to}`)).join(',');
}

function addressElements(i: InterfaceModel, into: XmlNode[]): void {
  const v4 = i.addresses.filter((a) => familyOf(a) === 4);
  const v6 = i.addresses.filter((a) => familyOf(a) === 6);
  if (v4.length > 0) into.push(el('ip', v4.map((a) => entry(a))));
  if (v6.length > 0) into.push(el('ipv6', [el('enabled', 'yes'), el('address', v6.map((a) => entry(a)))]));
}

/** Config name → model name of the interfaces configured as subinterfaces (see interface-names.ts). */
type ModelNames = Map<string, string>;

function interfaceAnnotation(i: InterfaceModel, modelNames: ModelNames): XmlNode {
  return comment(
    annotation('interface', [
      ['name', modelNames.get(i.name)],
      ['role', i.role],
      ['peer-device', i.peer?.device],
      ['peer-interface', i.peer?.interface],
      ['segment', i.segment],
      ['external', i.external],
      ['origin', spanText(i.origin)],
    ]),
  );
}

function interfacesXml(device: DeviceModel, modelNames: ModelNames): XmlElement {
  const parents = new Map<string, { own?: InterfaceModel; units: InterfaceModel[] }>();
  const loopbacks: InterfaceModel[] = [];
  for (const i of device.interfaces) {
    const unit = UNIT.exec(i.name);
    if (unit) {
      if (i.vlan === undefined) throw new Error(`internal: ${device.id} ${i.name}: a subinterface needs its VLAN tag`);
      const p = parents.get(unit[1]!) ?? { units: [] };
      p.units.push(i);
      parents.set(unit[1]!, p);
    } else if (ETHERNET.test(i.name)) {
      if (i.vlan !== undefined) throw new Error(`internal: ${device.id} ${i.name}: a tagged interface must be a unit (ethernetX/Y.TAG)`);
      const p = parents.get(i.name) ?? { units: [] };
      p.own = i;
      parents.set(i.name, p);
    } else if (LOOPBACK.test(i.name)) loopbacks.push(i);
    else throw new Error(`internal: ${device.id}: ${i.name} is not a PAN-OS interface name (ethernetX/Y[.N], loopback.N)`);
  }
  const ethernet = [...parents.keys()].sort().map((name) => {
    const p = parents.get(name)!;
    const layer3: XmlNode[] = [];
    if (p.own) addressElements(p.own, layer3);
    if (p.units.length > 0) {
      layer3.push(
        el(
          'units',
          p.units.map((u) => {
            const body: XmlNode[] = [interfaceAnnotation(u, modelNames), el('tag', String(u.vlan))];
            addressElements(u, body);
            if (u.description !== '') body.push(el('comment', u.description));
            return entry(u.name, body);
          }),
        ),
      );
    }
    const body: XmlNode[] = [];
    if (p.own) body.push(interfaceAnnotation(p.own, modelNames));
    body.push(el('layer3', layer3));
    if (p.own && p.own.description !== '') body.push(el('comment', p.own.description));
    return entry(name, body);
  });
  const children: XmlNode[] = [el('ethernet', ethernet)];
  if (loopbacks.length > 0) {
    const units = loopbacks.map((i) => {
      const body: XmlNode[] = [interfaceAnnotation(i, modelNames)];
      addressElements(i, body);
      if (i.description !== '') body.push(el('comment', i.description));
      return entry(i.name, body);
    });
    children.push(el('loopback', [el('units', units)]));
  }
  return el('interface', children);
}

function staticRoutesXml(device: DeviceModel): XmlElement | undefined {
  if (device.staticRoutes.length === 0) return undefined;
  const names = new NameTable();
  const tables: XmlElement[] = [];
  for (const family of [4, 6] as const) {
    const routes = device.staticRoutes.filter((r) => familyOf(r.prefix) === family);
    if (routes.length === 0) continue;
    const entries = routes.map((r) => {
      const body: XmlNode[] = [comment(annotation('route', [['origin', spanText(r.origin)]])), el('destination', r.prefix)];
      if (r.interface !== undefined) body.push(el('interface', r.interface));
      if (r.nextHop !== undefined) body.push(el('nexthop', [el(family === 4 ? 'ip-address' : 'ipv6-address', r.nextHop)]));
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

function protocolXml(device: DeviceModel): XmlElement | undefined {
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
          el('filter', [members('type', ['static']), members('destination', [family === 4 ? '0.0.0.0/0' : '::/0'])]),
          el('action', [el('redist')]),
        ]),
      );
      exports[family].push(name);
    }
    const ifaceFamilies = (name: string): { v4: boolean; v6: boolean } => {
      const addrs = device.interfaces.find((i) => i.name === name)?.addresses ?? [];
      return { v4: addrs.length === 0 || addrs.some((a) => familyOf(a) === 4), v6: addrs.some((a) => familyOf(a) === 6) };
    };
    for (const family of [4, 6] as const) {
      const ifaces = ospf.interfaces.filter((i) => (family === 4 ? ifaceFamilies(i.name).v4 : ifaceFamilies(i.name).v6));
      const defaultOn = family === 4 ? ospf.defaultOriginate.ipv4 : ospf.defaultOriginate.ipv6;
      if (family === 6 && ifaces.length === 0 && exports[6].length === 0) continue;
      const body: XmlNode[] = [el('enable', 'yes'), el('router-id', ospf.routerId)];
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
  const groupNames = new NameTable(31);
  const ruleNames = new NameTable();
  const groups: XmlElement[] = [];
  const policy: Record<'import' | 'export', XmlElement[]> = { import: [], export: [] };
  for (const n of bgp.neighbors) {
    const group = groupNames.take(`pg-${n.external || 'peer'}`);
    const peer: XmlNode[] = [
      comment(annotation('neighbor', [['external', n.external], ['description', n.description], ['origin', spanText(n.origin)]])),
      el('enable', 'yes'),
      el('peer-as', String(n.remoteAs)),
    ];
    const local = localAddress(device, n);
    if (local) peer.push(local);
    peer.push(el('peer-address', [el('ip', n.address)]));
    const v6 = familyOf(`${n.address}/0`) === 6;
    if (v6) peer.push(el('address-family-identifier', 'ipv6'));
    const families = new Set([...n.importPrefixes, ...n.exportPrefixes].map(familyOf));
    if (families.size > 1 || (families.size === 1 && !families.has(v6 ? 6 : 4))) peer.push(el('enable-mp-bgp', 'yes'));
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
    el('peer-group', groups),
  ];
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

interface VsysObjects {
  addresses: Map<string, XmlElement>;
  groups: Map<string, string>; // content key → name
  groupEls: XmlElement[];
  services: Map<string, string>; // content key → name
  serviceEls: XmlElement[];
  apps: Map<string, XmlElement>;
  names: NameTable;
}

function addressMember(prefixes: string[] | undefined, base: string, o: VsysObjects): string[] {
  if (prefixes === undefined) return ['any'];
  const names = prefixes.map((p) => {
    const name = addressName(p);
    if (!o.addresses.has(name)) o.addresses.set(name, entry(name, [el('ip-netmask', p)]));
    return name;
  });
  if (names.length === 1) return names;
  const key = names.join(' ');
  let group = o.groups.get(key);
  if (group === undefined) {
    group = o.names.take(base);
    o.groups.set(key, group);
    o.groupEls.push(entry(group, [members('static', names)]));
  }
  return [group];
}

function applicationAndService(m: Match, o: VsysObjects, device: DeviceModel): { application: string; service: string } {
  const custom = (name: string, description: string, ident: XmlElement): string => {
    if (!o.apps.has(name)) {
      o.apps.set(
        name,
        entry(name, [
          el('category', 'networking'),
          el('subcategory', 'ip-protocol'),
          el('technology', 'network-protocol'),
          el('description', description),
          el('risk', '1'),
          el('default', [ident]),
        ]),
      );
    }
    return name;
  };
  if (m.tcpEstablished) throw new Error(`internal: ${device.id}: a stateful firewall needs no reply rules (tcpEstablished)`);
  if (m.protocol === undefined) return { application: 'any', service: 'any' };
  if (m.protocol === 6 || m.protocol === 17) {
    const proto = m.protocol === 6 ? 'tcp' : 'udp';
    const port = m.destinationPorts && m.destinationPorts.length > 0 ? portList(m.destinationPorts) : ANY_PORT;
    const source = m.sourcePorts && m.sourcePorts.length > 0 ? portList(m.sourcePorts) : undefined;
    const key = `${proto} ${port} ${source ?? ''}`;
    let name = o.services.get(key);
    if (name === undefined) {
      name = o.names.take(`${proto}-${port.replace(/,/g, '_')}${source ? `-from-${source.replace(/,/g, '_')}` : ''}`);
      o.services.set(key, name);
      const body: XmlNode[] = [el('port', port)];
      if (source) body.push(el('source-port', source));
      o.serviceEls.push(entry(name, [el('protocol', [el(proto, body)])]));
    }
    return { application: 'any', service: name };
  }
  if (m.protocol === 1 || m.protocol === 58) {
    const v6 = m.protocol === 58;
    if (m.icmpType === undefined) return { application: v6 ? 'ipv6-icmp' : 'icmp', service: 'any' };
    const name = `${v6 ? 'icmp6' : 'icmp'}-type-${m.icmpType}`;
    const ident = el(v6 ? 'ident-by-icmp6-type' : 'ident-by-icmp-type', [el('type', String(m.icmpType))]);
    return { application: custom(name, `${v6 ? 'ICMPv6' : 'ICMP'} type ${m.icmpType}`, ident), service: 'any' };
  }
  const name = `ip-protocol-${m.protocol}`;
  return { application: custom(name, `IP protocol ${m.protocol}`, el('ident-by-ip-protocol', String(m.protocol))), service: 'any' };
}

function securityRuleXml(rule: FilterRule, name: string, zoneName: (z: string) => string, o: VsysObjects, device: DeviceModel): XmlElement {
  const m = rule.match;
  const { application, service } = applicationAndService(m, o, device);
  const body: XmlNode[] = [
    comment(annotation('rule', [['origin', spanText(rule.origin)]])),
    members('from', m.fromZones ? m.fromZones.map(zoneName) : ['any']),
    members('to', m.toZones ? m.toZones.map(zoneName) : ['any']),
    members('source', addressMember(m.sources, `${name}-src`, o)),
    members('destination', addressMember(m.destinations, `${name}-dst`, o)),
    members('source-user', ['any']),
    members('category', ['any']),
    members('application', [application]),
    members('service', [service]),
    el('action', rule.action === 'permit' ? 'allow' : 'deny'),
  ];
  if (rule.description !== '') body.push(el('description', rule.description));
  return entry(name, body);
}

/** `A/32` (`A/128`) for an address, with or without a length. */
const hostOf = (address: string): string => {
  const p = address.includes('/') ? prefixOf(address) : { ...parseAddress(address)!, length: 0 };
  return `${p.family === 4 ? formatIPv4(p.value) : formatIPv6(p.value)}/${p.family === 4 ? 32 : 128}`;
};

function controlRules(device: DeviceModel, o: VsysObjects): XmlElement[] {
  const rule = (name: string, what: string, sources: string[] | undefined, destinations: string[], m: Match): XmlElement => {
    const { application, service } = applicationAndService(m, o, device);
    return entry(name, [
      comment(annotation('control', [])),
      members('from', ['any']),
      members('to', ['any']),
      members('source', addressMember(sources, `${name}-src`, o)),
      members('destination', addressMember(destinations, `${name}-dst`, o)),
      members('source-user', ['any']),
      members('category', ['any']),
      members('application', [application]),
      members('service', [service]),
      el('action', 'allow'),
      el('description', `Control plane: ${what} addressed to this firewall (not forwarded traffic).`),
    ]);
  };
  const out: XmlElement[] = [];
  const active = (device.ospf?.interfaces ?? []).filter((i) => !i.passive);
  if (active.length > 0) {
    const locals = active.flatMap((i) => device.interfaces.find((x) => x.name === i.name)?.addresses ?? []).map(hostOf);
    const v6 = locals.some((a) => familyOf(a) === 6) || device.ospf!.defaultOriginate.ipv6;
    const groups = OSPF_GROUPS.filter((g) => v6 || familyOf(g) === 4);
    out.push(rule(CONTROL_RULES.ospf, 'OSPF packets', undefined, sortedUnique([...groups, ...locals]), { protocol: 89 }));
  }
  const peers: string[] = [];
  const locals: string[] = [];
  for (const n of device.bgp?.neighbors ?? []) {
    const peer = parseAddress(n.address)!;
    const local = device.interfaces.flatMap((i) => i.addresses).find((a) => containsAddress(prefixOf(a), peer));
    if (local === undefined) continue;
    peers.push(hostOf(n.address));
    locals.push(hostOf(local));
  }
  if (peers.length > 0) {
    out.push(rule(CONTROL_RULES.bgp, 'BGP sessions', sortedUnique(peers), sortedUnique(locals), { protocol: 6, destinationPorts: [{ from: 179, to: 179 }] }));
  }
  return out;
}

function sortedUnique(prefixes: string[]): string[] {
  return [...new Set(prefixes)].map(prefixOf).sort(comparePrefixes).map((p) => `${p.family === 4 ? formatIPv4(p.value) : formatIPv6(p.value)}/${p.length}`);
}

function vsysXml(device: DeviceModel): XmlElement {
  const zoneNames = new NameTable(ZONE_NAME_MAX);
  const zoneMap = new Map<string, string>();
  const zones = device.zones.map((z) => {
    const name = zoneNames.take(z.name);
    zoneMap.set(z.name, name);
    const body: XmlNode[] = [];
    if (name !== z.name) body.push(comment(annotation('zone', [['name', z.name]])));
    body.push(el('network', [members('layer3', z.interfaces)]));
    return entry(name, body);
  });
  const zoneName = (z: string): string => {
    const n = zoneMap.get(z);
    if (n === undefined) throw new Error(`internal: ${device.id}: security rule names unknown zone ${z}`);
    return n;
  };
  const o: VsysObjects = {
    addresses: new Map(),
    groups: new Map(),
    groupEls: [],
    services: new Map(),
    serviceEls: [],
    apps: new Map(),
    names: new NameTable(undefined, [DEFAULT_RULE, ...Object.values(CONTROL_RULES)]),
  };
  const ruleNames = new NameTable(undefined, [DEFAULT_RULE, ...Object.values(CONTROL_RULES)]);
  const control = controlRules(device, o);
  const policy = device.securityRules.map((r, i) => {
    const text = r.description.replace(/\([^)]*\)\s*$/, '').trim();
    return securityRuleXml(r, ruleNames.take(text === '' ? `rule-${i + 1}` : text), zoneName, o, device);
  });
  const rules = [...control, ...policy];
  rules.push(
    entry(DEFAULT_RULE, [
      comment(annotation('default', [])),
      members('from', ['any']),
      members('to', ['any']),
      members('source', ['any']),
      members('destination', ['any']),
      members('source-user', ['any']),
      members('category', ['any']),
      members('application', ['any']),
      members('service', ['any']),
      el('action', 'deny'),
      el('log-end', 'yes'),
      el('description', DEFAULT_RULE_DESCRIPTION),
    ]),
  );
  const children: XmlNode[] = [el('zone', zones)];
  if (o.addresses.size > 0) children.push(el('address', [...o.addresses.values()]));
  if (o.groupEls.length > 0) children.push(el('address-group', o.groupEls));
  if (o.serviceEls.length > 0) children.push(el('service', o.serviceEls));
  if (o.apps.size > 0) children.push(el('application', [...o.apps.values()]));
  children.push(el('rulebase', [el('security', [el('rules', rules)])]));
  children.push(el('import', [el('network', [members('interface', device.interfaces.map((i) => i.name))])]));
  return entry('vsys1', children);
}

export function renderPanosXml(modelDevice: DeviceModel, model: NetworkModel): string {
  const renames = subinterfaceNames(modelDevice);
  const modelNames: ModelNames = new Map([...renames].map(([m, c]) => [c, m]));
  const device = renameInterfaces(modelDevice, renames);
  if (device.filters.length > 0) {
    throw new Error(`internal: ${device.id}: PAN-OS has no interface ACLs; its policy is the zone rulebase`);
  }
  const vr: XmlNode[] = [members('interface', device.interfaces.map((i) => i.name))];
  const routes = staticRoutesXml(device);
  if (routes) vr.push(routes);
  const protocol = protocolXml(device);
  if (protocol) vr.push(protocol);
  const root = el(
    'config',
    [
      comment(annotation('device', [['origin', spanText(device.origin)], ['router-id', device.routerId]])),
      el('devices', [
        entry('localhost.localdomain', [
          el('network', [interfacesXml(device, modelNames), el('virtual-router', [entry(VIRTUAL_ROUTER, vr)])]),
          el('vsys', [vsysXml(device)]),
        ]),
      ]),
    ],
    { version: '10.1.0', urldb: 'paloaltonetworks' },
  );
  const header = comment(`${device.id}: PAN-OS 10.x candidate configuration of network ${cleanName(model.name)}, generated by Plumb`);
  return printXml(root, [header]);
}

export function renderPanos(device: DeviceModel, model: NetworkModel): RenderedFile[] {
  const xml = renderPanosXml(device, model);
  const parsed = parseXml(`${device.name}.xml`, xml);
  if (!parsed.root) throw new Error(`internal: rendered XML does not parse: ${parsed.error?.message}`);
  const set = setLines(parsed.root).join('\n') + '\n';
  return [
    { path: `${device.name}.xml`, content: xml },
    { path: `${device.name}.set`, content: set },
  ];
}
