// The profiles of a firewall's zone policy, compared exactly: what a PAN-OS security rule does
// with the traffic it admits (its security-profile group inspects it and may drop it) and where
// its logs go (its log-forwarding profile) are behaviour the packet verdicts do not show. Each
// rule is keyed by its action and what it matches (sources and destinations as sets, zones,
// protocol, ports, ICMP type), the first rule of a key winning as the firewall's first match
// does, and compared where both sides have the key (a rule only one side has changes what is
// admitted or denied: the packet comparison reports it); plus the log-forwarding profile of the
// firewall's default denies.

import type { DeviceModel, FilterRule, Match } from '../compiler/model.js';
import { canonicalPrefix } from '../language/address.js';
import type { ItemDifference } from './equivalence-config.js';

const canon = (p: string): string => canonicalPrefix(p) ?? p;
const list = (xs: readonly string[] | undefined, f: (x: string) => string = (x) => x): string => (xs === undefined ? 'any' : [...new Set(xs.map(f))].sort().join(' ') || '(none)');
const ports = (rs: Match['destinationPorts']): string => (rs === undefined ? 'any' : rs.map((r) => (r.from === r.to ? `${r.from}` : `${r.from}-${r.to}`)).join(','));

/** What a rule matches, as one line: the key that pairs a rule with its counterpart. */
export function matchKey(r: FilterRule): string {
  const m = r.match;
  return [
    r.action,
    `from ${list(m.fromZones)} to ${list(m.toZones)}`,
    `source ${list(m.sources, canon)}`,
    `destination ${list(m.destinations, canon)}`,
    `protocol ${m.protocol ?? 'any'}`,
    ...(m.sourcePorts ? [`source-port ${ports(m.sourcePorts)}`] : []),
    ...(m.destinationPorts ? [`port ${ports(m.destinationPorts)}`] : []),
    ...(m.icmpType !== undefined ? [`icmp-type ${m.icmpType}`] : []),
  ].join(' ');
}

const value = (r: { profileGroup?: string; logForwarding?: string }): string => `profile-group ${r.profileGroup ?? '(none)'}; log-forwarding ${r.logForwarding ?? '(none)'}`;

/** The differences in profiles between two models of one device (none when neither has any). */
export function compareProfiles(expected: DeviceModel, actual: DeviceModel, out: ItemDifference[]): void {
  const has = (d: DeviceModel): boolean => d.logForwarding !== undefined || d.securityRules.some((r) => r.profileGroup !== undefined || r.logForwarding !== undefined);
  if (!has(expected) && !has(actual)) return;
  if (expected.logForwarding !== actual.logForwarding) {
    out.push({ kind: 'item', item: 'log-forwarding of the default denies', expected: expected.logForwarding ?? '(none)', actual: actual.logForwarding ?? '(none)' });
  }
  const firsts = (d: DeviceModel): Map<string, FilterRule> => {
    const m = new Map<string, FilterRule>();
    for (const r of d.securityRules) if (!m.has(matchKey(r))) m.set(matchKey(r), r);
    return m;
  };
  const e = firsts(expected);
  const a = firsts(actual);
  for (const key of [...new Set([...e.keys(), ...a.keys()])].sort()) {
    const x = e.get(key);
    const y = a.get(key);
    // a rule one side lacks is the packet comparison's to report (what it admits or denies)
    if (x === undefined || y === undefined) continue;
    const xv = value(x);
    const yv = value(y);
    if (xv === yv) continue;
    out.push({ kind: 'item', item: `profiles of security rule ${key}`, expected: xv, actual: yv, actualOrigin: y.origin, expectedOrigin: x.origin });
  }
}
