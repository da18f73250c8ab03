// Services as packet matches: what a connection of a service looks like (forward) and what its
// replies look like (for stateless filters). ICMP in the intent means ICMP for IPv4 traffic and
// ICMPv6 (protocol 58, echo request 128, echo reply 129) for IPv6 traffic.

import type { Family } from '../language/address.js';
import type { PortRange, ServiceClause } from '../language/intent.js';

export interface ServiceMatch {
  protocol?: number;
  sourcePorts?: PortRange[];
  destinationPorts?: PortRange[];
  icmpType?: number;
  tcpEstablished?: boolean;
  /** The match only applies to packets of this family (ICMP vs ICMPv6). */
  family?: Family;
}

/** ICMP type numbers of IPv4 and their ICMPv6 counterparts (RFC 4443). */
const ICMP6_OF: Record<number, number> = { 0: 129, 3: 1, 8: 128, 11: 3, 12: 4 };

export function icmp6Type(icmp4: number): number {
  return ICMP6_OF[icmp4] ?? icmp4;
}

/** The matches of a connection's first packet. */
export function forwardMatches(c: ServiceClause): ServiceMatch[] {
  if (c.protocol === undefined) return [{}];
  if (c.protocol === 6 || c.protocol === 17) {
    return [c.ports ? { protocol: c.protocol, destinationPorts: c.ports } : { protocol: c.protocol }];
  }
  if (c.protocol === 1) {
    return [
      { protocol: 1, ...(c.icmpType !== undefined ? { icmpType: c.icmpType } : {}), family: 4 },
      { protocol: 58, ...(c.icmpType !== undefined ? { icmpType: icmp6Type(c.icmpType) } : {}), family: 6 },
    ];
  }
  if (c.protocol === 58) return [{ protocol: 58, ...(c.icmpType !== undefined ? { icmpType: c.icmpType } : {}), family: 6 }];
  return [{ protocol: c.protocol }];
}

export interface ReplyMatches {
  matches: ServiceMatch[];
  /** What the reply rules admit beyond the replies (for the warning), or undefined if nothing. */
  excess?: string;
}

const portText = (ports: PortRange[]) =>
  ports.map((p) => (p.from === p.to ? `${p.from}` : `${p.from}-${p.to}`)).join(', ');

/** The narrowest rules a stateless filter can use to admit a connection's replies. */
export function replyMatches(c: ServiceClause): ReplyMatches {
  if (c.protocol === undefined) {
    return { matches: [{}], excess: 'every packet in the reverse direction' };
  }
  if (c.protocol === 6) {
    return c.ports
      ? {
          matches: [{ protocol: 6, sourcePorts: c.ports, tcpEstablished: true }],
          excess: `any TCP packet with ACK or RST from port ${portText(c.ports)}`,
        }
      : { matches: [{ protocol: 6, tcpEstablished: true }], excess: 'any TCP packet with ACK or RST' };
  }
  if (c.protocol === 17) {
    return c.ports
      ? { matches: [{ protocol: 17, sourcePorts: c.ports }], excess: `any UDP packet from port ${portText(c.ports)}` }
      : { matches: [{ protocol: 17 }], excess: 'any UDP packet' };
  }
  if (c.protocol === 1 || c.protocol === 58) {
    const v4 = c.protocol === 1;
    if (c.icmpType === undefined) {
      return {
        matches: v4 ? [{ protocol: 1, family: 4 }, { protocol: 58, family: 6 }] : [{ protocol: 58, family: 6 }],
        excess: 'any ICMP packet',
      };
    }
    const echo4 = v4 && c.icmpType === 8;
    const echo6 = (v4 && c.icmpType === 8) || (!v4 && c.icmpType === 128);
    if (!echo4 && !echo6) return { matches: [] }; // no reply expected
    const matches: ServiceMatch[] = [];
    if (echo4) matches.push({ protocol: 1, icmpType: 0, family: 4 });
    matches.push({ protocol: 58, icmpType: 129, family: 6 });
    return { matches, excess: 'any ICMP echo reply, asked for or not' };
  }
  return { matches: [{ protocol: c.protocol }], excess: `any packet of protocol ${c.protocol}` };
}
