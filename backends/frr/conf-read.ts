// Reads frr.conf (what conf-render.ts writes, and hand edits of the same subset) back into the
// model's router id, static routes, OSPF and BGP. Like vtysh, a command unknown in the current
// block is tried in the enclosing one, so indentation and `exit` lines are optional. Accepted
// abbreviation: `int` for `interface`.

import { match } from 'ts-pattern';
import type { Diagnostic, Span } from '../../language/diagnostic.js';
import type { BgpModel, BgpNeighborModel, OspfModel, StaticRouteModel } from '../../compiler/model.js';
import {
  canonicalPrefix,
  formatAddress,
  parseAddress,
  parsePrefix,
  formatPrefix,
} from '../../language/address.js';
import { diagnostic, lineSpan, readLines, wordSpan, type ConfigLine } from '../config-text.js';
import { sortPrefixes, sortStaticRoutes, compareAddressText } from '../canonical.js';
import { parseOriginTag } from '../origin-tag.js';

export interface FrrConfRead {
  hostname?: string;
  routerId?: string;
  staticRoutes: StaticRouteModel[];
  ospf?: OspfModel;
  bgp?: BgpModel;
  diagnostics: Diagnostic[];
}

type Block = 'top' | 'interface' | 'route-map' | 'ospf' | 'ospf6' | 'bgp' | 'af';
const PARENT: Record<Block, Block | undefined> = {
  top: undefined,
  interface: 'top',
  'route-map': 'top',
  ospf: 'top',
  ospf6: 'top',
  bgp: 'top',
  af: 'bgp',
};

interface OspfIf {
  area?: boolean;
  cost?: number;
  passive?: boolean;
  span: Span;
}
interface RouteMapClause {
  action: 'permit' | 'deny';
  seq: number;
  matches: { family: 4 | 6; list: string; span: Span }[];
  span: Span;
}
interface NeighborDraft {
  address: string;
  remoteAs?: number;
  description: string;
  external?: string;
  origin?: Span;
  span: Span;
  maps: { dir: 'in' | 'out'; map: string; af: string; span: Span }[];
  activeIn: Set<string>;
  inactiveIn: Set<string>;
}

const REDIST = ['static', 'bgp', 'connected'] as const;

