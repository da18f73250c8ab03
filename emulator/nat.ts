// Address translation in the lab, for the devices whose packet filter the emulator writes itself
// (filters.ts): a device's `nat` (compiler/model-nat.ts) as nftables, at the places in the hop
// the platform table says (language/platforms.ts, `nat`; docs/architecture.md, "NAT"). Pure.
//
// Static translations are stateless in meaning and on IOS-XE (a static entry translates every
// packet of either direction, whatever its state), so they are written as stateless header
// rewrites (`ip saddr set ...`, host bits kept), in chains of type filter:
//  - before routing: prerouting, after the inbound filter (which sees the packet as it arrived:
//    `IN_FILTER_PRIORITY`) and before the route lookup, so that routing decides on the
//    translated destination;
//  - after routing: postrouting, for packets that arrived by one side and leave by the other,
//    so that routing decided on the packet as it arrived (a partner known inside only by its
//    mapped prefix is routed by that prefix, then rewritten to its real, overlapping, address).
// Per direction and field the first translation that applies wins: one chain per (direction,
// field) whose rules end in `return`.
// PAT is stateful (only the replies of connections it translated are translated back), so it is
// conntrack's `snat`, with conntrack's own reverse translation of the replies in prerouting. A
// stateless device (IOS-XE's ACLs) otherwise runs without connection tracking (`notrack`): only
// the packets PAT may translate, and the packets to its address (the replies), are tracked, and
// no filter of the device looks at connection state, exactly as IOS-XE keeps a translation table
// while its ACLs stay stateless.

import type { DeviceModel, NatSide, NatTranslation, Platform, StaticNat } from '../compiler/model.js';
import { BITS, formatAddress, prefixOf, type Family } from '../language/address.js';
import { PLATFORM_TRAITS, type NatStage } from '../language/platforms.js';

/** The inbound filter of a device whose in-filter sees the packet as it arrived: before every rewrite and conntrack's NAT (-100). */
export const IN_FILTER_PRIORITY = -150;
/** Rewrites before routing: after the inbound filter, before conntrack's dnat and the route lookup. */
const BEFORE_ROUTING_PRIORITY = -140;
/** Rewrites after routing: after the forward hook's filters, before `snat` (100). */
const AFTER_ROUTING_PRIORITY = 50;
/** An out-filter that sees the packet as it leaves: after every rewrite and `snat`. */
export const LEAVING_OUT_FILTER_PRIORITY = 200;

type Direction = 'inside-to-outside' | 'outside-to-inside';
type Field = 'source' | 'destination';

const fromSide = (dir: Direction): NatSide => (dir === 'inside-to-outside' ? 'inside' : 'outside');
const toSide = (dir: Direction): NatSide => (dir === 'inside-to-outside' ? 'outside' : 'inside');

function ifset(names: string[]): string {
  const q = names.map((n) => `"${n}"`);
  return q.length === 1 ? q[0]! : `{ ${q.join(', ')} }`;
}

const familyOf = (prefix: string): Family => prefixOf(prefix).family;
const kw = (f: Family): string => (f === 4 ? 'ip' : 'ip6');

/** `ip saddr set ...`: the mapped prefix's network bits with the packet's host bits. */
function setAddress(field: Field, to: string): string {
  const p = prefixOf(to);
  const k = kw(p.family);
  const which = field === 'source' ? 'saddr' : 'daddr';
  const base = formatAddress({ family: p.family, value: p.value });
  if (p.length === BITS[p.family]) return `${k} ${which} set ${base}`;
  const hostMask = (1n << BigInt(BITS[p.family] - p.length)) - 1n;
  return `${k} ${which} set ${k} ${which} & ${formatAddress({ family: p.family, value: hostMask })} | ${base}`;
}

const protoWord = (p: 6 | 17): string => (p === 6 ? 'tcp' : 'udp');

/** The stateless rule of one static translation for one direction and field, if it rewrites that field there. */
function staticRule(t: StaticNat, dir: Direction, field: Field): string | undefined {
  const k = kw(familyOf(t.real));
  if (field === 'source' && fromSide(dir) === t.realSide) {
    // Leaving the real side: real source → mapped (a published server: from its real port).
    const svc = t.service ? ` ${protoWord(t.service.protocol)} sport ${t.service.realPort}` : '';
    const port = t.service && t.service.port !== t.service.realPort ? ` ${protoWord(t.service.protocol)} sport set ${t.service.port}` : '';
    return `${k} saddr ${t.real}${svc} ${setAddress('source', t.mapped)}${port} return`;
  }
  if (field === 'destination' && toSide(dir) === t.realSide) {
    // Toward the real side: mapped destination → real (a published server: its public port).
    const svc = t.service ? ` ${protoWord(t.service.protocol)} dport ${t.service.port}` : '';
    const port = t.service && t.service.port !== t.service.realPort ? ` ${protoWord(t.service.protocol)} dport set ${t.service.realPort}` : '';
    return `${k} daddr ${t.mapped}${svc} ${setAddress('destination', t.real)}${port} return`;
  }
  return undefined;
}

const chainOf = (dir: Direction, field: Field): string => `nat_${dir === 'inside-to-outside' ? 'i2o' : 'o2i'}_${field === 'source' ? 'src' : 'dst'}`;

const isPat = (t: NatTranslation): t is Extract<NatTranslation, { kind: 'pat' }> => t.kind === 'pat';

/**
 * Why the lab cannot write this device's translations, if it cannot. A stateful device's filter
 * passes replies by connection state, which the stateless rewrites would hide from conntrack (a
 * reply of a rewritten packet matches no connection), and security rules that see pre-NAT
 * addresses (PAN-OS) need conntrack's own NAT and its original tuple: not written yet.
 */
