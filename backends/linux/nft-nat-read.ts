// The NAT sets and chains of nftables.conf (what nft-nat-render.ts writes, what `nft list
// ruleset` prints of it, and hand edits of the same subset) read back into the device's
// NatModel. Each rule of `nat_postrouting` is a source rewrite, each of `nat_prerouting` a
// destination rewrite; a static translation is one of each, mirror images of one another, so the
// reader pairs them and refuses a rewrite the model cannot say: one way only, by interface names
// instead of the side sets, to a port range, `masquerade`, IPv6. The translations come back in the
// order of `nat_postrouting` (where every translation has a rule), and the static ones must have
// the same order in `nat_prerouting`: the model has one order of precedence.

import type { Span } from '../../language/diagnostic.js';
import type { NatModel, NatSide, NatTranslation, StaticNat } from '../../compiler/model.js';
import { Codes } from '../../language/diagnostics/index.js';
import { sortPrefixes } from '../canonical.js';
import { originTagAt } from './tag-read.js';
import type { References } from '../references.js';
import {
  hostAddress,
  L4_NAMES,
  NAT_POSTROUTING_CHAIN,
  NAT_POSTROUTING_HEAD,
  NAT_PREROUTING_CHAIN,
  NAT_PREROUTING_HEAD,
  NAT_SET,
  other,
} from './nft-nat-render.js';
import { prefixText, type Err } from './nft-rule.js';
import { readIfnameSet } from './nft-sets.js';
import type { NftBlock, NftStatement, NftWord } from './nft-syntax.js';
import { wordsOf } from './nft-syntax.js';
import { readText } from './text.js';

const SIDE_OF_SET = new Map<string, NatSide>([
  [NAT_SET.inside, 'inside'],
  [NAT_SET.outside, 'outside'],
]);

/** Whether a set of the table is one of the NAT sides' (`nat_inside`, `nat_outside`). */
export const isNatSet = (name: string): boolean => SIDE_OF_SET.has(name);
export const NAT_CHAINS: readonly string[] = [NAT_PREROUTING_CHAIN, NAT_POSTROUTING_CHAIN];

/** The interface names of a side's set (`type ifname`, `elements = { "eth1", ... }`), sorted. */
export function readNatSet(block: NftBlock, err: Err): string[] {
  return readIfnameSet(block, err, 'a NAT side\'s set has `type ifname` and `elements = { "eth1", ... }`');
}

type Target = { kind: 'map'; key: string; value: string } | { kind: 'address'; address: string; port?: number };

/** One rule of a NAT chain, as parsed. */
interface NatRule {
  statement: 'snat' | 'dnat';
  from?: NatSide;
  to?: NatSide;
  saddr?: string[];
  daddr?: string[];
  l4?: { protocol: 6 | 17; field: 'sport' | 'dport'; port: number };
  target: Target;
  comment: string;
  span: Span;
  /** The `# @` line the rule sits under (the translation's origin and description). */
  tag?: { origin: Span; description: string; index: number };
}

const PORT = /^\d{1,5}$/;

function parseTarget(words: NftWord[], rest: string, span: Span, err: Err): Target | undefined {
  const map = /^prefix to ip [sd]addr map \{ (\S+?) ?: ?(\S+) \}$/.exec(rest);
  if (map) {
    const key = prefixText(map[1]!, 4);
    const value = prefixText(map[2]!, 4);
    if (key && value) return { kind: 'map', key, value };
  }
  const to = /^to (\d{1,3}(?:\.\d{1,3}){3})(?::(\d{1,5}))?$/.exec(rest);
  if (to && prefixText(to[1]!, 4) !== undefined && (to[2] === undefined || Number(to[2]) <= 65535))
    return { kind: 'address', address: to[1]!, ...(to[2] !== undefined ? { port: Number(to[2]) } : {}) };
  err(
    Codes.readerInexpressible,
    words[0]?.span ?? span,
    `\`${rest}\` is not a translation the model can say`,
    'Plumb reads `prefix to ip saddr map { REAL : MAPPED }` (daddr for dnat), `to ADDRESS` and `to ADDRESS:PORT`, IPv4 only',
  );
  return undefined;
}

