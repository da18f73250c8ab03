// `<device>.xml` (+ `<device>.set`) of the subset render.ts writes → DeviceModel with `fib: []`.
// Strict: an element outside the subset, a value that does not parse, or a reference to a
// zone, address, service, application or interface that is not defined is an R95x diagnostic
// at the element's line and column. Entry order does not matter except in the rulebase.
// When the `.set` file is present it must say the same as the XML (R958).

import type {
  BgpNeighborModel,
  DeviceModel,
  FilterRule,
  InterfaceModel,
  InterfaceRole,
  Match,
  OspfModel,
  PortRange,
  StaticRouteModel,
  ZoneModel,
} from '../../compiler/model.js';
import type { ReadContext, ReadResult, RenderedFile } from '../backend.js';
import { canonicalDevice } from '../canonical.js';
import { fileSpan, type Span } from '../../language/diagnostic.js';
import { comparePrefixes, formatAddress, formatPrefix, network, parseAddress, parsePrefix } from '../../language/address.js';
import { R } from '../cisco-iosxe/codes.js';
import { Reporter } from '../cisco-iosxe/lines.js';
import { renameInterfaces } from '../cisco-iosxe/interface-names.js';
import { parseSpanText } from '../cisco-iosxe/origin-text.js';
import { readAnnotation } from './names.js';
import { ETHERNET, LOOPBACK, UNIT, VIRTUAL_ROUTER } from './render.js';
import { ANY_PORT, CONTROL_RULES, DEFAULT_RULE, OSPF_GROUPS } from './render-policy.js';
import { BGP_ANNOUNCE } from './render-routing.js';
import { setLines } from './set.js';
import { comments, elements, parseXml, type XmlElement } from './xml.js';

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const sortPrefixes = (ps: string[]): string[] => [...new Set(ps)].map((p) => parsePrefix(p)!).sort(comparePrefixes).map((p) => formatPrefix(network(p)));

class PanosReader {
  readonly r = new Reporter();
  /** Config name → model name of subinterfaces that stand for a tagged model interface. */
  readonly modelNames = new Map<string, string>();
  constructor(readonly file: string) {}

  span(e: XmlElement): Span {
    return e.span ?? fileSpan(this.file);
  }

  /** Children of `e`, reporting any whose name is not allowed. */
  kids(e: XmlElement, allowed: string[]): XmlElement[] {
    const out = elements(e);
    for (const k of out) {
      if (!allowed.includes(k.name)) {
        this.r.error(R.unknown, this.span(k), `unsupported element <${k.name}> in <${e.name}>`, `Plumb reads ${allowed.map((a) => `<${a}>`).join(', ')} here (docs/backends/paloalto-panos.md).`);
      }
    }
    return out;
  }

  child(e: XmlElement | undefined, name: string): XmlElement | undefined {
    return e ? elements(e).find((k) => k.name === name) : undefined;
  }

  entries(e: XmlElement | undefined): XmlElement[] {
    if (!e) return [];
    return this.kids(e, ['entry']).filter((k) => {
      if (k.attrs.name === undefined) this.r.error(R.missing, this.span(k), '<entry> without a name');
      return k.attrs.name !== undefined;
    });
  }

  members(e: XmlElement | undefined): string[] {
    if (!e) return [];
    return this.kids(e, ['member']).map((m) => m.text ?? '');
  }

  text(e: XmlElement | undefined): string | undefined {
    return e?.text?.trim();
  }

  bad(e: XmlElement, message: string): void {
    this.r.error(R.badValue, this.span(e), message);
  }

  annotation(e: XmlElement, kind: string): Map<string, string> | undefined {
    for (const c of comments(e)) {
      const a = readAnnotation(c, kind);
      if (a) return a;
      if (c.startsWith(`plumb ${kind}`)) this.r.warning(R.badAnnotation, this.span(e), `this \`plumb ${kind}\` comment cannot be read`);
    }
    return undefined;
  }

  origin(a: Map<string, string> | undefined, e: XmlElement): Span {
    const text = a?.get('origin');
    const span = text === undefined ? undefined : parseSpanText(text);
    if (text !== undefined && !span) this.r.warning(R.badAnnotation, this.span(e), 'this annotation\'s origin is not a span');
    return span ?? this.span(e);
  }

  addresses(container: XmlElement | undefined, into: string[], family: 4 | 6): void {
    for (const a of this.entries(container)) {
      const p = parsePrefix(a.attrs.name!);
      if (!p || p.family !== family) this.bad(a, `\`${a.attrs.name}\` is not an IPv${family} address with a length`);
      else into.push(`${formatAddress(p)}/${p.length}`);
    }
  }

