// `<device>.cfg` (IOS-XE 17, the subset render.ts writes) → DeviceModel with `fib: []`.
// Strict: a line outside the subset, a value that does not parse, or a reference to an ACL,
// object-group, route-map or prefix-list that is not defined is an R95x diagnostic at the
// file, line and column. Order does not matter where IOS does not care (sections, object
// definitions); `! plumb` annotations restore what the vendor syntax cannot carry.

import type {
  BgpModel,
  BgpNeighborModel,
  DeviceModel,
  InterfaceModel,
  InterfaceRole,
  OspfModel,
  StaticRouteModel,
} from '../../compiler/model.js';
import type { ReadContext, ReadResult, RenderedFile } from '../backend.js';
import { canonicalDevice } from '../canonical.js';
import { fileSpan, type Span } from '../../language/diagnostic.js';
import { comparePrefixes, formatAddress, formatPrefix, network, parseAddress, parsePrefix, type Prefix } from '../../language/address.js';
import { filtersOf, readAcl, readObjectGroup, type ObjectGroup, type ParsedAcl } from './acl-read.js';
import { R } from './codes.js';
import { lexConfig, lineSpanOf, Reporter, restAfter, sectionsOf, wordSpan, type ConfigLine, type Section } from './lines.js';
import { renameInterfaces } from './interface-names.js';
import { parseSpanText } from './origin-text.js';
import { CONFIG_SUFFIX, IPV6_ACL_SUFFIX, maskLength, OSPF_PROCESS } from './syntax.js';

type Family = 4 | 6;

interface IfaceDraft {
  line: ConfigLine;
  name: string;
  /** The model's name when this subinterface stands for a tagged model interface. */
  modelName?: string;
  annotated: boolean;
  description: string;
  role?: InterfaceRole;
  peer?: { device: string; interface: string };
  segment?: string;
  external?: string;
  zone?: string;
  origin?: Span;
  vlan?: number;
  v4: string[];
  v6: string[];
  acl: Record<'in' | 'out', { 4?: [string, Span]; 6?: [string, Span] }>;
  ospf2: boolean;
  ospf3: boolean;
  cost2?: number;
  cost3?: number;
}

interface OspfDraft {
  line: ConfigLine;
  routerId?: string;
  passive: Set<string>;
  redistribute: { protocol: 'static' | 'bgp' | 'connected'; routeMap: string; span: Span }[];
  defaultOriginate: boolean;
}

interface NeighborDraft {
  line: ConfigLine;
  address: string;
  remoteAs?: number;
  description: string;
  external?: string;
  origin?: Span;
  maps: { in?: [string, Span]; out?: [string, Span] };
}

interface RouteMapEntry {
  action: 'permit' | 'deny';
  seq: number;
  lists: { family: Family; name: string; span: Span }[];
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function prefixText(p: Prefix): string {
  return formatPrefix(network(p));
}

function addressText(w: string | undefined, family?: Family): string | undefined {
  if (w === undefined) return undefined;
  const a = parseAddress(w);
  if (!a || (family !== undefined && a.family !== family)) return undefined;
  return formatAddress(a);
}

function intOf(w: string | undefined, min: number, max: number): number | undefined {
  if (w === undefined || !/^\d+$/.test(w)) return undefined;
  const n = Number(w);
  return n >= min && n <= max ? n : undefined;
}

class IosReader {
  readonly r = new Reporter();
  hostname?: string;
  hostnameSpan?: Span;
  deviceOrigin?: Span;
  routerId?: string;
  readonly groups = new Map<string, ObjectGroup>();
  readonly groupSections: Section[] = [];
  readonly interfaces: IfaceDraft[] = [];
  ospf2?: OspfDraft;
  ospf3?: OspfDraft;
  bgp?: { line: ConfigLine; asn: number; routerId?: string; neighbors: Map<string, NeighborDraft> };
  readonly statics: StaticRouteModel[] = [];
  readonly aclSections: { section: Section; family: Family }[] = [];
  readonly prefixLists = new Map<string, { line: ConfigLine; entries: { seq: number; prefix: Prefix }[] }>();
  readonly routeMaps = new Map<string, RouteMapEntry[]>();
  readonly mapRefs: [string, Span][] = [];

  constructor(readonly file: string) {}

  unknown(l: ConfigLine, what = 'line'): void {
    this.r.error(R.unknown, lineSpanOf(l), `unsupported ${what} \`${l.raw.trim()}\``, 'Plumb reads the IOS-XE subset it writes (docs/backends/cisco-iosxe.md).');
  }

