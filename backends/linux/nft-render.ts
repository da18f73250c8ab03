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
  const sets = new AddressSets();
  const chainLines: string[] = [...forwardChain(device, chainOf)];
  if (device.zones.length > 0) {
    chainLines.push('', `\tchain ${ZONE_CHAIN} {`);
    for (const r of device.securityRules) chainLines.push(...ruleLines(r, sets));
    chainLines.push(`\t\tdrop comment "${ZONE_DEFAULT_COMMENT}"`, '\t}');
  }
  for (const f of device.filters) {
    const rules = f.name === device.localFilter ? localRulesForRender(f.rules, device) : f.rules;
    chainLines.push('', ...filterChain({ ...f, rules }, chainOf(f.name), sets));
  }
  const hooks = [...inputChain(device, chainOf), ...preroutingChain(device), ...natChains(device)];
  out.push(...sets.declarations(), ...hooks, ...chainLines, '}', '');
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

function filterChain(f: FilterModel, chain: string, sets: AddressSets): string[] {
  const out = [`\tchain ${chain} {`];
  for (const r of f.rules) out.push(...ruleLines(r, sets));
  if (f.defaultAction === 'deny') out.push(`\t\tdrop comment "${DEFAULT_DENY_COMMENT}"`);
  out.push('\t}');
  return out;
}

/**
 * A model rule: a comment line with its origin and description, then one nft rule per
 * (from zone, to zone, address family) it needs; the reader merges the rules under one origin
 * line back into one model rule.
 */
function ruleLines(rule: FilterRule, sets: AddressSets): string[] {
  const out = [`\t\t# @ ${formatOriginTag(rule.origin)} ${commentText(rule.description)}`];
  const match = prunedMatch(rule.match);
  if (!match) {
    out.push('\t\t# (matches no packet: its sources and destinations share no address family)');
    return out;
  }
  const verdict = rule.action === 'permit' ? 'return' : 'drop';
  // Every rule carries a comment: its description, or else the intent line it enforces.
  const comment = nftCommentString(rule.description) || nftCommentString(shortOrigin(rule.origin));
  const froms = match.fromZones ?? [undefined];
  const tos = match.toZones ?? [undefined];
  for (const from of froms) {
    for (const to of tos) {
      for (const family of families(match)) {
        const parts: string[] = [];
        if (from !== undefined) parts.push(`iifname @${zoneSetName(from)}`);
        if (to !== undefined) parts.push(`oifname @${zoneSetName(to)}`);
        parts.push(...matchExpressions(match, family, sets));
        parts.push(verdict);
        if (comment !== '') parts.push(`comment "${comment}"`);
        out.push(`\t\t${parts.join(' ')}`);
      }
    }
  }
  return out;
}

type Family = 4 | 6 | 'any';

function families(m: Match): Family[] {
  if (m.sources === undefined && m.destinations === undefined) return ['any'];
  const has = (f: 4 | 6): boolean =>
    [...(m.sources ?? []), ...(m.destinations ?? [])].some((p) => (p.includes(':') ? 6 : 4) === f);
  return ([4, 6] as const).filter(has);
}

function matchExpressions(m: Match, family: Family, sets: AddressSets): string[] {
  const parts: string[] = [];
  const ipKw = family === 6 ? 'ip6' : 'ip';
  const inFamily = (p: string): boolean => (p.includes(':') ? 6 : 4) === family;
  const fam = family === 6 ? 6 : 4;
  if (m.sources) parts.push(`${ipKw} saddr ${sets.value(m.sources.filter(inFamily), fam)}`);
  if (m.destinations) parts.push(`${ipKw} daddr ${sets.value(m.destinations.filter(inFamily), fam)}`);
  if (m.protocol !== undefined) {
    parts.push(`meta l4proto ${PROTOCOL_NAMES[m.protocol] ?? String(m.protocol)}`);
    const l4 = m.protocol === 6 ? 'tcp' : m.protocol === 17 ? 'udp' : undefined;
    if (l4 && m.sourcePorts) parts.push(`${l4} sport ${setOf(m.sourcePorts.map(portText))}`);
    if (l4 && m.destinationPorts) parts.push(`${l4} dport ${setOf(m.destinationPorts.map(portText))}`);
    if (m.icmpType !== undefined) parts.push(icmpTypeExpression(m.protocol, m.icmpType, family));
  }
  if (m.tcpEstablished) parts.push('tcp flags & (ack | rst) != 0');
  return parts;
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
