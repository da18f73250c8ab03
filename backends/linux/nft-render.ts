// nftables.conf: the device's filters (and its address translation, nft-nat-render.ts) as one
// `inet plumb` table, replaced atomically on load.
// The input chain (traffic to the device, by its local filter) and the prerouting chain (IPv6
// uRPF) are nft-input.ts's. The forward chain drops packets of invalid connection state and
// accepts replies of tracked connections (stateful devices), then jumps to each
// interface's inbound filter, the zone policy (firewalls) and each interface's outbound filter;
// a packet that passes them all is forwarded. In a filter chain a permitted packet `return`s to
// the forward chain (the next check decides), a denied one is dropped. User text (descriptions,
// the intent's name, paths in origin tags) goes through text.ts; names are checked by
// render-guard.ts before anything is written.

import type {
  DeviceModel,
  FilterModel,
  FilterRule,
  Match,
  NetworkModel,
  PortRange,
} from '../../compiler/model.js';
import { prunedMatch } from '../canonical.js';
import { formatOriginTag, shortOrigin } from '../origin-tag.js';
import { commentText, nftCommentString } from './text.js';
import {
  INPUT_CHAIN,
  INVALID_COMMENT,
  INVALID_DROP,
  inputChain,
  localRulesForRender,
  PREROUTING_CHAIN,
  preroutingChain,
} from './nft-input.js';
import { NAT_POSTROUTING_CHAIN, NAT_PREROUTING_CHAIN, natChains, natSets } from './nft-nat-render.js';

export const NFT_FILE = 'nftables.conf';
export const TABLE = 'plumb';
export const ZONE_CHAIN = 'zone_policy';
export const ZONE_SET_PREFIX = 'zone_';
export const REPLIES_COMMENT = 'replies of admitted connections (stateful)';
export const PASSED_COMMENT = 'passed every filter';
export const DEFAULT_DENY_COMMENT = 'default deny';
export const ZONE_DEFAULT_COMMENT = 'zone policy: default deny';

/** nft identifiers: what a chain or set name may be without quoting. */
export const NFT_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const RESERVED_CHAINS = new Set(['forward', ZONE_CHAIN, INPUT_CHAIN, PREROUTING_CHAIN, NAT_PREROUTING_CHAIN, NAT_POSTROUTING_CHAIN]);

export const PROTOCOL_NAMES: Record<number, string> = { 1: 'icmp', 6: 'tcp', 17: 'udp', 58: 'ipv6-icmp' };

/**
 * The chain of each filter: its own name when that is an nft identifier (what the compiler
 * gives linux and frr devices), else a derived one (`f_` and the name with other characters
 * replaced), so that a model from another platform still renders (the emulator does that).
 */
export function chainNames(device: DeviceModel): Map<string, string> {
  const out = new Map<string, string>();
  const used = new Set<string>(RESERVED_CHAINS);
  for (const f of device.filters) {
    let name =
      NFT_NAME.test(f.name) && !RESERVED_CHAINS.has(f.name)
        ? f.name
        : `f_${f.name.replace(/[^A-Za-z0-9_-]/g, '_')}`;
    for (let k = 2; used.has(name); k++) name = `${name}_${k}`;
    used.add(name);
    out.set(f.name, name);
  }
  return out;
}

function zoneSetName(zone: string): string {
  return ZONE_SET_PREFIX + zone.replace(/[^A-Za-z0-9_-]/g, '_');
}

export function renderNftables(device: DeviceModel, model: NetworkModel): string {
  const chains = chainNames(device);
  const chainOf = (filter: string): string =>
    chains.get(filter) ?? `f_${filter.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  const out: string[] = [
    '#!/usr/sbin/nft -f',
    `# Forward filtering${device.nat ? ' and address translation' : ''} of ${device.id}, compiled by Plumb from the intent "${commentText(model.name)}".`,
    '# Loading it replaces the table `inet plumb` atomically and leaves other tables alone.',
    `table inet ${TABLE}`,
    `delete table inet ${TABLE}`,
    `table inet ${TABLE} {`,
  ];
  for (const z of device.zones) {
    out.push(`\tset ${zoneSetName(z.name)} {`, '\t\ttype ifname');
    if (z.interfaces.length > 0)
      out.push(`\t\telements = { ${z.interfaces.map((i) => `"${i}"`).join(', ')} }`);
    out.push('\t}', '');
  }
  out.push(...natSets(device));
  // The chains are pushed onto `out` as they are rendered, each rule's lines in place (no array
  // of its own copied on), and the address sets their rules name put before them afterwards.
  const setsAt = out.length;
  const sets = new AddressSets();
  out.push(...forwardChain(device, chainOf));
  if (device.zones.length > 0) {
    out.push('', `\tchain ${ZONE_CHAIN} {`);
    for (const r of device.securityRules) ruleLines(r, sets, out);
    out.push(`\t\tdrop comment "${ZONE_DEFAULT_COMMENT}"`, '\t}');
  }
  for (const f of device.filters) {
    const rules = f.name === device.localFilter ? localRulesForRender(f.rules, device) : f.rules;
    out.push('');
    filterChain(rules, f.defaultAction, chainOf(f.name), sets, out);
  }
  const hooks = [...inputChain(device, chainOf), ...preroutingChain(device), ...natChains(device)];
  out.splice(setsAt, 0, ...sets.declarations(), ...hooks);
  out.push('}', '');
  return out.join('\n');
}

