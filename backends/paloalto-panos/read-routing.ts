// The virtual router read back: static routes, OSPF/OSPFv3 from their areas and the
// redistribution profiles they export, BGP peers with their import/export rules, and what the
// router does with a default route (PAN-OS's own defaults when the file does not say).

import type {
  BgpNeighborModel,
  DeviceModel,
  InterfaceModel,
  OspfModel,
  StaticRouteModel,
} from '../../compiler/model.js';
import { comparePrefixes, formatAddress, formatPrefix, network, parseAddress, parsePrefix } from '../../language/address.js';
import { Codes } from '../../language/diagnostics/index.js';
import { authenticationOf, readBgpAuthProfiles, readOspfAuthProfiles, type ProfileKey } from './auth.js';
import { isLinkLocal } from './ipv6.js';
import { BGP_ANNOUNCE, DISCARD } from './render-routing.js';
import { cmp, sortPrefixes, XmlReading } from './read-xml.js';
import { elements, type XmlElement } from './xml.js';

export function readStaticRoutes(reader: XmlReading, rt: XmlElement | undefined): StaticRouteModel[] {
  const out: StaticRouteModel[] = [];
  if (!rt) return out;
  for (const fam of reader.kids(rt, ['ip', 'ipv6'])) {
    const family = fam.name === 'ip' ? 4 : 6;
    reader.checkKids(fam, ['static-route']);
    for (const e of reader.entries(reader.child(fam, 'static-route'))) {
      reader.checkKids(e, ['destination', 'interface', 'nexthop', 'admin-dist']);
      const destEl = reader.child(e, 'destination');
      const p = parsePrefix(reader.text(destEl) ?? '');
      if (!destEl) {
        reader.reporter.error(Codes.readerMissingPart, reader.span(e), `static route ${e.attrs.name} has no <destination>`);
        continue;
      }
      if (!p || p.family !== family) {
        reader.bad(destEl, `\`${reader.text(destEl)}\` is not an IPv${family} prefix`);
        continue;
      }
      const route: StaticRouteModel = { prefix: formatPrefix(network(p)), origin: reader.originOf(e, 'route') };
      const ifEl = reader.child(e, 'interface');
      if (ifEl) {
        route.interface = reader.text(ifEl) ?? '';
        reader.refs.reference('interface', route.interface, reader.span(ifEl), `static route ${e.attrs.name}`);
      }
      const nh = reader.child(e, 'nexthop');
      if (nh) {
        const want = family === 4 ? 'ip-address' : 'ipv6-address';
        const k = reader.kids(nh, [want, DISCARD]);
        const a = parseAddress(reader.text(k[0]) ?? '');
        if (k.length === 1 && k[0]!.name === DISCARD && reader.text(k[0]) === undefined && route.interface === undefined) route.discard = true;
        else if (!a || a.family !== family || k.length !== 1 || k[0]!.name !== want) reader.bad(nh, `the next hop must be one <${want}> or <${DISCARD}/> (without an <interface>)`);
        else route.nextHop = formatAddress(a);
      }
      const ad = reader.child(e, 'admin-dist');
      if (ad) {
        const d = Number(reader.text(ad));
        if (!Number.isInteger(d) || d < 10 || d > 240) reader.bad(ad, `\`${reader.text(ad)}\` is not an administrative distance (10-240)`);
        else route.distance = d;
      }
      if (route.nextHop === undefined && route.interface === undefined && !route.discard) reader.reporter.error(Codes.readerMissingPart, reader.span(e), 'a static route needs a next hop or an interface');
      else if (route.nextHop !== undefined && isLinkLocal(route.nextHop) && route.interface === undefined) reader.reporter.error(Codes.readerMissingPart, reader.span(e), `static route ${e.attrs.name}: the link-local next hop ${route.nextHop} needs its <interface>`);
      out.push(route);
    }
  }
  return out.sort((a, b) => {
    const c = comparePrefixes(parsePrefix(a.prefix)!, parsePrefix(b.prefix)!);
    if (c !== 0) return c;
    const na = a.nextHop ? parseAddress(a.nextHop)!.value : -1n;
    const nb = b.nextHop ? parseAddress(b.nextHop)!.value : -1n;
    return na < nb ? -1 : na > nb ? 1 : cmp(a.interface ?? '', b.interface ?? '');
  });
}