function parseNatRule(node: NftStatement, refs: References, err: Err): NatRule | undefined {
  const items = node.items;
  const word = (k: number): NftWord | undefined => {
    const it = items[k];
    return it?.kind === 'word' ? it.word : undefined;
  };
  const rule: Partial<NatRule> = { comment: '', span: node.span };
  let i = 0;
  while (i < items.length) {
    const w = word(i);
    const item = items[i]!;
    if (!w) {
      err(Codes.readerMalformedValue, item.kind === 'set' ? item.span : node.span, 'a set where a keyword was expected');
      return undefined;
    }
    const next = word(i + 1);
    if ((w.text === 'iifname' || w.text === 'oifname') && next && !next.quoted && next.text.startsWith('@')) {
      const side = SIDE_OF_SET.get(next.text.slice(1));
      refs.reference('nat side set', next.text.slice(1), next.span);
      if (!side) {
        err(Codes.readerInexpressible, next.span, `\`${next.text}\` is not a NAT side`, `NAT rules name the sides by the sets @${NAT_SET.inside} and @${NAT_SET.outside}`);
        return undefined;
      }
      if (w.text === 'iifname') rule.from = side;
      else rule.to = side;
      i += 2;
    } else if (w.text === 'iifname' || w.text === 'oifname' || w.text === 'iif' || w.text === 'oif') {
      err(Codes.readerInexpressible, w.span, `a NAT rule that names an interface (\`${w.text} ${next?.text ?? ''}\`) instead of a side`, `put the interface in the set ${NAT_SET.inside} or ${NAT_SET.outside} and match \`${w.text.startsWith('i') ? 'iifname' : 'oifname'} @${NAT_SET.outside}\``);
      return undefined;
    } else if (w.text === 'ip' && (next?.text === 'saddr' || next?.text === 'daddr')) {
      const v = items[i + 2];
      const values = v === undefined ? [] : v.kind === 'set' ? v.elements : [v.word];
      const prefixes: string[] = [];
      for (const e of values) {
        const p = prefixText(e.text, 4);
        if (!p) {
          err(Codes.readerMalformedValue, e.span, `\`${e.text}\` is not an IPv4 address or prefix`);
          return undefined;
        }
        prefixes.push(p);
      }
      if (prefixes.length === 0) {
        err(Codes.readerMalformedValue, w.span, `\`ip ${next.text}\` without addresses`);
        return undefined;
      }
      rule[next.text] = prefixes;
      i += 3;
    } else if ((w.text === 'tcp' || w.text === 'udp') && (next?.text === 'sport' || next?.text === 'dport')) {
      const v = word(i + 2);
      if (!v || !PORT.test(v.text) || Number(v.text) > 65535) {
        err(Codes.readerInexpressible, v?.span ?? w.span, 'a translated service is one port', `\`${w.text} ${next.text} 443\``);
        return undefined;
      }
      rule.l4 = { protocol: w.text === 'tcp' ? 6 : 17, field: next.text, port: Number(v.text) };
      i += 3;
    } else if (w.text === 'counter') {
      i += 1;
    } else if (w.text === 'comment') {
      rule.comment = word(i + 1)?.text ?? '';
      i += 2;
    } else if (w.text === 'snat' || w.text === 'dnat') {
      rule.statement = w.text;
      const end = items.findIndex((it, k) => k > i && it.kind === 'word' && it.word.text === 'comment' && !it.word.quoted);
      const rest = items.slice(i + 1, end < 0 ? items.length : end);
      const restText = rest.map((it) => (it.kind === 'word' ? it.word.text : `{ ${it.elements.map((e) => e.text).join(' ')} }`)).join(' ');
      if (!restText.startsWith('ip ')) {
        err(Codes.readerInexpressible, w.span, `\`${w.text} ${restText}\` does not say the address family`, `write \`${w.text} ip ...\`: the model translates IPv4`);
        return undefined;
      }
      const target = parseTarget(rest.flatMap((it) => (it.kind === 'word' ? [it.word] : [])), restText.slice(3), w.span, err);
      if (!target) return undefined;
      rule.target = target;
      i = end < 0 ? items.length : end;
    } else if (w.text === 'masquerade') {
      err(Codes.readerInexpressible, w.span, '`masquerade` takes whatever address the interface has', 'Plumb writes `snat ip to ADDRESS`, the address the model names');
      return undefined;
    } else {
      err(Codes.readerUnknownCommand, w.span, `unknown NAT rule expression \`${w.text}\``, 'Plumb reads the sides (`iifname @nat_inside`), `ip saddr`/`ip daddr`, one `tcp`/`udp` port and `snat`/`dnat ip to ...`');
      return undefined;
    }
  }
  if (rule.statement === undefined || rule.target === undefined) {
    err(Codes.readerMalformedValue, node.span, 'a NAT rule without `snat` or `dnat`');
    return undefined;
  }
  return rule as NatRule;
}

