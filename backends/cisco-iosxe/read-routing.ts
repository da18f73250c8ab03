// Routing sections read back: `router ospf`/`router ospfv3` (interface mode), `router bgp` with
// its address families, prefix-lists and route-maps; and the OspfModel / BgpModel built from
// them once every section is read.

import type { BgpModel, BgpNeighborModel, OspfModel } from '../../compiler/model.js';
import type { Span } from '../../language/diagnostic.js';
import { comparePrefixes, network, parseAddress, parsePrefix, type Prefix } from '../../language/address.js';
import { Codes } from '../../language/diagnostics/index.js';
import { textAfter, textSpan, wordSpanAt } from '../config-text.js';
import type { IosLine, Section } from './lines.js';
import type { WrittenEntries } from './written-entries.js';
import { parseOriginTag } from '../origin-tag.js';
import { readText } from './text.js';
import { neighborPassword, secretCommentLine } from './auth.js';
import { maskLength, OSPF_PROCESS } from './syntax.js';
import { addressText, cmp, intOf, IosState, prefixText, type Family, type NeighborDraft, type OspfDraft, type RouteMapEntry } from './read-state.js';

export function readOspfV2(reader: IosState, s: Section): void {
  if (s.head.texts[2]! !== String(OSPF_PROCESS)) reader.bad(s.head, 2, `Plumb uses OSPF process ${OSPF_PROCESS}`);
  const d: OspfDraft = { line: s.head, passive: new Set(), redistribute: [], defaultOriginate: false };
  for (const l of s.body) if (!l.isComment) ospfLine(reader, l, d, 4);
  if (reader.ospf2) duplicateSection(reader, s, reader.ospf2.line);
  reader.ospf2 = d;
}

export function readOspfV3(reader: IosState, s: Section): void {
  if (s.head.texts[2]! !== String(OSPF_PROCESS)) reader.bad(s.head, 2, `Plumb uses OSPF process ${OSPF_PROCESS}`);
  const d: OspfDraft = { line: s.head, passive: new Set(), redistribute: [], defaultOriginate: false };
  let inAf = false;
  for (const l of s.body) {
    if (l.isComment) continue;
    const text = l.texts.join(' ');
    if (text === 'address-family ipv6 unicast') inAf = true;
    else if (text === 'exit-address-family') inAf = false;
    else if (!inAf && l.texts[0]! === 'router-id') ospfLine(reader, l, d, 6);
    else if (inAf && l.texts[0]! !== 'router-id') ospfLine(reader, l, d, 6);
    else reader.unknown(l, 'OSPFv3 line');
  }
  if (reader.ospf3) duplicateSection(reader, s, reader.ospf3.line);
  reader.ospf3 = d;
}

function ospfLine(reader: IosState, l: IosLine, d: OspfDraft, family: Family): void {
  const w = l.texts;
  if (w[0] === 'router-id' && w.length === 2) {
    d.routerId = addressText(w[1], 4);
    if (!d.routerId) reader.bad(l, 1, `\`${w[1]}\` is not a router id (an IPv4 address)`);
  } else if (w[0] === 'passive-interface' && w.length === 2) d.passive.add(w[1]!);
  else if (w.join(' ') === 'default-information originate') d.defaultOriginate = true;
  else if (w[0] === 'redistribute' && ['static', 'connected', 'bgp'].includes(w[1] ?? '')) {
    const protocol = w[1] as 'static' | 'connected' | 'bgp';
    let i = 2;
    if (protocol === 'bgp') {
      if (intOf(w[2], 1, 4294967295) === undefined) return reader.bad(l, 2, 'redistribute bgp needs the AS number');
      i = 3;
    }
    if (family === 4 && w[i] === 'subnets') i++;
    if (w[i] !== 'route-map' || w[i + 1] === undefined || w.length !== i + 2) {
      return reader.reporter.error(Codes.readerMissingPart, textSpan(l), 'redistribution must be limited by a route-map', 'Plumb never redistributes without `route-map NAME`.');
    }
    d.redistribute.push({ protocol, routeMap: w[i + 1]!, span: wordSpanAt(l, i + 1) });
  } else reader.unknown(l, 'OSPF line');
}