/** The element of each family's redistribution profiles: also the kind of their names. */
export const PROFILE_TAGS = { 4: 'redist-profile', 6: 'redist-profile-ipv6' } as const;

export function readOspf(reader: XmlReading, protocol: XmlElement | undefined, interfaces: InterfaceModel[]): OspfModel | undefined {
  const v2 = reader.child(protocol, 'ospf');
  const v3 = reader.child(protocol, 'ospfv3');
  if (!v2 && !v3) return undefined;
  const profiles = new Map<string, { family: 4 | 6; type: string; prefixes: string[]; redist: boolean; el: XmlElement }>();
  for (const [tag, family] of [
    ['redist-profile', 4],
    ['redist-profile-ipv6', 6],
  ] as const) {
    for (const p of reader.entries(reader.child(protocol, tag))) {
      reader.checkKids(p, ['priority', 'filter', 'action']);
      const filter = reader.child(p, 'filter');
      if (filter) reader.checkKids(filter, ['type', 'destination']);
      const types = reader.members(reader.child(filter, 'type'));
      const prefixes = reader.members(reader.child(filter, 'destination'));
      for (const x of prefixes) if (parsePrefix(x)?.family !== family) reader.bad(p, `\`${x}\` is not an IPv${family} prefix`);
      const action = reader.kids(reader.child(p, 'action') ?? p, ['redist', 'no-redist', 'priority', 'filter', 'action']).map((k) => k.name);
      profiles.set(p.attrs.name!, { family, type: types.length === 1 ? types[0]! : types.join(','), prefixes: prefixes.filter((x) => parsePrefix(x)?.family === family), redist: action.includes('redist'), el: p });
    }
  }
  const routerId = reader.text(reader.child(v2 ?? v3, 'router-id'));
  if (!routerId || parseAddress(routerId)?.family !== 4) reader.reporter.error(Codes.readerMissingPart, reader.span((v2 ?? v3)!), 'OSPF needs a <router-id> (an IPv4 address)');
  const found = new Map<string, OspfModel['interfaces'][number]>();
  const runs: Record<4 | 6, Map<string, XmlElement>> = { 4: new Map(), 6: new Map() };
  const redistribute: OspfModel['redistribute'] = [];
  const defaultOriginate = { ipv4: false, ipv6: false };
  for (const [proc, family] of [
    [v2, 4],
    [v3, 6],
  ] as const) {
    if (!proc) continue;
    reader.checkKids(proc, ['enable', 'router-id', 'area', 'export-rules', 'allow-redist-default-route', ...(family === 4 ? ['auth-profile'] : [])]);
    const authProfiles = family === 4 ? readOspfAuthProfiles(reader, proc) : new Map<string, ProfileKey>();
    reader.switchedOn(proc, 'enable', family === 4 ? 'OSPF' : 'OSPFv3');
    if (reader.text(reader.child(proc, 'router-id')) !== routerId) reader.reporter.error(Codes.readerContradiction, reader.span(proc), 'OSPF and OSPFv3 have different router ids');
    const areas = reader.entries(reader.child(proc, 'area'));
    for (const area of areas) {
      if (area.attrs.name !== '0.0.0.0') reader.bad(area, 'Plumb runs OSPF in area 0.0.0.0 only');
      reader.checkKids(area, ['type', 'interface']);
      const type = reader.child(area, 'type');
      if (type) reader.checkKids(type, ['normal']);
      for (const i of reader.entries(reader.child(area, 'interface'))) {
        reader.checkKids(i, ['enable', 'passive', 'metric', 'link-type', 'authentication']);
        const linkType = reader.child(i, 'link-type');
        if (linkType) reader.checkKids(linkType, ['p2p', 'broadcast']);
        const name = i.attrs.name!;
        reader.refs.reference('interface', name, reader.span(i), 'OSPF');
        runs[family].set(name, i);
        reader.switchedOn(i, 'enable', `${family === 4 ? 'OSPF' : 'OSPFv3'} on interface ${name}`);
        const role = interfaces.find((x) => x.name === name)?.role;
        const p2p = linkType !== undefined && reader.child(linkType, 'p2p') !== undefined;
        if (role === 'link' && !p2p) reader.reporter.error(Codes.readerMissingPart, reader.span(i), `link interface ${name} lacks <link-type><p2p/>`, 'Both ends of a link must agree on the network type, as Plumb writes them.');
        if (role !== undefined && role !== 'link' && p2p) reader.reporter.error(Codes.readerContradiction, reader.span(i), `interface ${name} is point-to-point in OSPF but is no link`);
        const cost = Number(reader.text(reader.child(i, 'metric')) ?? '10');
        const passive = reader.text(reader.child(i, 'passive')) === 'yes';
        const prev = found.get(name);
        if (prev && (prev.cost !== cost || prev.passive !== passive)) reader.reporter.error(Codes.readerContradiction, reader.span(i), `interface ${name} has different OSPF and OSPFv3 settings`);
        const secret = ospfAuthentication(reader, i, family, passive, authProfiles);
        const authentication = secret !== undefined ? { secret } : prev?.authentication;
        found.set(name, { name, cost, passive, ...(authentication ? { authentication } : {}) });
      }
    }
    const allowDefault = reader.text(reader.child(proc, 'allow-redist-default-route')) === 'yes';
    for (const ex of reader.entries(reader.child(proc, 'export-rules'))) {
      reader.checkKids(ex, ['new-path-type']);
      const p = profiles.get(ex.attrs.name!);
      // A profile of the other family is defined (and a contradiction, below).
      reader.refs.reference(PROFILE_TAGS[p?.family ?? family], ex.attrs.name!, reader.span(ex), family === 4 ? 'OSPF' : 'OSPFv3');
      if (!p) continue;
      if (p.family !== family) reader.reporter.error(Codes.readerContradiction, reader.span(ex), `redistribution profile ${ex.attrs.name} is for IPv${p.family}`);
      // a default route is originated from a static default or one an eBGP peer announced
      const isDefault = p.type.split(',').every((t) => t === 'static' || t === 'bgp') && p.prefixes.length === 1 && (p.prefixes[0] === '0.0.0.0/0' || p.prefixes[0] === '::/0') && /^default-route/.test(ex.attrs.name!);
      if (isDefault) {
        if (!allowDefault) reader.reporter.error(Codes.readerContradiction, reader.span(proc), 'a default route is exported but <allow-redist-default-route> is not yes');
        if (family === 4) defaultOriginate.ipv4 = true;
        else defaultOriginate.ipv6 = true;
        continue;
      }
      if (p.type.includes(',')) {
        reader.bad(p.el, `redistribution profile ${ex.attrs.name} must name one route type to be exported into OSPF`);
        continue;
      }
      const protocolName = p.type === 'connect' ? 'connected' : p.type;
      if (protocolName !== 'static' && protocolName !== 'connected' && protocolName !== 'bgp') {
        reader.bad(p.el, `Plumb redistributes static, connect or bgp routes, not ${p.type}`);
        continue;
      }
      if (p.redist && p.prefixes.length === 0) reader.reporter.error(Codes.readerContradiction, reader.span(p.el), `redistribution profile ${ex.attrs.name} redistributes every ${p.type} route`, 'Plumb limits redistribution to listed prefixes.');
      const prefixes = p.redist ? p.prefixes : [];
      const prev = redistribute.find((x) => x.protocol === protocolName);
      if (prev) prev.prefixes = sortPrefixes([...prev.prefixes, ...prefixes]);
      else redistribute.push({ protocol: protocolName, prefixes: sortPrefixes(prefixes) });
    }
  }
  ospfFamilies(reader, runs, interfaces);
  return {
    routerId: routerId ?? '0.0.0.0',
    interfaces: [...found.values()].sort((a, b) => cmp(a.name, b.name)),
    redistribute,
    defaultOriginate,
  };
}

