// The vsys: zones, address objects and groups, service objects, custom applications (ICMP
// types, IP protocols) and the security rulebase: what the firewall accepts addressed to itself
// (the model's local filter, local.ts; without one, the control-plane rules), the model's zone
// policy in order (stateful: no reply rules), and the explicit default deny; then the NAT
// rulebase (nat-render.ts), whose service objects are made here with the security rules'.

import type { DeviceModel, FilterModel, FilterRule, Match, PortRange } from '../../compiler/model.js';
import { containsAddress, parseAddress, prefixOf } from '../../language/address.js';
import { formatOriginTag } from '../origin-tag.js';
import { hostOf, isOspfRule, STRICT_URPF_PROFILE, strictZone, LOCAL_DEFAULT_DESCRIPTION, LOCAL_DEFAULT_RULE, localFilterOf, OSPF_GROUP, ospfGroups, ownAddresses, SELF_GROUP } from './local.js';
import { addressName, annotation, NameTable, ZONE_NAME_MAX } from './names.js';
import { natRulebaseXml } from './nat-render.js';
import { profileElements } from './profiles.js';
import { RuleEntry } from './render-rule.js';
import { sortedUnique } from './render-routing.js';
import { comment, el, entry, members, type XmlElement, type XmlNode } from './xml.js';

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
export const ANY_PORT = '0-65535';

const familyOf = (p: string): 4 | 6 => prefixOf(p).family;

export function portList(ranges: PortRange[]): string {
  return ranges.map((r) => (r.from === r.to ? `${r.from}` : `${r.from}-${r.to}`)).join(',');
}

interface VsysObjects {
  addresses: Map<string, XmlElement>;
  /** Prefix (as the model writes it) → its address object's name, each prefix named once. */
  addressNames: Map<string, string>;
  groups: Map<string, string>; // content key → name
  groupEls: XmlElement[];
  services: Map<string, string>; // content key → name
  serviceEls: XmlElement[];
  apps: Map<string, XmlElement>;
  names: NameTable;
  /**
   * `<tag><member>value</member></tag>` by tag, then by value: nearly every list of a rule has one
   * member, most of them the same across rules. Two lookups, not one by a key `tag value`: such a
   * key is a new string per lookup, hashed afresh (eight per rule).
   */
  lists: Map<string, Map<string, XmlElement>>;
}

/**
 * A rule's member list. A one-member list is built once per vsys and shared by every rule naming
 * it (the tree is only printed and flattened, never changed, so a shared element prints the same;
 * marked `shared`, its printed lines and set values are made once).
 */
function memberList(o: VsysObjects, tag: string, values: readonly string[]): XmlElement {
  return values.length === 1 ? memberOne(o, tag, values[0]!) : members(tag, values);
}

/**
 * `memberList(o, tag, [value])`, with no list made to name the value: nearly every list of a
 * security rule has one member (eight lists a rule, tens of thousands of rules a firewall).
 */
function memberOne(o: VsysObjects, tag: string, value: string): XmlElement {
  let byValue = o.lists.get(tag);
  if (byValue === undefined) o.lists.set(tag, (byValue = new Map()));
  let list = byValue.get(value);
  if (list === undefined) {
    list = members(tag, [value]);
    list.shared = true;
    byValue.set(value, list);
  }
  return list;
}

/** The name of a prefix's address object, the object made with the prefix's first use. */
function addressObject(p: string, o: VsysObjects): string {
  let name = o.addressNames.get(p);
  if (name === undefined) {
    name = addressName(p);
    o.addressNames.set(p, name);
    if (!o.addresses.has(name)) o.addresses.set(name, entry(name, [el('ip-netmask', p)]));
  }
  return name;
}

function addressMember(prefixes: string[] | undefined, base: string, o: VsysObjects, fixed?: string): string[] {
  if (prefixes === undefined) return ['any'];
  const names = prefixes.map((p) => addressObject(p, o));
  if (fixed !== undefined) {
    // a group the reader knows by its name (local.ts), even with one member
    if (!o.groupEls.some((g) => g.attrs.name === fixed)) o.groupEls.push(entry(fixed, [members('static', names)]));
    return [fixed];
  }
  if (names.length === 1) return names;
  return [addressGroup(names, base, o)];
}