export function readFrrConf(file: string, content: string): FrrConfRead {
  const diagnostics: Diagnostic[] = [];
  const err = (
    code: string,
    span: Span,
    message: string,
    hint?: string,
    severity: 'error' | 'warning' = 'error',
  ): void => void diagnostics.push(diagnostic(code, severity, span, message, hint));
  const result: FrrConfRead = { staticRoutes: [], diagnostics };

  const ifs = new Map<string, { v4: OspfIf; v6: OspfIf }>();
  const prefixLists = new Map<string, { prefixes: string[]; span: Span }>(); // key: `4 NAME` / `6 NAME`
  const routeMaps = new Map<string, RouteMapClause[]>();
  const ospf: {
    v4?: {
      routerId?: string;
      redistribute: { protocol: (typeof REDIST)[number]; map: string; span: Span }[];
      def: boolean;
    };
    v6?: {
      routerId?: string;
      redistribute: { protocol: (typeof REDIST)[number]; map: string; span: Span }[];
      def: boolean;
    };
  } = {};
  let bgp:
    | {
        asn: number;
        routerId?: string;
        neighbors: Map<string, NeighborDraft>;
        networks: Set<string>;
        /** FRR's `bgp default ipv4-unicast` (on unless turned off): every session carries IPv4. */
        defaultIpv4: boolean;
        span: Span;
      }
    | undefined;
  const neighborTags = new Map<string, { external: string; origin: Span }>();
  let routeOrigin: Span | undefined;

  let block: Block = 'top';
  let iface: { v4: OspfIf; v6: OspfIf } | undefined;
  let clause: RouteMapClause | undefined;
  let af: 'ipv4' | 'ipv6' | undefined;

  for (const line of readLines(file, content, '!#')) {
    if (line.words.length === 0) {
      const c = line.comment;
      if (c === undefined) continue;
      const tagAt = c.lastIndexOf(' @ ');
      const origin = tagAt >= 0 ? parseOriginTag(c.slice(tagAt + 3)) : undefined;
      const head = (tagAt >= 0 ? c.slice(0, tagAt) : c).split(' ');
      if (origin && head[0] === 'route') routeOrigin = origin;
      if (origin && head[0] === 'neighbor' && head[2] === 'external')
        neighborTags.set(head[1]!, { external: head.slice(3).join(' '), origin });
      continue;
    }
    const t = line.words.map((w) => w.text);
    const text = t.join(' ');
    if (text === 'exit' || text === 'end' || text === 'exit-address-family') {
      block = text === 'exit-address-family' ? 'bgp' : (PARENT[block] ?? 'top');
      continue;
    }
    let handled = false;
    for (let b: Block | undefined = block; b !== undefined && !handled; b = PARENT[b]) {
      handled = command(b, line, t);
    }
    if (!handled)
      err(
        'R901',
        lineSpan(line),
        `unknown command \`${text}\``,
        'Plumb reads interfaces with OSPF settings, static routes, prefix-lists, route-maps, OSPF and BGP',
      );
  }

  // Assemble the model.
  const routeMapPrefixes = (name: string, family: 4 | 6 | 'both', span: Span): string[] => {
    const clauses = routeMaps.get(name);
    if (!clauses) {
      err('R903', span, `route-map ${name} is not defined`);
      return [];
    }
    const out: string[] = [];
    for (const c of [...clauses].sort((a, b) => a.seq - b.seq)) {
      if (c.action === 'deny') {
        if (c.matches.length > 0)
          err(
            'R904',
            c.span,
            `route-map ${name} denies by a match: Plumb's policies only permit listed prefixes`,
          );
        break;
      }
      if (c.matches.length !== 1) {
        err(
          'R904',
          c.span,
          `route-map ${name} clause ${c.seq} must match exactly one prefix-list`,
          'a clause without a match permits every route',
        );
        continue;
      }
      const m = c.matches[0]!;
      if (family !== 'both' && m.family !== family) continue;
      const pl = prefixLists.get(`${m.family} ${m.list}`);
      if (!pl) err('R903', m.span, `${m.family === 4 ? 'ip' : 'ipv6'} prefix-list ${m.list} is not defined`);
      else out.push(...pl.prefixes);
    }
    return sortPrefixes([...new Set(out)]);
  };

  if (ospf.v4 || ospf.v6) {
    const interfaces: OspfModel['interfaces'] = [];
    for (const [name, s] of [...ifs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      if (!s.v4.area && !s.v6.area) continue;
      if (
        s.v4.area &&
        s.v6.area &&
        ((s.v4.cost ?? 10) !== (s.v6.cost ?? 10) || Boolean(s.v4.passive) !== Boolean(s.v6.passive))
      ) {
        err(
          'R904',
          s.v6.span,
          `interface ${name} has different OSPF and OSPFv3 settings`,
          'Plumb gives an interface one cost and one passive flag for both',
        );
      }
      const main = s.v4.area ? s.v4 : s.v6;
      interfaces.push({ name, cost: main.cost ?? 10, passive: Boolean(main.passive) });
    }
    const redistribute: OspfModel['redistribute'] = [];
    for (const protocol of [...REDIST].sort()) {
      const v4 = ospf.v4?.redistribute.filter((r) => r.protocol === protocol) ?? [];
      const v6 = ospf.v6?.redistribute.filter((r) => r.protocol === protocol) ?? [];
      if (v4.length + v6.length === 0) continue;
      const prefixes = [
        ...v4.flatMap((r) => routeMapPrefixes(r.map, 4, r.span)),
        ...v6.flatMap((r) => routeMapPrefixes(r.map, 6, r.span)),
      ];
      redistribute.push({ protocol, prefixes: sortPrefixes([...new Set(prefixes)]) });
    }
    const routerId = ospf.v4?.routerId ?? ospf.v6?.routerId;
    result.ospf = {
      routerId: routerId ?? '0.0.0.0',
      interfaces,
      redistribute,
      defaultOriginate: { ipv4: Boolean(ospf.v4?.def), ipv6: Boolean(ospf.v6?.def) },
    };
  }

  if (bgp) {
    const neighbors: BgpNeighborModel[] = [];
    const defaultIpv4 = bgp.defaultIpv4;
    const active = (n: NeighborDraft, af: string): boolean =>
      !n.inactiveIn.has(af) && (n.activeIn.has(af) || (af === 'ipv4' && defaultIpv4));
    for (const n of [...bgp.neighbors.values()].sort((a, b) => compareAddressText(a.address, b.address))) {
      if (n.remoteAs === undefined) {
        err('R902', n.span, `neighbor ${n.address} has no remote-as`);
        continue;
      }
      const prefixes = (dir: 'in' | 'out'): string[] =>
        sortPrefixes([
          ...new Set(
            n.maps
              .filter((m) => m.dir === dir && active(n, m.af))
              .flatMap((m) => routeMapPrefixes(m.map, 'both', m.span)),
          ),
        ]);
      const tag = neighborTags.get(n.address);
      const exportPrefixes = prefixes('out');
      for (const p of exportPrefixes) {
        if (!bgp.networks.has(p))
          err(
            'R904',
            n.span,
            `${p} is exported to ${n.address} but no \`network ${p}\` originates it`,
            undefined,
            'warning',
          );
      }
      neighbors.push({
        address: n.address,
        remoteAs: n.remoteAs,
        description: n.description,
        external: tag?.external ?? '',
        importPrefixes: prefixes('in'),
        exportPrefixes,
        origin: tag?.origin ?? n.span,
      });
    }
    result.bgp = { asn: bgp.asn, routerId: bgp.routerId ?? '0.0.0.0', neighbors };
  }
  result.staticRoutes = sortStaticRoutes(result.staticRoutes);
  return result;

  /** Handles `t` as a command of block `b`; false when `b` has no such command. */
  function command(b: Block, line: ConfigLine, t: string[]): boolean {
    const span = lineSpan(line);
    const text = t.join(' ');
    const ipv4At = (k: number): string | undefined => {
      const a = t[k] !== undefined ? parseAddress(t[k]!) : undefined;
      if (a?.family === 4) return formatAddress(a);
      err(
        'R902',
        t[k] !== undefined ? wordSpan(line, line.words[k]!) : span,
        `\`${t[k] ?? ''}\` is not an IPv4 address`,
      );
      return undefined;
    };
    return match(b)
      .with('top', () => {
        if (
          text === 'frr defaults traditional' ||
          (t[0] === 'frr' && t[1] === 'version') ||
          text === 'service integrated-vtysh-config'
        )
          return true;
        if (t[0] === 'hostname' && t.length === 2) {
          result.hostname = t[1];
          return true;
        }
        if (
          (t[0] === 'router-id' && t.length === 2) ||
          (t[0] === 'ip' && t[1] === 'router-id' && t.length === 3)
        ) {
          const id = ipv4At(t.length - 1);
          if (id) result.routerId = id;
          return true;
        }
        if ((t[0] === 'interface' || t[0] === 'int') && t.length === 2) {
          iface = ifs.get(t[1]!) ?? { v4: { span }, v6: { span } };
          ifs.set(t[1]!, iface);
          block = 'interface';
          return true;
        }
        if ((t[0] === 'ip' || t[0] === 'ipv6') && t[1] === 'route') {
          staticRoute(line, t, t[0] === 'ip' ? 4 : 6);
          return true;
        }
        if ((t[0] === 'ip' || t[0] === 'ipv6') && t[1] === 'prefix-list' && t[2] !== undefined) {
          prefixListEntry(line, t, t[0] === 'ip' ? 4 : 6);
          return true;
        }
        if (
          t[0] === 'route-map' &&
          t.length === 4 &&
          (t[2] === 'permit' || t[2] === 'deny') &&
          /^\d+$/.test(t[3]!)
        ) {
          clause = { action: t[2], seq: Number(t[3]), matches: [], span };
          routeMaps.set(t[1]!, [...(routeMaps.get(t[1]!) ?? []), clause]);
          block = 'route-map';
          return true;
        }
        if (text === 'router ospf' || text === 'router ospf6') {
          const k = text === 'router ospf' ? 'v4' : 'v6';
          ospf[k] ??= { redistribute: [], def: false };
          block = k === 'v4' ? 'ospf' : 'ospf6';
          return true;
        }
        if (t[0] === 'router' && t[1] === 'bgp' && t.length === 3) {
          const asn = /^\d+$/.test(t[2]!) ? Number(t[2]) : NaN;
          if (!(asn >= 1 && asn <= 4294967295))
            err('R902', wordSpan(line, line.words[2]!), `\`${t[2]}\` is not an AS number`);
          else bgp ??= { asn, neighbors: new Map(), networks: new Set(), defaultIpv4: true, span };
          block = 'bgp';
          return true;
        }
        return false;
      })
      .with('interface', () => {
        if (!iface) return false;
        const fam =
          t[0] === 'ip' && t[1] === 'ospf'
            ? iface.v4
            : t[0] === 'ipv6' && t[1] === 'ospf6'
              ? iface.v6
              : undefined;
        if (t[0] === 'description') return true;
        if (!fam) return false;
        const rest = t.slice(2).join(' ');
        if (rest === 'area 0' || rest === 'area 0.0.0.0') fam.area = true;
        else if (
          t[2] === 'cost' &&
          t.length === 4 &&
          /^\d+$/.test(t[3]!) &&
          Number(t[3]) >= 1 &&
          Number(t[3]) <= 65535
        )
          fam.cost = Number(t[3]);
        else if (rest === 'network point-to-point') return true;
        else if (rest === 'passive') fam.passive = true;
        else if (t[2] === 'area')
          err('R904', span, `only area 0 is supported, not \`${t.slice(3).join(' ')}\``);
        else err('R902', span, `unknown or malformed OSPF interface setting \`${text}\``);
        fam.span = span;
        return true;
      })
      .with('route-map', () => {
        const m = /^match (ip|ipv6) address prefix-list (\S+)$/.exec(text);
        if (!m || !clause) return false;
        clause.matches.push({ family: m[1] === 'ip' ? 4 : 6, list: m[2]!, span });
        return true;
      })
      .with('ospf', 'ospf6', () => {
        const o = ospf[b === 'ospf' ? 'v4' : 'v6']!;
        if (t[0] === (b === 'ospf' ? 'ospf' : 'ospf6') && t[1] === 'router-id' && t.length === 3) {
          const id = ipv4At(2);
          if (id) o.routerId = id;
          return true;
        }
        if (text === 'default-information originate') {
          o.def = true;
          return true;
        }
        if (t[0] === 'redistribute') {
          const protocol = REDIST.find((p) => p === t[1]);
          if (!protocol || t[2] !== 'route-map' || t.length !== 4) {
            err(
              'R904',
              span,
              `\`${text}\`: Plumb redistributes static, bgp or connected routes through a route-map only`,
            );
          } else o.redistribute.push({ protocol, map: t[3]!, span });
          return true;
        }
        return false;
      })
      .with('bgp', () => {
        if (!bgp) return false;
        if (t[0] === 'bgp' && t[1] === 'router-id' && t.length === 3) {
          const id = ipv4At(2);
          if (id) bgp.routerId = id;
          return true;
        }
        if (text === 'no bgp default ipv4-unicast') {
          bgp.defaultIpv4 = false;
          return true;
        }
        if (
          t[0] === 'address-family' &&
          t.length === 3 &&
          t[2] === 'unicast' &&
          (t[1] === 'ipv4' || t[1] === 'ipv6')
        ) {
          af = t[1];
          block = 'af';
          return true;
        }
        if (t[0] === 'neighbor' && t.length >= 3) {
          const n = neighbor(line, t);
          if (!n) return true;
          if (t[2] === 'remote-as' && t.length === 4 && /^\d+$/.test(t[3]!)) n.remoteAs = Number(t[3]);
          else if (t[2] === 'description')
            n.description = line.words[3] ? line.text.slice(line.words[3].column - 1) : '';
          else return false;
          return true;
        }
        return false;
      })
      .with('af', () => {
        if (!bgp || !af) return false;
        if (t[0] === 'network' && t.length === 2) {
          const p = canonicalPrefix(t[1]!);
          if (!p) err('R902', wordSpan(line, line.words[1]!), `\`${t[1]}\` is not a prefix`);
          else bgp.networks.add(p);
          return true;
        }
        if (
          (t[0] === 'neighbor' && t.length >= 3) ||
          (t[0] === 'no' && t[1] === 'neighbor' && t.length === 4)
        ) {
          const n = neighbor(line, t[0] === 'no' ? t.slice(1) : t);
          if (!n) return true;
          if (t[2] === 'activate' && t.length === 3) n.activeIn.add(af);
          else if (t[0] === 'no' && t[3] === 'activate' && t.length === 4) n.inactiveIn.add(af);
          else if (t[2] === 'route-map' && t.length === 5 && (t[4] === 'in' || t[4] === 'out'))
            n.maps.push({ dir: t[4], map: t[3]!, af, span });
          else return false;
          return true;
        }
        return false;
      })
      .exhaustive();
  }

  function neighbor(line: ConfigLine, t: string[]): NeighborDraft | undefined {
    const a = parseAddress(t[1]!);
    if (!a) {
      err('R902', wordSpan(line, line.words[1]!), `\`${t[1]}\` is not a neighbour address`);
      return undefined;
    }
    const address = formatAddress(a);
    let n = bgp!.neighbors.get(address);
    if (!n) {
      n = {
        address,
        description: '',
        span: lineSpan(line),
        maps: [],
        activeIn: new Set(),
        inactiveIn: new Set(),
      };
      bgp!.neighbors.set(address, n);
    }
    return n;
  }

  function staticRoute(line: ConfigLine, t: string[], family: 4 | 6): void {
    const span = lineSpan(line);
    const p = t[2] !== undefined ? parsePrefix(t[2]) : undefined;
    if (!p || p.family !== family || canonicalPrefix(t[2]!) !== formatPrefix(p)) {
      err(
        'R902',
        t[2] !== undefined ? wordSpan(line, line.words[2]!) : span,
        `\`${t[2] ?? ''}\` is not an ${family === 4 ? 'IPv4' : 'IPv6'} network prefix`,
      );
      return;
    }
    const route: StaticRouteModel = { prefix: formatPrefix(p), origin: routeOrigin ?? span };
    routeOrigin = undefined;
    let k = 3;
    const hop = t[k] !== undefined ? parseAddress(t[k]!) : undefined;
    if (hop) {
      route.nextHop = formatAddress(hop);
      k++;
    }
    if (t[k] !== undefined && !/^\d+$/.test(t[k]!)) {
      if (t[k] === 'Null0' || t[k] === 'blackhole' || t[k] === 'reject')
        return err('R904', span, 'Plumb has no discard routes');
      route.interface = t[k]!;
      k++;
    }
    if (t[k] !== undefined && /^\d+$/.test(t[k]!) && Number(t[k]) >= 1 && Number(t[k]) <= 255) {
      route.distance = Number(t[k]);
      k++;
    }
    if (k !== t.length || (route.nextHop === undefined && route.interface === undefined)) {
      return err(
        'R901',
        span,
        `unsupported static route \`${t.join(' ')}\``,
        'Plumb reads `ip route PREFIX [NEXTHOP] [INTERFACE] [DISTANCE]`',
      );
    }
    result.staticRoutes.push(route);
  }

  function prefixListEntry(line: ConfigLine, t: string[], family: 4 | 6): void {
    const span = lineSpan(line);
    let k = 3;
    if (t[k] === 'seq' && /^\d+$/.test(t[k + 1] ?? '')) k += 2;
    const key = `${family} ${t[2]}`;
    const entry = prefixLists.get(key) ?? { prefixes: [], span };
    prefixLists.set(key, entry);
    if (t[k] === 'deny')
      return err(
        'R904',
        span,
        'prefix-list deny entries cannot be expressed: Plumb lists the prefixes it permits',
      );
    if (t[k] !== 'permit' || t[k + 1] === undefined)
      return err('R901', span, `unsupported prefix-list entry \`${t.join(' ')}\``);
    if (t.length > k + 2)
      return err(
        'R904',
        span,
        `\`${t.slice(k + 2).join(' ')}\`: Plumb's prefix-lists match exact prefixes only`,
      );
    const p = parsePrefix(t[k + 1]!);
    if (!p || p.family !== family || canonicalPrefix(t[k + 1]!) !== formatPrefix(p)) {
      return err(
        'R902',
        wordSpan(line, line.words[k + 1]!),
        `\`${t[k + 1]}\` is not an ${family === 4 ? 'IPv4' : 'IPv6'} network prefix`,
      );
    }
    entry.prefixes.push(formatPrefix(p));
  }
}
