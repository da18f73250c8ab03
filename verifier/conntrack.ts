// What connection tracking does with an ICMP packet that belongs to no connection it tracks, on
// a device whose platform's stateful filter drops what it cannot place (the platform table's
// `dropsUnsolicitedIcmp`: nftables, whose rulesets start with `ct state invalid drop`).
// CONNTRACK_ICMP in language/platforms.ts cites the kernel: an unsolicited error quotes no
// tracked connection, and any other type that cannot open a connection (an echo reply, a router
// advertisement) gets none either, so nftables calls both invalid. A related error or a reply is
// part of its connection and passes as the connection's replies do (docs/architecture.md,
// "State"); it is never a packet of an assertion. So such a device drops every ICMP packet of an
// assertion that neither opens a connection nor is left untracked, before any rule, forwarded or
// addressed to itself.

import type { DeviceModel } from '../compiler/model.js';
import { CONNTRACK_ICMP, PLATFORM_TRAITS } from '../language/platforms.js';
import type { PacketTerms } from './smt.js';
import type { FilterDecision } from './verdict.js';

/** Whether the device drops ICMP packets its connection tracking cannot place. */
export function dropsUnsolicitedIcmp(d: DeviceModel): boolean {
  return d.stateful && PLATFORM_TRAITS[d.platform].dropsUnsolicitedIcmp;
}

/** The ICMP types (of the family's ICMP) connection tracking places without a connection. */
function placedTypes(family: 4 | 6): readonly number[] {
  return family === 4 ? CONNTRACK_ICMP.icmpNew : [...CONNTRACK_ICMP.icmpv6New, ...CONNTRACK_ICMP.icmpv6Untracked];
}

/** Whether an unsolicited packet is ICMP of a type connection tracking calls invalid. */
export function isUnplacedIcmp(packet: { family: 4 | 6; protocol: number; icmpType?: number }): boolean {
  if (packet.icmpType === undefined) return false;
  if (packet.protocol !== (packet.family === 4 ? 1 : 58)) return false;
  return !placedTypes(packet.family).includes(packet.icmpType);
}

/** The decision that drops such a packet, as traces and counterexamples show it. */
export function unplacedIcmpDrop(): FilterDecision {
  return {
    stage: 'state',
    filter: 'conntrack',
    action: 'deny',
    description: 'unsolicited ICMP (an error or reply of no tracked connection), conntrack state invalid: dropped before any rule',
  };
}

/** SMT-LIB: packet `t` is ICMP of a type connection tracking calls invalid (the query's family). */
export function unplacedIcmpFormula(t: PacketTerms, family: 4 | 6): string {
  const hex = (n: number): string => `#x${n.toString(16).padStart(2, '0')}`;
  const placed = placedTypes(family).map((n) => `(= ${t.icmp} ${hex(n)})`).join(' ');
  return `(and (= ${t.proto} ${family === 4 ? '#x01' : '#x3a'}) (not (or ${placed})))`;
}