  bad(l: ConfigLine, index: number, message: string): void {
    this.r.error(R.badValue, wordSpan(l, index), message);
  }

  read(content: string): void {
    const lines = lexConfig(this.file, content);
    for (const l of lines) if (l.indent === 0 && l.comment) this.topAnnotation(l);
    const sections = sectionsOf(lines);
    for (const s of sections) {
      if (s.head.words[0]?.text === 'object-group') {
        const g = readObjectGroup(s, this.r);
        if (g) {
          if (this.groups.has(g.name)) this.r.error(R.duplicate, wordSpan(s.head, 2), `object-group ${g.name} is defined twice`);
          this.groups.set(g.name, g.group);
        }
      }
    }
    for (const s of sections) this.section(s);
  }

  topAnnotation(l: ConfigLine): void {
    const w = l.words.map((x) => x.text);
    if (w[0] !== '!' || w[1] !== 'plumb') return;
    if (w[2] === 'device' && w[3] === 'origin') {
      this.deviceOrigin = parseSpanText(restAfter(l, 4));
      if (!this.deviceOrigin) this.r.warning(R.badAnnotation, lineSpanOf(l), 'this device annotation does not hold a span');
    } else if (w[2] === 'router-id') {
      this.routerId = addressText(w[3], 4);
      if (!this.routerId) this.r.warning(R.badAnnotation, lineSpanOf(l), 'this router-id annotation does not hold an IPv4 address');
    }
  }

  section(s: Section): void {
    const h = s.head;
    const w = h.words.map((x) => x.text);
    const key = `${w[0]} ${w[1] ?? ''}`;
    if (h.indent > 0) return this.unknown(h);
    if (w[0] === 'hostname' && w.length === 2) {
      this.hostname = w[1];
      this.hostnameSpan = wordSpan(h, 1);
      return this.noBody(s);
    }
    if (key === 'ipv6 unicast-routing' && w.length === 2) return this.noBody(s);
    if (w[0] === 'end' && w.length === 1) return;
    if (w[0] === 'object-group') return;
    if (w[0] === 'interface' && w.length === 2) return this.interface(s);
    if (key === 'router ospf' && w.length === 3) return this.ospfV2(s);
    if (key === 'router ospfv3' && w.length === 3) return this.ospfV3(s);
    if (key === 'router bgp' && w.length === 3) return this.routerBgp(s);
    if (key === 'ip route' || key === 'ipv6 route') {
      this.noBody(s);
      return this.staticRoute(s);
    }
    if (key === 'ip access-list') return this.aclSections.push({ section: s, family: 4 }), undefined;
    if (key === 'ipv6 access-list') return this.aclSections.push({ section: s, family: 6 }), undefined;
    if (key === 'ip prefix-list' || key === 'ipv6 prefix-list') {
      this.noBody(s);
      return this.prefixList(h, w[0] === 'ip' ? 4 : 6);
    }
    if (w[0] === 'route-map') return this.routeMap(s);
    this.unknown(h);
  }

  noBody(s: Section): void {
    for (const l of s.body) if (!l.comment) this.unknown(l);
  }

