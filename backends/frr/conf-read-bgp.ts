// The frr.conf reader's BGP (`router bgp` and its address families) and the prefix-lists and
// route-maps that BGP sessions and OSPF redistribution filter through; assembles the BGP model.

import type { Span } from '../../language/diagnostic.js';
import type { BgpModel, BgpNeighborModel } from '../../compiler/model.js';
import {
  canonicalPrefix,
  formatAddress,
  parseAddress,
  parsePrefix,
  formatPrefix,
} from '../../language/address.js';
import { lineSpan, wordSpan, type ConfigLine } from '../config-text.js';
import { sortPrefixes, compareAddressText } from '../canonical.js';
import { ipv4At, type NeighborDraft, type ReaderState } from './conf-read-state.js';
import { readText } from './text.js';
import { LOG_NEIGHBOR_CHANGES, PREFER_GLOBAL } from './conf-render.js';
import { Codes } from '../../language/diagnostics/index.js';
import { neighborPassword } from './conf-secrets.js';

/** A top-level `ip[v6] prefix-list`, `route-map` or `router bgp` command; false when `t` is none. */
export function topBgpCommand(state: ReaderState, line: ConfigLine, t: string[]): boolean {
  const span = lineSpan(line);
  if ((t[0] === 'ip' || t[0] === 'ipv6') && t[1] === 'prefix-list' && t[2] !== undefined) {
    prefixListEntry(state, line, t, t[0] === 'ip' ? 4 : 6);
    return true;
  }
  if (
    t[0] === 'route-map' &&
    t.length === 4 &&
    (t[2] === 'permit' || t[2] === 'deny') &&
    /^\d+$/.test(t[3]!)
  ) {
    state.clause = { action: t[2], seq: Number(t[3]), matches: [], span };
    if (!state.routeMaps.has(t[1]!)) state.refs.define('route-map', t[1]!, span);
    state.routeMaps.set(t[1]!, [...(state.routeMaps.get(t[1]!) ?? []), state.clause]);
    state.block = 'route-map';
    return true;
  }
  if (t[0] === 'router' && t[1] === 'bgp' && t.length === 3) {
    const asn = /^\d+$/.test(t[2]!) ? Number(t[2]) : NaN;
    if (!(asn >= 1 && asn <= 4294967295))
      state.err(
        Codes.readerMalformedValue,
        wordSpan(line, line.words[2]!),
        `\`${t[2]}\` is not an AS number`,
      );
    else state.bgp ??= { asn, neighbors: new Map(), networks: new Set(), defaultIpv4: true, span };
    state.block = 'bgp';
    return true;
  }
  return false;
}

/** A command inside a `route-map` clause; false when it is not one. */
export function routeMapCommand(state: ReaderState, line: ConfigLine, t: string[]): boolean {
  if (t.join(' ') === PREFER_GLOBAL && state.clause) {
    state.clause.preferGlobal = lineSpan(line);
    return true;
  }
  const m = /^match (ip|ipv6) address prefix-list (\S+)$/.exec(t.join(' '));
  if (!m || !state.clause) return false;
  state.clause.matches.push({ family: m[1] === 'ip' ? 4 : 6, list: m[2]!, span: lineSpan(line) });
  return true;
}

/** A command inside `router bgp` (outside an address family); false when it is not one. */
export function bgpCommand(state: ReaderState, line: ConfigLine, t: string[]): boolean {
  const bgp = state.bgp;
  if (!bgp) return false;
  const text = t.join(' ');
  if (t[0] === 'bgp' && t[1] === 'router-id' && t.length === 3) {
    const id = ipv4At(state, line, t, 2);
    if (id) bgp.routerId = id;
    return true;
  }
  if (text === 'no bgp default ipv4-unicast') {
    bgp.defaultIpv4 = false;
    return true;
  }
  if (text === LOG_NEIGHBOR_CHANGES) {
    bgp.logNeighborChanges = lineSpan(line);
    return true;
  }
  if (
    t[0] === 'address-family' &&
    t.length === 3 &&
    t[2] === 'unicast' &&
    (t[1] === 'ipv4' || t[1] === 'ipv6')
  ) {
    state.af = t[1];
    state.block = 'af';
    return true;
  }
  if (t[0] === 'neighbor' && t.length >= 3) {
    const n = neighbor(state, line, t);
    if (!n) return true;
    if (t[2] === 'remote-as' && t.length === 4 && /^\d+$/.test(t[3]!)) n.remoteAs = Number(t[3]);
    else if (t[2] === 'description')
      n.description = line.words[3] ? readText(line.text.slice(line.words[3].column - 1)) : '';
    else if (t[2] === 'ttl-security' && t[3] === 'hops') {
      const hops = t.length === 5 && /^\d{1,3}$/.test(t[4]!) ? Number(t[4]) : NaN;
      if (hops >= 1 && hops <= 254) n.ttlSecurity = hops;
      else
        state.err(
          Codes.readerMalformedValue,
          lineSpan(line),
          `\`${t.slice(4).join(' ')}\` is not a number of hops from 1 to 254`,
        );
    } else if (t[2] === 'password') neighborPassword(state, line, t);
    else return false;
    return true;
  }
  return false;
}

