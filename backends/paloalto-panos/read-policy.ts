// The vsys read back: zones, and the rulebase through the address objects and groups, services
// and applications it names: the local filter (the rules above `local-default-deny`, local.ts)
// and the zone policy; the control-plane rules and the default deny are checked and left out of
// the model.

import type { DeviceModel, FilterModel, FilterRule, Match, PortRange, ZoneModel } from '../../compiler/model.js';
import { comparePrefixes, formatPrefix, network, parsePrefix, type Prefix } from '../../language/address.js';
import { Codes } from '../../language/diagnostics/index.js';
import { DEFAULT_LOCAL_FILTER, hostOf, LOCAL_DEFAULT_RULE, OSPF_GROUP, ospfGroups, ownAddresses, SELF_GROUP } from './local.js';
import { ANY_PORT, CONTROL_RULES, DEFAULT_RULE, OSPF_GROUPS } from './render-policy.js';
import { cmp, sortPrefixes, XmlReading } from './read-xml.js';
import { PROFILE_TAGS, readProfiles } from './profiles.js';
import { elements, type XmlElement } from './xml.js';

/** PAN-OS's own applications that Plumb's rules use without defining them. */
const BUILT_IN_APPLICATIONS: readonly string[] = ['icmp', 'ipv6-icmp'];

/** A security rule's member lists that must be `any` (Plumb's rules match addresses and services only). */
const ANY_ONLY_TAGS: readonly string[] = ['source-user', 'category'];

/**
 * A member list of one `any`, shared by every rule's lists that are only that (most of a
 * rulebase's `source-user`, `category`, `service` and `application`, many of its `from` and `to`):
 * frozen, as no reader changes a rule's lists.
 */
const ANY: string[] = Object.freeze(['any']) as unknown as string[];

const isAny = (m: readonly string[]): boolean => m.length === 1 && m[0] === 'any';

/**
 * `reader.members(list)`, but `ANY` when `list` holds one element, `<member>any</member>`:
 * nothing to report then, and no array made.
 */
function ruleMembers(reader: XmlReading, list: XmlElement | undefined): string[] {
  if (list === undefined || reader.running) return reader.members(list);
  const children = list.children;
  let only: XmlElement | undefined;
  for (let c = 0; c < children.length; c++) {
    const k = children[c]!;
    if (k.kind !== 'element') continue;
    if (only !== undefined) return reader.members(list);
    only = k;
  }
  return only !== undefined && only.name === 'member' && only.text === 'any' ? ANY : reader.members(list);
}

/** A rule's member list `tag`, reported when it has no member. */
function ruleList(reader: XmlReading, e: XmlElement, tag: string): string[] {
  const m = ruleMembers(reader, reader.child(e, tag));
  if (m.length === 0) reader.reporter.error(Codes.readerMissingPart, reader.span(e), `security rule ${e.attrs.name} has no <${tag}>`);
  return m;
}

/** What a security rule may hold. */
const RULE_TAGS: readonly string[] = ['from', 'to', 'source', 'destination', 'source-user', 'category', 'application', 'service', 'action', 'description', 'log-end', 'disabled', ...PROFILE_TAGS];

export function readZones(reader: XmlReading, vsys: XmlElement): { zones: ZoneModel[]; names: Map<string, string>; protection: Map<string, { name: string; e: XmlElement }> } {
  const names = new Map<string, string>();
  const zones: ZoneModel[] = [];
  const protection = new Map<string, { name: string; e: XmlElement }>();
  for (const z of reader.entries(reader.child(vsys, 'zone'))) {
    reader.checkKids(z, ['network']);
    const net = reader.child(z, 'network');
    if (net) reader.checkKids(net, ['layer3', 'zone-protection-profile']);

    const a = reader.annotation(z, 'zone');
    const name = a?.get('name') ?? z.attrs.name!;
    names.set(z.attrs.name!, name);
    const zpp = reader.child(net, 'zone-protection-profile');
    const zppName = reader.text(zpp);
    if (zpp && zppName !== undefined) {
      reader.refs.reference('zone-protection-profile', zppName, reader.span(zpp), `zone ${z.attrs.name}`);
      protection.set(name, { name: zppName, e: zpp });
    }
    reader.refs.define('zone', z.attrs.name!, reader.span(z));
    const members = reader.members(reader.child(net, 'layer3'));
    for (const m of members) reader.refs.reference('interface', m, reader.span(z), `zone ${z.attrs.name}`);
    zones.push({ name, interfaces: [...members].sort(cmp) });
  }
  return { zones: zones.sort((a, b) => cmp(a.name, b.name)), names, protection };
}