/** A routing process configured in two sections: IOS merges them, the model would keep one. */
function duplicateSection(reader: IosState, s: Section, first: IosLine): void {
  reader.reporter.error(Codes.readerDuplicate, textSpan(s.head), `\`${s.head.text.trim()}\` is configured twice`, `The first is on line ${first.line}; write one section.`);
}

export function readRouterBgp(reader: IosState, s: Section): void {
  const asn = intOf(s.head.texts[2]!, 1, 4294967295);
  if (asn === undefined) return reader.bad(s.head, 2, `\`${s.head.texts[2]!}\` is not an AS number`);
  const bgp: NonNullable<IosState['bgp']> = { line: s.head, asn, neighbors: new Map<string, NeighborDraft>(), networks: new Set(), noDefaultIpv4: false };
  if (reader.bgp) duplicateSection(reader, s, reader.bgp.line);
  reader.bgp = bgp;
  let af: Family | undefined;
  let pending: { external?: string; origin?: Span; address: string } | undefined;
  const neighbor = (l: IosLine, text: string): NeighborDraft | undefined => {
    const a = addressText(text);
    if (!a) return reader.bad(l, 1, `\`${text}\` is not a neighbour address`), undefined;
    return bgp.neighbors.get(a) ?? (reader.reporter.error(Codes.readerUndefinedReference, wordSpanAt(l, 1), `neighbour ${a} has no \`remote-as\``), undefined);
  };
  for (const l of s.body) {
    const w = l.texts;
    const text = w.join(' ');
    if (l.isComment) {
      if (secretCommentLine(reader, l)) continue;
      if (w[1] === 'plumb' && w[2] === 'neighbor' && w[4] === 'external' && w[6] === 'origin') {
        const origin = parseOriginTag(textAfter(l, 7));
        const address = addressText(w[3]);
        if (!origin || !address) reader.reporter.warning(Codes.readerBadAnnotation, textSpan(l), 'this neighbour annotation cannot be read');
        else pending = { external: w[5]!, origin, address };
      } else if (w[1] === 'plumb') reader.reporter.warning(Codes.readerBadAnnotation, textSpan(l), 'this neighbour annotation cannot be read');
      continue;
    }
    if (af === undefined) {
      if (w[0] === 'bgp' && w[1] === 'router-id' && w.length === 3) {
        bgp.routerId = addressText(w[2], 4);
        if (!bgp.routerId) reader.bad(l, 2, `\`${w[2]}\` is not a router id`);
      } else if (text === 'bgp log-neighbor-changes') continue;
      else if (text === 'no bgp default ipv4-unicast') bgp.noDefaultIpv4 = true;
      else if (w[0] === 'neighbor' && w[2] === 'remote-as' && w.length === 4) {
        const a = addressText(w[1]);
        const remoteAs = intOf(w[3], 1, 4294967295);
        if (!a) reader.bad(l, 1, `\`${w[1]}\` is not a neighbour address`);
        else if (remoteAs === undefined) reader.bad(l, 3, `\`${w[3]}\` is not an AS number`);
        else {
          reader.refs.define('neighbour', a, wordSpanAt(l, 1));
          const ann = pending?.address === a ? pending : undefined;
          bgp.neighbors.set(a, { line: l, address: a, remoteAs, description: '', ...(ann ? { external: ann.external, origin: ann.origin } : {}), maps: {}, activated: new Map() });
        }
        pending = undefined;
      } else if (w[0] === 'neighbor' && w[2] === 'ttl-security' && w[3] === 'hops' && w.length === 5) {
        const n = neighbor(l, w[1]!);
        const hops = intOf(w[4], 1, 254);
        if (hops === undefined) reader.bad(l, 4, `\`${w[4]}\` is not a hop count (1-254)`);
        else if (n) n.ttlSecurity = hops;
      } else if (w[0] === 'neighbor' && w[2] === 'password' && w.length >= 4) {
        const n = neighbor(l, w[1]!);
        if (n) neighborPassword(reader, l, w, n.address);
      } else if (w[0] === 'neighbor' && w[2] === 'description' && w.length >= 4) {
        const n = neighbor(l, w[1]!);
        if (n) n.description = readText(textAfter(l, 3));
      } else if (text === 'address-family ipv4' || text === 'address-family ipv4 unicast') af = 4;
      else if (text === 'address-family ipv6' || text === 'address-family ipv6 unicast') af = 6;
      else reader.unknown(l, 'BGP line');
      continue;
    }
    if (text === 'exit-address-family') af = undefined;
    else if (w[0] === 'network') {
      const ok = af === 4 ? w.length === 4 && w[2] === 'mask' && addressText(w[1], 4) && maskLength(w[3]!, false) !== undefined : w.length === 2 && parsePrefix(w[1]!)?.family === 6;
      if (!ok) reader.bad(l, 1, `\`${textAfter(l, 1)}\` is not an IPv${af} network`);
      else {
        const p = af === 4 ? { family: 4 as const, value: parseAddress(w[1]!)!.value, length: maskLength(w[3]!, false)! } : parsePrefix(w[1]!)!;
        bgp.networks.add(prefixText(p));
      }
    } else if (w[0] === 'neighbor' && w[2] === 'activate' && w.length === 3) neighbor(l, w[1]!)?.activated.set(af, l);
    else if (w[0] === 'neighbor' && w[2] === 'maximum-prefix' && w.length === 4) {
      const n = neighbor(l, w[1]!);
      const max = intOf(w[3], 1, 2147483647);
      if (max === undefined) reader.bad(l, 3, `\`${w[3]}\` is not a number of prefixes (1-2147483647)`);
      else if (n) n.maxPrefixes = [max, af, l];
    }
    else if (w[0] === 'neighbor' && w[2] === 'route-map' && w.length === 5 && (w[4] === 'in' || w[4] === 'out')) {
      const n = neighbor(l, w[1]!);
      if (!n) continue;
      const dir = w[4];
      const prev = n.maps[dir];
      if (prev && prev[0] !== w[3]) reader.reporter.error(Codes.readerContradiction, wordSpanAt(l, 3), `neighbour ${n.address} uses route-map ${prev[0]} ${dir} in another address family`);
      n.maps[dir] = [w[3]!, wordSpanAt(l, 3)];
    } else reader.unknown(l, 'BGP address-family line');
  }
}