  interface(s: Section): void {
    const d: IfaceDraft = {
      line: s.head,
      name: s.head.words[1]!.text,
      description: '',
      annotated: false,
      v4: [],
      v6: [],
      acl: { in: {}, out: {} },
      ospf2: false,
      ospf3: false,
    };
    if (this.interfaces.some((i) => i.name === d.name)) this.r.error(R.duplicate, wordSpan(s.head, 1), `interface ${d.name} is configured twice`);
    for (const l of s.body) {
      const w = l.words.map((x) => x.text);
      const key = w.slice(0, 2).join(' ');
      if (l.comment) {
        if (w[0] === '!' && w[1] === 'plumb' && w[2] === 'interface') this.interfaceAnnotation(l, d);
        continue;
      }
      if (w[0] === 'description') d.description = restAfter(l, 1);
      else if (key === 'encapsulation dot1Q' && w.length === 3) {
        d.vlan = intOf(w[2], 1, 4094);
        if (d.vlan === undefined) this.bad(l, 2, `\`${w[2]}\` is not a VLAN id (1-4094)`);
      } else if (key === 'ip address' && (w.length === 4 || (w.length === 5 && w[4] === 'secondary'))) {
        const a = addressText(w[2], 4);
        const len = maskLength(w[3]!, false);
        if (!a || len === undefined) this.bad(l, a ? 3 : 2, `\`${w[2]} ${w[3]}\` is not an IPv4 address and mask`);
        else if ((w.length === 5) !== d.v4.length > 0) this.r.error(R.inconsistent, lineSpanOf(l), 'the first IPv4 address is the primary one; the others are `secondary`');
        else d.v4.push(`${a}/${len}`);
      } else if (key === 'ipv6 address' && w.length === 3) {
        const p = parsePrefix(w[2]!);
        if (!p || p.family !== 6) this.bad(l, 2, `\`${w[2]}\` is not an IPv6 address with a length`);
        else d.v6.push(`${formatAddress(p)}/${p.length}`);
      } else if ((key === 'ip access-group' || key === 'ipv6 traffic-filter') && w.length === 4 && (w[3] === 'in' || w[3] === 'out')) {
        const family: Family = w[0] === 'ip' ? 4 : 6;
        d.acl[w[3]][family] = [w[2]!, wordSpan(l, 2)];
      } else if (w.join(' ') === `ip ospf ${OSPF_PROCESS} area 0` || w.join(' ') === `ip ospf ${OSPF_PROCESS} area 0.0.0.0`) d.ospf2 = true;
      else if (w.join(' ') === `ospfv3 ${OSPF_PROCESS} ipv6 area 0` || w.join(' ') === `ospfv3 ${OSPF_PROCESS} ipv6 area 0.0.0.0`) d.ospf3 = true;
      else if (key === 'ip ospf' && w[2] === 'cost' && w.length === 4) {
        d.cost2 = intOf(w[3], 1, 65535);
        if (d.cost2 === undefined) this.bad(l, 3, `\`${w[3]}\` is not an OSPF cost (1-65535)`);
      } else if (key === 'ospfv3 cost' && w.length === 3) {
        d.cost3 = intOf(w[2], 1, 65535);
        if (d.cost3 === undefined) this.bad(l, 2, `\`${w[2]}\` is not an OSPF cost (1-65535)`);
      } else if (['no shutdown', 'negotiation auto', 'ip ospf network point-to-point', 'ospfv3 network point-to-point'].includes(w.join(' '))) continue;
      else this.unknown(l, 'interface line');
    }
    this.interfaces.push(d);
  }

  interfaceAnnotation(l: ConfigLine, d: IfaceDraft): void {
    const w = l.words.map((x) => x.text);
    let i = 3;
    d.annotated = true;
    const fail = (): void => this.r.warning(R.badAnnotation, lineSpanOf(l), 'this interface annotation cannot be read', 'Expected `! plumb interface role ROLE [peer DEVICE IFACE] [segment S] [external E] [zone Z] origin SPAN`.');
    while (i < w.length) {
      const k = w[i];
      if (k === 'model-name' && w[i + 1] !== undefined) d.modelName = w[i + 1]!;
      else if (k === 'role' && ['link', 'segment', 'external', 'loopback'].includes(w[i + 1] ?? '')) d.role = w[i + 1] as InterfaceRole;
      else if (k === 'peer' && w[i + 2] !== undefined) {
        d.peer = { device: w[i + 1]!, interface: w[i + 2]! };
        i++;
      } else if (k === 'segment' && w[i + 1] !== undefined) d.segment = w[i + 1]!;
      else if (k === 'external' && w[i + 1] !== undefined) d.external = w[i + 1]!;
      else if (k === 'zone' && w[i + 1] !== undefined) d.zone = w[i + 1]!;
      else if (k === 'origin') {
        d.origin = parseSpanText(restAfter(l, i + 1));
        if (!d.origin) fail();
        return;
      } else return fail();
      i += 2;
    }
  }

  ospfV2(s: Section): void {
    if (s.head.words[2]!.text !== String(OSPF_PROCESS)) this.bad(s.head, 2, `Plumb uses OSPF process ${OSPF_PROCESS}`);
    const d: OspfDraft = { line: s.head, passive: new Set(), redistribute: [], defaultOriginate: false };
    for (const l of s.body) if (!l.comment) this.ospfLine(l, d, 4);
    this.ospf2 = d;
  }

  ospfV3(s: Section): void {
    if (s.head.words[2]!.text !== String(OSPF_PROCESS)) this.bad(s.head, 2, `Plumb uses OSPF process ${OSPF_PROCESS}`);
    const d: OspfDraft = { line: s.head, passive: new Set(), redistribute: [], defaultOriginate: false };
    let inAf = false;
    for (const l of s.body) {
      if (l.comment) continue;
      const text = l.words.map((x) => x.text).join(' ');
      if (text === 'address-family ipv6 unicast') inAf = true;
      else if (text === 'exit-address-family') inAf = false;
      else if (!inAf && l.words[0]!.text === 'router-id') this.ospfLine(l, d, 6);
      else if (inAf && l.words[0]!.text !== 'router-id') this.ospfLine(l, d, 6);
      else this.unknown(l, 'OSPFv3 line');
    }
    this.ospf3 = d;
  }