/** The rulebase: the zone policy, and the local filter when the rulebase has `local-default-deny`. */
export interface ReadRules {
  securityRules: FilterRule[];
  local?: FilterModel;
  /** The log-forwarding profile of the default denies (profiles.ts). */
  logForwarding?: string;
  /** The vsys's objects, for the NAT rules (nat-read.ts). */
  objects: VsysObjectsRead;
}

/** Address objects (name → prefix), address groups (name → members) and services by name. */
export interface VsysObjectsRead {
  addresses: Map<string, string>;
  groups: Map<string, string[]>;
  services: Map<string, { protocol: number; ports?: PortRange[]; sourcePorts?: PortRange[] }>;
}

export function readSecurityRules(reader: XmlReading, vsys: XmlElement, zoneNames: Map<string, string>, device: Pick<DeviceModel, 'interfaces'>): ReadRules {
  const local = new Set(device.interfaces.flatMap((i) => i.addresses).map(hostOf));
  const addresses = new Map<string, string>();
  /** Each address object's prefix (as `addresses` writes it) as a number, to sort a rule's addresses without reading them again. */
  const networks = new Map<string, Prefix>();
  for (const a of reader.entries(reader.child(vsys, 'address'))) {
    reader.checkKids(a, ['ip-netmask', 'description']);
    const p = parsePrefix(reader.text(reader.child(a, 'ip-netmask')) ?? '');
    if (!p) reader.bad(a, `address ${a.attrs.name} needs an <ip-netmask> prefix`);
    else {
      const net = network(p);
      const text = formatPrefix(net);
      addresses.set(a.attrs.name!, text);
      networks.set(text, net);
      reader.refs.define('address', a.attrs.name!, reader.span(a));
    }
  }
  const groups = new Map<string, string[]>();
  for (const g of reader.entries(reader.child(vsys, 'address-group'))) {
    reader.checkKids(g, ['static', 'description']);
    groups.set(g.attrs.name!, reader.members(reader.child(g, 'static')));
  }
  const services = new Map<string, { protocol: number; ports?: PortRange[]; sourcePorts?: PortRange[] }>();
  for (const s of reader.entries(reader.child(vsys, 'service'))) {
    reader.checkKids(s, ['protocol', 'description']);
    const protos = elements(reader.child(s, 'protocol') ?? s).filter((k) => k.name === 'tcp' || k.name === 'udp');
    const proto = protos[0];
    if (!proto || protos.length !== 1) {
      reader.bad(s, `service ${s.attrs.name} needs one <protocol> (tcp or udp)`);
      continue;
    }
    reader.checkKids(proto, ['port', 'source-port']);
    const ports = reader.portRanges(reader.child(proto, 'port'), proto);
    const src = reader.child(proto, 'source-port');
    const sourcePorts = src ? reader.portRanges(src, proto) : undefined;
    reader.refs.define('service', s.attrs.name!, reader.span(s));
    services.set(s.attrs.name!, {
      protocol: proto.name === 'tcp' ? 6 : 17,
      ...(ports && reader.text(reader.child(proto, 'port')) !== ANY_PORT ? { ports } : {}),
      ...(sourcePorts ? { sourcePorts } : {}),
    });
  }
  const apps = new Map<string, { protocol: number; icmpType?: number }>([
    ['icmp', { protocol: 1 }],
    ['ipv6-icmp', { protocol: 58 }],
  ]);
  for (const a of reader.entries(reader.child(vsys, 'application'))) {
    reader.checkKids(a, ['category', 'subcategory', 'technology', 'description', 'risk', 'default']);
    const d = reader.child(a, 'default');
    const ident = d ? reader.kids(d, ['ident-by-icmp-type', 'ident-by-icmp6-type', 'ident-by-ip-protocol'])[0] : undefined;
    if (!ident) {
      reader.reporter.error(Codes.readerMissingPart, reader.span(a), `application ${a.attrs.name} needs a <default> identification`);
      continue;
    }
    if (ident.name === 'ident-by-ip-protocol') {
      const n = Number(reader.text(ident));
      if (!Number.isInteger(n) || n < 0 || n > 255) reader.bad(ident, 'not an IP protocol number');
      else {
        apps.set(a.attrs.name!, { protocol: n });
        reader.refs.define('application', a.attrs.name!, reader.span(a));
      }
    } else {
      reader.checkKids(ident, ['type', 'code']);
      const t = Number(reader.text(reader.child(ident, 'type')));
      if (!Number.isInteger(t) || t < 0 || t > 255) reader.bad(ident, 'not an ICMP type');
      else {
        apps.set(a.attrs.name!, { protocol: ident.name === 'ident-by-icmp-type' ? 1 : 58, icmpType: t });
        reader.refs.define('application', a.attrs.name!, reader.span(a));
      }
    }
  }
  const rulebase = reader.child(vsys, 'rulebase');
  if (rulebase) reader.checkKids(rulebase, ['security', 'nat']);
  const security = reader.child(rulebase, 'security');
  if (security) reader.checkKids(security, ['rules']);
  const entries = reader.entries(reader.child(security, 'rules'));
  const rules: FilterRule[] = [];
  /** The destination members of each rule in `rules`, and its element. */
  const written: { destination: string[]; e: XmlElement }[] = [];
  let localFilter: FilterModel | undefined;
  let sawDefault = false;
  /** The log-forwarding profiles of the default denies, which must agree. */
  const defaultLogs: { log: string | undefined; e: XmlElement }[] = [];
  const objects: RuleObjects = { reader, addresses, groups, networks };
  entries.forEach((e, index) => {
    reader.checkKids(e, RULE_TAGS);
    // PAN-OS skips a disabled rule, and so does the model read from it; a disabled
    // control-plane rule would drop the firewall's own routing sessions, which no model says
    const disabled = reader.child(e, 'disabled');
    if (disabled && reader.text(disabled) !== 'no') {
      if (reader.text(disabled) !== 'yes') reader.bad(disabled, `security rule ${e.attrs.name}: <disabled> must be yes or no`);
      else if (e.attrs.name === CONTROL_RULES.ospf || e.attrs.name === CONTROL_RULES.bgp) reader.reporter.error(Codes.readerInexpressible, reader.span(disabled), `${e.attrs.name} is disabled: the firewall would drop its own routing sessions`);
      return;
    }
    const from = ruleList(reader, e, 'from');
    const to = ruleList(reader, e, 'to');
    const src = ruleList(reader, e, 'source');
    const dst = ruleList(reader, e, 'destination');
    const app = ruleList(reader, e, 'application');
    const svc = ruleList(reader, e, 'service');
    for (const tag of ANY_ONLY_TAGS) {
      const m = ruleMembers(reader, reader.child(e, tag));
      if (m.length > 0 && !(m.length === 1 && m[0] === 'any')) reader.reporter.error(Codes.readerUnknownCommand, reader.span(e), `security rule ${e.attrs.name} limits <${tag}>: Plumb rules match addresses and services only`);
    }
    const actionText = reader.text(reader.child(e, 'action'));
    if (actionText !== 'allow' && actionText !== 'deny') {
      reader.bad(reader.child(e, 'action') ?? e, `security rule ${e.attrs.name}: the action must be allow or deny`);
      return;
    }
    const profiles = readProfiles(reader, e, actionText === 'allow' ? 'permit' : 'deny');
    if (e.attrs.name === LOCAL_DEFAULT_RULE || e.attrs.name === DEFAULT_RULE) defaultLogs.push({ log: profiles.logForwarding, e });
    if (e.attrs.name === LOCAL_DEFAULT_RULE && localFilter === undefined) {
      const ok = [from, to, src, app, svc].every(isAny) && dst.length === 1 && dst[0] === SELF_GROUP && actionText === 'deny';
      if (!ok) reader.reporter.error(Codes.readerLocalRuleOutside, reader.span(e), `${LOCAL_DEFAULT_RULE} must deny everything addressed to ${SELF_GROUP}, from any zone and source`, 'Plumb writes it with every other field `any`.');
      const a = reader.annotation(e, 'local');
      localFilter = { name: a?.get('filter') ?? DEFAULT_LOCAL_FILTER, rules: localRules(reader, rules.splice(0), written.splice(0), groups, addresses, device, e), defaultAction: 'deny' };
      return;
    }
    if (e.attrs.name === DEFAULT_RULE && [from, to, src, dst, app, svc].every(isAny) && actionText === 'deny') {
      if (index !== entries.length - 1) reader.reporter.error(Codes.readerContradiction, reader.span(e), `${DEFAULT_RULE} must be the last rule`);
      sawDefault = true;
      return;
    }
    const match: Match = {};
    const sources = rulePrefixes(objects, e, src);
    const destinations = rulePrefixes(objects, e, dst);
    if (sources) match.sources = sources;
    if (destinations) match.destinations = destinations;
    if (app.length !== 1 || svc.length !== 1 || (!isAny(app) && !isAny(svc))) {
      reader.reporter.error(Codes.readerUnknownCommand, reader.span(e), `security rule ${e.attrs.name}: Plumb rules have one application or one service`);
    } else if (!isAny(svc)) {
      const s = services.get(svc[0]!);
      if (!s) ruleReference(reader, e, 'service', svc[0]!);
      else {
        match.protocol = s.protocol;
        if (s.sourcePorts) match.sourcePorts = s.sourcePorts;
        if (s.ports) match.destinationPorts = s.ports;
      }
    } else if (!isAny(app)) {
      const a = apps.get(app[0]!);
      if (!a && !BUILT_IN_APPLICATIONS.includes(app[0]!)) ruleReference(reader, e, 'application', app[0]!);
      if (a) {
        match.protocol = a.protocol;
        if (a.icmpType !== undefined) match.icmpType = a.icmpType;
      }
    }
    const fromZones = ruleZones(reader, e, from, zoneNames);
    const toZones = ruleZones(reader, e, to, zoneNames);
    if (fromZones) match.fromZones = fromZones;
    if (toZones) match.toZones = toZones;
    if (e.attrs.name === CONTROL_RULES.ospf || e.attrs.name === CONTROL_RULES.bgp) {
      // The control-plane rules (render.ts): only packets addressed to the firewall.
      const allowed = new Set([...local, ...(e.attrs.name === CONTROL_RULES.ospf ? OSPF_GROUPS : [])]);
      const service = e.attrs.name === CONTROL_RULES.ospf ? match.protocol === 89 && match.destinationPorts === undefined : match.protocol === 6 && JSON.stringify(match.destinationPorts) === '[{"from":179,"to":179}]';
      const ok = actionText === 'allow' && rules.length === 0 && service && !match.sourcePorts && (match.destinations?.every((d) => allowed.has(d)) ?? false);
      if (!ok) reader.reporter.error(Codes.readerContradiction, reader.span(e), `${e.attrs.name} may only allow ${e.attrs.name === CONTROL_RULES.ospf ? 'OSPF' : 'BGP'} packets addressed to this firewall, before every other rule`, 'Put other traffic in a rule of its own.');
      return;
    }
    rules.push({
      action: actionText === 'allow' ? 'permit' : 'deny',
      match,
      origin: reader.originOf(e, 'rule'),
      description: reader.text(reader.child(e, 'description')) ?? '',
      ...profiles,
    });
    written.push({ destination: dst, e });
  });
  if (!sawDefault && entries.length > 0) {
    reader.reporter.warning(Codes.readerMissingPart, reader.span(entries[entries.length - 1]!), `the rulebase does not end with ${DEFAULT_RULE}`, 'PAN-OS then allows traffic within a zone by default; the model denies it.');
  }
  const logForwarding = defaultLogs[0]?.log;
  for (const d of defaultLogs.slice(1)) {
    if (d.log !== logForwarding) reader.reporter.error(Codes.readerProfileSetting, reader.span(d.e), `${d.e.attrs.name} forwards its logs to ${d.log ?? 'nothing'}, ${defaultLogs[0]!.e.attrs.name} to ${logForwarding ?? 'nothing'}`, 'Both default denies take the firewall\'s one log-forwarding profile.');
  }
  return { securityRules: rules, ...(localFilter ? { local: localFilter } : {}), ...(logForwarding !== undefined ? { logForwarding } : {}), objects: { addresses, groups, services } };
}