/** A prefix-list line from its words; `line` makes the line for a span (a diagnostic, the list's definition). */
export function readPrefixList(reader: IosState, w: readonly string[], line: () => IosLine, family: Family): void {
  const seq = intOf(w[4], 1, 4294967294);
  const p = parsePrefix(w[6] ?? '');
  if (w.length !== 7 || w[3] !== 'seq' || w[5] !== 'permit') return reader.unknown(line(), 'prefix-list line');
  if (seq === undefined) return reader.bad(line(), 4, `\`${w[4]}\` is not a sequence number`);
  if (!p || p.family !== family) return reader.bad(line(), 6, `\`${w[6]}\` is not an IPv${family} prefix`);
  const key = `${family}:${w[2]}`;
  if (!reader.prefixLists.has(key)) reader.refs.define(prefixListKind(family), w[2]!, textSpan(line()));
  const list = reader.prefixLists.get(key) ?? { line: line(), entries: [], written: undefined };
  list.entries.push(network(p));
  // no longer the entries of one block read in place
  list.written = undefined;
  reader.prefixLists.set(key, list);
}

export function readRouteMap(reader: IosState, s: Section): void {
  const w = s.head.texts;
  const seq = intOf(w[3], 0, 65535);
  if (w.length !== 4 || (w[2] !== 'permit' && w[2] !== 'deny') || seq === undefined) return reader.unknown(s.head, 'route-map line');
  const entry: RouteMapEntry = { action: w[2], seq, lists: [] };
  for (const l of s.body) {
    if (l.isComment) continue;
    const b = l.texts;
    if (b.length === 5 && b[0] === 'match' && (b[1] === 'ip' || b[1] === 'ipv6') && b[2] === 'address' && b[3] === 'prefix-list') {
      entry.lists.push({ family: b[1] === 'ip' ? 4 : 6, name: b[4]!, span: wordSpanAt(l, 4) });
    } else reader.unknown(l, 'route-map line');
  }
  if (!reader.routeMaps.has(w[1]!)) reader.refs.define('route-map', w[1]!, textSpan(s.head));
  const entries = reader.routeMaps.get(w[1]!) ?? [];
  entries.push(entry);
  reader.routeMaps.set(w[1]!, entries);
}

