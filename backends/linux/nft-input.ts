// The chains of nftables.conf besides `forward`: `input`, which decides every packet addressed
// to the box itself by the model's `localFilter`, and `prerouting`, which holds IPv6's uRPF
// (IPv4's is the kernel's `rp_filter`, set by setup.sh). Written here and read back here;
// nft-render.ts and nft-read.ts call in.
//
// The input chain is fixed lines, then a jump to the local filter's chain (rendered as every
// filter chain is: a permitted packet `return`s) and a final accept:
//   ct state invalid drop                         malformed or out-of-window packets
//   ct state established,related accept           replies of the box's own connections (BGP it
//                                                 opened, pings it sent) and ICMP errors about
//                                                 them: the box is stateful toward itself
//   iif lo accept                                 the box talking to its own addresses
//   icmpv6 type { nd-... } ip6 hoplimit 255 accept  IPv6 neighbour discovery, link-layer plumbing
//                                                 outside the model; hop limit 255 = from the link
// A rule the reader finds between them and the jump is a rule of the local filter (before its
// own rules): a hand-added `tcp dport 22 accept` is read as a permit the model does not have.

import type { Span } from '../../language/diagnostic.js';
import type { DeviceModel, FilterRule, InterfaceModel } from '../../compiler/model.js';
import { canonicalPrefix } from '../../language/address.js';
import { sortPrefixes } from '../canonical.js';
import { Codes } from '../../language/diagnostics/index.js';
import type { References } from '../references.js';
import type { Err } from './nft-rule.js';
import type { NftBlock, NftNode, NftStatement } from './nft-syntax.js';
import { hasIpv6 } from './setup-render.js';

export const INPUT_CHAIN = 'input';
export const PREROUTING_CHAIN = 'prerouting';
export const INVALID_DROP = 'ct state invalid drop';
export const INVALID_COMMENT = 'invalid connection state';
const INPUT_HEAD = 'type filter hook input priority filter';
const PREROUTING_HEAD = 'type filter hook prerouting priority filter';
const LOCAL_JUMP_COMMENT = 'addressed to the device';
const LOCAL_ACCEPT_COMMENT = 'permitted by the local filter';

/** The input chain's fixed rules, in order, each with its comment. */
export const INPUT_FIXED: readonly { text: string; comment: string }[] = [
  { text: INVALID_DROP, comment: INVALID_COMMENT },
  {
    text: 'ct state established,related accept',
    comment: "replies of the device's own connections and ICMP errors about them (stateful)",
  },
  { text: 'iif lo accept', comment: "the device's own traffic to itself" },
  {
    text: 'icmpv6 type { nd-router-solicit, nd-router-advert, nd-neighbor-solicit, nd-neighbor-advert } ip6 hoplimit 255 accept',
    comment: 'IPv6 neighbour discovery, from the link only',
  },
];

/** The multicast groups OSPF sends to (AllSPFRouters, AllDRouters), per family. */
export const OSPF_GROUPS = ['224.0.0.5/32', '224.0.0.6/32', 'ff02::5/128', 'ff02::6/128'];

/**
 * What an OSPF rule of the local filter without destinations stands for (the contract: the
 * device's own addresses and OSPF's groups): every interface address and link-local as a host
 * prefix, and the groups.
 */
export function ownDestinations(interfaces: readonly InterfaceModel[]): string[] {
  const out = new Set<string>(OSPF_GROUPS);
  for (const i of interfaces) {
    for (const a of i.addresses) {
      const host = canonicalPrefix(`${a.split('/')[0]}/${a.includes(':') ? 128 : 32}`);
      if (host) out.add(host);
    }
    if (i.linkLocal !== undefined) out.add(`${i.linkLocal}/128`);
  }
  return sortPrefixes([...out]);
}

const isOspfAnywhere = (r: FilterRule): boolean => r.match.protocol === 89 && r.match.destinations === undefined;

/** The local filter's rules as written: an OSPF rule without destinations gets them spelled out. */
export function localRulesForRender(rules: readonly FilterRule[], device: DeviceModel): FilterRule[] {
  const own = ownDestinations(device.interfaces);
  return rules.map((r) => (isOspfAnywhere(r) ? { ...r, match: { ...r.match, destinations: own } } : r));
}

/** The reverse of `localRulesForRender`, given the interfaces setup.sh configures. */
export function localRulesFromRead(rules: readonly FilterRule[], interfaces: readonly InterfaceModel[]): FilterRule[] {
  const own = ownDestinations(interfaces);
  return rules.map((r) => {
    const d = r.match.destinations;
    if (r.match.protocol !== 89 || d === undefined) return r;
    const families = new Set((r.match.sources ?? ['0.0.0.0/0', '::/0']).map((p) => (p.includes(':') ? 6 : 4)));
    const expected = own.filter((p) => families.has(p.includes(':') ? 6 : 4));
    if (expected.join(' ') !== sortPrefixes(d).join(' ')) return r;
    const { destinations: _own, ...match } = r.match;
    return { ...r, match };
  });
}

/** The input chain, or nothing when the model says nothing of traffic to the device. */
export function inputChain(device: DeviceModel, chainOf: (filter: string) => string): string[] {
  if (device.localFilter === undefined) return [];
  return [
    `\tchain ${INPUT_CHAIN} {`,
    `\t\t${INPUT_HEAD}; policy drop;`,
    ...INPUT_FIXED.map((f) => `\t\t${f.text} comment "${f.comment}"`),
    `\t\tjump ${chainOf(device.localFilter)} comment "${LOCAL_JUMP_COMMENT}"`,
    `\t\taccept comment "${LOCAL_ACCEPT_COMMENT}"`,
    '\t}',
    '',
  ];
}