  iface(e: XmlElement, name: string, allowed: string[], l3: XmlElement | undefined): InterfaceModel {
    this.kids(e, allowed);
    const a = this.annotation(e, 'interface');
    if (!a) this.r.warning(R.badAnnotation, this.span(e), `interface ${name} has no \`plumb interface\` comment`, 'Its role and intent line are guessed.');
    const v4: string[] = [];
    const v6: string[] = [];
    if (l3) {
      this.addresses(this.child(l3, 'ip'), v4, 4);
      const ipv6 = this.child(l3, 'ipv6');
      if (ipv6) {
        this.kids(ipv6, ['enabled', 'address']);
        this.addresses(this.child(ipv6, 'address'), v6, 6);
      }
    }
    const role = a?.get('role');
    const i: InterfaceModel = {
      name,
      description: this.text(this.child(e, 'comment')) ?? '',
      role: role && ['link', 'segment', 'external', 'loopback'].includes(role) ? (role as InterfaceRole) : name.startsWith('loopback') ? 'loopback' : 'link',
      addresses: [...v4, ...v6],
      origin: this.origin(a, e),
    };
    const modelName = a?.get('name');
    if (modelName !== undefined) this.modelNames.set(name, modelName);
    const pd = a?.get('peer-device');
    const pi = a?.get('peer-interface');
    if (pd !== undefined && pi !== undefined) i.peer = { device: pd, interface: pi };
    if (a?.has('segment')) i.segment = a.get('segment')!;
    if (a?.has('external')) i.external = a.get('external')!;
    return i;
  }

  interfaces(e: XmlElement | undefined, vrMembers: Set<string>): InterfaceModel[] {
    const out: InterfaceModel[] = [];
    if (!e) return out;
    for (const group of this.kids(e, ['ethernet', 'loopback'])) {
      if (group.name === 'ethernet') {
        for (const eth of this.entries(group)) {
          const name = eth.attrs.name!;
          if (!ETHERNET.test(name)) this.bad(eth, `\`${name}\` is not an ethernet interface name (ethernetX/Y)`);
          const l3 = this.child(eth, 'layer3');
          if (l3) this.kids(l3, ['ip', 'ipv6', 'units']);
          else this.r.error(R.missing, this.span(eth), `interface ${name} is not a layer3 interface`);
          // A parent that only carries units is structure, not one of the device's interfaces.
          if (vrMembers.has(name)) out.push(this.iface(eth, name, ['layer3', 'comment'], l3));
          else this.kids(eth, ['layer3']);
          for (const unit of this.entries(this.child(l3, 'units'))) {
            const uname = unit.attrs.name!;
            const m = UNIT.exec(uname);
            if (!m || m[1] !== name) this.bad(unit, `\`${uname}\` is not a unit of ${name} (${name}.N)`);
            const i = this.iface(unit, uname, ['tag', 'ip', 'ipv6', 'comment'], unit);
            const tagEl = this.child(unit, 'tag');
            const tag = Number(this.text(tagEl) ?? 'x');
            if (!tagEl) this.r.error(R.missing, this.span(unit), `unit ${uname} has no <tag>`);
            else if (!Number.isInteger(tag) || tag < 1 || tag > 4094) this.bad(tagEl, `\`${this.text(tagEl)}\` is not a VLAN tag (1-4094)`);
            else i.vlan = tag;
            out.push(i);
          }
        }
      } else {
        const units = this.kids(group, ['units']);
        for (const u of units) {
          for (const lo of this.entries(u)) {
            if (!LOOPBACK.test(lo.attrs.name!)) this.bad(lo, `\`${lo.attrs.name}\` is not a loopback unit name (loopback.N)`);
            out.push(this.iface(lo, lo.attrs.name!, ['ip', 'ipv6', 'comment'], lo));
          }
        }
      }
    }
    return out;
  }