/**
 * Consecutive entries of one IPv4 prefix-list read in place (read-written.ts), as readPrefixList
 * reads each: the first defines the list when it is new, every one is added to it.
 */
export function readWrittenEntries(reader: IosState, b: WrittenEntries): void {
  const key = `4:${b.name}`;
  if (!reader.prefixLists.has(key)) reader.refs.define(prefixListKind(4), b.name, textSpan(b.firstLine()));
  const list = reader.prefixLists.get(key);
  // a new list takes the block's array as its own (the block is read once), not a copy of it
  if (list === undefined) reader.prefixLists.set(key, { line: b.firstLine(), entries: b.entries, written: b });
  else {
    for (const e of b.entries) list.entries.push(e);
    list.written = undefined;
  }
}

/** The prefixes a route-map permits (exact prefix-list entries), sorted; undefined if undefined. */
function routeMapPrefixes(reader: IosState, name: string, span: Span): string[] | undefined {
  reader.refs.reference('route-map', name, span);
  const entries = reader.routeMaps.get(name);
  if (!entries) return undefined;
  // the permitted lists' entries, in order; not copied into one list when there is one (Plumb
  // writes one list per route-map: a redistribution list of thousands of entries)
  const lists: Prefix[][] = [];
  // the one list's block read in place, when there is one list and it is only that block
  let written: WrittenEntries | undefined;
  for (const e of [...entries].sort((a, b) => a.seq - b.seq)) {
    if (e.action === 'deny') continue;
    if (e.lists.length === 0) reader.reporter.error(Codes.readerContradiction, span, `route-map ${name} permits everything in sequence ${e.seq}`, 'Plumb limits every route-map to prefix-lists.');
    for (const pl of e.lists) {
      reader.refs.reference(prefixListKind(pl.family), pl.name, pl.span, `route-map ${name}`);
      const list = reader.prefixLists.get(`${pl.family}:${pl.name}`);
      // the entries' own order does not matter: every prefix is sorted below
      if (list) {
        lists.push(list.entries);
        written = list.written;
      }
    }
  }
  // the block knows its prefixes' texts and whether they are in order without repeats (as
  // Plumb writes them): then the answer is its texts, without a pass over the prefixes
  if (lists.length === 1 && written?.increasing) return written.texts.slice();
  const all = lists.length === 1 ? lists[0]! : lists.flat();
  // Each prefix once: equal prefixes (networks, so equal in their text) are neighbours once sorted.
  // Plumb writes one list per route-map, in order and without repeats: one pass tells, and then
  // neither the sort nor the comparisons of neighbours are needed.
  if (strictlyIncreasing(all)) return all.map(prefixText);
  // a single list's entries stay as read: sorted as a copy
  const out = lists.length === 1 ? [...all] : all;
  out.sort(comparePrefixes);
  const texts: string[] = [];
  for (let k = 0; k < out.length; k++) if (k === 0 || comparePrefixes(out[k - 1]!, out[k]!) !== 0) texts.push(prefixText(out[k]!));
  return texts;
}

/** Every prefix of `list` is before the next one in comparePrefixes' order (so no two are equal). */
function strictlyIncreasing(list: readonly Prefix[]): boolean {
  for (let k = 1; k < list.length; k++) if (comparePrefixes(list[k - 1]!, list[k]!) >= 0) return false;
  return true;
}

