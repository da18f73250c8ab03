// The frr.conf reader's routing protocols other than BGP: static routes and OSPF/OSPFv3
// (`router ospf`, `router ospf6`), and the assembly of the OSPF model.

import type { Span } from '../../language/diagnostic.js';
import type { OspfModel, StaticRouteModel } from '../../compiler/model.js';
import {
  canonicalPrefix,
  formatAddress,
  parseAddress,
  parsePrefix,
  formatPrefix,
} from '../../language/address.js';
import { lineSpan, wordSpan, type ConfigLine } from '../config-text.js';
import { sortPrefixes } from '../canonical.js';
import { ipv4At, REDIST, type ReaderState } from './conf-read-state.js';
import { isLinkLocal } from '../linux/setup-read-ipv6.js';
import { BLACKHOLE } from './conf-render.js';
import { Codes } from '../../language/diagnostics/index.js';

/** A top-level `ip[v6] route` or `router ospf[6]` command; false when `t` is neither. */
export function topRoutingCommand(state: ReaderState, line: ConfigLine, t: string[]): boolean {
  const text = t.join(' ');
  if ((t[0] === 'ip' || t[0] === 'ipv6') && t[1] === 'route') {
    staticRoute(state, line, t, t[0] === 'ip' ? 4 : 6);
    return true;
  }
  if (text === 'router ospf' || text === 'router ospf6') {
    const k = text === 'router ospf' ? 'v4' : 'v6';
    state.ospf[k] ??= { redistribute: [], def: false };
    state.block = k === 'v4' ? 'ospf' : 'ospf6';
    return true;
  }
  return false;
}

/** A command inside a `router ospf` (b = 'ospf') or `router ospf6` block; false when it is not one. */
export function ospfCommand(state: ReaderState, b: 'ospf' | 'ospf6', line: ConfigLine, t: string[]): boolean {
  const span = lineSpan(line);
  const text = t.join(' ');
  const o = state.ospf[b === 'ospf' ? 'v4' : 'v6']!;
  if (t[0] === (b === 'ospf' ? 'ospf' : 'ospf6') && t[1] === 'router-id' && t.length === 3) {
    const id = ipv4At(state, line, t, 2);
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
      state.err(
        Codes.readerInexpressible,
        span,
        `\`${text}\`: Plumb redistributes static, bgp or connected routes through a route-map only`,
      );
    } else o.redistribute.push({ protocol, map: t[3]!, span });
    return true;
  }
  return false;
}

function staticRoute(state: ReaderState, line: ConfigLine, t: string[], family: 4 | 6): void {
  const span = lineSpan(line);
  const p = t[2] !== undefined ? parsePrefix(t[2]) : undefined;
  if (!p || p.family !== family || canonicalPrefix(t[2]!) !== formatPrefix(p)) {
    state.err(
      Codes.readerMalformedValue,
      t[2] !== undefined ? wordSpan(line, line.words[2]!) : span,
      `\`${t[2] ?? ''}\` is not an ${family === 4 ? 'IPv4' : 'IPv6'} network prefix`,
    );
    return;
  }
  const route: StaticRouteModel = { prefix: formatPrefix(p), origin: state.routeOrigin ?? span };
  state.routeOrigin = undefined;
  let k = 3;
  const hop = t[k] !== undefined ? parseAddress(t[k]!) : undefined;
  if (hop) {
    route.nextHop = formatAddress(hop);
    k++;
  }
  if (t[k] !== undefined && !/^\d+$/.test(t[k]!)) {
    if (t[k] === 'reject') return state.err(Codes.readerInexpressible, span, 'Plumb has no reject routes (its discard routes are `blackhole`)');
    // FRR takes `Null0` as another name of `blackhole`; `show running-config` prints it as written.
    if (route.nextHop === undefined && (t[k] === BLACKHOLE || t[k] === 'Null0')) route.discard = true;
    else route.interface = t[k]!;
    k++;
  }
  if (t[k] !== undefined && /^\d+$/.test(t[k]!) && Number(t[k]) >= 1 && Number(t[k]) <= 255) {
    route.distance = Number(t[k]);
    k++;
  }
  if (k !== t.length || (route.nextHop === undefined && route.interface === undefined && !route.discard)) {
    return state.err(
      Codes.readerUnknownCommand,
      span,
      `unsupported static route \`${t.join(' ')}\``,
      'Plumb reads `ip route PREFIX [NEXTHOP] [INTERFACE] [DISTANCE]` and `ip route PREFIX blackhole [DISTANCE]`',
    );
  }
  if (route.nextHop !== undefined && route.interface === undefined && isLinkLocal(route.nextHop))
    return state.err(
      Codes.readerMissingPart,
      span,
      `the link-local next hop ${route.nextHop} without its interface`,
      'a link-local address is only an address on one link: add the interface after it',
    );
  state.result.staticRoutes.push(route);
}

/** The OSPF model from what was read; undefined when there is no `router ospf[6]`. */
export function assembleOspf(
  state: ReaderState,
  routeMapPrefixes: (name: string, family: 4 | 6 | 'both', span: Span) => string[],
): OspfModel | undefined {
  const { ospf, ifs } = state;
  if (!ospf.v4 && !ospf.v6) return undefined;
  const interfaces: OspfModel['interfaces'] = [];
  for (const [name, f] of [...ifs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (!f.v4.area && !f.v6.area) continue;
    if (
      f.v4.area &&
      f.v6.area &&
      ((f.v4.cost ?? 10) !== (f.v6.cost ?? 10) || Boolean(f.v4.passive) !== Boolean(f.v6.passive))
    ) {
      state.err(
        Codes.readerContradiction,
        f.v6.span,
        `interface ${name} has different OSPF and OSPFv3 settings`,
        'Plumb gives an interface one cost and one passive flag for both',
      );
    }
    const main = f.v4.area ? f.v4 : f.v6;
    interfaces.push({ name, cost: main.cost ?? 10, passive: Boolean(main.passive) });
    state.result.ospfInterfaces.push({
      name,
      ...(f.v4.area && ospf.v4 ? { v2: f.v4.areaSpan ?? f.v4.span } : {}),
      ...(f.v6.area && ospf.v6 ? { v3: f.v6.areaSpan ?? f.v6.span } : {}),
      p2p: { ...(f.v4.p2p ? { v2: f.v4.p2p } : {}), ...(f.v6.p2p ? { v3: f.v6.p2p } : {}) },
      span: f.v4.span,
    });
    for (const [v, router] of [
      [f.v4, 'router ospf'],
      [f.v6, 'router ospf6'],
    ] as const) {
      if (v.area && !(router === 'router ospf' ? ospf.v4 : ospf.v6))
        state.err(
          Codes.readerMissingPart,
          v.areaSpan ?? v.span,
          `interface ${name} is in area 0 of ${router === 'router ospf' ? 'OSPFv2' : 'OSPFv3'}, but there is no \`${router}\``,
          `add \`${router}\` with the router id, or remove the interface's area`,
        );
    }
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
  return {
    routerId: routerId ?? '0.0.0.0',
    interfaces,
    redistribute,
    defaultOriginate: { ipv4: Boolean(ospf.v4?.def), ipv6: Boolean(ospf.v6?.def) },
  };
}