/** A command inside a BGP `address-family`; false when it is not one. */
export function addressFamilyCommand(state: ReaderState, line: ConfigLine, t: string[]): boolean {
  const { bgp, af } = state;
  if (!bgp || !af) return false;
  const span = lineSpan(line);
  if (t[0] === 'network' && t.length === 2) {
    const p = canonicalPrefix(t[1]!);
    if (!p)
      state.err(Codes.readerMalformedValue, wordSpan(line, line.words[1]!), `\`${t[1]}\` is not a prefix`);
    else bgp.networks.add(p);
    return true;
  }
  if ((t[0] === 'neighbor' && t.length >= 3) || (t[0] === 'no' && t[1] === 'neighbor' && t.length === 4)) {
    const n = neighbor(state, line, t[0] === 'no' ? t.slice(1) : t);
    if (!n) return true;
    if (t[2] === 'activate' && t.length === 3) {
      n.activeIn.add(af);
      n.activated.set(af, span);
    }
    else if (t[0] === 'no' && t[3] === 'activate' && t.length === 4) n.inactiveIn.add(af);
    else if (t[2] === 'route-map' && t.length === 5 && (t[4] === 'in' || t[4] === 'out'))
      n.maps.push({ dir: t[4], map: t[3]!, af, span });
    else if (t[2] === 'maximum-prefix' && t.length >= 4) maximumPrefix(state, line, t, n, af);
    else return false;
    return true;
  }
  return false;
}

/** `neighbor X maximum-prefix N`: the limit alone (no threshold, `warning-only` or `restart`). */
function maximumPrefix(state: ReaderState, line: ConfigLine, t: string[], n: NeighborDraft, af: string): void {
  const span = lineSpan(line);
  const value = /^\d{1,10}$/.test(t[3]!) ? Number(t[3]) : NaN;
  if (!(value >= 1 && value <= 4294967295))
    return state.err(Codes.readerMalformedValue, wordSpan(line, line.words[3]!), `\`${t[3]}\` is not a prefix count`);
  if (t.length > 4)
    return state.err(
      Codes.readerInexpressible,
      span,
      `\`${t.slice(4).join(' ')}\`: Plumb's maximum-prefix tears the session down at the limit, with no threshold, warning-only or restart`,
    );
  n.maxPrefixes = { value, af, span };
}

function neighbor(state: ReaderState, line: ConfigLine, t: string[]): NeighborDraft | undefined {
  const a = parseAddress(t[1]!);
  if (!a) {
    state.err(
      Codes.readerMalformedValue,
      wordSpan(line, line.words[1]!),
      `\`${t[1]}\` is not a neighbour address`,
    );
    return undefined;
  }
  const address = formatAddress(a);
  let n = state.bgp!.neighbors.get(address);
  if (!n) {
    n = {
      address,
      description: '',
      span: lineSpan(line),
      maps: [],
      activeIn: new Set(),
      inactiveIn: new Set(),
      activated: new Map(),
    };
    state.bgp!.neighbors.set(address, n);
  }
  return n;
}

function prefixListEntry(state: ReaderState, line: ConfigLine, t: string[], family: 4 | 6): void {
  const span = lineSpan(line);
  let k = 3;
  if (t[k] === 'seq' && /^\d+$/.test(t[k + 1] ?? '')) k += 2;
  const key = `${family} ${t[2]}`;
  if (!state.prefixLists.has(key)) state.refs.define(prefixListKind(family), t[2]!, span);
  const entry = state.prefixLists.get(key) ?? { prefixes: [], span };
  state.prefixLists.set(key, entry);
  if (t[k] === 'deny')
    return state.err(
      Codes.readerInexpressible,
      span,
      'prefix-list deny entries cannot be expressed: Plumb lists the prefixes it permits',
    );
  if (t[k] !== 'permit' || t[k + 1] === undefined)
    return state.err(Codes.readerUnknownCommand, span, `unsupported prefix-list entry \`${t.join(' ')}\``);
  if (t.length > k + 2)
    return state.err(
      Codes.readerInexpressible,
      span,
      `\`${t.slice(k + 2).join(' ')}\`: Plumb's prefix-lists match exact prefixes only`,
    );
  const p = parsePrefix(t[k + 1]!);
  if (!p || p.family !== family || canonicalPrefix(t[k + 1]!) !== formatPrefix(p)) {
    return state.err(
      Codes.readerMalformedValue,
      wordSpan(line, line.words[k + 1]!),
      `\`${t[k + 1]}\` is not an ${family === 4 ? 'IPv4' : 'IPv6'} network prefix`,
    );
  }
  entry.prefixes.push(formatPrefix(p));
}

function prefixListKind(family: 4 | 6): string {
  return family === 4 ? 'ip prefix-list' : 'ipv6 prefix-list';
}