  ospfLine(l: ConfigLine, d: OspfDraft, family: Family): void {
    const w = l.words.map((x) => x.text);
    if (w[0] === 'router-id' && w.length === 2) {
      d.routerId = addressText(w[1], 4);
      if (!d.routerId) this.bad(l, 1, `\`${w[1]}\` is not a router id (an IPv4 address)`);
    } else if (w[0] === 'passive-interface' && w.length === 2) d.passive.add(w[1]!);
    else if (w.join(' ') === 'default-information originate') d.defaultOriginate = true;
    else if (w[0] === 'redistribute' && ['static', 'connected', 'bgp'].includes(w[1] ?? '')) {
      const protocol = w[1] as 'static' | 'connected' | 'bgp';
      let i = 2;
      if (protocol === 'bgp') {
        if (intOf(w[2], 1, 4294967295) === undefined) return this.bad(l, 2, 'redistribute bgp needs the AS number');
        i = 3;
      }
      if (family === 4 && w[i] === 'subnets') i++;
      if (w[i] !== 'route-map' || w[i + 1] === undefined || w.length !== i + 2) {
        return this.r.error(R.missing, lineSpanOf(l), 'redistribution must be limited by a route-map', 'Plumb never redistributes without `route-map NAME`.');
      }
      d.redistribute.push({ protocol, routeMap: w[i + 1]!, span: wordSpan(l, i + 1) });
      this.mapRefs.push([w[i + 1]!, wordSpan(l, i + 1)]);
    } else this.unknown(l, 'OSPF line');
  }

  routerBgp(s: Section): void {
    const asn = intOf(s.head.words[2]!.text, 1, 4294967295);
    if (asn === undefined) return this.bad(s.head, 2, `\`${s.head.words[2]!.text}\` is not an AS number`);
    const bgp = { line: s.head, asn, neighbors: new Map<string, NeighborDraft>() } as NonNullable<IosReader['bgp']>;
    this.bgp = bgp;
    let af: Family | undefined;
    let pending: { external?: string; origin?: Span; address: string } | undefined;
    const neighbor = (l: ConfigLine, text: string): NeighborDraft | undefined => {
      const a = addressText(text);
      if (!a) return this.bad(l, 1, `\`${text}\` is not a neighbour address`), undefined;
      return bgp.neighbors.get(a) ?? (this.r.error(R.undefinedRef, wordSpan(l, 1), `neighbour ${a} has no \`remote-as\``), undefined);
    };
    for (const l of s.body) {
      const w = l.words.map((x) => x.text);
      const text = w.join(' ');
      if (l.comment) {
        if (w[1] === 'plumb' && w[2] === 'neighbor' && w[4] === 'external' && w[6] === 'origin') {
          const origin = parseSpanText(restAfter(l, 7));
          const address = addressText(w[3]);
          if (!origin || !address) this.r.warning(R.badAnnotation, lineSpanOf(l), 'this neighbour annotation cannot be read');
          else pending = { external: w[5]!, origin, address };
        } else if (w[1] === 'plumb') this.r.warning(R.badAnnotation, lineSpanOf(l), 'this neighbour annotation cannot be read');
        continue;
      }
      if (af === undefined) {
        if (w[0] === 'bgp' && w[1] === 'router-id' && w.length === 3) {
          bgp.routerId = addressText(w[2], 4);
          if (!bgp.routerId) this.bad(l, 2, `\`${w[2]}\` is not a router id`);
        } else if (text === 'bgp log-neighbor-changes' || text === 'no bgp default ipv4-unicast') continue;
        else if (w[0] === 'neighbor' && w[2] === 'remote-as' && w.length === 4) {
          const a = addressText(w[1]);
          const remoteAs = intOf(w[3], 1, 4294967295);
          if (!a) this.bad(l, 1, `\`${w[1]}\` is not a neighbour address`);
          else if (remoteAs === undefined) this.bad(l, 3, `\`${w[3]}\` is not an AS number`);
          else {
            if (bgp.neighbors.has(a)) this.r.error(R.duplicate, wordSpan(l, 1), `neighbour ${a} is configured twice`);
            const ann = pending?.address === a ? pending : undefined;
            bgp.neighbors.set(a, { line: l, address: a, remoteAs, description: '', ...(ann ? { external: ann.external, origin: ann.origin } : {}), maps: {} });
          }
          pending = undefined;
        } else if (w[0] === 'neighbor' && w[2] === 'description' && w.length >= 4) {
          const n = neighbor(l, w[1]!);
          if (n) n.description = restAfter(l, 3);
        } else if (text === 'address-family ipv4' || text === 'address-family ipv4 unicast') af = 4;
        else if (text === 'address-family ipv6' || text === 'address-family ipv6 unicast') af = 6;
        else this.unknown(l, 'BGP line');
        continue;
      }
      if (text === 'exit-address-family') af = undefined;
      else if (w[0] === 'network') {
        const ok = af === 4 ? w.length === 4 && w[2] === 'mask' && addressText(w[1], 4) && maskLength(w[3]!, false) !== undefined : w.length === 2 && parsePrefix(w[1]!)?.family === 6;
        if (!ok) this.bad(l, 1, `\`${restAfter(l, 1)}\` is not an IPv${af} network`);
      } else if (w[0] === 'neighbor' && w[2] === 'activate' && w.length === 3) neighbor(l, w[1]!);
      else if (w[0] === 'neighbor' && w[2] === 'route-map' && w.length === 5 && (w[4] === 'in' || w[4] === 'out')) {
        const n = neighbor(l, w[1]!);
        if (!n) continue;
        const dir = w[4];
        const prev = n.maps[dir];
        if (prev && prev[0] !== w[3]) this.r.error(R.inconsistent, wordSpan(l, 3), `neighbour ${n.address} uses route-map ${prev[0]} ${dir} in another address family`);
        n.maps[dir] = [w[3]!, wordSpan(l, 3)];
        this.mapRefs.push([w[3]!, wordSpan(l, 3)]);
      } else this.unknown(l, 'BGP address-family line');
    }
  }