function prefixListKind(family: Family): string {
  return family === 4 ? 'ip prefix-list' : 'ipv6 prefix-list';
}

export function ospfModel(reader: IosState): OspfModel | undefined {
  const v2 = reader.ospf2;
  const v3 = reader.ospf3;
  if (!v2 && !v3) {
    for (const d of reader.interfaces) {
      if (d.ospf2 || d.ospf3) reader.reporter.error(Codes.readerUndefinedReference, textSpan(d.line), `interface ${d.name} runs OSPF but there is no \`router ospf ${OSPF_PROCESS}\``);
    }
    return undefined;
  }
  const routerId = v2?.routerId ?? v3?.routerId;
  if (!routerId) reader.reporter.error(Codes.readerMissingPart, textSpan((v2 ?? v3)!.line), 'OSPF has no router-id');
  if (v2?.routerId && v3?.routerId && v2.routerId !== v3.routerId) reader.reporter.error(Codes.readerContradiction, textSpan(v3.line), 'OSPFv2 and OSPFv3 have different router ids');
  for (const d of [v2, v3]) for (const p of d?.passive ?? []) reader.refs.reference('interface', p, textSpan(d!.line), 'passive-interface');
  for (const [d, family] of [
    [v2, 'ospf2'],
    [v3, 'ospf3'],
  ] as const) {
    for (const p of d?.passive ?? []) {
      const i = reader.interfaces.find((x) => x.name === p);
      if (i && !i[family]) reader.reporter.error(Codes.readerContradiction, textSpan(d!.line), `passive-interface ${p}: the interface does not run ${family === 'ospf2' ? 'OSPFv2' : 'OSPFv3'}`);
    }
  }
  const interfaces = reader.interfaces
    .filter((d) => d.ospf2 || d.ospf3)
    .map((d) => {
      const span = textSpan(d.line);
      if (d.cost2 !== undefined && d.cost3 !== undefined && d.cost2 !== d.cost3) reader.reporter.error(Codes.readerContradiction, span, `interface ${d.name} has different OSPFv2 and OSPFv3 costs`);
      // the model says each interface's cost; IOS's own default depends on the bandwidth
      if ((d.ospf2 && d.cost2 === undefined) || (d.ospf3 && d.cost3 === undefined)) reader.reporter.error(Codes.readerMissingPart, span, `interface ${d.name} runs OSPF${d.ospf2 && d.cost2 === undefined ? '' : 'v3'} without a cost`);
      if (d.ospf2 && !v2) reader.reporter.error(Codes.readerUndefinedReference, span, `interface ${d.name} runs OSPFv2 but there is no \`router ospf ${OSPF_PROCESS}\``);
      if (d.ospf3 && !v3) reader.reporter.error(Codes.readerUndefinedReference, span, `interface ${d.name} runs OSPFv3 but there is no \`router ospfv3 ${OSPF_PROCESS}\``);
      const passive2 = v2?.passive.has(d.name) ?? false;
      const passive3 = v3?.passive.has(d.name) ?? false;
      if (d.ospf2 && d.ospf3 && passive2 !== passive3) reader.reporter.error(Codes.readerContradiction, span, `interface ${d.name} is passive in ${passive2 ? 'OSPFv2' : 'OSPFv3'} only`);
      const passive = (d.ospf2 && passive2) || (d.ospf3 && passive3);
      return { name: d.name, cost: d.cost2 ?? d.cost3 ?? 1, passive };
    })
    .sort((a, b) => cmp(a.name, b.name));
  const redistribute: OspfModel['redistribute'] = [];
  for (const d of [v2, v3]) {
    for (const redist of d?.redistribute ?? []) {
      const prefixes = routeMapPrefixes(reader, redist.routeMap, redist.span) ?? [];
      const prev = redistribute.find((x) => x.protocol === redist.protocol);
      if (prev) prev.prefixes = [...new Set([...prev.prefixes, ...prefixes].map((p) => parsePrefix(p)!).sort(comparePrefixes).map(prefixText))];
      else redistribute.push({ protocol: redist.protocol, prefixes });
    }
  }
  return {
    routerId: routerId ?? '0.0.0.0',
    interfaces,
    redistribute,
    defaultOriginate: { ipv4: v2?.defaultOriginate ?? false, ipv6: v3?.defaultOriginate ?? false },
  };
}

