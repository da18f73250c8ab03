// One rule of a filter or zone chain of nftables.conf, parsed into the fields of a model rule
// (nft-read.ts groups the rules written for one model rule and joins them).

import type { Span } from '../../language/diagnostic.js';
import type { Match, PortRange } from '../../compiler/model.js';
import { canonicalPrefix, parseAddress } from '../../language/address.js';
import type { References } from '../references.js';
import type { NftItem, NftStatement, NftWord } from './nft-syntax.js';
import { PROTOCOL_NAMES, ZONE_SET_PREFIX } from './nft-render.js';
import { Codes, type DiagnosticCode } from '../../language/diagnostics/index.js';
import { ipv4Number } from './setup-read-routes.js';

export type Err = (code: DiagnosticCode, span: Span, message: string, hint?: string) => void;

const PROTOCOLS: Record<string, number> = {
  icmpv6: 58,
  ...Object.fromEntries(Object.entries(PROTOCOL_NAMES).map(([n, name]) => [name, Number(n)])),
};

export interface RuleContext {
  zones: Set<string>;
  /** Named address sets of the table: name → family and prefixes. */
  addressSets: Map<string, { family: 4 | 6; prefixes: string[] }>;
  /** The table's chains and sets, defined and used (kinds `zone set`, `ipv4 address set`, ...). */
  refs: References;
  err: Err;
  /**
   * `accept` permits (the local filter's chain and the input chain, where nothing but the final
   * accept follows); elsewhere it would skip the filters after it and is refused.
   */
  acceptPermits?: boolean;
  /** Running files: the rules of one model rule are joined by their comment (nft-read.ts). */
  joinByComment?: boolean;
}

/** One nft rule of a filter or zone chain, as parsed. */
export interface NftRule {
  fromZone?: string;
  toZone?: string;
  family: 4 | 6 | 'any';
  sources?: string[];
  destinations?: string[];
  match: Omit<Match, 'sources' | 'destinations' | 'fromZones' | 'toZones'>;
  action: 'permit' | 'deny';
  comment: string;
  /** The statement read (its span is made only when asked for: nft-syntax.ts). */
  node: NftStatement;
}