  staticRoute(s: Section): void {
    const l = s.head;
    const w = l.words.map((x) => x.text);
    const family: Family = w[0] === 'ip' ? 4 : 6;
    let prefix: string | undefined;
    let i: number;
    if (family === 4) {
      const a = addressText(w[2], 4);
      const len = w[3] === undefined ? undefined : maskLength(w[3], false);
      if (!a || len === undefined) return this.bad(l, a ? 3 : 2, 'not an IPv4 destination and mask');
      prefix = prefixText({ family: 4, value: parseAddress(a)!.value, length: len });
      i = 4;
    } else {
      const p = parsePrefix(w[2] ?? '');
      if (!p || p.family !== 6) return this.bad(l, 2, `\`${w[2] ?? ''}\` is not an IPv6 prefix`);
      prefix = prefixText(p);
      i = 3;
    }
    const route: StaticRouteModel = { prefix, origin: lineSpanOf(l) };
    if (w[i] !== undefined && !parseAddress(w[i]!) && !/^\d+$/.test(w[i]!)) route.interface = w[i++]!;
    if (w[i] !== undefined && parseAddress(w[i]!)) {
      route.nextHop = addressText(w[i], family);
      if (!route.nextHop) return this.bad(l, i, `the next hop is not an IPv${family} address`);
      i++;
    }
    if (w[i] !== undefined) {
      const dist = intOf(w[i], 1, 255);
      if (dist === undefined || w.length !== i + 1) return this.unknown(l, 'static route');
      route.distance = dist;
    }
    if (route.interface === undefined && route.nextHop === undefined) return this.r.error(R.missing, lineSpanOf(l), 'a static route needs a next hop or an interface');
    const ann = s.before[s.before.length - 1];
    const aw = ann?.words.map((x) => x.text) ?? [];
    if (ann && aw[1] === 'plumb' && aw[2] === 'route' && aw[3] === 'origin') {
      const origin = parseSpanText(restAfter(ann, 4));
      if (origin) route.origin = origin;
      else this.r.warning(R.badAnnotation, lineSpanOf(ann), 'this route annotation does not hold a span');
    }
    this.statics.push(route);
  }

