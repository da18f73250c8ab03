// What `nft list ruleset` prints, brought back to the words nftables.conf is read in
// (nft-read.ts, nft-rule.ts): the kernel's print names protocols and ICMP types (`meta l4proto
// ospf`, `icmp type destination-unreachable`), merges set elements into ranges
// (`10.0.0.1-10.0.0.4`, auto-merge), prints counters with their values and TCP flag tests in
// its own form, and drops the `meta l4proto` that a port or ICMP type implies. Each word keeps
// its place in the file, so a difference still points at the printed line.

import { BITS, formatPrefix, mask, parseAddress, parsePrefix } from '../../language/address.js';
import type { NftBlock, NftItem, NftNode, NftStatement, NftWord } from './nft-syntax.js';

/** /etc/protocols (Debian netbase), which nft names protocols by. */
const IP_PROTOCOLS: Record<string, number> = {
  hopopt: 0, icmp: 1, igmp: 2, ggp: 3, ipencap: 4, st: 5, tcp: 6, egp: 8, igp: 9, pup: 12, udp: 17,
  hmp: 20, 'xns-idp': 22, rdp: 27, 'iso-tp4': 29, dccp: 33, xtp: 36, ddp: 37, 'idpr-cmtp': 38,
  ipv6: 41, 'ipv6-route': 43, 'ipv6-frag': 44, idrp: 45, rsvp: 46, gre: 47, esp: 50, ah: 51,
  skip: 57, 'ipv6-icmp': 58, icmpv6: 58, 'ipv6-nonxt': 59, 'ipv6-opts': 60, rspf: 73, vmtp: 81,
  eigrp: 88, ospf: 89, 'ax.25': 93, ipip: 94, etherip: 97, encap: 98, pim: 103, ipcomp: 108,
  vrrp: 112, l2tp: 115, isis: 124, sctp: 132, fc: 133, 'mobility-header': 135, udplite: 136,
  'mpls-in-ip': 137, manet: 138, hip: 139, shim6: 140, wesp: 141, rohc: 142, ethernet: 143,
};

/** nft's names of ICMP types (`nft describe icmp type`). */
const ICMP_TYPES: Record<string, number> = {
  'echo-reply': 0, 'destination-unreachable': 3, 'source-quench': 4, redirect: 5,
  'echo-request': 8, 'router-advertisement': 9, 'router-solicitation': 10, 'time-exceeded': 11,
  'parameter-problem': 12, 'timestamp-request': 13, 'timestamp-reply': 14, 'info-request': 15,
  'info-reply': 16, 'address-mask-request': 17, 'address-mask-reply': 18,
};

/** nft's names of ICMPv6 types (`nft describe icmpv6 type`). */
const ICMPV6_TYPES: Record<string, number> = {
  'destination-unreachable': 1, 'packet-too-big': 2, 'time-exceeded': 3, 'parameter-problem': 4,
  'echo-request': 128, 'echo-reply': 129, 'mld-listener-query': 130, 'mld-listener-report': 131,
  'mld-listener-done': 132, 'mld-listener-reduction': 132, 'nd-router-solicit': 133,
  'nd-router-advert': 134, 'nd-neighbor-solicit': 135, 'nd-neighbor-advert': 136,
  'nd-redirect': 137, 'router-renumbering': 138, 'ind-neighbor-solicit': 141,
  'ind-neighbor-advert': 142, 'mld2-listener-report': 143,
};

/** The prefixes that cover exactly the addresses from `lo` to `hi` (one family). */
export function rangePrefixes(family: 4 | 6, lo: bigint, hi: bigint): string[] {
  const bits = family === 4 ? 32 : 128;
  const out: string[] = [];
  let at = lo;
  while (at <= hi) {
    let length = bits;
    // The largest block that starts at `at` and ends within the range.
    while (length > 0) {
      const size = 1n << BigInt(bits - length + 1);
      if ((at & (size - 1n)) !== 0n || at + size - 1n > hi) break;
      length--;
    }
    out.push(formatPrefix({ family, value: at, length }));
    at += 1n << BigInt(bits - length);
  }
  return out;
}

/** `A-B` of two addresses of one family as the prefixes that cover it, else undefined. */
function rangeWord(text: string): string[] | undefined {
  const dash = text.indexOf('-');
  if (dash <= 0) return undefined;
  const a = parseAddress(text.slice(0, dash));
  const b = parseAddress(text.slice(dash + 1));
  if (!a || !b || a.family !== b.family || b.value < a.value) return undefined;
  return rangePrefixes(a.family, a.value, b.value);
}