export function bgpModel(reader: IosState): BgpModel | undefined {
  const b = reader.bgp;
  if (!b) return undefined;
  if (!b.routerId) reader.reporter.error(Codes.readerMissingPart, textSpan(b.line), 'BGP has no `bgp router-id`');
  // IOS activates IPv4 unicast for every neighbour unless told not to
  if (!b.noDefaultIpv4) reader.reporter.error(Codes.readerMissingPart, textSpan(b.line), 'BGP lacks `no bgp default ipv4-unicast`: every neighbour would carry IPv4 unicast', 'Plumb activates each session in its own address family only.');
  for (const n of b.neighbors.values()) {
    const own: Family = parseAddress(n.address)!.family;
    for (const [family, line] of n.activated) {
      if (family !== own) reader.reporter.error(Codes.readerInexpressible, textSpan(line), `neighbour ${n.address} is activated for IPv${family} unicast: a session carries its own address family only`, `Remove it from \`address-family ipv${family}\`.`);
    }
    if (n.maxPrefixes && n.maxPrefixes[1] !== own) reader.reporter.error(Codes.readerInexpressible, textSpan(n.maxPrefixes[2]), `neighbour ${n.address} has a maximum-prefix in \`address-family ipv${n.maxPrefixes[1]}\`: a session carries its own address family only`, `Move it to \`address-family ipv${own}\`.`);
    if (!n.activated.has(own)) reader.reporter.error(Codes.readerMissingPart, textSpan(n.line), `neighbour ${n.address} is not activated in \`address-family ipv${own}\``, 'A session that is not activated carries no routes.');
  }
  const neighbors: BgpNeighborModel[] = [...b.neighbors.values()].map((n) => {
    if (n.external === undefined) reader.reporter.warning(Codes.readerBadAnnotation, textSpan(n.line), `neighbour ${n.address} has no \`! plumb neighbor\` annotation`, 'Its external and intent line are unknown.');
    const prefixes = (dir: 'in' | 'out'): string[] => {
      const m = n.maps[dir];
      if (!m) {
        reader.reporter.error(Codes.readerMissingPart, textSpan(n.line), `neighbour ${n.address} has no route-map ${dir}`, 'Plumb limits every session both ways.');
        return [];
      }
      return routeMapPrefixes(reader, m[0], m[1]) ?? [];
    };
    return {
      address: n.address,
      remoteAs: n.remoteAs!,
      description: n.description,
      external: n.external ?? '',
      importPrefixes: prefixes('in'),
      exportPrefixes: prefixes('out'),
      ...(n.ttlSecurity !== undefined ? { ttlSecurity: n.ttlSecurity } : {}),
      ...(n.maxPrefixes !== undefined ? { maxPrefixes: n.maxPrefixes[0] } : {}),
      origin: n.origin ?? textSpan(n.line),
    };
  });
  const value = (a: string): [number, bigint] => {
    const x = parseAddress(a)!;
    return [x.family, x.value];
  };
  for (const n of neighbors) {
    for (const p of n.exportPrefixes) {
      if (!b.networks.has(p)) reader.reporter.warning(Codes.readerInexpressible, textSpan(b.line), `${p} is exported to ${n.address} but no \`network\` statement originates it`, 'Add the network statement to the address family.');
    }
  }
  neighbors.sort((x, y) => {
    const [fx, vx] = value(x.address);
    const [fy, vy] = value(y.address);
    return fx - fy || (vx < vy ? -1 : vx > vy ? 1 : 0);
  });
  return { asn: b.asn, routerId: b.routerId ?? '0.0.0.0', neighbors };
}
