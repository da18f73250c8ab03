// Numbers and words with a fixed range: ports, port ranges, protocols, ICMP types, ASNs, VLANs,
// and link costs (P4xx).

import { checkFailures } from './check-failures.js';
import type { ServiceItem, Token } from './ast.js';
import { parseInteger, parsePortText, type DiagnosticSink } from './check-common.js';
import { proposal } from './diagnostic.js';
import { Codes } from './diagnostics/index.js';
import { ICMP_TYPE_NAMES, PROTOCOL_NAMES } from './prelude.js';
import { isProtocolWord, type Resolution } from './resolve.js';
import { proposeName } from './suggest.js';

/** A service item's parts, read the same way by the checks and by the intent builder. */
export interface ServiceItemParts {
  /** The protocol number, when the first word is a protocol. */
  protocol?: number;
  ports: Token[];
  icmpType?: Token;
}

export function serviceItemParts(item: ServiceItem): ServiceItemParts {
  const word = item.protocol.text;
  const protocol = PROTOCOL_NAMES.get(word) ?? (/^[0-9]+$/.test(word) ? parseInteger(word) : undefined);
  // `icmp 8`: a number after icmp is its type, whichever slot the parser put it in.
  if (protocol === 1 && item.icmpType === undefined && item.ports.length === 1) {
    return { protocol, ports: [], icmpType: item.ports[0]! };
  }
  const parts: ServiceItemParts = { ports: item.ports };
  if (protocol !== undefined) parts.protocol = protocol;
  if (item.icmpType !== undefined) parts.icmpType = item.icmpType;
  return parts;
}

export function icmpTypeValue(text: string): number | undefined {
  const named = ICMP_TYPE_NAMES.get(text);
  if (named !== undefined) return named;
  const n = parseInteger(text);
  return n !== undefined && n <= 255 ? n : undefined;
}

export const ASN_MAX = 4294967295;
export const AS_TRANS = 23456;

/** Valid ASNs: 1..4294967294 except 65535 (reserved). 23456 (AS_TRANS) is valid with a warning. */
export function checkAsn(t: Token, sink: DiagnosticSink): number | undefined {
  const n = parseInteger(t.text);
  if (n === undefined || n < 1 || n >= ASN_MAX || n === 65535) {
    sink.report(Codes.invalidAsn, t.span, `invalid ASN \`${t.text}\``, {
      hint:
        n === 0 || n === 65535 || n === ASN_MAX
          ? `ASN ${n} is reserved; private ASNs are 64512-65534 and 4200000000-4294967294`
          : 'an ASN is a number from 1 to 4294967294',
    });
    return undefined;
  }
  if (n === AS_TRANS) {
    sink.report(Codes.asTrans, t.span, 'ASN 23456 is AS_TRANS, the placeholder 2-byte speakers see for 4-byte ASNs', {
      hint: 'use the real 4-byte ASN of this network',
    });
  }
  return n;
}

export function checkVlan(t: Token, sink: DiagnosticSink): void {
  const n = parseInteger(t.text);
  if (n === undefined || n < 1 || n > 4094) {
    sink.report(Codes.invalidVlan, t.span, `invalid VLAN \`${t.text}\``, { hint: 'a VLAN id is a number from 1 to 4094' });
  }
}

export function checkValues(resolution: Resolution, sink: DiagnosticSink): void {
  for (const dev of resolution.devices.values()) if (dev.decl.asn) checkAsn(dev.decl.asn, sink);
  for (const { decl } of resolution.links) {
    if (!decl.cost) continue;
    const n = parseInteger(decl.cost.text);
    if (n === undefined || n < 1 || n > 65535) {
      sink.report(Codes.invalidLinkCost, decl.cost.span, `invalid link cost \`${decl.cost.text}\``, {
        hint: 'a cost is a number from 1 to 65535 (the default is 1)',
      });
    }
  }
  for (const seg of resolution.segments) if (seg.vlan) checkVlan(seg.vlan, sink);
  for (const ext of resolution.externals) {
    for (const item of ext.items) {
      if (item.kind === 'asn') checkAsn(item.asn, sink);
      if (item.kind === 'attach' && item.vlan) checkVlan(item.vlan, sink);
    }
  }
  for (const svc of resolution.services) for (const item of svc.items) checkServiceItem(item, sink);
  checkFailures(resolution, sink);
}

function checkServiceItem(item: ServiceItem, sink: DiagnosticSink): void {
  const word = item.protocol.text;
  const parts = serviceItemParts(item);
  const isReference = !isProtocolWord(word) && item.ports.length === 0 && item.icmpType === undefined;
  if (isReference) return; // a service name: the resolver checked it
  if (parts.protocol === undefined || parts.protocol > 255) {
    sink.report(Codes.invalidProtocol, item.protocol.span, `invalid protocol \`${word}\``, {
      ...(proposeName(item.protocol.span, word, PROTOCOL_NAMES.keys()) ?? { hint: 'a protocol is `tcp`, `udp`, `icmp` or a number from 0 to 255' }),
    });
    return;
  }
  // The parser admits ports only after tcp/udp and a type only after icmp.
  const hasPorts = parts.protocol === 6 || parts.protocol === 17;
  if (parts.icmpType && parts.protocol === 1 && icmpTypeValue(parts.icmpType.text) === undefined) {
    sink.report(Codes.invalidIcmpType, parts.icmpType.span, `invalid ICMP type \`${parts.icmpType.text}\``, {
      ...(proposeName(parts.icmpType.span, parts.icmpType.text, ICMP_TYPE_NAMES.keys()) ?? {
        hint: `an ICMP type is a number from 0 to 255 or one of ${[...ICMP_TYPE_NAMES.keys()].join(', ')}`,
      }),
    });
  }
  if (!hasPorts) return;
  for (const p of parts.ports) {
    const range = parsePortText(p.text);
    const bad = (n: number | undefined): boolean => n === undefined || n > 65535;
    if (!range || bad(range.from) || bad(range.to)) {
      sink.report(Codes.invalidPort, p.span, `invalid port \`${p.text}\``, { hint: 'a port is a number from 0 to 65535' });
    } else if (range.from! > range.to!) {
      sink.report(Codes.portRangeReversed, p.span, `port range \`${p.text}\` ends before it starts`, {
        ...proposal(p.span, `${range.to}-${range.from}`, `write \`${range.to}-${range.from}\``),
      });
    }
  }
}