/*
 * A security rule's references and lists, read by functions of their own and not by closures
 * made inside the loop over the rules: a closure there is a new function and a new context for
 * every rule (tens of thousands at a large firewall). A reference is recorded only to an object
 * not defined yet: the books report a use only when its object is never defined, and one defined
 * before the use stays defined (zones, addresses, services and applications are each in their
 * map here exactly when `refs` has them defined). So a rule whose objects are all defined records
 * nothing and never asks for its span.
 */

/** Records security rule `e`'s reference to `name`, an object of `kind` not defined yet. */
function ruleReference(reader: XmlReading, e: XmlElement, kind: string, name: string): void {
  reader.refs.reference(kind, name, reader.span(e), `security rule ${e.attrs.name}`);
}

/**
 * A rule's `from` or `to` zones by their model names, or undefined for `any`: the member list
 * itself (the rule's own, read for it alone) when every zone is called so in the model, as
 * nearly all are; a copy only when one is not.
 */
function ruleZones(reader: XmlReading, e: XmlElement, m: string[], zoneNames: Map<string, string>): string[] | undefined {
  if (isAny(m)) return undefined;
  let out: string[] | undefined;
  for (let k = 0; k < m.length; k++) {
    const z = m[k]!;
    const name = zoneNames.get(z);
    if (name === undefined) ruleReference(reader, e, 'zone', z);
    else if (name !== z) (out ??= m.slice())[k] = name;
  }
  return out ?? m;
}

