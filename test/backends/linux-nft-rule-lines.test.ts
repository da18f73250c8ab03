// nftables.conf's rule lines are pushed onto the file's one list of lines as they are rendered,
// and the named address sets their rules use are put before the chains afterwards
// (nft-render.ts); a match's families and the prefixes of each family are told without copies
// when every prefix is of one family. Held here to the rendering as the model's values make it
// (each rule's lines, the sets in order of first use), on seeded filters and zone policies with
// IPv4, IPv6, mixed, empty and absent address lists.

import { describe, expect, it } from 'vitest';
import { renderNftables } from '../../backends/linux/nft-render.js';
import { commentText, nftCommentString } from '../../backends/linux/text.js';
import { prunedMatch } from '../../backends/canonical.js';
import { formatOriginTag, shortOrigin } from '../../backends/origin-tag.js';
import type { DeviceModel, FilterRule, Match } from '../../compiler/model.js';
import { prng } from '../verifier/random-networks.js';
import { fw2, network, rule } from './builder.js';

const pick = <T>(rand: () => number, xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

const V4 = ['10.0.0.0/24', '10.1.0.0/16', '192.0.2.7/32', '0.0.0.0/0', '10.9.0.0/24'];
const V6 = ['2001:db8::/64', '2001:db8:1::/48', '::/0', '2001:db8::7/128'];

/** An address list: absent, empty, one family, or mixed; 1 to 6 prefixes (4 or more make a named set). */
function addresses(rand: () => number): string[] | undefined {
  const kind = rand();
  if (kind < 0.2) return undefined;
  if (kind < 0.25) return [];
  const count = 1 + Math.floor(rand() * 6);
  const pool = kind < 0.55 ? V4 : kind < 0.75 ? V6 : [...V4, ...V6];
  const out = new Set<string>();
  for (let k = 0; k < count; k++) out.add(pick(rand, pool));
  return [...out];
}

function randomRule(rand: () => number, line: number, zones: boolean): FilterRule {
  const match: Match = {};
  const sources = addresses(rand);
  const destinations = addresses(rand);
  if (sources) match.sources = sources;
  if (destinations) match.destinations = destinations;
  const proto = rand();
  if (proto < 0.3) {
    match.protocol = 6;
    match.destinationPorts = [{ from: 80, to: 80 }, { from: 8000, to: 8080 }].slice(0, 1 + Math.floor(rand() * 2));
    if (rand() < 0.3) match.sourcePorts = [{ from: 1024, to: 65535 }];
    if (rand() < 0.3) match.tcpEstablished = true;
  } else if (proto < 0.5) {
    match.protocol = 17;
    match.destinationPorts = [{ from: 53, to: 53 }];
  } else if (proto < 0.6) {
    match.protocol = pick(rand, [1, 58]);
    match.icmpType = 8;
  }
  if (zones) {
    // an empty list of zones is no pair: no rule line, and its address sets not declared
    match.fromZones = pick(rand, [['inside'], ['inside', 'lab'], ['inside', 'lab'], []]);
    match.toZones = pick(rand, [['lab'], ['lab', 'inside'], ['lab'], []]);
  }
  return rule(pick(rand, ['permit', 'deny'] as const), match, line, rand() < 0.8 ? `rule ${line}` : '');
}

/** The address sets as the renderer names them: one per family and list, in order of first use. */
class ExpectedSets {
  readonly byKey = new Map<string, { name: string; family: 4 | 6; prefixes: string[] }>();
  private readonly count = { 4: 0, 6: 0 };

  value(prefixes: string[], family: 4 | 6): string {
    if (prefixes.length < 4) return prefixes.length === 1 ? prefixes[0]! : `{ ${prefixes.join(', ')} }`;
    const key = `${family} ${prefixes.join(' ')}`;
    let entry = this.byKey.get(key);
    if (!entry) {
      this.count[family]++;
      entry = { name: `addr${family}_${this.count[family]}`, family, prefixes };
      this.byKey.set(key, entry);
    }
    return `@${entry.name}`;
  }

  lines(): string[] {
    return [...this.byKey.values()].flatMap((s) => [
      `\tset ${s.name} {`,
      `\t\ttype ipv${s.family}_addr`,
      '\t\tflags interval',
      '\t\tauto-merge',
      `\t\telements = { ${s.prefixes.join(', ')} }`,
      '\t}',
      '',
    ]);
  }
}

const familyOf = (p: string): 4 | 6 => (p.includes(':') ? 6 : 4);
const setText = (items: string[]): string => (items.length === 1 ? items[0]! : `{ ${items.join(', ')} }`);

/** A rule's lines: its comment, then one nft rule per zone pair and family its addresses have. */
function expectedRuleLines(r: FilterRule, sets: ExpectedSets): string[] {
  const out = [`\t\t# @ ${formatOriginTag(r.origin)} ${commentText(r.description)}`];
  const m = prunedMatch(r.match);
  if (!m) return [...out, '\t\t# (matches no packet: its sources and destinations share no address family)'];
  const listed = [...(m.sources ?? []), ...(m.destinations ?? [])];
  const families: (4 | 6 | 'any')[] =
    m.sources === undefined && m.destinations === undefined
      ? ['any']
      : ([4, 6] as const).filter((f) => listed.some((p) => familyOf(p) === f));
  const comment = nftCommentString(r.description) || nftCommentString(shortOrigin(r.origin));
  for (const from of m.fromZones ?? [undefined]) {
    for (const to of m.toZones ?? [undefined]) {
      for (const family of families) {
        const fam = family === 6 ? 6 : 4;
        const ip = family === 6 ? 'ip6' : 'ip';
        const parts: string[] = [];
        if (from !== undefined) parts.push(`iifname @zone_${from}`);
        if (to !== undefined) parts.push(`oifname @zone_${to}`);
        if (m.sources) parts.push(`${ip} saddr ${sets.value(m.sources.filter((p) => familyOf(p) === family), fam)}`);
        if (m.destinations)
          parts.push(`${ip} daddr ${sets.value(m.destinations.filter((p) => familyOf(p) === family), fam)}`);
        if (m.protocol !== undefined) {
          parts.push(`meta l4proto ${({ 1: 'icmp', 6: 'tcp', 17: 'udp', 58: 'ipv6-icmp' } as Record<number, string>)[m.protocol]}`);
          const l4 = m.protocol === 6 ? 'tcp' : m.protocol === 17 ? 'udp' : undefined;
          const port = (p: { from: number; to: number }): string => (p.from === p.to ? `${p.from}` : `${p.from}-${p.to}`);
          if (l4 && m.sourcePorts) parts.push(`${l4} sport ${setText(m.sourcePorts.map(port))}`);
          if (l4 && m.destinationPorts) parts.push(`${l4} dport ${setText(m.destinationPorts.map(port))}`);
          if (m.icmpType !== undefined)
            parts.push(
              m.protocol === 1 && family === 4
                ? `icmp type ${m.icmpType}`
                : m.protocol === 58 && family === 6
                  ? `icmpv6 type ${m.icmpType}`
                  : `@th,0,8 ${m.icmpType}`,
            );
        }
        if (m.tcpEstablished) parts.push('tcp flags & (ack | rst) != 0');
        parts.push(r.action === 'permit' ? 'return' : 'drop');
        if (comment !== '') parts.push(`comment "${comment}"`);
        out.push(`\t\t${parts.join(' ')}`);
      }
    }
  }
  return out;
}

/** The lines of the chain `name`, between its head and its closing brace. */
function chainBody(lines: string[], name: string): string[] {
  const start = lines.indexOf(`\tchain ${name} {`);
  expect(start, name).toBeGreaterThanOrEqual(0);
  return lines.slice(start + 1, lines.indexOf('\t}', start));
}

function seededDevice(rand: () => number): DeviceModel {
  const d = fw2();
  d.securityRules = Array.from({ length: Math.floor(rand() * 6) }, (_, k) => randomRule(rand, 100 + k, true));
  d.filters = ['lab_in', 'lab_out'].map((name, f) => ({
    name,
    defaultAction: pick(rand, ['deny', 'permit'] as const),
    rules: Array.from({ length: Math.floor(rand() * 8) }, (_, k) => randomRule(rand, 200 + 20 * f + k, false)),
  }));
  d.interfaces[1] = { ...d.interfaces[1]!, filterIn: 'lab_in', filterOut: 'lab_out' };
  return d;
}

describe('nftables.conf rule lines', () => {
  it('are each rule as its values make it, the sets in order of first use before the chains', () => {
    const rand = prng(4417);
    let named = 0;
    let mixed = 0;
    for (let n = 0; n < 300; n++) {
      const device = seededDevice(rand);
      const lines = renderNftables(device, network([device])).split('\n');
      const sets = new ExpectedSets();
      const zone = device.securityRules.flatMap((r) => expectedRuleLines(r, sets));
      const filters = device.filters.map((f) => [
        ...f.rules.flatMap((r) => expectedRuleLines(r, sets)),
        ...(f.defaultAction === 'deny' ? ['\t\tdrop comment "default deny"'] : []),
      ]);
      expect(chainBody(lines, 'zone_policy'), `device ${n}`).toEqual([...zone, '\t\tdrop comment "zone policy: default deny"']);
      device.filters.forEach((f, k) => expect(chainBody(lines, f.name), `device ${n} ${f.name}`).toEqual(filters[k]));
      // the sets come right after the zones' sets, before the first chain
      const firstChain = lines.indexOf('\tchain forward {');
      const declared = sets.lines();
      expect(lines.slice(firstChain - declared.length, firstChain), `device ${n}`).toEqual(declared);
      expect(lines[firstChain - declared.length - 2], `device ${n}`).toBe('\t}');
      expect(lines.slice(-2)).toEqual(['}', '']);
      named += sets.byKey.size;
      mixed += [...zone, ...filters.flat()].filter((l) => l.includes(' ip6 ')).length;
    }
    expect(named).toBeGreaterThan(100);
    expect(mixed).toBeGreaterThan(100);
  });
});