  prefixList(l: ConfigLine, family: Family): void {
    const w = l.words.map((x) => x.text);
    const seq = intOf(w[4], 1, 4294967294);
    const p = parsePrefix(w[6] ?? '');
    if (w.length !== 7 || w[3] !== 'seq' || w[5] !== 'permit') return this.unknown(l, 'prefix-list line');
    if (seq === undefined) return this.bad(l, 4, `\`${w[4]}\` is not a sequence number`);
    if (!p || p.family !== family) return this.bad(l, 6, `\`${w[6]}\` is not an IPv${family} prefix`);
    const key = `${family}:${w[2]}`;
    const list = this.prefixLists.get(key) ?? { line: l, entries: [] };
    list.entries.push({ seq, prefix: network(p) });
    this.prefixLists.set(key, list);
  }

  routeMap(s: Section): void {
    const w = s.head.words.map((x) => x.text);
    const seq = intOf(w[3], 0, 65535);
    if (w.length !== 4 || (w[2] !== 'permit' && w[2] !== 'deny') || seq === undefined) return this.unknown(s.head, 'route-map line');
    const entry: RouteMapEntry = { action: w[2], seq, lists: [] };
    for (const l of s.body) {
      if (l.comment) continue;
      const b = l.words.map((x) => x.text);
      if (b.length === 5 && b[0] === 'match' && (b[1] === 'ip' || b[1] === 'ipv6') && b[2] === 'address' && b[3] === 'prefix-list') {
        entry.lists.push({ family: b[1] === 'ip' ? 4 : 6, name: b[4]!, span: wordSpan(l, 4) });
      } else this.unknown(l, 'route-map line');
    }
    const entries = this.routeMaps.get(w[1]!) ?? [];
    entries.push(entry);
    this.routeMaps.set(w[1]!, entries);
  }

  /** The prefixes a route-map permits (exact prefix-list entries), sorted; undefined if undefined. */
  routeMapPrefixes(name: string, span: Span): string[] | undefined {
    const entries = this.routeMaps.get(name);
    if (!entries) {
      this.r.error(R.undefinedRef, span, `route-map ${name} is not defined`, 'Define it or fix the name.');
      return undefined;
    }
    const out: Prefix[] = [];
    for (const e of [...entries].sort((a, b) => a.seq - b.seq)) {
      if (e.action === 'deny') continue;
      if (e.lists.length === 0) this.r.error(R.inconsistent, span, `route-map ${name} permits everything in sequence ${e.seq}`, 'Plumb limits every route-map to prefix-lists.');
      for (const pl of e.lists) {
        const list = this.prefixLists.get(`${pl.family}:${pl.name}`);
        if (!list) this.r.error(R.undefinedRef, pl.span, `${pl.family === 4 ? 'ip' : 'ipv6'} prefix-list ${pl.name} is not defined`);
        else out.push(...[...list.entries].sort((a, b) => a.seq - b.seq).map((x) => x.prefix));
      }
    }
    return [...new Set(out.sort(comparePrefixes).map(prefixText))];
  }