/** The rules of a NAT chain under their `# @` lines; refuses a head or policy Plumb does not write. */
function chainRules(chain: NftBlock, head: string, refs: References, err: Err): NatRule[] {
  const out: NatRule[] = [];
  let tag: NatRule['tag'];
  let tags = 0;
  let policy = false;
  const heads = [head, head.replace(/dstnat$/, '-100').replace(/srcnat$/, '100')];
  for (const node of chain.body) {
    if (node.kind === 'comment') {
      const m = /^@ (.+? \[\d+,\d+\])(?: (.*))?$/.exec(node.text);
      const origin = m ? originTagAt(m[1]!, 0) : undefined;
      tag = origin ? { origin, description: readText(m![2] ?? ''), index: tags++ } : undefined;
      continue;
    }
    if (node.kind === 'block') {
      err(Codes.readerUnknownCommand, node.span, 'unexpected block in a chain');
      continue;
    }
    const text = wordsOf(node).join(' ');
    if (heads.includes(text)) continue;
    if (text === 'policy accept') {
      policy = true;
      continue;
    }
    if (/^type /.test(text) || /^policy /.test(text)) {
      err(Codes.readerInexpressible, node.span, `\`${text}\` in ${chain.head[1]!.text}`, `Plumb writes \`${head}; policy accept;\``);
      continue;
    }
    const rule = parseNatRule(node, refs, err);
    if (rule) out.push(tag ? { ...rule, tag } : rule);
  }
  if (!policy) err(Codes.readerInexpressible, chain.span, `${chain.head[1]!.text} does not accept by policy`, 'write `policy accept;`: a NAT chain translates, it does not filter');
  return out;
}

/** A destination rewrite of `nat_prerouting`: the static translation it is half of. */
interface DestinationHalf {
  realSide: NatSide;
  real: string;
  mapped: string;
  service?: StaticNat['service'];
  rule: NatRule;
}

function destinationHalf(r: NatRule, err: Err): DestinationHalf | undefined {
  const bad = (message: string, hint?: string): undefined => void err(Codes.readerInexpressible, r.span, message, hint);
  if (r.statement !== 'dnat') return bad('`snat` in nat_prerouting: sources are rewritten after routing', 'move it to nat_postrouting');
  if (r.from === undefined) return bad('a destination rewrite for packets from either side', `match the side they arrive from: \`iifname @${NAT_SET.outside}\``);
  if (r.to !== undefined) return bad('`oifname` in nat_prerouting: the interface a packet leaves by is not known before routing');
  if (r.saddr !== undefined) return bad('a destination rewrite that depends on the source: the model\'s static translations do not');
  const daddr = r.daddr?.length === 1 ? r.daddr[0]! : undefined;
  if (daddr === undefined) return bad('a destination rewrite without one `ip daddr` prefix');
  const realSide = other(r.from);
  if (r.target.kind === 'map') {
    if (r.l4) return bad('a prefix translation of one port only', 'the model translates a prefix for every port, or one address for one service');
    if (r.target.key !== daddr || prefixLength(r.target.value) !== prefixLength(daddr))
      return bad(`the map \`${r.target.key} : ${r.target.value}\` does not translate exactly \`ip daddr ${daddr}\``, `\`ip daddr ${daddr} dnat ip prefix to ip daddr map { ${daddr} : REAL }\`, REAL of the same length`);
    return { realSide, real: r.target.value, mapped: daddr, rule: r };
  }
  if (hostAddress(daddr) === undefined) return bad(`a translation of ${daddr} to one address`, 'a prefix translates by `prefix to ip daddr map { MAPPED : REAL }`');
  if (r.l4 && (r.l4.field !== 'dport' || r.target.port === undefined))
    return bad('a published service is matched by its destination port and rewritten to `ADDRESS:PORT`');
  if (!r.l4 && r.target.port !== undefined) return bad('a port rewrite for every protocol', 'match one: `tcp dport 443`');
  const real = `${r.target.address}/32`;
  const service = r.l4 ? { protocol: r.l4.protocol, port: r.l4.port, realPort: r.target.port! } : undefined;
  return { realSide, real, mapped: daddr, ...(service ? { service } : {}), rule: r };
}