  staticRoutes(rt: XmlElement | undefined, known: Set<string>): StaticRouteModel[] {
    const out: StaticRouteModel[] = [];
    if (!rt) return out;
    for (const fam of this.kids(rt, ['ip', 'ipv6'])) {
      const family = fam.name === 'ip' ? 4 : 6;
      this.kids(fam, ['static-route']);
      for (const e of this.entries(this.child(fam, 'static-route'))) {
        this.kids(e, ['destination', 'interface', 'nexthop', 'admin-dist']);
        const destEl = this.child(e, 'destination');
        const p = parsePrefix(this.text(destEl) ?? '');
        if (!destEl) {
          this.r.error(R.missing, this.span(e), `static route ${e.attrs.name} has no <destination>`);
          continue;
        }
        if (!p || p.family !== family) {
          this.bad(destEl, `\`${this.text(destEl)}\` is not an IPv${family} prefix`);
          continue;
        }
        const route: StaticRouteModel = { prefix: formatPrefix(network(p)), origin: this.origin(this.annotation(e, 'route'), e) };
        const ifEl = this.child(e, 'interface');
        if (ifEl) {
          route.interface = this.text(ifEl) ?? '';
          if (!known.has(route.interface)) this.r.error(R.undefinedRef, this.span(ifEl), `interface ${route.interface} is not configured`);
        }
        const nh = this.child(e, 'nexthop');
        if (nh) {
          const want = family === 4 ? 'ip-address' : 'ipv6-address';
          const k = this.kids(nh, [want]);
          const a = parseAddress(this.text(k[0]) ?? '');
          if (!a || a.family !== family || k.length !== 1) this.bad(nh, `the next hop must be one <${want}>`);
          else route.nextHop = formatAddress(a);
        }
        const ad = this.child(e, 'admin-dist');
        if (ad) {
          const d = Number(this.text(ad));
          if (!Number.isInteger(d) || d < 10 || d > 240) this.bad(ad, `\`${this.text(ad)}\` is not an administrative distance (10-240)`);
          else route.distance = d;
        }
        if (route.nextHop === undefined && route.interface === undefined) this.r.error(R.missing, this.span(e), 'a static route needs a next hop or an interface');
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

  ospf(protocol: XmlElement | undefined, ifaces: InterfaceModel[]): OspfModel | undefined {
    const v2 = this.child(protocol, 'ospf');
    const v3 = this.child(protocol, 'ospfv3');
    if (!v2 && !v3) return undefined;
    const profiles = new Map<string, { family: 4 | 6; type: string; prefixes: string[]; redist: boolean; el: XmlElement }>();
    for (const [tag, family] of [
      ['redist-profile', 4],
      ['redist-profile-ipv6', 6],
    ] as const) {
      for (const p of this.entries(this.child(protocol, tag))) {
        this.kids(p, ['priority', 'filter', 'action']);
        const filter = this.child(p, 'filter');
        if (filter) this.kids(filter, ['type', 'destination']);
        const types = this.members(this.child(filter, 'type'));
        const prefixes = this.members(this.child(filter, 'destination'));
        for (const x of prefixes) if (parsePrefix(x)?.family !== family) this.bad(p, `\`${x}\` is not an IPv${family} prefix`);
        const action = this.kids(this.child(p, 'action') ?? p, ['redist', 'no-redist', 'priority', 'filter', 'action']).map((k) => k.name);
        profiles.set(p.attrs.name!, { family, type: types.length === 1 ? types[0]! : types.join(','), prefixes: prefixes.filter((x) => parsePrefix(x)?.family === family), redist: action.includes('redist'), el: p });
      }
    }
    const routerId = this.text(this.child(v2 ?? v3, 'router-id'));
    if (!routerId || parseAddress(routerId)?.family !== 4) this.r.error(R.missing, this.span((v2 ?? v3)!), 'OSPF needs a <router-id> (an IPv4 address)');
    const found = new Map<string, { cost: number; passive: boolean }>();
    const redistribute: OspfModel['redistribute'] = [];
    const defaultOriginate = { ipv4: false, ipv6: false };
    for (const [proc, family] of [
      [v2, 4],
      [v3, 6],
    ] as const) {
      if (!proc) continue;
      this.kids(proc, ['enable', 'router-id', 'area', 'export-rules', 'allow-redist-default-route']);
      if (this.text(this.child(proc, 'router-id')) !== routerId) this.r.error(R.inconsistent, this.span(proc), 'OSPF and OSPFv3 have different router ids');
      const areas = this.entries(this.child(proc, 'area'));
      for (const area of areas) {
        if (area.attrs.name !== '0.0.0.0') this.bad(area, 'Plumb runs OSPF in area 0.0.0.0 only');
        this.kids(area, ['type', 'interface']);
        for (const i of this.entries(this.child(area, 'interface'))) {
          this.kids(i, ['enable', 'passive', 'metric', 'link-type']);
          const linkType = this.child(i, 'link-type');
          if (linkType) this.kids(linkType, ['p2p', 'broadcast']);
          const name = i.attrs.name!;
          if (!ifaces.some((x) => x.name === name)) this.r.error(R.undefinedRef, this.span(i), `OSPF interface ${name} is not configured`);
          const cost = Number(this.text(this.child(i, 'metric')) ?? '10');
          const passive = this.text(this.child(i, 'passive')) === 'yes';
          const prev = found.get(name);
          if (prev && (prev.cost !== cost || prev.passive !== passive)) this.r.error(R.inconsistent, this.span(i), `interface ${name} has different OSPF and OSPFv3 settings`);
          found.set(name, { cost, passive });
        }
      }
      const allowDefault = this.text(this.child(proc, 'allow-redist-default-route')) === 'yes';
      for (const ex of this.entries(this.child(proc, 'export-rules'))) {
        this.kids(ex, ['new-path-type']);
        const p = profiles.get(ex.attrs.name!);
        if (!p) {
          this.r.error(R.undefinedRef, this.span(ex), `redistribution profile ${ex.attrs.name} is not defined`);
          continue;
        }
        if (p.family !== family) this.r.error(R.inconsistent, this.span(ex), `redistribution profile ${ex.attrs.name} is for IPv${p.family}`);
        const isDefault = p.type === 'static' && p.prefixes.length === 1 && (p.prefixes[0] === '0.0.0.0/0' || p.prefixes[0] === '::/0') && /^default-route/.test(ex.attrs.name!);
        if (isDefault) {
          if (!allowDefault) this.r.error(R.inconsistent, this.span(proc), 'a default route is exported but <allow-redist-default-route> is not yes');
          if (family === 4) defaultOriginate.ipv4 = true;
          else defaultOriginate.ipv6 = true;
          continue;
        }
        if (p.type.includes(',')) {
          this.bad(p.el, `redistribution profile ${ex.attrs.name} must name one route type to be exported into OSPF`);
          continue;
        }
        const protocolName = p.type === 'connect' ? 'connected' : p.type;
        if (protocolName !== 'static' && protocolName !== 'connected' && protocolName !== 'bgp') {
          this.bad(p.el, `Plumb redistributes static, connect or bgp routes, not ${p.type}`);
          continue;
        }
        if (p.redist && p.prefixes.length === 0) this.r.error(R.inconsistent, this.span(p.el), `redistribution profile ${ex.attrs.name} redistributes every ${p.type} route`, 'Plumb limits redistribution to listed prefixes.');
        const prefixes = p.redist ? p.prefixes : [];
        const prev = redistribute.find((x) => x.protocol === protocolName);
        if (prev) prev.prefixes = sortPrefixes([...prev.prefixes, ...prefixes]);
        else redistribute.push({ protocol: protocolName, prefixes: sortPrefixes(prefixes) });
      }
    }
    return {
      routerId: routerId ?? '0.0.0.0',
      interfaces: [...found.entries()].map(([name, v]) => ({ name, ...v })).sort((a, b) => cmp(a.name, b.name)),
      redistribute,
      defaultOriginate,
    };
  }

  bgp(protocol: XmlElement | undefined, known: Set<string>): DeviceModel['bgp'] {
    const bgp = this.child(protocol, 'bgp');
    if (!bgp) return undefined;
    this.kids(bgp, ['enable', 'router-id', 'local-as', 'install-route', 'peer-group', 'policy', 'redist-rules']);
    const originated = new Set<string>();
    for (const rule of this.entries(this.child(bgp, 'redist-rules'))) {
      this.kids(rule, ['address-family-identifier', 'enable', 'set-origin', 'route-table']);
      const family = this.text(this.child(rule, 'address-family-identifier')) === 'ipv6' ? 'redist-profile-ipv6' : 'redist-profile';
      const profile = this.entries(this.child(protocol, family)).find((p) => p.attrs.name === rule.attrs.name);
      if (!profile) this.r.error(R.undefinedRef, this.span(rule), `BGP redistributes profile ${rule.attrs.name}, which ${family} does not define`);
      else for (const d of this.members(this.child(this.child(profile, 'filter'), 'destination'))) originated.add(d);
    }
    const asn = Number(this.text(this.child(bgp, 'local-as')));
    if (!Number.isInteger(asn) || asn < 1 || asn > 4294967295) this.r.error(R.badValue, this.span(bgp), 'BGP needs a <local-as> (an AS number)');
    const routerId = this.text(this.child(bgp, 'router-id')) ?? '';
    if (parseAddress(routerId)?.family !== 4) this.r.error(R.missing, this.span(bgp), 'BGP needs a <router-id> (an IPv4 address)');
    const policy = this.child(bgp, 'policy');
    if (policy) this.kids(policy, ['import', 'export']);
    const rules = { import: new Map<string, { prefixes: string[]; deny: boolean }>(), export: new Map<string, { prefixes: string[]; deny: boolean }>() };
    const groupNames = new Set(this.entries(this.child(bgp, 'peer-group')).map((g) => g.attrs.name!));
    for (const dir of ['import', 'export'] as const) {
      const d = this.child(policy, dir);
      if (d) this.kids(d, ['rules']);
      for (const rule of this.entries(this.child(d, 'rules'))) {
        this.kids(rule, ['enable', 'used-by', 'match', 'action']);
        const usedBy = this.members(this.child(rule, 'used-by'));
        const action = elements(this.child(rule, 'action') ?? rule).map((k) => k.name);
        const match = this.child(rule, 'match');
        const prefixes: string[] = [];
        if (match) {
          this.kids(match, ['address-prefix']);
          for (const p of this.entries(this.child(match, 'address-prefix'))) {
            this.kids(p, ['exact']);
            const pp = parsePrefix(p.attrs.name!);
            if (!pp) this.bad(p, `\`${p.attrs.name}\` is not a prefix`);
            else if (this.text(this.child(p, 'exact')) !== 'yes') this.r.error(R.inconsistent, this.span(p), 'Plumb matches prefixes exactly (<exact>yes</exact>)');
            else prefixes.push(formatPrefix(network(pp)));
          }
        }
        for (const g of usedBy) {
          if (!groupNames.has(g)) this.r.error(R.undefinedRef, this.span(rule), `BGP policy rule ${rule.attrs.name} is used by peer group ${g}, which is not defined`);
          const acc = rules[dir].get(g) ?? { prefixes: [], deny: false };
          if (action.includes('allow') && match) acc.prefixes.push(...prefixes);
          else if (action.includes('deny') && !match) acc.deny = true;
          else this.r.error(R.unknown, this.span(rule), `unsupported BGP ${dir} rule: Plumb writes allow rules matching prefixes and one deny-all rule per peer group`);
          rules[dir].set(g, acc);
        }
      }
    }
    const neighbors: BgpNeighborModel[] = [];
    for (const g of this.entries(this.child(bgp, 'peer-group'))) {
      this.kids(g, ['enable', 'type', 'peer']);
      for (const p of this.entries(this.child(g, 'peer'))) {
        this.kids(p, ['enable', 'peer-as', 'local-address', 'peer-address', 'address-family-identifier', 'enable-mp-bgp']);
        const a = this.annotation(p, 'neighbor');
        if (!a) this.r.warning(R.badAnnotation, this.span(p), `peer ${p.attrs.name} has no \`plumb neighbor\` comment`);
        const addrEl = this.child(this.child(p, 'peer-address'), 'ip');
        const addr = parseAddress(this.text(addrEl) ?? '');
        const remoteAs = Number(this.text(this.child(p, 'peer-as')));
        if (!addr) {
          this.r.error(R.missing, this.span(p), `peer ${p.attrs.name} needs <peer-address><ip>`);
          continue;
        }
        if (!Number.isInteger(remoteAs) || remoteAs < 1) this.bad(p, `peer ${p.attrs.name} needs a <peer-as>`);
        const local = this.text(this.child(this.child(p, 'local-address'), 'interface'));
        if (local !== undefined && !known.has(local)) this.r.error(R.undefinedRef, this.span(p), `local interface ${local} is not configured`);
        const group = g.attrs.name!;
        for (const dir of ['import', 'export'] as const) {
          if (!rules[dir].get(group)?.deny) this.r.error(R.missing, this.span(g), `peer group ${group} has no ${dir} deny rule: routes outside the lists would pass`);
        }
        neighbors.push({
          address: formatAddress(addr),
          remoteAs,
          description: a?.get('description') ?? '',
          external: a?.get('external') ?? '',
          importPrefixes: sortPrefixes(rules.import.get(group)?.prefixes ?? []),
          exportPrefixes: sortPrefixes(rules.export.get(group)?.prefixes ?? []),
          origin: this.origin(a, p),
        });
      }
    }
    for (const n of neighbors) {
      for (const p of n.exportPrefixes) {
        if (!originated.has(p)) this.r.warning(R.inconsistent, this.span(bgp), `${p} is exported to ${n.address} but no BGP redistribution rule originates it`, `Add it to the ${BGP_ANNOUNCE[4]} profile.`);
      }
    }
    neighbors.sort((x, y) => {
      const ax = parseAddress(x.address)!;
      const ay = parseAddress(y.address)!;
      return ax.family - ay.family || (ax.value < ay.value ? -1 : ax.value > ay.value ? 1 : 0);
    });
    return { asn, routerId, neighbors };
  }

  zones(vsys: XmlElement, known: Set<string>): { zones: ZoneModel[]; names: Map<string, string> } {
    const names = new Map<string, string>();
    const zones: ZoneModel[] = [];
    for (const z of this.entries(this.child(vsys, 'zone'))) {
      this.kids(z, ['network']);
      const net = this.child(z, 'network');
      if (net) this.kids(net, ['layer3']);
      const a = this.annotation(z, 'zone');
      const name = a?.get('name') ?? z.attrs.name!;
      names.set(z.attrs.name!, name);
      const members = this.members(this.child(net, 'layer3'));
      for (const m of members) if (!known.has(m)) this.r.error(R.undefinedRef, this.span(z), `zone ${z.attrs.name} lists interface ${m}, which is not configured`);
      zones.push({ name, interfaces: [...members].sort(cmp) });
    }
    return { zones: zones.sort((a, b) => cmp(a.name, b.name)), names };
  }

  securityRules(vsys: XmlElement, zoneNames: Map<string, string>, local: Set<string>): FilterRule[] {
    const addresses = new Map<string, string>();
    for (const a of this.entries(this.child(vsys, 'address'))) {
      this.kids(a, ['ip-netmask', 'description']);
      const p = parsePrefix(this.text(this.child(a, 'ip-netmask')) ?? '');
      if (!p) this.bad(a, `address ${a.attrs.name} needs an <ip-netmask> prefix`);
      else addresses.set(a.attrs.name!, formatPrefix(network(p)));
    }
    const groups = new Map<string, string[]>();
    for (const g of this.entries(this.child(vsys, 'address-group'))) {
      this.kids(g, ['static', 'description']);
      groups.set(g.attrs.name!, this.members(this.child(g, 'static')));
    }
    const services = new Map<string, { protocol: number; ports?: PortRange[]; sourcePorts?: PortRange[] }>();
    for (const s of this.entries(this.child(vsys, 'service'))) {
      this.kids(s, ['protocol', 'description']);
      const protos = elements(this.child(s, 'protocol') ?? s).filter((k) => k.name === 'tcp' || k.name === 'udp');
      const proto = protos[0];
      if (!proto || protos.length !== 1) {
        this.bad(s, `service ${s.attrs.name} needs one <protocol> (tcp or udp)`);
        continue;
      }
      this.kids(proto, ['port', 'source-port']);
      const ports = this.portRanges(this.child(proto, 'port'), proto);
      const src = this.child(proto, 'source-port');
      const sourcePorts = src ? this.portRanges(src, proto) : undefined;
      services.set(s.attrs.name!, {
        protocol: proto.name === 'tcp' ? 6 : 17,
        ...(ports && this.text(this.child(proto, 'port')) !== ANY_PORT ? { ports } : {}),
        ...(sourcePorts ? { sourcePorts } : {}),
      });
    }
    const apps = new Map<string, { protocol: number; icmpType?: number }>([
      ['icmp', { protocol: 1 }],
      ['ipv6-icmp', { protocol: 58 }],
    ]);
    for (const a of this.entries(this.child(vsys, 'application'))) {
      this.kids(a, ['category', 'subcategory', 'technology', 'description', 'risk', 'default']);
      const d = this.child(a, 'default');
      const ident = d ? this.kids(d, ['ident-by-icmp-type', 'ident-by-icmp6-type', 'ident-by-ip-protocol'])[0] : undefined;
      if (!ident) {
        this.r.error(R.missing, this.span(a), `application ${a.attrs.name} needs a <default> identification`);
        continue;
      }
      if (ident.name === 'ident-by-ip-protocol') {
        const n = Number(this.text(ident));
        if (!Number.isInteger(n) || n < 0 || n > 255) this.bad(ident, 'not an IP protocol number');
        else apps.set(a.attrs.name!, { protocol: n });
      } else {
        this.kids(ident, ['type', 'code']);
        const t = Number(this.text(this.child(ident, 'type')));
        if (!Number.isInteger(t) || t < 0 || t > 255) this.bad(ident, 'not an ICMP type');
        else apps.set(a.attrs.name!, { protocol: ident.name === 'ident-by-icmp-type' ? 1 : 58, icmpType: t });
      }
    }
    const rulebase = this.child(vsys, 'rulebase');
    if (rulebase) this.kids(rulebase, ['security']);
    const security = this.child(rulebase, 'security');
    if (security) this.kids(security, ['rules']);
    const entries = this.entries(this.child(security, 'rules'));
    const rules: FilterRule[] = [];
    let sawDefault = false;
    entries.forEach((e, index) => {
      this.kids(e, ['from', 'to', 'source', 'destination', 'source-user', 'category', 'application', 'service', 'action', 'description', 'log-end', 'disabled']);
      const get = (tag: string): string[] => {
        const m = this.members(this.child(e, tag));
        if (m.length === 0) this.r.error(R.missing, this.span(e), `security rule ${e.attrs.name} has no <${tag}>`);
        return m;
      };
      const from = get('from');
      const to = get('to');
      const src = get('source');
      const dst = get('destination');
      const app = get('application');
      const svc = get('service');
      for (const tag of ['source-user', 'category']) {
        const m = this.members(this.child(e, tag));
        if (m.length > 0 && !(m.length === 1 && m[0] === 'any')) this.r.error(R.unknown, this.span(e), `security rule ${e.attrs.name} limits <${tag}>: Plumb rules match addresses and services only`);
      }
      const actionText = this.text(this.child(e, 'action'));
      if (actionText !== 'allow' && actionText !== 'deny') {
        this.bad(this.child(e, 'action') ?? e, `security rule ${e.attrs.name}: the action must be allow or deny`);
        return;
      }
      const isAny = (m: string[]): boolean => m.length === 1 && m[0] === 'any';
      if (e.attrs.name === DEFAULT_RULE && [from, to, src, dst, app, svc].every(isAny) && actionText === 'deny') {
        if (index !== entries.length - 1) this.r.error(R.inconsistent, this.span(e), `${DEFAULT_RULE} must be the last rule`);
        sawDefault = true;
        return;
      }
      const zones = (m: string[]): string[] | undefined =>
        isAny(m)
          ? undefined
          : m.map((z) => {
              const n = zoneNames.get(z);
              if (n === undefined) this.r.error(R.undefinedRef, this.span(e), `security rule ${e.attrs.name} names zone ${z}, which is not defined`);
              return n ?? z;
            });
      const prefixes = (m: string[]): string[] | undefined => {
        if (isAny(m)) return undefined;
        const out: string[] = [];
        for (const name of m) {
          const g = groups.get(name);
          for (const member of g ?? [name]) {
            const p = addresses.get(member);
            if (p === undefined) this.r.error(R.undefinedRef, this.span(e), `security rule ${e.attrs.name} uses address ${member}, which is not defined`);
            else out.push(p);
          }
        }
        return sortPrefixes(out);
      };
      const match: Match = {};
      const sources = prefixes(src);
      const destinations = prefixes(dst);
      if (sources) match.sources = sources;
      if (destinations) match.destinations = destinations;
      if (app.length !== 1 || svc.length !== 1 || (!isAny(app) && !isAny(svc))) {
        this.r.error(R.unknown, this.span(e), `security rule ${e.attrs.name}: Plumb rules have one application or one service`);
      } else if (!isAny(svc)) {
        const s = services.get(svc[0]!);
        if (!s) this.r.error(R.undefinedRef, this.span(e), `security rule ${e.attrs.name} uses service ${svc[0]}, which is not defined`);
        else {
          match.protocol = s.protocol;
          if (s.sourcePorts) match.sourcePorts = s.sourcePorts;
          if (s.ports) match.destinationPorts = s.ports;
        }
      } else if (!isAny(app)) {
        const a = apps.get(app[0]!);
        if (!a) this.r.error(R.undefinedRef, this.span(e), `security rule ${e.attrs.name} uses application ${app[0]}, which Plumb does not know`);
        else {
          match.protocol = a.protocol;
          if (a.icmpType !== undefined) match.icmpType = a.icmpType;
        }
      }
      const fromZones = zones(from);
      const toZones = zones(to);
      if (fromZones) match.fromZones = fromZones;
      if (toZones) match.toZones = toZones;
      if (e.attrs.name === CONTROL_RULES.ospf || e.attrs.name === CONTROL_RULES.bgp) {
        // The control-plane rules (render.ts): only packets addressed to the firewall.
        const allowed = new Set([...local, ...(e.attrs.name === CONTROL_RULES.ospf ? OSPF_GROUPS : [])]);
        const service = e.attrs.name === CONTROL_RULES.ospf ? match.protocol === 89 && match.destinationPorts === undefined : match.protocol === 6 && JSON.stringify(match.destinationPorts) === '[{"from":179,"to":179}]';
        const ok = actionText === 'allow' && rules.length === 0 && service && !match.sourcePorts && (match.destinations?.every((d) => allowed.has(d)) ?? false);
        if (!ok) this.r.error(R.inconsistent, this.span(e), `${e.attrs.name} may only allow ${e.attrs.name === CONTROL_RULES.ospf ? 'OSPF' : 'BGP'} packets addressed to this firewall, before every other rule`, 'Put other traffic in a rule of its own.');
        return;
      }
      rules.push({
        action: actionText === 'allow' ? 'permit' : 'deny',
        match,
        origin: this.origin(this.annotation(e, 'rule'), e),
        description: this.text(this.child(e, 'description')) ?? '',
      });
    });
    if (!sawDefault && entries.length > 0) {
      this.r.warning(R.missing, this.span(entries[entries.length - 1]!), `the rulebase does not end with ${DEFAULT_RULE}`, 'PAN-OS then allows traffic within a zone by default; the model denies it.');
    }
    return rules;
  }

  portRanges(e: XmlElement | undefined, where: XmlElement): PortRange[] | undefined {
    const text = this.text(e);
    if (text === undefined) {
      this.r.error(R.missing, this.span(where), 'a service needs a <port>');
      return undefined;
    }
    const out: PortRange[] = [];
    for (const part of text.split(',')) {
      const m = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(part.trim());
      const from = Number(m?.[1]);
      const to = m?.[2] !== undefined ? Number(m[2]) : from;
      if (!m || from > 65535 || to > 65535 || to < from) {
        this.bad(e!, `\`${part}\` is not a port or port range`);
        return undefined;
      }
      out.push({ from, to });
    }
    return out;
  }

  read(root: XmlElement, ctx: ReadContext): DeviceModel | undefined {
    if (root.name !== 'config') {
      this.r.error(R.unknown, this.span(root), `the root element is <${root.name}>, not <config>`);
      return undefined;
    }
    const deviceAnn = this.annotation(root, 'device');
    this.kids(root, ['devices', 'mgt-config', 'shared']);
    const devices = this.child(root, 'devices');
    const dev = this.entries(devices).find((e) => e.attrs.name === 'localhost.localdomain');
    if (!dev) {
      this.r.error(R.missing, this.span(devices ?? root), 'no <devices><entry name="localhost.localdomain">');
      return undefined;
    }
    this.kids(dev, ['network', 'vsys', 'deviceconfig']);
    const net = this.child(dev, 'network');
    if (net) this.kids(net, ['interface', 'virtual-router']);
    const vrs = this.entries(this.child(net, 'virtual-router'));
    const vr = vrs.find((v) => v.attrs.name === VIRTUAL_ROUTER);
    for (const v of vrs) if (v !== vr) this.r.error(R.unknown, this.span(v), `Plumb uses one virtual router, \`${VIRTUAL_ROUTER}\``);
    if (vr) this.kids(vr, ['interface', 'routing-table', 'protocol']);
    const vrMembers = new Set(this.members(this.child(vr, 'interface')));
    const interfaces = this.interfaces(this.child(net, 'interface'), vrMembers).sort((a, b) => cmp(a.name, b.name));
    const known = new Set(interfaces.map((i) => i.name));
    for (const m of vrMembers) if (!known.has(m)) this.r.error(R.undefinedRef, this.span(this.child(vr, 'interface')!), `the virtual router lists interface ${m}, which is not configured`);
    for (const i of interfaces) if (!vrMembers.has(i.name)) this.r.error(R.inconsistent, i.origin.file === this.file ? i.origin : this.span(vr ?? dev), `interface ${i.name} is not in virtual router ${VIRTUAL_ROUTER}`);
    const protocol = this.child(vr, 'protocol');
    if (protocol) this.kids(protocol, ['redist-profile', 'redist-profile-ipv6', 'ospf', 'ospfv3', 'bgp']);
    const vsysList = this.entries(this.child(dev, 'vsys'));
    const vsys = vsysList.find((v) => v.attrs.name === 'vsys1');
    for (const v of vsysList) if (v !== vsys) this.r.error(R.unknown, this.span(v), 'Plumb configures one virtual system, vsys1');
    let zones: ZoneModel[] = [];
    let securityRules: FilterRule[] = [];
    if (vsys) {
      this.kids(vsys, ['zone', 'address', 'address-group', 'service', 'application', 'rulebase', 'import']);
      const z = this.zones(vsys, known);
      zones = z.zones;
      const local = new Set(
        interfaces.flatMap((i) => i.addresses).map((a) => {
          const p = parsePrefix(a)!;
          return formatPrefix({ family: p.family, value: p.value, length: p.family === 4 ? 32 : 128 });
        }),
      );
      securityRules = this.securityRules(vsys, z.names, local);
      for (const i of interfaces) {
        const zone = zones.find((x) => x.interfaces.includes(i.name));
        if (zone) i.zone = zone.name;
      }
    } else this.r.error(R.missing, this.span(dev), 'no <vsys><entry name="vsys1">');
    const routerId = deviceAnn?.get('router-id');
    let device: DeviceModel = {
      id: ctx.id,
      site: ctx.site,
      name: ctx.name,
      role: ctx.role,
      platform: 'paloalto-panos',
      stateful: true,
      ...(routerId !== undefined ? { routerId } : {}),
      interfaces,
      filters: [],
      zones,
      securityRules,
      staticRoutes: this.staticRoutes(this.child(vr, 'routing-table'), known),
      fib: [],
      origin: deviceAnn ? this.origin(deviceAnn, root) : fileSpan(this.file),
    };
    const ospf = this.ospf(protocol, interfaces);
    if (ospf) device.ospf = ospf;
    const bgp = this.bgp(protocol, known);
    if (bgp) device.bgp = bgp;
    if (this.modelNames.size > 0) device = renameInterfaces(device, this.modelNames);
    return device;
  }
}

function compareSet(setFile: RenderedFile, root: XmlElement, r: Reporter): void {
  const expected = setLines(root).sort();
  const actual: { text: string; line: number; offset: number }[] = [];
  let offset = 0;
  setFile.content.split('\n').forEach((raw, i) => {
    const text = raw.trim().replace(/\s+/g, ' ');
    if (text !== '' && !text.startsWith('#')) actual.push({ text, line: i + 1, offset });
    offset += raw.length + 1;
  });
  const want = new Map<string, number>();
  for (const l of expected) want.set(l, (want.get(l) ?? 0) + 1);
  for (const a of actual) {
    const n = want.get(a.text) ?? 0;
    if (n === 0) {
      const span = { file: setFile.path, start: { line: a.line, column: 1, offset: a.offset }, end: { line: a.line, column: a.text.length + 1, offset: a.offset + a.text.length } };
      r.error(R.setMismatch, span, 'this set command is not in the XML configuration', 'Regenerate both files, or make the same edit in both.');
    } else want.set(a.text, n - 1);
  }
  const missing = [...want.entries()].filter(([, n]) => n > 0).map(([l]) => l);
  if (missing.length > 0) {
    r.error(R.setMismatch, fileSpan(setFile.path), `${missing.length} command(s) of the XML are missing from the set file, e.g. \`${missing[0]}\``, 'Regenerate both files, or make the same edit in both.');
  }
}

export function readPanos(files: RenderedFile[], ctx: ReadContext): ReadResult {
  const xml = files.find((f) => f.path.endsWith('.xml'));
  if (!xml) {
    return { diagnostics: [{ code: R.missing, severity: 'error', span: fileSpan(`${ctx.name}.xml`), message: `no PAN-OS configuration (${ctx.name}.xml) for ${ctx.id}`, related: [] }] };
  }
  const reader = new PanosReader(xml.path);
  const parsed = parseXml(xml.path, xml.content);
  if (!parsed.root) {
    const e = parsed.error!;
    const p = { line: e.line, column: e.column, offset: 0 };
    reader.r.error(R.xmlSyntax, { file: xml.path, start: p, end: p }, `the XML is not well formed: ${e.message}`);
    return { diagnostics: reader.r.diagnostics };
  }
  const device = reader.read(parsed.root, ctx);
  const set = files.find((f) => f.path.endsWith('.set'));
  if (set) compareSet(set, parsed.root, reader.r);
  return { ...(device ? { device: canonicalDevice(device) } : {}), diagnostics: reader.r.diagnostics };
}