/** The vsys's address objects and groups, as `rulePrefixes` reads them. */
interface RuleObjects {
  reader: XmlReading;
  addresses: Map<string, string>;
  groups: Map<string, string[]>;
  /** Each address object's prefix as a number, by its text. */
  networks: Map<string, Prefix>;
}

/** A rule's `source` or `destination` prefixes, each once and in address order, or undefined for `any`. */
function rulePrefixes(o: RuleObjects, e: XmlElement, m: string[]): string[] | undefined {
  if (isAny(m)) return undefined;
  const { addresses, groups, networks } = o;
  // one address object (most lists): its prefix, in an array of one
  if (m.length === 1 && !groups.has(m[0]!)) {
    const p = addresses.get(m[0]!);
    if (p !== undefined) return [p];
  }
  const out: string[] = [];
  for (const name of m) {
    const g = groups.get(name);
    if (g === undefined) {
      const p = addresses.get(name);
      if (p !== undefined) out.push(p);
      else ruleReference(o.reader, e, 'address', name);
    } else {
      for (const member of g) {
        const p = addresses.get(member);
        if (p !== undefined) out.push(p);
        else ruleReference(o.reader, e, 'address', member);
      }
    }
  }
  // What `sortPrefixes` answers: each address once, in address order (the texts are already a network's).
  if (out.length < 2) return out;
  const unique = out.length > 2 ? [...new Set(out)] : out[0] === out[1] ? [out[0]!] : out;
  return unique.sort((x, y) => comparePrefixes(networks.get(x)!, networks.get(y)!));
}