// The span is copied by name: a parsed word makes its span on demand (nft-syntax.ts), which a spread would not copy.
const as = (w: NftWord, text: string): NftWord => ({ text, quoted: false, span: w.span });

/** Elements with address ranges replaced by the prefixes that cover them. */
function expandRanges(elements: NftWord[]): NftWord[] {
  return elements.flatMap((e) => rangeWord(e.text)?.map((p) => as(e, p)) ?? [e]);
}

function statement(node: NftStatement): NftStatement {
  const out: NftItem[] = [];
  const items = node.items;
  const word = (k: number): NftWord | undefined => {
    const it = items[k];
    return it?.kind === 'word' ? it.word : undefined;
  };
  for (let k = 0; k < items.length; k++) {
    const it = items[k]!;
    if (it.kind === 'set') {
      out.push({ ...it, elements: expandRanges(it.elements) });
      continue;
    }
    const w = it.word;
    const prev = word(k - 1)?.text;
    const prev2 = word(k - 2)?.text;
    if (w.quoted) {
      out.push(it);
      continue;
    }
    // `meta l4proto ospf` → `meta l4proto 89`.
    if (prev === 'l4proto' && prev2 === 'meta' && IP_PROTOCOLS[w.text] !== undefined) {
      out.push({ kind: 'word', word: as(w, String(IP_PROTOCOLS[w.text])) });
      continue;
    }
    // `icmp type echo-request` → `icmp type 8`; `icmpv6 type packet-too-big` → `icmpv6 type 2`.
    const icmp = prev === 'type' ? (prev2 === 'icmp' ? ICMP_TYPES : prev2 === 'icmpv6' ? ICMPV6_TYPES : undefined) : undefined;
    if (icmp?.[w.text] !== undefined) {
      out.push({ kind: 'word', word: as(w, String(icmp[w.text])) });
      continue;
    }
    // `ip daddr 10.0.0.3-10.0.0.9`: a range where a prefix may stand.
    const range = prev === 'saddr' || prev === 'daddr' ? rangeWord(w.text) : undefined;
    if (range) {
      out.push({ kind: 'set', elements: range.map((p) => as(w, p)), span: w.span });
      continue;
    }
    // `counter packets 12 bytes 840`: the values are the kernel's, not configuration.
    if (w.text === 'packets' && prev === 'counter' && word(k + 2)?.text === 'bytes') {
      k += 3;
      continue;
    }
    // `tcp flags rst,ack` is how nft prints `tcp flags & (ack | rst) != 0`.
    if (prev === 'flags' && prev2 === 'tcp' && (w.text === 'rst,ack' || w.text === 'ack,rst')) {
      out.pop();
      out.pop();
      const [t, f] = [word(k - 2)!, word(k - 1)!];
      for (const [x, text] of [[t, 'tcp'], [f, 'flags'], [w, '&'], [w, '(ack'], [w, '|'], [w, 'rst)'], [w, '!='], [w, '0']] as const)
        out.push({ kind: 'word', word: as(x, text) });
      continue;
    }
    out.push(it);
  }
  return { kind: 'statement', items: out, span: node.span };
}

/** The nodes of `nft list ruleset` in the words nft-read.ts reads. */
export function runningNodes(nodes: readonly NftNode[]): NftNode[] {
  return nodes.map((n): NftNode => {
    if (n.kind === 'statement') return statement(n);
    if (n.kind === 'block') return { ...n, body: runningNodes(n.body) } satisfies NftBlock;
    return n;
  });
}

/** Whether two lists of prefixes cover exactly the same addresses. */
export function coversExactly(a: readonly string[], b: readonly string[]): boolean {
  const intervals = (xs: readonly string[]): string => {
    const ranges = xs
      .map((x) => parsePrefix(x))
      .filter((p): p is NonNullable<typeof p> => p !== undefined)
      .map((p) => {
        const lo = p.value & mask(p.family, p.length);
        return { family: p.family, lo, hi: lo + (1n << BigInt(BITS[p.family] - p.length)) - 1n };
      })
      .sort((x, y) => x.family - y.family || (x.lo < y.lo ? -1 : x.lo > y.lo ? 1 : 0));
    const merged: typeof ranges = [];
    for (const r of ranges) {
      const last = merged[merged.length - 1];
      if (last && last.family === r.family && r.lo <= last.hi + 1n) last.hi = r.hi > last.hi ? r.hi : last.hi;
      else merged.push({ ...r });
    }
    return merged.map((r) => `${r.family}:${r.lo}-${r.hi}`).join(' ');
  };
  return a.length === xsLength(a) && intervals(a) === intervals(b);
}

const xsLength = (xs: readonly string[]): number => xs.filter((x) => parsePrefix(x) !== undefined).length;