/** The name of the address group of `names` (several, or none), the group made and named `base` with its first use. */
function addressGroup(names: string[], base: string, o: VsysObjects): string {
  const key = names.join(' ');
  let group = o.groups.get(key);
  if (group === undefined) {
    group = o.names.take(base);
    o.groups.set(key, group);
    o.groupEls.push(entry(group, [members('static', names)]));
  }
  return group;
}

/**
 * A security rule's `source` or `destination` list: `memberList(o, tag, addressMember(prefixes,
 * `${rule}-${side}`, o))` with no list made for `any` or a single prefix, nor the group's base
 * name unless a group is made.
 */
function addressList(o: VsysObjects, tag: string, prefixes: string[] | undefined, rule: string, side: string): XmlElement {
  if (prefixes === undefined) return memberOne(o, tag, 'any');
  if (prefixes.length === 1) return memberOne(o, tag, addressObject(prefixes[0]!, o));
  const names = new Array<string>(prefixes.length);
  for (let i = 0; i < prefixes.length; i++) names[i] = addressObject(prefixes[i]!, o);
  return memberOne(o, tag, addressGroup(names, `${rule}-${side}`, o));
}

/** A security rule's `from` or `to` list: `any` or its zones' names. */
function zoneList(o: VsysObjects, tag: string, zones: string[] | undefined, zoneName: (z: string) => string): XmlElement {
  if (zones === undefined) return memberOne(o, tag, 'any');
  if (zones.length === 1) return memberOne(o, tag, zoneName(zones[0]!));
  return memberList(o, tag, zones.map(zoneName));
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

function securityRuleXml(rule: FilterRule, name: string, zoneName: (z: string) => string, o: VsysObjects, device: DeviceModel, destination?: string[]): XmlElement {
  const m = rule.match;
  const { application, service } = applicationAndService(m, o, device);
  const lists = [
    zoneList(o, 'from', m.fromZones, zoneName),
    zoneList(o, 'to', m.toZones, zoneName),
    addressList(o, 'source', m.sources, name, 'src'),
    destination !== undefined ? memberList(o, 'destination', destination) : addressList(o, 'destination', m.destinations, name, 'dst'),
    memberOne(o, 'source-user', 'any'),
    memberOne(o, 'category', 'any'),
    memberOne(o, 'application', application),
    memberOne(o, 'service', service),
  ];
  // through `comment`, which refuses a text that would end the XML comment early
  const note = comment(annotation('rule', [['origin', formatOriginTag(rule.origin)]])).text;
  return new RuleEntry(name, note, lists, rule.action === 'permit' ? 'allow' : 'deny', profileElements(rule, device.id), rule.description);
}

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
    // OSPFv3 speaks from and to link-local addresses: ff02::5, ff02::6 and fe80::/10
    const linkLocal = active.some((i) => device.interfaces.find((x) => x.name === i.name)?.linkLocal !== undefined);
    const v6 = locals.some((a) => familyOf(a) === 6) || linkLocal || device.ospf!.defaultOriginate.ipv6;
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

/**
 * The local filter's rules, each limited to the firewall's own addresses (`firewall-addresses`
 * where the rule names no destination; OSPF's also `ospf-multicast`), then `local-default-deny`.
 */
function localRules(device: DeviceModel, filter: FilterModel, zoneName: (z: string) => string, o: VsysObjects, ruleNames: NameTable): XmlElement[] {
  const self = ownAddresses(device);
  if (self.length === 0) throw new Error(`internal: ${device.id}: a local filter on a firewall without addresses`);
  if (filter.defaultAction !== 'deny') throw new Error(`internal: ${device.id}: the local filter ${filter.name} must end in deny`);
  const selfMember = (): string[] => addressMember(self, SELF_GROUP, o, SELF_GROUP);
  const out = filter.rules.map((r, i) => {
    const outside = (r.match.destinations ?? []).find((d) => !self.includes(sortedUnique([d])[0]!));
    if (outside !== undefined) throw new Error(`internal: ${device.id}: local rule "${r.description}" names ${outside}, not an address of the firewall`);
    const text = r.description.replace(/\([^)]*\)\s*$/, '').trim();
    const name = ruleNames.take(`local-${text === '' ? `rule-${i + 1}` : text}`);
    const destination = r.match.destinations === undefined ? [...selfMember(), ...(isOspfRule(r.match) ? addressMember(ospfGroups(device), OSPF_GROUP, o, OSPF_GROUP) : [])] : undefined;
    return securityRuleXml(r, name, zoneName, o, device, destination);
  });
  out.push(
    entry(LOCAL_DEFAULT_RULE, [
      comment(annotation('local', [['filter', filter.name]])),
      members('from', ['any']),
      members('to', ['any']),
      members('source', ['any']),
      members('destination', selfMember()),
      members('source-user', ['any']),
      members('category', ['any']),
      members('application', ['any']),
      members('service', ['any']),
      el('action', 'deny'),
      el('log-end', 'yes'),
      ...(device.logForwarding !== undefined ? [el('log-setting', device.logForwarding)] : []),
      el('description', LOCAL_DEFAULT_DESCRIPTION),
    ]),
  );
  return out;
}