const URPF6 = {
  strict: 'ip6 saddr != :: fib saddr . iif oif missing drop',
  loose: 'ip6 saddr != :: fib saddr oif missing drop',
} as const;

/** IPv6 uRPF: one rule per interface with IPv6 and `urpf`; nothing when there is none. */
export function preroutingChain(device: DeviceModel): string[] {
  const checked = device.interfaces.filter((i) => i.urpf !== undefined && i.role !== 'loopback' && hasIpv6(i));
  if (checked.length === 0) return [];
  return [
    `\tchain ${PREROUTING_CHAIN} {`,
    `\t\t${PREROUTING_HEAD}; policy accept;`,
    ...checked.map((i) => `\t\tiifname "${i.name}" ${URPF6[i.urpf!]} comment "${i.urpf} uRPF (IPv6)"`),
    '\t}',
    '',
  ];
}

/** A statement's text without its comment, sets written `{ a, b }`. */
export function statementText(node: NftStatement): string {
  const words: string[] = [];
  for (const it of node.items) {
    if (it.kind === 'word' && it.word.text === 'comment' && !it.word.quoted) break;
    words.push(it.kind === 'word' ? it.word.text : `{ ${it.elements.map((e) => e.text).join(', ')} }`);
  }
  return words.join(' ');
}

export interface InputRead {
  /** The chain the input chain jumps to: the local filter. */
  localChain?: string;
  /** Rules between the fixed ones and the jump: rules of the local filter, before its own. */
  extra: NftNode[];
}

/** Reads the input chain; reports a missing fixed rule or anything it cannot place. */
export function readInputChain(chain: NftBlock, refs: References, err: Err): InputRead {
  const out: InputRead = { extra: [] };
  const seen = new Set<string>();
  let accepted = false;
  let policyDrop = false;
  for (const node of chain.body) {
    if (node.kind === 'block') {
      err(Codes.readerUnknownCommand, node.span, 'unexpected block in a chain');
      continue;
    }
    if (node.kind === 'comment') {
      if (out.localChain === undefined) out.extra.push(node);
      continue;
    }
    const text = statementText(node);
    if (text === INPUT_HEAD) continue;
    if (text === 'policy drop') {
      policyDrop = true;
      continue;
    }
    if (accepted) {
      err(Codes.readerInexpressible, node.span, "this rule follows the input chain's final accept and is never reached");
      continue;
    }
    const fixed = INPUT_FIXED.find((f) => f.text === text);
    if (fixed && out.localChain === undefined) {
      seen.add(fixed.text);
      continue;
    }
    const jump = /^jump (\S+)$/.exec(text);
    if (jump && out.localChain === undefined) {
      out.localChain = jump[1]!;
      refs.reference('chain', jump[1]!, node.span, 'the input chain');
      continue;
    }
    if (text === 'accept' && out.localChain !== undefined) {
      accepted = true;
      continue;
    }
    if (out.localChain === undefined) {
      out.extra.push(node);
      continue;
    }
    err(
      Codes.readerInexpressible,
      node.span,
      `\`${text}\` after the jump to the local filter: it would decide only what that filter permitted`,
      'write the rule in the local filter chain',
    );
  }
  const missing = INPUT_FIXED.filter((f) => !seen.has(f.text)).map((f) => `\`${f.text}\``);
  if (missing.length > 0)
    err(Codes.readerMissingPart, chain.span, `the input chain lacks ${missing.join(', ')}`, 'Plumb writes each of them before the local filter');
  if (!policyDrop)
    err(Codes.readerInexpressible, chain.span, 'the input chain does not drop by policy', 'write `policy drop;`: the local filter denies what it does not permit');
  if (out.localChain === undefined)
    err(Codes.readerMissingPart, chain.span, 'the input chain never jumps to a local filter', 'add `jump local` and a final `accept`');
  else if (!accepted)
    err(Codes.readerMissingPart, chain.span, 'the input chain does not accept what the local filter permits', 'end it with `accept`');
  return out;
}

export interface Urpf6Read {
  mode: 'strict' | 'loose';
  span: Span;
}

/** Reads the prerouting chain: the IPv6 uRPF mode of each interface it names. */
export function readPrerouting(chain: NftBlock, err: Err): Map<string, Urpf6Read> {
  const out = new Map<string, Urpf6Read>();
  let policyAccept = false;
  for (const node of chain.body) {
    if (node.kind === 'comment') continue;
    if (node.kind === 'block') {
      err(Codes.readerUnknownCommand, node.span, 'unexpected block in a chain');
      continue;
    }
    const text = statementText(node);
    if (text === PREROUTING_HEAD) continue;
    if (text === 'policy accept') {
      policyAccept = true;
      continue;
    }
    const first = node.items[1];
    const m = /^iifname (\S+) (.*)$/.exec(text);
    const mode = m ? (Object.keys(URPF6) as ('strict' | 'loose')[]).find((k) => URPF6[k] === m[2]) : undefined;
    if (!m || !mode || first?.kind !== 'word' || !first.word.quoted) {
      err(
        Codes.readerUnknownCommand,
        node.span,
        `the prerouting chain holds only IPv6 uRPF rules, not \`${text}\``,
        `\`iifname "eth1" ${URPF6.strict}\` (strict) or \`${URPF6.loose}\` (loose)`,
      );
      continue;
    }
    if (out.has(m[1]!)) err(Codes.readerContradiction, node.span, `a second uRPF rule for ${m[1]}`);
    else out.set(m[1]!, { mode, span: node.span });
  }
  if (!policyAccept)
    err(Codes.readerInexpressible, chain.span, 'the prerouting chain does not accept by policy', 'write `policy accept;`: it only drops what uRPF refuses');
  return out;
}