export function natUnsupported(device: DeviceModel): string | undefined {
  if (!device.nat || device.nat.translations.length === 0) return undefined;
  if (device.stateful) return `${device.id}: the lab emulates the NAT of stateless IOS-XE devices only so far`;
  return undefined;
}

/**
 * The raw-hook lines that keep the packets PAT needs tracked on a device that otherwise runs
 * without connection tracking: those from its sources arriving by an inside interface (the
 * connections it translates) and those to its address arriving by an outside one (their replies).
 * They go before the `notrack` of the raw prerouting chain.
 */
export function trackedForPat(device: DeviceModel): string[] {
  const nat = device.nat;
  if (!nat) return [];
  const L: string[] = [];
  for (const t of nat.translations.filter(isPat)) {
    const f = familyOf(t.sources[0] ?? `${t.address}/32`);
    const k = kw(f);
    if (nat.inside.length > 0) L.push(`    iifname ${ifset(nat.inside)} ${k} saddr { ${t.sources.join(', ')} } return comment "tracked: pat"`);
    if (nat.outside.length > 0) L.push(`    iifname ${ifset(nat.outside)} ${k} daddr ${t.address} return comment "tracked: pat replies"`);
  }
  return L;
}

/**
 * The packets whose destination a translation rewrites before routing, as nft matches: to the
 * device's own address as they arrive (a server published at the outside interface's address,
 * the replies of PAT to it), they are not the device's own once translated, so its local filter
 * (which sees the packet as routed) is not theirs. Static ones by their mapped destination; PAT's
 * replies by conntrack (`ct status snat` in the reply direction).
 */
export function translatedBeforeRouting(device: DeviceModel, platform: Platform = device.platform): string[] {
  const nat = device.nat;
  if (!nat || nat.translations.length === 0) return [];
  const order = PLATFORM_TRAITS[platform].nat;
  const out: string[] = [];
  for (const dir of ['inside-to-outside', 'outside-to-inside'] as const) {
    if (order.rewrites[dir].destination !== 'before-routing') continue;
    const from = fromSide(dir) === 'inside' ? nat.inside : nat.outside;
    if (from.length === 0) continue;
    for (const t of nat.translations) {
      if (t.kind !== 'static' || toSide(dir) !== t.realSide) continue;
      const svc = t.service ? ` ${protoWord(t.service.protocol)} dport ${t.service.port}` : '';
      out.push(`iifname ${ifset(from)} ${kw(familyOf(t.mapped))} daddr ${t.mapped}${svc}`);
    }
    // PAT's replies come from outside; their destination goes back before routing here.
    if (dir === 'outside-to-inside' && nat.translations.some(isPat)) out.push(`iifname ${ifset(from)} ct direction reply ct status snat`);
  }
  return out;
}

/** The chains of a device's translations inside the emulated table, in `platform`'s order (empty: it translates nothing). */
export function natChains(device: DeviceModel, platform: Platform = device.platform): string[] {
  const nat = device.nat;
  if (!nat || nat.translations.length === 0 || nat.inside.length === 0 || nat.outside.length === 0) return [];
  const order = PLATFORM_TRAITS[platform].nat;
  const L: string[] = [];
  const hooks: Record<NatStage, string[]> = { 'before-routing': [], 'after-routing': [] };
  for (const dir of ['inside-to-outside', 'outside-to-inside'] as const) {
    const from = fromSide(dir) === 'inside' ? nat.inside : nat.outside;
    const to = toSide(dir) === 'inside' ? nat.inside : nat.outside;
    for (const field of ['source', 'destination'] as const) {
      const rules = nat.translations.flatMap((t) => (t.kind === 'static' ? (staticRule(t, dir, field) ?? []) : []));
      if (rules.length === 0) continue;
      const name = chainOf(dir, field);
      L.push(`  chain ${name} {`, ...rules.map((r) => `    ${r}`), '  }');
      const stage = order.rewrites[dir][field];
      // Before routing: every packet arriving by the side it comes from; after: those crossing.
      hooks[stage].push(stage === 'before-routing' ? `    iifname ${ifset(from)} jump ${name}` : `    iifname ${ifset(from)} oifname ${ifset(to)} jump ${name}`);
    }
  }
  if (hooks['before-routing'].length > 0)
    L.push('  chain nat_before_routing {', `    type filter hook prerouting priority ${BEFORE_ROUTING_PRIORITY}; policy accept;`, ...hooks['before-routing'], '  }');
  if (hooks['after-routing'].length > 0)
    L.push('  chain nat_after_routing {', `    type filter hook postrouting priority ${AFTER_ROUTING_PRIORITY}; policy accept;`, ...hooks['after-routing'], '  }');
  const pats = nat.translations.filter(isPat);
  if (pats.length > 0) {
    // conntrack translates the replies back in prerouting once a nat chain hooks there too
    L.push('  chain nat_pat_replies {', '    type nat hook prerouting priority dstnat; policy accept;', '  }');
    L.push('  chain nat_pat {', '    type nat hook postrouting priority srcnat; policy accept;');
    for (const t of pats) {
      const k = kw(familyOf(t.sources[0] ?? `${t.address}/32`));
      L.push(`    iifname ${ifset(nat.inside)} oifname ${ifset(nat.outside)} ${k} saddr { ${t.sources.join(', ')} } snat ${k} to ${t.address} comment "pat"`);
    }
    L.push('  }');
  }
  return L;
}