export function vsysXml(device: DeviceModel): XmlElement {
  const zoneNames = new NameTable(ZONE_NAME_MAX);
  const zoneMap = new Map<string, string>();
  const zones = device.zones.map((z) => {
    const name = zoneNames.take(z.name);
    zoneMap.set(z.name, name);
    const body: XmlNode[] = [];
    if (name !== z.name) body.push(comment(annotation('zone', [['name', z.name]])));
    body.push(el('network', [members('layer3', z.interfaces), ...(strictZone(device, z.interfaces) ? [el('zone-protection-profile', STRICT_URPF_PROFILE)] : [])]));
    return entry(name, body);
  });
  const zoneName = (z: string): string => {
    const n = zoneMap.get(z);
    if (n === undefined) throw new Error(`internal: ${device.id}: security rule names unknown zone ${z}`);
    return n;
  };
  const o: VsysObjects = {
    addresses: new Map(),
    addressNames: new Map(),
    groups: new Map(),
    groupEls: [],
    services: new Map(),
    serviceEls: [],
    apps: new Map(),
    lists: new Map(),
    names: new NameTable(undefined, [DEFAULT_RULE, ...Object.values(CONTROL_RULES), SELF_GROUP, OSPF_GROUP]),
  };
  const ruleNames = new NameTable(undefined, [DEFAULT_RULE, ...Object.values(CONTROL_RULES), LOCAL_DEFAULT_RULE]);
  const local = localFilterOf(device);
  const control = local ? localRules(device, local, zoneName, o, ruleNames) : controlRules(device, o);
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
      ...(device.logForwarding !== undefined ? [el('log-setting', device.logForwarding)] : []),
      el('description', DEFAULT_RULE_DESCRIPTION),
    ]),
  );
  const nat = natRulebaseXml(device, zoneName, (svc) =>
    applicationAndService({ protocol: svc.protocol, ...(svc.port !== undefined ? { destinationPorts: [{ from: svc.port, to: svc.port }] } : {}), ...(svc.sourcePort !== undefined ? { sourcePorts: [{ from: svc.sourcePort, to: svc.sourcePort }] } : {}) }, o, device).service,
  );
  const children: XmlNode[] = [el('zone', zones)];
  if (o.addresses.size > 0) children.push(el('address', [...o.addresses.values()]));
  if (o.groupEls.length > 0) children.push(el('address-group', o.groupEls));
  if (o.serviceEls.length > 0) children.push(el('service', o.serviceEls));
  if (o.apps.size > 0) children.push(el('application', [...o.apps.values()]));
  children.push(el('rulebase', [el('security', [el('rules', rules)]), ...nat]));
  children.push(el('import', [el('network', [members('interface', device.interfaces.map((i) => i.name))])]));
  return entry('vsys1', children);
}