const prefixLength = (p: string): number => Number(p.slice(p.indexOf('/') + 1));
const sameService = (a: StaticNat['service'], b: StaticNat['service']): boolean =>
  a === b || (a !== undefined && b !== undefined && a.protocol === b.protocol && a.port === b.port && a.realPort === b.realPort);

/** The prerouting rule that would complete a static translation, for a hint. */
function mirrorText(t: Omit<StaticNat, 'kind' | 'description' | 'origin'>): string {
  const from = `iifname @${NAT_SET[other(t.realSide)]}`;
  if (t.service)
    return `${from} ip daddr ${hostAddress(t.mapped)} ${L4_NAMES[t.service.protocol]} dport ${t.service.port} dnat ip to ${hostAddress(t.real)}:${t.service.realPort}`;
  return `${from} ip daddr ${t.mapped} dnat ip prefix to ip daddr map { ${t.mapped} : ${t.real} }`;
}

const documentation = (r: NatRule): { description: string; origin: Span } =>
  r.tag ? { description: r.tag.description, origin: r.tag.origin } : { description: readText(r.comment), origin: r.span };

/** A translation as it is read, with what pairs and joins its rules. */
type Entry = { translation: NatTranslation; rule: NatRule; preIndex?: number };

/**
 * The device's NatModel from the sides' sets and the two NAT chains (either may be absent: no
 * rules). The rules of one PAT are joined by their `# @` line, or without one (what `nft list
 * ruleset` prints) by their comment.
 */