function forwardChain(device: DeviceModel, chainOf: (filter: string) => string): string[] {
  const out = ['\tchain forward {', '\t\ttype filter hook forward priority filter; policy drop;'];
  if (device.stateful)
    out.push(
      `\t\t${INVALID_DROP} comment "${INVALID_COMMENT}"`,
      `\t\tct state established,related accept comment "${REPLIES_COMMENT}"`,
    );
  for (const i of device.interfaces) {
    if (i.filterIn !== undefined)
      out.push(`\t\tiifname "${i.name}" jump ${chainOf(i.filterIn)} comment "into ${i.name}"`);
  }
  if (device.zones.length > 0) out.push(`\t\tjump ${ZONE_CHAIN} comment "between zones"`);
  for (const i of device.interfaces) {
    if (i.filterOut !== undefined)
      out.push(`\t\toifname "${i.name}" jump ${chainOf(i.filterOut)} comment "out of ${i.name}"`);
  }
  out.push(`\t\taccept comment "${PASSED_COMMENT}"`, '\t}');
  return out;
}

/**
 * Address lists of ADDRESS_SET_MIN or more prefixes become named interval sets (`addr4_1`,
 * `addr6_1`, ... in order of first use), one per distinct list: a long list (the internet less
 * our prefixes) is written once, however many rules use it.
 */
export const ADDRESS_SET_MIN = 4;

class AddressSets {
  private readonly byKey = new Map<string, { name: string; family: 4 | 6; prefixes: string[] }>();
  private readonly count = { 4: 0, 6: 0 };

  /** The nft value for `prefixes` (all of `family`): inline, or a reference to a named set. */
  value(prefixes: string[], family: 4 | 6): string {
    if (prefixes.length < ADDRESS_SET_MIN) return setOf(prefixes);
    const key = `${family} ${prefixes.join(' ')}`;
    let entry = this.byKey.get(key);
    if (!entry) {
      this.count[family]++;
      entry = { name: `addr${family}_${this.count[family]}`, family, prefixes };
      this.byKey.set(key, entry);
    }
    return `@${entry.name}`;
  }

  declarations(): string[] {
    const out: string[] = [];
    for (const s of this.byKey.values()) {
      // auto-merge: the model's prefixes may overlap (a host inside its segment).
      out.push(
        `\tset ${s.name} {`,
        `\t\ttype ipv${s.family}_addr`,
        '\t\tflags interval',
        '\t\tauto-merge',
        `\t\telements = { ${s.prefixes.join(', ')} }`,
        '\t}',
        '',
      );
    }
    return out;
  }
}

function filterChain(
  rules: readonly FilterRule[],
  defaultAction: FilterModel['defaultAction'],
  chain: string,
  sets: AddressSets,
  out: string[],
): void {
  out.push(`\tchain ${chain} {`);
  for (const r of rules) ruleLines(r, sets, out);
  if (defaultAction === 'deny') out.push(`\t\tdrop comment "${DEFAULT_DENY_COMMENT}"`);
  out.push('\t}');
}

/**
 * A model rule: a comment line with its origin and description, then one nft rule per
 * (from zone, to zone, address family) it needs; the reader merges the rules under one origin
 * line back into one model rule. The lines are pushed onto `out`.
 */