  finish(ctx: ReadContext): DeviceModel {
    const r = this.r;
    const acls: ParsedAcl[] = [];
    for (const { section, family } of this.aclSections) {
      const acl = readAcl(section, family, this.groups, r);
      if (!acl) continue;
      if (acls.some((a) => a.family === family && a.name === acl.name)) r.error(R.duplicate, lineSpanOf(section.head), `access-list ${acl.name} is defined twice`);
      acls.push(acl);
    }
    const local = new Set(
      this.interfaces.flatMap((d) => [...d.v4, ...d.v6]).map((a) => {
        const p = parsePrefix(a)!;
        return formatPrefix({ family: p.family, value: p.value, length: p.family === 4 ? 32 : 128 });
      }),
    );
    const filters = filtersOf(acls, local, r);
    const aclDefined = (name: string, family: Family): boolean => acls.some((a) => a.family === family && a.name === name);

    // The bare physical interface under a tagged subinterface is structure, not a model interface.
    const parents = new Set(this.interfaces.map((d) => d.modelName).filter((n) => n !== undefined));
    const structural = (d: IfaceDraft): boolean =>
      parents.has(d.name) && !d.annotated && d.description === '' && d.v4.length + d.v6.length === 0 && !d.ospf2 && !d.ospf3 && !d.acl.in[4] && !d.acl.in[6] && !d.acl.out[4] && !d.acl.out[6];
    const drafts = this.interfaces.filter((d) => !structural(d));
    const interfaces: InterfaceModel[] = drafts.map((d) => {
      if (!d.role || !d.origin) r.warning(R.badAnnotation, lineSpanOf(d.line), `interface ${d.name} has no \`! plumb interface\` annotation`, 'Its role and intent line are guessed.');
      const iface: InterfaceModel = {
        name: d.name,
        description: d.description,
        role: d.role ?? (d.name.toLowerCase().startsWith('loopback') ? 'loopback' : 'link'),
        addresses: [...d.v4, ...d.v6],
        origin: d.origin ?? lineSpanOf(d.line),
      };
      if (d.peer) iface.peer = d.peer;
      if (d.segment !== undefined) iface.segment = d.segment;
      if (d.external !== undefined) iface.external = d.external;
      if (d.vlan !== undefined) iface.vlan = d.vlan;
      if (d.zone !== undefined) iface.zone = d.zone;
      for (const dir of ['in', 'out'] as const) {
        const v4 = d.acl[dir][4];
        const v6 = d.acl[dir][6];
        if (v4 && !aclDefined(v4[0], 4)) r.error(R.undefinedRef, v4[1], `access-list ${v4[0]} is applied but not defined`, `Define \`ip access-list extended ${v4[0]}\` or fix the name.`);
        if (v6 && !aclDefined(v6[0], 6)) r.error(R.undefinedRef, v6[1], `IPv6 access-list ${v6[0]} is applied but not defined`, `Define \`ipv6 access-list ${v6[0]}\` or fix the name.`);
        const from6 = v6?.[0].endsWith(IPV6_ACL_SUFFIX) ? v6[0].slice(0, -IPV6_ACL_SUFFIX.length) : v6?.[0];
        if (v4 && v6 && from6 !== v4[0]) r.error(R.inconsistent, v6[1], `the IPv6 filter ${dir} (${v6[0]}) is not the IPv6 half of ${v4[0]}`, `Apply ${v4[0]}${IPV6_ACL_SUFFIX}.`);
        const name = v4?.[0] ?? from6;
        if (name !== undefined) iface[dir === 'in' ? 'filterIn' : 'filterOut'] = name;
      }
      return iface;
    });
    interfaces.sort((a, b) => cmp(a.name, b.name));
    const known = new Set(interfaces.map((i) => i.name));

    let device: DeviceModel = {
      id: ctx.id,
      site: ctx.site,
      name: ctx.name,
      role: ctx.role,
      platform: 'cisco-iosxe',
      stateful: false,
      ...(this.routerId ? { routerId: this.routerId } : {}),
      interfaces,
      filters,
      zones: [],
      securityRules: [],
      staticRoutes: this.staticRoutes(known),
      fib: [],
      origin: this.deviceOrigin ?? fileSpan(this.file),
    };
    const ospf = this.ospfModel(known);
    if (ospf) device.ospf = ospf;
    const bgp = this.bgpModel();
    if (bgp) device.bgp = bgp;
    const renames = new Map(drafts.filter((d) => d.modelName !== undefined).map((d) => [d.name, d.modelName!]));
    if (renames.size > 0) device = renameInterfaces(device, renames);
    return device;
  }

  staticRoutes(known: Set<string>): StaticRouteModel[] {
    for (const s of this.statics) {
      if (s.interface !== undefined && !known.has(s.interface) && s.interface !== 'Null0') {
        this.r.error(R.undefinedRef, s.origin.file === this.file ? s.origin : fileSpan(this.file), `static route via interface ${s.interface}, which is not configured`);
      }
    }
    const key = (s: StaticRouteModel): [Prefix, bigint] => [parsePrefix(s.prefix)!, s.nextHop ? parseAddress(s.nextHop)!.value : -1n];
    return [...this.statics].sort((a, b) => {
      const [pa, na] = key(a);
      const [pb, nb] = key(b);
      return comparePrefixes(pa, pb) || (na < nb ? -1 : na > nb ? 1 : cmp(a.interface ?? '', b.interface ?? ''));
    });
  }

