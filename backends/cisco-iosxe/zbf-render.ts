// A firewall's zone policy → the IOS-XE zone-based firewall (docs/backends/cisco-iosxe.md, "Zone-based
// firewall"). Security rule n (from 1, in the model's order) becomes the access-list pair
// ZBF-R<n> / ZBF-R<n>-ipv6 (its match, under the rule's remarks, written by acl-render.ts) and
// the class-map `class-map type inspect match-any ZBF-R<n>` that matches either list. Every
// ordered pair of zones, a zone with itself included, gets the zone-pair and the policy-map
// ZBF-<from>-<to>: the classes of the rules whose zones take in the pair, in rule order, each
// `inspect` (permit) or `drop` (deny), then `class class-default` / `drop`. So a packet between
// two interfaces meets the rules the model's first-match zone policy would, in the same order,
// and the default deny; between two interfaces of one zone too (IOS-XE would pass it without
// the intra-zone pair). The self zone has no zone-pair: IOS-XE passes what is addressed to the
// router, and the infrastructure access list (the local filter) decides it, as on a router.
// A rule restricted to zones says which in an annotation above its class-map
// (`! plumb zone-rule from A,B to any`), which the reader checks against the zone-pairs.

import type { DeviceModel, FilterModel, FilterRule } from '../../compiler/model.js';
import { ruleApplies } from './acl-render.js';
import { IPV6_ACL_SUFFIX } from './syntax.js';

/** The name of rule n's access-list pair and class-map. */
export const ZBF_RULE_PREFIX = 'ZBF-R';
/** The prefix of the zone-pairs' and their policy-maps' names (ZBF-<from>-<to>). */
export const ZBF_PAIR_PREFIX = 'ZBF-';
/** The annotation of a rule's zones: `! plumb zone-rule from A,B|any to C|any`. */
export const ZONE_RULE_ANNOTATION = '! plumb zone-rule';

export interface ZbfParts {
  /** One filter per security rule (its match, permitted; the zones are the zone-pairs'). */
  filters: FilterModel[];
  /** Blocks of lines, in `show running-config` order. */
  blocks: string[][];
}

export function zonePairName(from: string, to: string): string {
  return `${ZBF_PAIR_PREFIX}${from}-${to}`;
}

/** The rule's match without its zones: what its access-lists say. */
function aclRule(rule: FilterRule): FilterRule {
  const { fromZones: _from, toZones: _to, ...match } = rule.match;
  return { ...rule, action: 'permit', match };
}

/** The zone-based firewall of a device with zones; undefined for a router. */
export function renderZbf(device: DeviceModel): ZbfParts | undefined {
  if (device.zones.length === 0) {
    if (device.securityRules.length > 0) throw new Error(`internal: ${device.id}: security rules without zones`);
    return undefined;
  }
  const zones = device.zones.map((z) => z.name);
  const filters: FilterModel[] = [];
  const classMaps: string[][] = [];
  device.securityRules.forEach((rule, i) => {
    const name = `${ZBF_RULE_PREFIX}${i + 1}`;
    const v4 = ruleApplies(rule, 4);
    const v6 = ruleApplies(rule, 6);
    if (!v4 && !v6) throw new Error(`internal: ${device.id}: security rule ${i + 1} (${rule.description}) matches no packet`);
    for (const z of [...(rule.match.fromZones ?? []), ...(rule.match.toZones ?? [])]) {
      if (!zones.includes(z)) throw new Error(`internal: ${device.id}: security rule ${i + 1} names zone ${z}, which the device does not have`);
    }
    filters.push({ name, rules: [aclRule(rule)], defaultAction: 'deny' });
    const lines: string[] = [];
    if (rule.match.fromZones || rule.match.toZones) {
      lines.push(`${ZONE_RULE_ANNOTATION} from ${rule.match.fromZones?.join(',') ?? 'any'} to ${rule.match.toZones?.join(',') ?? 'any'}`);
    }
    lines.push(`class-map type inspect match-any ${name}`);
    if (v4) lines.push(` match access-group name ${name}`);
    if (v6) lines.push(` match access-group name ${name}${IPV6_ACL_SUFFIX}`);
    classMaps.push(lines);
  });
  const policyMaps: string[][] = [];
  const pairs: string[][] = [];
  const names = new Set<string>();
  for (const from of zones) {
    for (const to of zones) {
      const name = zonePairName(from, to);
      if (names.has(name)) throw new Error(`internal: ${device.id}: two pairs of zones are both named ${name}`);
      names.add(name);
      const lines = [`policy-map type inspect ${name}`];
      device.securityRules.forEach((rule, i) => {
        if (rule.match.fromZones && !rule.match.fromZones.includes(from)) return;
        if (rule.match.toZones && !rule.match.toZones.includes(to)) return;
        lines.push(` class type inspect ${ZBF_RULE_PREFIX}${i + 1}`, rule.action === 'permit' ? '  inspect' : '  drop');
      });
      lines.push(' class class-default', '  drop');
      policyMaps.push(lines);
      pairs.push([`zone-pair security ${name} source ${from} destination ${to}`, ` service-policy type inspect ${name}`]);
    }
  }
  const blocks = [...classMaps, ...policyMaps, ...zones.map((z) => [`zone security ${z}`]), ...pairs];
  return { filters, blocks };
}