function ruleLines(rule: FilterRule, sets: AddressSets, out: string[]): void {
  out.push(`\t\t# @ ${formatOriginTag(rule.origin)} ${commentText(rule.description)}`);
  const match = prunedMatch(rule.match);
  if (!match) {
    out.push('\t\t# (matches no packet: its sources and destinations share no address family)');
    return;
  }
  const verdict = rule.action === 'permit' ? 'return' : 'drop';
  // Every rule carries a comment: its description, or else the intent line it enforces.
  const comment = nftCommentString(rule.description) || nftCommentString(shortOrigin(rule.origin));
  // A family's expressions, verdict and comment are the same for every pair of zones: made once,
  // in the order 4, 6 (which names the address sets as their first use does); none for a match
  // of no pair, whose address sets are then never used
  if (match.fromZones?.length === 0 || match.toZones?.length === 0) return;
  const tails: string[] = [];
  for (const family of families(match)) {
    const parts: string[] = [];
    matchExpressions(match, family, sets, parts);
    parts.push(verdict);
    if (comment !== '') parts.push(`comment "${comment}"`);
    tails.push(parts.join(' '));
  }
  for (const from of match.fromZones ?? NO_ZONE) {
    const iif = from !== undefined ? `iifname @${zoneSetName(from)} ` : '';
    for (const to of match.toZones ?? NO_ZONE) {
      const zones = to !== undefined ? `${iif}oifname @${zoneSetName(to)} ` : iif;
      for (const tail of tails) out.push(`\t\t${zones}${tail}`);
    }
  }
}

/** A match without zones: one rule line per family, with no interface check. */
const NO_ZONE: readonly (string | undefined)[] = [undefined];

type Family = 4 | 6 | 'any';

const ANY_FAMILY: Family[] = ['any'];
const IPV4: Family[] = [4];
const IPV6: Family[] = [6];
const BOTH_FAMILIES: Family[] = [4, 6];

/** The families of a match's addresses, in the order 4, 6 (shared lists, not to be changed). */
function families(m: Match): readonly Family[] {
  if (m.sources === undefined && m.destinations === undefined) return ANY_FAMILY;
  const v6 = countIpv6(m.sources) + countIpv6(m.destinations);
  const all = (m.sources?.length ?? 0) + (m.destinations?.length ?? 0);
  return v6 === 0 ? (all === 0 ? [] : IPV4) : v6 === all ? IPV6 : BOTH_FAMILIES;
}

function countIpv6(prefixes: readonly string[] | undefined): number {
  let n = 0;
  if (prefixes !== undefined) for (const p of prefixes) if (p.includes(':')) n++;
  return n;
}

/** The prefixes of `family`: the list itself when every one is (nearly always), else a copy. */
function ofFamily(prefixes: string[], family: 4 | 6): string[] {
  const v6 = countIpv6(prefixes);
  if (v6 === (family === 6 ? prefixes.length : 0)) return prefixes;
  return prefixes.filter((p) => (p.includes(':') ? 6 : 4) === family);
}

/** Pushes the match's expressions for `family` onto `parts`. */
function matchExpressions(m: Match, family: Family, sets: AddressSets, parts: string[]): void {
  const ipKw = family === 6 ? 'ip6' : 'ip';
  const fam = family === 6 ? 6 : 4;
  if (m.sources) parts.push(`${ipKw} saddr ${sets.value(ofFamily(m.sources, fam), fam)}`);
  if (m.destinations) parts.push(`${ipKw} daddr ${sets.value(ofFamily(m.destinations, fam), fam)}`);
  if (m.protocol !== undefined) {
    parts.push(`meta l4proto ${PROTOCOL_NAMES[m.protocol] ?? String(m.protocol)}`);
    const l4 = m.protocol === 6 ? 'tcp' : m.protocol === 17 ? 'udp' : undefined;
    if (l4 && m.sourcePorts) parts.push(`${l4} sport ${setOf(m.sourcePorts.map(portText))}`);
    if (l4 && m.destinationPorts) parts.push(`${l4} dport ${setOf(m.destinationPorts.map(portText))}`);
    if (m.icmpType !== undefined) parts.push(icmpTypeExpression(m.protocol, m.icmpType, family));
  }
  if (m.tcpEstablished) parts.push('tcp flags & (ack | rst) != 0');
}

/** `icmp type` is written for IPv4 rules, `icmpv6 type` for IPv6; the raw form fits the others. */
function icmpTypeExpression(protocol: number, type: number, family: Family): string {
  if (protocol === 1 && family === 4) return `icmp type ${type}`;
  if (protocol === 58 && family === 6) return `icmpv6 type ${type}`;
  return `@th,0,8 ${type}`;
}

function portText(p: PortRange): string {
  return p.from === p.to ? String(p.from) : `${p.from}-${p.to}`;
}

function setOf(items: string[]): string {
  return items.length === 1 ? items[0]! : `{ ${items.join(', ')} }`;
}