/**
 * The rules above `local-default-deny`: the local filter. Each may only admit packets addressed
 * to the firewall: to `firewall-addresses` (which must hold exactly its own addresses; an OSPF
 * rule also to `ospf-multicast`, exactly OSPF's groups), which the model says by naming no
 * destination, or to some of its own addresses; from any zone to any zone.
 */
function localRules(
  reader: XmlReading,
  rules: FilterRule[],
  written: { destination: string[]; e: XmlElement }[],
  groups: Map<string, string[]>,
  addresses: Map<string, string>,
  device: Pick<DeviceModel, 'interfaces'>,
  anchor: XmlElement,
): FilterRule[] {
  const own = ownAddresses(device);
  const same = (a: string[], b: string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);
  const groupPrefixes = (name: string): string[] => sortPrefixes((groups.get(name) ?? []).flatMap((m) => addresses.get(m) ?? []));
  const checkGroup = (name: string, want: string[], what: string, at: XmlElement): void => {
    if (!groups.has(name)) return; // R903 from the reference
    if (!same(groupPrefixes(name), sortPrefixes(want))) reader.reporter.error(Codes.readerLocalRuleOutside, reader.span(at), `address group ${name} must hold exactly ${what}: ${want.join(', ')}`, 'Plumb derives it from the interfaces; regenerate the configuration.');
  };
  let checkedOspf = false;
  checkGroup(SELF_GROUP, own, "the firewall's own addresses", anchor);
  return rules.map((r, k) => {
    const { destination, e } = written[k]!;
    const name = e.attrs.name!;
    const out: FilterRule = { ...r, match: { ...r.match } };
    if (r.match.fromZones || r.match.toZones) {
      reader.reporter.error(Codes.readerLocalRuleOutside, reader.span(e), `security rule ${name} is above ${LOCAL_DEFAULT_RULE} but limits zones`, 'A rule for the firewall itself is from any zone to any zone.');
    }
    const names = [...destination].sort();
    if (destination.includes(SELF_GROUP)) {
      const ospf = r.match.protocol === 89 && same(names, [OSPF_GROUP, SELF_GROUP].sort());
      if (ospf && !checkedOspf) {
        checkGroup(OSPF_GROUP, ospfGroups(device), 'the OSPF groups', e);
        checkedOspf = true;
      }
      if (ospf || same(names, [SELF_GROUP])) delete out.match.destinations;
      else reader.reporter.error(Codes.readerLocalRuleOutside, reader.span(e), `security rule ${name} is above ${LOCAL_DEFAULT_RULE} but its destination adds ${names.filter((n) => n !== SELF_GROUP).join(', ')} to ${SELF_GROUP}`, 'A rule for the firewall itself may only name its own addresses.');
      return out;
    }
    const outside = (r.match.destinations ?? ['any']).filter((d) => !own.includes(d));
    if (outside.length > 0) {
      reader.reporter.error(Codes.readerLocalRuleOutside, reader.span(e), `security rule ${name} is above ${LOCAL_DEFAULT_RULE} but admits packets to ${outside.join(', ')}, not an address of this firewall`, `Rules for the firewall itself name ${SELF_GROUP} or its own addresses; put forwarded traffic below ${LOCAL_DEFAULT_RULE}.`);
    }
    return out;
  });
}