export function parseRule(node: NftStatement, context: RuleContext): NftRule | undefined {
  const { zones, addressSets, refs, err } = context;
  const items = node.items;
  const rule: NftRule = { family: 'any', match: {}, action: 'deny', comment: '', node };
  let verdict: string | undefined;
  let i = 0;
  const wordAt = (k: number): NftWord | undefined => wordIn(items, k);
  const valuesAt = (k: number): NftWord[] | undefined => valuesIn(items, k);
  const bad = (span: Span, message: string): undefined => {
    err(Codes.readerMalformedValue, span, message);
    return undefined;
  };
  // `at`'s span is made only for the diagnostic (nft-syntax.ts makes spans on demand)
  const setFamily = (f: 4 | 6, at: NftWord): boolean => {
    if (rule.family !== 'any' && rule.family !== f) {
      err(
        Codes.readerMalformedValue,
        at.span,
        'a rule matches IPv4 and IPv6 addresses at once: no packet has both',
      );
      return false;
    }
    rule.family = f;
    return true;
  };
  while (i < items.length) {
    const w = wordAt(i);
    const item = items[i]!;
    if (!w) return bad(item.kind === 'set' ? item.span : node.span, 'a set where a keyword was expected');
    const next = wordAt(i + 1)?.text;
    const kw = w.text;
    if ((kw === 'iifname' || kw === 'oifname') && wordAt(i + 1)?.text.startsWith('@')) {
      const zone = wordAt(i + 1)!.text.slice(1 + ZONE_SET_PREFIX.length);
      refs.reference('zone set', wordAt(i + 1)!.text.slice(1), wordAt(i + 1)!.span);
      if (!wordAt(i + 1)!.text.startsWith('@' + ZONE_SET_PREFIX) || !zones.has(zone)) return undefined;
      if (kw === 'iifname') rule.fromZone = zone;
      else rule.toZone = zone;
      i += 2;
    } else if ((kw === 'ip' || kw === 'ip6') && (next === 'saddr' || next === 'daddr')) {
      const values = valuesAt(i + 2);
      if (!values || !setFamily(kw === 'ip' ? 4 : 6, w))
        return values ? undefined : bad(w.span, `\`${kw} ${next}\` without addresses`);
      const prefixes: string[] = [];
      const ref =
        values.length === 1 && !values[0]!.quoted && values[0]!.text.startsWith('@') ? values[0]! : undefined;
      const named = ref ? addressSets.get(ref.text.slice(1)) : undefined;
      if (ref) refs.reference(addressSetKind(kw === 'ip' ? 4 : 6), ref.text.slice(1), ref.span);
      if (ref && (!named || named.family !== (kw === 'ip' ? 4 : 6))) return undefined;
      if (named) prefixes.push(...named.prefixes);
      for (const v of named ? [] : values) {
        const p = prefixText(v.text, kw === 'ip' ? 4 : 6);
        if (!p)
          return bad(v.span, `\`${v.text}\` is not an ${kw === 'ip' ? 'IPv4' : 'IPv6'} address or prefix`);
        prefixes.push(p);
      }
      if (next === 'saddr') rule.sources = prefixes;
      else rule.destinations = prefixes;
      i += 3;
    } else if (kw === 'meta' && next === 'l4proto') {
      const v = wordAt(i + 2);
      const proto = v
        ? (PROTOCOLS[v.text] ??
          (/^\d{1,3}$/.test(v.text) && Number(v.text) <= 255 ? Number(v.text) : undefined))
        : undefined;
      if (proto === undefined)
        return bad(v?.span ?? w.span, `\`${v?.text ?? ''}\` is not a protocol name or number`);
      rule.match.protocol = proto;
      i += 3;
    } else if ((kw === 'tcp' || kw === 'udp') && (next === 'sport' || next === 'dport')) {
      const values = valuesAt(i + 2);
      if (!values) return bad(w.span, `\`${kw} ${next}\` without ports`);
      const ports: PortRange[] = [];
      for (const v of values) {
        const p = portRange(v.text);
        if (!p) return bad(v.span, `\`${v.text}\` is not a port or port range`);
        ports.push(p);
      }
      rule.match.protocol ??= kw === 'tcp' ? 6 : 17;
      if (next === 'sport') rule.match.sourcePorts = ports;
      else rule.match.destinationPorts = ports;
      i += 3;
    } else if (
      (kw === 'icmp' || kw === 'icmpv6' || kw === '@th,0,8') &&
      (kw === '@th,0,8' || next === 'type')
    ) {
      const v = wordAt(kw === '@th,0,8' ? i + 1 : i + 2);
      if (!v || !/^\d{1,3}$/.test(v.text) || Number(v.text) > 255)
        return bad(v?.span ?? w.span, 'an ICMP type is a number from 0 to 255');
      rule.match.protocol ??= kw === 'icmpv6' ? 58 : 1;
      rule.match.icmpType = Number(v.text);
      // `icmp type` depends on `meta l4proto icmp` only, not on the address family (nft prints
      // `ip6 daddr X meta l4proto icmp @th,0,8 8` as `ip6 daddr X icmp type echo-request`).
      i += kw === '@th,0,8' ? 2 : 3;
    } else if (
      kw === 'tcp' &&
      items
        .slice(i, i + 8)
        .map((x) => (x.kind === 'word' ? x.word.text : ''))
        .join(' ') === 'tcp flags & (ack | rst) != 0'
    ) {
      rule.match.tcpEstablished = true;
      i += 8;
    } else if (kw === 'counter') {
      i += 1;
    } else if (kw === 'return' || kw === 'drop' || kw === 'accept') {
      verdict = kw;
      i += 1;
    } else if (kw === 'comment') {
      rule.comment = wordAt(i + 1)?.text ?? '';
      i += 2;
    } else {
      err(
        Codes.readerUnknownCommand,
        w.span,
        `unknown rule expression \`${kw}\``,
        'Plumb reads addresses, protocols, ports, ICMP types, TCP flags and zones',
      );
      return undefined;
    }
  }
  if (verdict === undefined) {
    err(
      Codes.readerMalformedValue,
      node.span,
      'a rule without a verdict (`return` to permit, `drop` to deny)',
    );
    return undefined;
  }
  if (verdict === 'accept' && !context.acceptPermits) {
    err(
      Codes.readerInexpressible,
      node.span,
      '`accept` in a filter chain skips the checks that follow it',
      'write `return`: the forward chain then applies the remaining filters',
    );
    return undefined;
  }
  rule.action = verdict === 'drop' ? 'deny' : 'permit';
  // Keep the match's field order stable for comparisons between rules of a group: each field
  // set by name (a loop over the names sets them by key, which costs more for tens of thousands
  // of rules)
  const m = rule.match;
  const ordered: NftRule['match'] = {};
  if (m.protocol !== undefined) ordered.protocol = m.protocol;
  if (m.sourcePorts !== undefined) ordered.sourcePorts = m.sourcePorts;
  if (m.destinationPorts !== undefined) ordered.destinationPorts = m.destinationPorts;
  if (m.icmpType !== undefined) ordered.icmpType = m.icmpType;
  if (m.tcpEstablished !== undefined) ordered.tcpEstablished = m.tcpEstablished;
  rule.match = ordered;
  return rule;
}

function wordIn(items: readonly NftItem[], k: number): NftWord | undefined {
  const it = items[k];
  return it?.kind === 'word' ? it.word : undefined;
}

function valuesIn(items: readonly NftItem[], k: number): NftWord[] | undefined {
  const it = items[k];
  return it === undefined ? undefined : it.kind === 'set' ? it.elements : [it.word];
}

/** The kind of an address set's name in the table's references. */
export function addressSetKind(family: 4 | 6): string {
  return family === 4 ? 'ipv4 address set' : 'ipv6 address set';
}

export function prefixText(text: string, family: 4 | 6): string | undefined {
  const withLength = text.includes('/') ? text : `${text}/${family === 4 ? 32 : 128}`;
  const slash = withLength.indexOf('/');
  // an IPv4 address as parseIPv4 reads it (nearly every one a rule has) is not parsed again
  if (family === 4 && ipv4Number(withLength, 0, slash) >= 0) return canonicalPrefix(withLength);
  const addr = parseAddress(withLength.slice(0, slash));
  if (!addr || addr.family !== family) return undefined;
  return canonicalPrefix(withLength);
}

/** `from[-to]`, each 1 to 5 ASCII digits (leading zeros allowed) and at most 65535, from <= to. */
export function portRange(text: string): PortRange | undefined {
  const dash = text.indexOf('-');
  const from = portNumber(text, 0, dash < 0 ? text.length : dash);
  const to = dash < 0 ? from : portNumber(text, dash + 1, text.length);
  if (from < 0 || to < 0 || from > 65535 || to > 65535 || to < from) return undefined;
  return { from, to };
}

/** The 1 to 5 ASCII digits from `start` to `end` of `text` as a number; -1 for any other text. */
function portNumber(text: string, start: number, end: number): number {
  if (end <= start || end - start > 5) return -1;
  let n = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return -1;
    n = n * 10 + (c - 0x30);
  }
  return n;
}