/** The secret an OSPF interface authenticates with (OSPFv2 only, where it forms adjacencies). */
function ospfAuthentication(reader: XmlReading, i: XmlElement, family: 4 | 6, passive: boolean, profiles: Map<string, ProfileKey>): string | undefined {
  const a = reader.child(i, 'authentication');
  if (!a) return undefined;
  const name = i.attrs.name!;
  if (family === 6) {
    reader.reporter.error(Codes.readerInexpressible, reader.span(a), `interface ${name} authenticates OSPFv3`, 'Plumb does not authenticate OSPFv3 on PAN-OS: its profiles are IPsec (RFC 4552), not the authentication trailer other routers use (RFC 7166).');
    return undefined;
  }
  if (passive) {
    reader.reporter.error(Codes.readerInexpressible, reader.span(a), `interface ${name} has OSPF authentication but is passive`, 'Plumb authenticates the interfaces that form adjacencies.');
    return undefined;
  }
  return authenticationOf(reader, i, 'OSPF auth profile', profiles, `OSPF interface ${name}`, { kind: 'ospf', interface: name });
}

/**
 * OSPFv3 runs on an OSPF interface exactly where it has IPv6 (an address or a link-local), OSPFv2
 * where it has IPv4 (or no address at all): the model runs OSPF on every family of an interface.
 */