export function readNat(
  sides: Partial<Record<NatSide, string[]>>,
  chains: { pre?: NftBlock; post?: NftBlock },
  refs: References,
  err: Err,
): NatModel {
  const pre = chains.pre ? chainRules(chains.pre, NAT_PREROUTING_HEAD, refs, err) : [];
  const post = chains.post ? chainRules(chains.post, NAT_POSTROUTING_HEAD, refs, err) : [];
  const halves = pre.map((r) => destinationHalf(r, err));
  const used = new Set<number>();
  const entries: Entry[] = [];
  /** The unused destination half that completes `t`, or -1. */
  const halfOf = (t: Omit<StaticNat, 'kind' | 'description' | 'origin'>): number =>
    halves.findIndex(
      (h, j) => h !== undefined && !used.has(j) && h.realSide === t.realSide && h.real === t.real && h.mapped === t.mapped && sameService(h.service, t.service),
    );
  for (const r of post) {
    const bad = (message: string, hint?: string): void => err(Codes.readerInexpressible, r.span, message, hint);
    if (r.statement !== 'snat') {
      bad('`dnat` in nat_postrouting: destinations are rewritten before routing', 'move it to nat_prerouting');
      continue;
    }
    if (r.from === undefined || r.to === undefined || r.from === r.to) {
      bad('a source rewrite that is not for packets crossing from one side to the other', `match both sides: \`iifname @${NAT_SET.inside} oifname @${NAT_SET.outside}\``);
      continue;
    }
    if (r.daddr !== undefined) {
      bad('a source rewrite that depends on the destination: the model\'s translations do not');
      continue;
    }
    const saddr = r.saddr ?? [];
    const single = saddr.length === 1 ? saddr[0]! : undefined;
    const { description, origin } = documentation(r);
    let half: Omit<StaticNat, 'kind' | 'description' | 'origin'> | undefined;
    if (r.target.kind === 'map') {
      if (single === undefined || r.target.key !== single || prefixLength(r.target.value) !== prefixLength(single) || r.l4) {
        bad(`the map \`${r.target.key} : ${r.target.value}\` does not translate exactly the rule's \`ip saddr\``, '`ip saddr REAL snat ip prefix to ip saddr map { REAL : MAPPED }`, MAPPED of the same length');
        continue;
      }
      half = { realSide: r.from, real: single, mapped: r.target.value };
    } else if (r.l4 || r.target.port !== undefined) {
      if (!r.l4 || r.l4.field !== 'sport' || r.target.port === undefined || single === undefined || hostAddress(single) === undefined) {
        bad('a published service\'s replies are matched by one source address and port and rewritten to `ADDRESS:PORT`');
        continue;
      }
      half = { realSide: r.from, real: single, mapped: `${r.target.address}/32`, service: { protocol: r.l4.protocol, port: r.target.port, realPort: r.l4.port } };
    } else if (single !== undefined && hostAddress(single) !== undefined) {
      // One address to one address: static when nat_prerouting maps it back, else PAT.
      const maybe = { realSide: r.from, real: single, mapped: `${r.target.address}/32` };
      if (halfOf(maybe) >= 0) half = maybe;
    }
    if (half) {
      const preIndex = halfOf(half);
      if (preIndex < 0) {
        bad(`a static translation of ${half.real} to ${half.mapped} in one direction only: the model's static translations go both ways`, `add to ${NAT_PREROUTING_CHAIN}: \`${mirrorText(half)}\``);
        continue;
      }
      used.add(preIndex);
      entries.push({ translation: { kind: 'static', ...half, description, origin }, rule: r, preIndex });
      continue;
    }
    if (r.target.kind !== 'address') continue;
    if (r.from !== 'inside') {
      bad('a dynamic source translation of packets from outside: the model overloads sources inside only');
      continue;
    }
    if (saddr.length === 0) {
      bad('a source translation without `ip saddr`', 'name the sources: `ip saddr 0.0.0.0/0` for all of them');
      continue;
    }
    const previous = entries[entries.length - 1];
    if (previous?.translation.kind === 'pat' && previous.translation.address === r.target.address && sameGroup(previous.rule, r)) {
      previous.translation.sources = [...previous.translation.sources, ...saddr];
      continue;
    }
    entries.push({ translation: { kind: 'pat', sources: saddr, address: r.target.address, description, origin }, rule: r });
  }
  halves.forEach((h, j) => {
    if (h && !used.has(j))
      err(
        Codes.readerInexpressible,
        h.rule.span,
        `a static translation of ${h.real} to ${h.mapped} in one direction only: the model's static translations go both ways`,
        `add to ${NAT_POSTROUTING_CHAIN}: \`iifname @${NAT_SET[h.realSide]} oifname @${NAT_SET[other(h.realSide)]} ip saddr ${h.service ? `${hostAddress(h.real)} ${L4_NAMES[h.service.protocol]} sport ${h.service.realPort} snat ip to ${hostAddress(h.mapped)}:${h.service.port}` : `${h.real} snat ip prefix to ip saddr map { ${h.real} : ${h.mapped} }`}\``,
      );
  });
  const order = entries.flatMap((e) => (e.preIndex !== undefined ? [e] : []));
  const outOfOrder = order.find((e, k) => k > 0 && e.preIndex! < order[k - 1]!.preIndex!);
  if (outOfOrder)
    err(
      Codes.readerContradiction,
      halves[outOfOrder.preIndex!]!.rule.span,
      `${NAT_PREROUTING_CHAIN} orders the static translations differently from ${NAT_POSTROUTING_CHAIN}`,
      'the model has one order of precedence: write the halves of each translation in the same order in both chains',
    );
  for (const e of entries) if (e.translation.kind === 'pat') e.translation.sources = sortPrefixes([...new Set(e.translation.sources)]);
  const inside = sides.inside ?? [];
  const outside = sides.outside ?? [];
  const both = inside.find((n) => outside.includes(n));
  if (both !== undefined)
    err(Codes.readerContradiction, chains.post?.span ?? chains.pre?.span ?? post[0]?.span ?? pre[0]!.span, `${both} is in both ${NAT_SET.inside} and ${NAT_SET.outside}`, 'an interface is on one side at most');
  return { inside, outside, translations: entries.map((e) => e.translation) };
}

/** Two consecutive PAT rules are one translation when under one `# @` line, or without one, with one comment. */
function sameGroup(a: NatRule, b: NatRule): boolean {
  if (a.tag || b.tag) return a.tag?.index === b.tag?.index && a.tag !== undefined;
  return a.comment === b.comment;
}
