// What connection tracking does with an ICMP error that quotes no connection it tracks, on a
// device whose platform's stateful filter drops it (the platform table's
// `dropsUntrackedIcmpErrors`: nftables, whose rulesets start with `ct state invalid drop`).
// The kernel gives such an error no connection (CONNTRACK_ICMP_ERRORS in language/platforms.ts
// cites where), so nftables calls it invalid. A related error (one that quotes a tracked
// connection) is part of that connection and passes as its replies do (docs/architecture.md,
// "State"); it is never a packet of an assertion. So every ICMP error an assertion is about is
// unsolicited, and such a device drops it before any rule, forwarded or addressed to itself.

import type { DeviceModel } from '../compiler/model.js';
import { CONNTRACK_ICMP_ERRORS, PLATFORM_TRAITS } from '../language/platforms.js';
import type { PacketTerms } from './smt.js';
import type { FilterDecision } from './verdict.js';

/** Whether the device drops ICMP errors that belong to no connection it tracks. */
export function dropsUntrackedIcmpErrors(d: DeviceModel): boolean {
  return d.stateful && PLATFORM_TRAITS[d.platform].dropsUntrackedIcmpErrors;
}

/** Whether a packet is an ICMP error in conntrack's sense (ICMP in IPv4, ICMPv6 in IPv6). */
export function isIcmpError(packet: { family: 4 | 6; protocol: number; icmpType?: number }): boolean {
  if (packet.icmpType === undefined) return false;
  if (packet.family === 4) return packet.protocol === 1 && CONNTRACK_ICMP_ERRORS.icmp.includes(packet.icmpType);
  return packet.protocol === 58 && packet.icmpType < CONNTRACK_ICMP_ERRORS.icmpv6Below;
}

/** The decision that drops an unsolicited ICMP error, as traces and counterexamples show it. */
export function untrackedIcmpErrorDrop(): FilterDecision {
  return {
    stage: 'state',
    filter: 'conntrack',
    action: 'deny',
    description: 'unsolicited ICMP error, conntrack state invalid: dropped before any rule',
  };
}

/** SMT-LIB: packet `t` is an ICMP error in conntrack's sense (the query's family). */
export function icmpErrorFormula(t: PacketTerms, family: 4 | 6): string {
  const hex = (n: number): string => `#x${n.toString(16).padStart(2, '0')}`;
  if (family === 4) return `(and (= ${t.proto} #x01) (or ${CONNTRACK_ICMP_ERRORS.icmp.map((n) => `(= ${t.icmp} ${hex(n)})`).join(' ')}))`;
  return `(and (= ${t.proto} #x3a) (bvult ${t.icmp} ${hex(CONNTRACK_ICMP_ERRORS.icmpv6Below)}))`;
}