function ospfFamilies(reader: XmlReading, runs: Record<4 | 6, Map<string, XmlElement>>, interfaces: InterfaceModel[]): void {
  for (const i of interfaces) {
    const in4 = runs[4].get(i.name);
    const in6 = runs[6].get(i.name);
    if (!in4 && !in6) continue;
    const v6 = i.linkLocal !== undefined || i.addresses.some((a) => parsePrefix(a)?.family === 6);
    const v4 = i.addresses.some((a) => parsePrefix(a)?.family === 4);
    if (in6 && !v6) reader.reporter.error(Codes.readerContradiction, reader.span(in6), `interface ${i.name} runs OSPFv3 but has no IPv6 address`);
    if (in4 && !v4 && v6) reader.reporter.error(Codes.readerContradiction, reader.span(in4), `interface ${i.name} runs OSPFv2 but has no IPv4 address`);
    if (!in6 && v6) reader.reporter.error(Codes.readerContradiction, reader.span(in4!), `interface ${i.name} runs OSPF for IPv4 but not OSPFv3, though it has IPv6`, 'Plumb runs OSPF on every address family of an interface.');
    if (!in4 && v4) reader.reporter.error(Codes.readerContradiction, reader.span(in6!), `interface ${i.name} runs OSPFv3 but not OSPFv2, though it has IPv4`, 'Plumb runs OSPF on every address family of an interface.');
  }
}