/** The prefixes route-map `name` permits (of one family, or both), from its prefix-lists. */
export function routeMapPrefixes(
  state: ReaderState,
  name: string,
  family: 4 | 6 | 'both',
  span: Span,
): string[] {
  state.refs.reference('route-map', name, span);
  const clauses = state.routeMaps.get(name);
  if (!clauses) return [];
  const out: string[] = [];
  for (const c of [...clauses].sort((a, b) => a.seq - b.seq)) {
    if (c.action === 'deny') {
      if (c.matches.length > 0)
        state.err(
          Codes.readerInexpressible,
          c.span,
          `route-map ${name} denies by a match: Plumb's policies only permit listed prefixes`,
        );
      break;
    }
    if (c.matches.length !== 1) {
      state.err(
        Codes.readerInexpressible,
        c.span,
        `route-map ${name} clause ${c.seq} must match exactly one prefix-list`,
        'a clause without a match permits every route',
      );
      continue;
    }
    const m = c.matches[0]!;
    if (family !== 'both' && m.family !== family) continue;
    state.refs.reference(prefixListKind(m.family), m.list, m.span, `route-map ${name}`);
    const pl = state.prefixLists.get(`${m.family} ${m.list}`);
    if (pl) out.push(...pl.prefixes);
  }
  return sortPrefixes([...new Set(out)]);
}

/** The BGP model from what was read; undefined when there is no `router bgp`. */
export function assembleBgp(state: ReaderState): BgpModel | undefined {
  const bgp = state.bgp;
  if (!bgp) return undefined;
  const neighbors: BgpNeighborModel[] = [];
  const defaultIpv4 = bgp.defaultIpv4;
  const active = (n: NeighborDraft, af: string): boolean =>
    !n.inactiveIn.has(af) && (n.activeIn.has(af) || (af === 'ipv4' && defaultIpv4));
  for (const n of [...bgp.neighbors.values()].sort((a, b) => compareAddressText(a.address, b.address))) {
    if (n.remoteAs === undefined) {
      state.err(Codes.readerMalformedValue, n.span, `neighbor ${n.address} has no remote-as`);
      continue;
    }
    // A session carries its own address family only: an activation of the other one is a
    // session the model does not have.
    const own = n.address.includes(':') ? 'ipv6' : 'ipv4';
    const other = own === 'ipv4' ? 'ipv6' : 'ipv4';
    if (active(n, other))
      state.err(
        Codes.readerInexpressible,
        n.activated.get(other) ?? n.span,
        `neighbor ${n.address} is activated for ${other} unicast${n.activated.has(other) ? '' : ' (FRR\'s `bgp default ipv4-unicast`, on unless `no bgp default ipv4-unicast` turns it off)'}`,
        `a session carries its own address family only (${own} unicast for an ${own === 'ipv4' ? 'IPv4' : 'IPv6'} neighbour)`,
      );
    // Each address family's route-maps filter that family's routes: their clauses of the other
    // family match nothing there.
    const prefixes = (dir: 'in' | 'out'): string[] =>
      sortPrefixes([
        ...new Set(
          n.maps
            .filter((m) => m.dir === dir && m.af === own && active(n, m.af))
            .flatMap((m) => routeMapPrefixes(state, m.map, own === 'ipv4' ? 4 : 6, m.span)),
        ),
      ]);
    // FRR installs an eBGP IPv6 route via the neighbour's link-local next hop unless the
    // import route-map prefers the global one, the neighbour's address the model has.
    if (own === 'ipv6') {
      for (const m of n.maps.filter((x) => x.dir === 'in' && x.af === 'ipv6')) {
        const clauses = state.routeMaps.get(m.map) ?? [];
        if (clauses.some((c) => c.action === 'permit' && c.matches.some((x) => x.family === 6) && !c.preferGlobal))
          state.err(
            Codes.readerMissingPart,
            m.span,
            `the routes learned from ${n.address} would go via its link-local address, not via ${n.address}`,
            `add \`${PREFER_GLOBAL}\` to the IPv6 clauses of route-map ${m.map}`,
          );
      }
    }
    if (n.maxPrefixes && n.maxPrefixes.af !== own)
      state.err(
        Codes.readerInexpressible,
        n.maxPrefixes.span,
        `the maximum-prefix of ${n.address} is in ${n.maxPrefixes.af} unicast, a family the session does not carry`,
        `write it in \`address-family ${own} unicast\``,
      );
    const tag = state.neighborTags.get(n.address);
    const exportPrefixes = prefixes('out');
    for (const p of exportPrefixes) {
      if (!bgp.networks.has(p))
        state.err(
          Codes.readerInexpressible,
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
      ...(n.ttlSecurity !== undefined ? { ttlSecurity: n.ttlSecurity } : {}),
      ...(n.maxPrefixes && n.maxPrefixes.af === own ? { maxPrefixes: n.maxPrefixes.value } : {}),
      origin: tag?.origin ?? n.span,
    });
  }
  if (!bgp.logNeighborChanges)
    state.err(
      Codes.readerMissingPart,
      bgp.span,
      `router bgp ${bgp.asn} does not log its sessions' state changes`,
      `add \`${LOG_NEIGHBOR_CHANGES}\``,
    );
  return { asn: bgp.asn, routerId: bgp.routerId ?? '0.0.0.0', neighbors };
}
