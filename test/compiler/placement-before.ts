// Filter placement's list work as it was before the seventeenth round (compiler/placement.ts,
// placement-rules.ts and icmp-errors.ts at d4f2d64): the reference that
// test/compiler/placement-lists.test.ts compares the current code with on seeded inputs.

import { formatPrefix, type Family } from '../../language/address.js';
import type { Span } from '../../language/diagnostic.js';
import type { FilterRule, Match } from '../../compiler/model.js';
import { familiesOf, union, type PrefixSet } from '../../compiler/prefix-set.js';
import type { ServiceMatch } from '../../compiler/services.js';
import type { ErrorFlow } from '../../compiler/icmp-errors.js';

/** The numbers of the rules naming any of `names` or `any`, ascending, from each rule's names. */
export function rulesForBefore(rules: readonly { sources: readonly string[]; destinations: readonly string[] }[], names: readonly string[]): number[] {
  const mentions = new Map<string, Set<number>>();
  rules.forEach((rule, index) => {
    for (const n of [...rule.sources, ...rule.destinations]) {
      let s = mentions.get(n);
      if (!s) mentions.set(n, (s = new Set()));
      s.add(index);
    }
  });
  const idx = new Set<number>();
  for (const n of [...names, 'any']) for (const i of mentions.get(n) ?? []) idx.add(i);
  return [...idx].sort((a, b) => a - b);
}

const textOf = (set: PrefixSet, only: Family | undefined): string[] => (only ? set.filter((p) => p.family === only) : set).map(formatPrefix);

export function addRulesBefore(
  out: FilterRule[],
  action: 'permit' | 'deny',
  src: PrefixSet | undefined,
  dst: PrefixSet | undefined,
  matches: ServiceMatch[],
  origin: Span,
  description: string,
  zones?: { fromZones?: string[]; toZones?: string[] },
): void {
  for (const sm of matches) {
    let v4 = sm.family === undefined || sm.family === 4;
    let v6 = sm.family === undefined || sm.family === 6;
    if (src) {
      const families = familiesOf(src);
      v4 &&= families.includes(4);
      v6 &&= families.includes(6);
    }
    if (dst) {
      const families = familiesOf(dst);
      v4 &&= families.includes(4);
      v6 &&= families.includes(6);
    }
    if (!v4 && !v6) continue;
    const only: Family | undefined = v4 && v6 ? undefined : v4 ? 4 : 6;
    const pick = (set: PrefixSet | undefined): string[] | undefined => {
      if (!set) return only && sm.family ? [only === 4 ? '0.0.0.0/0' : '::/0'] : undefined;
      return textOf(set, only);
    };
    const sources = src ? pick(src) : undefined;
    const destinations = dst ? pick(dst) : src ? undefined : pick(undefined);
    const match: Match = {};
    if (sources) match.sources = sources;
    if (destinations) match.destinations = destinations;
    if (sm.protocol !== undefined) match.protocol = sm.protocol;
    if (sm.sourcePorts) match.sourcePorts = sm.sourcePorts;
    if (sm.destinationPorts) match.destinationPorts = sm.destinationPorts;
    if (sm.icmpType !== undefined) match.icmpType = sm.icmpType;
    if (sm.tcpEstablished) match.tcpEstablished = true;
    if (zones?.fromZones) match.fromZones = zones.fromZones;
    if (zones?.toZones) match.toZones = zones.toZones;
    out.push({ action, match, origin, description });
  }
}

export function icmpErrorRulesBefore(flows: readonly ErrorFlow[], side: 'from' | 'to', edge: 'segment' | 'external'): FilterRule[] {
  const groups = new Map<PrefixSet | 'any', ErrorFlow[]>();
  for (const flow of flows) {
    if (flow.mine.length === 0) continue;
    const key = side === 'to' || edge === 'external' ? 'any' : flow.mine;
    const g = groups.get(key);
    if (g) g.push(flow);
    else groups.set(key, [flow]);
  }
  const out: FilterRule[] = [];
  for (const [key, group] of groups) {
    const sources = key === 'any' ? undefined : key;
    const destinations = side === 'to' ? union(...group.map((f) => f.mine)) : group.some((f) => f.src === undefined) ? undefined : union(...group.map((f) => f.src!));
    let fams = [...new Set(group.flatMap((f) => familiesOf(f.mine)))];
    if (destinations) fams = fams.filter((f) => familiesOf(destinations).includes(f));
    const first = group[0]!;
    const description = `icmp errors of ${first.description}${group.length > 1 ? ` and ${group.length - 1} more` : ''}`;
    for (const family of ([4, 6] as const).filter((f) => fams.includes(f))) {
      const s = sources ? textOf(sources, family) : destinations ? undefined : [family === 4 ? '0.0.0.0/0' : '::/0'];
      const d = destinations ? textOf(destinations, family) : undefined;
      const protocol = family === 4 ? 1 : 58;
      for (const icmpType of family === 4 ? [3, 11] : [1, 2, 3]) {
        const match: Match = {};
        if (s) match.sources = s;
        if (d) match.destinations = d;
        match.protocol = protocol;
        match.icmpType = icmpType;
        out.push({ action: 'permit', match, origin: first.origin, description });
      }
    }
  }
  return out;
}