export function readBgp(reader: XmlReading, protocol: XmlElement | undefined): DeviceModel['bgp'] {
  const bgp = reader.child(protocol, 'bgp');
  if (!bgp) return undefined;
  reader.checkKids(bgp, ['enable', 'router-id', 'local-as', 'install-route', 'reject-default-route', 'allow-redist-default-route', 'auth-profile', 'peer-group', 'policy', 'redist-rules']);
  const authProfiles = readBgpAuthProfiles(reader, bgp);
  reader.switchedOn(bgp, 'enable', 'BGP');
  // without it the firewall learns routes over BGP but never forwards by them
  reader.switchedOn(bgp, 'install-route', 'installing BGP routes');
  const originated = new Set<string>();
  for (const rule of reader.entries(reader.child(bgp, 'redist-rules'))) {
    reader.checkKids(rule, ['address-family-identifier', 'enable', 'set-origin', 'route-table']);
    reader.switchedOn(rule, 'enable', `BGP redistribution rule ${rule.attrs.name}`);
    const family = reader.text(reader.child(rule, 'address-family-identifier')) === 'ipv6' ? 'redist-profile-ipv6' : 'redist-profile';
    const profile = reader.entries(reader.child(protocol, family)).find((p) => p.attrs.name === rule.attrs.name);
    reader.refs.reference(family, rule.attrs.name!, reader.span(rule), 'BGP');
    if (profile) for (const d of reader.members(reader.child(reader.child(profile, 'filter'), 'destination'))) originated.add(d);
  }
  const asn = Number(reader.text(reader.child(bgp, 'local-as')));
  if (!Number.isInteger(asn) || asn < 1 || asn > 4294967295) reader.reporter.error(Codes.readerMalformedValue, reader.span(bgp), 'BGP needs a <local-as> (an AS number)');
  const routerId = reader.text(reader.child(bgp, 'router-id')) ?? '';
  if (parseAddress(routerId)?.family !== 4) reader.reporter.error(Codes.readerMissingPart, reader.span(bgp), 'BGP needs a <router-id> (an IPv4 address)');
  const policy = reader.child(bgp, 'policy');
  if (policy) reader.checkKids(policy, ['import', 'export']);
  const rules = { import: new Map<string, { prefixes: string[]; deny: boolean }>(), export: new Map<string, { prefixes: string[]; deny: boolean }>() };
  for (const g of reader.entries(reader.child(bgp, 'peer-group'))) reader.refs.define('peer group', g.attrs.name!, reader.span(g));
  for (const dir of ['import', 'export'] as const) {
    const d = reader.child(policy, dir);
    if (d) reader.checkKids(d, ['rules']);
    for (const rule of reader.entries(reader.child(d, 'rules'))) {
      reader.checkKids(rule, ['enable', 'used-by', 'match', 'action']);
      reader.switchedOn(rule, 'enable', `BGP ${dir} rule ${rule.attrs.name}`);
      const usedBy = reader.members(reader.child(rule, 'used-by'));
      const action = elements(reader.child(rule, 'action') ?? rule).map((k) => k.name);
      const match = reader.child(rule, 'match');
      const prefixes: string[] = [];
      if (match) {
        reader.checkKids(match, ['address-prefix']);
        for (const p of reader.entries(reader.child(match, 'address-prefix'))) {
          reader.checkKids(p, ['exact']);
          const pp = parsePrefix(p.attrs.name!);
          if (!pp) reader.bad(p, `\`${p.attrs.name}\` is not a prefix`);
          else if (reader.text(reader.child(p, 'exact')) !== 'yes') reader.reporter.error(Codes.readerContradiction, reader.span(p), 'Plumb matches prefixes exactly (<exact>yes</exact>)');
          else prefixes.push(formatPrefix(network(pp)));
        }
      }
      for (const g of usedBy) {
        reader.refs.reference('peer group', g, reader.span(rule), `BGP policy rule ${rule.attrs.name}`);
        const acc = rules[dir].get(g) ?? { prefixes: [], deny: false };
        if (action.includes('allow') && match) acc.prefixes.push(...prefixes);
        else if (action.includes('deny') && !match) acc.deny = true;
        else reader.reporter.error(Codes.readerUnknownCommand, reader.span(rule), `unsupported BGP ${dir} rule: Plumb writes allow rules matching prefixes and one deny-all rule per peer group`);
        rules[dir].set(g, acc);
      }
    }
  }
  const neighbors: BgpNeighborModel[] = [];
  for (const g of reader.entries(reader.child(bgp, 'peer-group'))) {
    reader.checkKids(g, ['enable', 'type', 'peer']);
    reader.switchedOn(g, 'enable', `peer group ${g.attrs.name}`);
    for (const p of reader.entries(reader.child(g, 'peer'))) {
      reader.checkKids(p, ['enable', 'peer-as', 'max-prefixes', 'local-address', 'peer-address', 'address-family-identifier', 'enable-mp-bgp', 'connection-options']);
      reader.switchedOn(p, 'enable', `BGP peer ${p.attrs.name}`);
      const a = reader.annotation(p, 'neighbor');
      if (!a) reader.reporter.warning(Codes.readerBadAnnotation, reader.span(p), `peer ${p.attrs.name} has no \`plumb neighbor\` comment`);
      const addrEl = reader.child(reader.child(p, 'peer-address'), 'ip');
      const addr = parseAddress(reader.text(addrEl) ?? '');
      const remoteAs = Number(reader.text(reader.child(p, 'peer-as')));
      if (!addr) {
        reader.reporter.error(Codes.readerMissingPart, reader.span(p), `peer ${p.attrs.name} needs <peer-address><ip>`);
        continue;
      }
      if (!Number.isInteger(remoteAs) || remoteAs < 1) reader.bad(p, `peer ${p.attrs.name} needs a <peer-as>`);
      // a session carries its own address family only
      const own = addr.family === 6 ? 'ipv6' : 'ipv4';
      const afi = reader.child(p, 'address-family-identifier');
      if ((reader.text(afi) ?? 'ipv4') !== own) reader.reporter.error(Codes.readerContradiction, reader.span(afi ?? p), `peer ${p.attrs.name} (${formatAddress(addr)}) is not of address family ${reader.text(afi) ?? 'ipv4'}`, `Write <address-family-identifier>${own}</address-family-identifier>${own === 'ipv4' ? ' or none' : ''}.`);
      const mp = reader.child(p, 'enable-mp-bgp');
      if (mp && reader.text(mp) !== 'no') reader.reporter.error(Codes.readerInexpressible, reader.span(mp), `peer ${p.attrs.name} (${formatAddress(addr)}) has MP-BGP for another address family: a session carries its own address family only`, 'Remove <enable-mp-bgp>.');
      const local = reader.text(reader.child(reader.child(p, 'local-address'), 'interface'));
      if (local !== undefined) reader.refs.reference('interface', local, reader.span(p), `BGP peer ${p.attrs.name}`);
      const group = g.attrs.name!;
      const options = reader.child(p, 'connection-options');
      if (options) reader.checkKids(options, ['authentication']);
      const password = options ? authenticationOf(reader, options, 'BGP auth profile', authProfiles, `BGP peer ${p.attrs.name}`, { kind: 'bgp', neighbor: formatAddress(addr) }) : undefined;
      for (const dir of ['import', 'export'] as const) {
        if (!rules[dir].get(group)?.deny) reader.reporter.error(Codes.readerMissingPart, reader.span(g), `peer group ${group} has no ${dir} deny rule: routes outside the lists would pass`);
      }
      neighbors.push({
        address: formatAddress(addr),
        remoteAs,
        description: a?.get('description') ?? '',
        external: a?.get('external') ?? '',
        importPrefixes: sortPrefixes(rules.import.get(group)?.prefixes ?? []),
        exportPrefixes: sortPrefixes(rules.export.get(group)?.prefixes ?? []),
        ...peerLimits(reader, p, a),
        ...(password !== undefined ? { password: { secret: password } } : {}),
        origin: reader.origin(a, p),
      });
    }
  }
  defaultRoutes(reader, bgp, neighbors);
  for (const n of neighbors) {
    for (const p of n.exportPrefixes) {
      if (!originated.has(p)) reader.reporter.warning(Codes.readerInexpressible, reader.span(bgp), `${p} is exported to ${n.address} but no BGP redistribution rule originates it`, `Add it to the ${BGP_ANNOUNCE[4]} profile.`);
    }
  }
  neighbors.sort((x, y) => {
    const ax = parseAddress(x.address)!;
    const ay = parseAddress(y.address)!;
    return ax.family - ay.family || (ax.value < ay.value ? -1 : ax.value > ay.value ? 1 : 0);
  });
  return { asn, routerId, neighbors };
}