  ospfModel(known: Set<string>): OspfModel | undefined {
    const v2 = this.ospf2;
    const v3 = this.ospf3;
    if (!v2 && !v3) {
      for (const d of this.interfaces) {
        if (d.ospf2 || d.ospf3) this.r.error(R.undefinedRef, lineSpanOf(d.line), `interface ${d.name} runs OSPF but there is no \`router ospf ${OSPF_PROCESS}\``);
      }
      return undefined;
    }
    const routerId = v2?.routerId ?? v3?.routerId;
    if (!routerId) this.r.error(R.missing, lineSpanOf((v2 ?? v3)!.line), 'OSPF has no router-id');
    if (v2?.routerId && v3?.routerId && v2.routerId !== v3.routerId) this.r.error(R.inconsistent, lineSpanOf(v3.line), 'OSPFv2 and OSPFv3 have different router ids');
    for (const d of [v2, v3]) for (const p of d?.passive ?? []) if (!known.has(p)) this.r.error(R.undefinedRef, lineSpanOf(d!.line), `passive-interface ${p} is not configured`);
    const interfaces = this.interfaces
      .filter((d) => d.ospf2 || d.ospf3)
      .map((d) => {
        if (d.cost2 !== undefined && d.cost3 !== undefined && d.cost2 !== d.cost3) this.r.error(R.inconsistent, lineSpanOf(d.line), `interface ${d.name} has different OSPFv2 and OSPFv3 costs`);
        const passive = (d.ospf2 && (v2?.passive.has(d.name) ?? false)) || (d.ospf3 && (v3?.passive.has(d.name) ?? false));
        return { name: d.name, cost: d.cost2 ?? d.cost3 ?? 1, passive };
      })
      .sort((a, b) => cmp(a.name, b.name));
    const redistribute: OspfModel['redistribute'] = [];
    for (const d of [v2, v3]) {
      for (const rd of d?.redistribute ?? []) {
        const prefixes = this.routeMapPrefixes(rd.routeMap, rd.span) ?? [];
        const prev = redistribute.find((x) => x.protocol === rd.protocol);
        if (prev) prev.prefixes = [...new Set([...prev.prefixes, ...prefixes].map((p) => parsePrefix(p)!).sort(comparePrefixes).map(prefixText))];
        else redistribute.push({ protocol: rd.protocol, prefixes });
      }
    }
    return {
      routerId: routerId ?? '0.0.0.0',
      interfaces,
      redistribute,
      defaultOriginate: { ipv4: v2?.defaultOriginate ?? false, ipv6: v3?.defaultOriginate ?? false },
    };
  }

  bgpModel(): BgpModel | undefined {
    const b = this.bgp;
    if (!b) return undefined;
    if (!b.routerId) this.r.error(R.missing, lineSpanOf(b.line), 'BGP has no `bgp router-id`');
    const neighbors: BgpNeighborModel[] = [...b.neighbors.values()].map((n) => {
      if (n.external === undefined) this.r.warning(R.badAnnotation, lineSpanOf(n.line), `neighbour ${n.address} has no \`! plumb neighbor\` annotation`, 'Its external and intent line are unknown.');
      const prefixes = (dir: 'in' | 'out'): string[] => {
        const m = n.maps[dir];
        if (!m) {
          this.r.error(R.missing, lineSpanOf(n.line), `neighbour ${n.address} has no route-map ${dir}`, 'Plumb limits every session both ways.');
          return [];
        }
        return this.routeMapPrefixes(m[0], m[1]) ?? [];
      };
      return {
        address: n.address,
        remoteAs: n.remoteAs!,
        description: n.description,
        external: n.external ?? '',
        importPrefixes: prefixes('in'),
        exportPrefixes: prefixes('out'),
        origin: n.origin ?? lineSpanOf(n.line),
      };
    });
    const value = (a: string): [number, bigint] => {
      const x = parseAddress(a)!;
      return [x.family, x.value];
    };
    neighbors.sort((x, y) => {
      const [fx, vx] = value(x.address);
      const [fy, vy] = value(y.address);
      return fx - fy || (vx < vy ? -1 : vx > vy ? 1 : 0);
    });
    return { asn: b.asn, routerId: b.routerId ?? '0.0.0.0', neighbors };
  }
}

export function readIosxe(files: RenderedFile[], ctx: ReadContext): ReadResult {
  const file = files.find((f) => f.path.endsWith(CONFIG_SUFFIX));
  if (!file) {
    return {
      diagnostics: [
        {
          code: R.missing,
          severity: 'error',
          span: fileSpan(`${ctx.name}${CONFIG_SUFFIX}`),
          message: `no IOS-XE configuration (${ctx.name}${CONFIG_SUFFIX}) for ${ctx.id}`,
          related: [],
        },
      ],
    };
  }
  const reader = new IosReader(file.path);
  reader.read(file.content);
  const device = reader.finish(ctx);
  if (reader.hostname === undefined) reader.r.error(R.missing, fileSpan(file.path), 'the configuration has no `hostname`');
  else if (reader.hostname !== ctx.name) reader.r.warning(R.inconsistent, reader.hostnameSpan ?? fileSpan(file.path), `hostname ${reader.hostname} is not the device's name ${ctx.name}`, 'Check that this file is the device\'s own.');
  return { device: canonicalDevice(device), diagnostics: reader.r.diagnostics };
}