const DEFAULT_ROUTES = new Set(['0.0.0.0/0', '::/0']);

/**
 * What the router does with a default route, as the file says or PAN-OS's defaults when it does
 * not: `reject-default-route yes` installs none a peer announces, `allow-redist-default-route no`
 * exports none. A default the policy admits but the router refuses is taken off the session (a
 * warning says why), so the model read is what the firewall does.
 */
function defaultRoutes(reader: XmlReading, bgp: XmlElement, neighbors: BgpNeighborModel[]): void {
  const flag = (tag: string, fallback: 'yes' | 'no'): boolean => {
    const e = reader.child(bgp, tag);
    const text = reader.text(e) ?? fallback;
    if (text !== 'yes' && text !== 'no') reader.bad(e!, `<${tag}> is yes or no, not \`${text}\``);
    return text === 'yes';
  };
  const rejects = flag('reject-default-route', 'yes');
  const exports = flag('allow-redist-default-route', 'no');
  for (const n of neighbors) {
    if (rejects && n.importPrefixes.some((p) => DEFAULT_ROUTES.has(p))) {
      reader.reporter.warning(Codes.readerInexpressible, reader.span(reader.child(bgp, 'reject-default-route') ?? bgp), `the import policy of ${n.address} admits a default route, but the router rejects default routes from BGP peers (<reject-default-route>yes, PAN-OS's default): it is not installed`, 'Write <reject-default-route>no</reject-default-route> to install it.');
      n.importPrefixes = n.importPrefixes.filter((p) => !DEFAULT_ROUTES.has(p));
    }
    if (!exports && n.exportPrefixes.some((p) => DEFAULT_ROUTES.has(p))) {
      reader.reporter.warning(Codes.readerInexpressible, reader.span(reader.child(bgp, 'allow-redist-default-route') ?? bgp), `the export policy of ${n.address} admits a default route, but the router exports none (<allow-redist-default-route>no, PAN-OS's default): it is not announced`, 'Write <allow-redist-default-route>yes</allow-redist-default-route> to announce it.');
      n.exportPrefixes = n.exportPrefixes.filter((p) => !DEFAULT_ROUTES.has(p));
    }
  }
}

/** PAN-OS's limit of a peer's prefixes when the configuration names none. */
export const DEFAULT_MAX_PREFIXES = 5000;

/**
 * `<max-prefixes>` (a number, or `unlimited`; absent: PAN-OS's default, 5000) and the GTSM hops
 * the annotation keeps (PAN-OS has no TTL security; docs/backends/paloalto-panos.md).
 */
function peerLimits(reader: XmlReading, p: XmlElement, a: Map<string, string> | undefined): Pick<BgpNeighborModel, 'maxPrefixes' | 'ttlSecurity'> {
  const out: Pick<BgpNeighborModel, 'maxPrefixes' | 'ttlSecurity'> = {};
  const maxEl = reader.child(p, 'max-prefixes');
  const max = reader.text(maxEl);
  if (max === undefined) out.maxPrefixes = DEFAULT_MAX_PREFIXES;
  else if (max !== 'unlimited') {
    const n = Number(max);
    if (/^\d+$/.test(max) && n >= 1 && n <= 100000) out.maxPrefixes = n;
    else reader.bad(maxEl!, `\`${max}\` is not a maximum number of prefixes (1-100000 or unlimited)`);
  }
  const ttl = a?.get('ttl-security');
  if (ttl !== undefined) {
    const n = Number(ttl);
    if (/^\d+$/.test(ttl) && n >= 1 && n <= 254) out.ttlSecurity = n;
    else reader.reporter.warning(Codes.readerBadAnnotation, reader.span(p), `peer ${p.attrs.name}: \`ttl-security=${ttl}\` is not a number of hops`);
  }
  return out;
}
