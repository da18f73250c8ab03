// The bytes of a crafted probe packet: its L4 header (TCP, UDP, ICMP, ICMPv6) with a correct
// checksum over the pseudo-header of its family, and a payload; the kernel writes the IP header
// (probe.ts sends it through a raw IP socket).

import type { TcpFlag } from '../verifier/verdict.js';
import { addressOf } from '../language/address.js';

/** One probe's packet: its addresses, protocol and the L4 fields that matter to filters. */
export interface ProbePacket {
  source: string;
  destination: string;
  protocol: number;
  sourcePort?: number;
  destinationPort?: number;
  icmpType?: number;
  tcpFlags?: TcpFlag[];
}

function checksum(buf: Buffer): number {
  let sum = 0;
  for (let i = 0; i < buf.length; i += 2) sum += (buf[i]! << 8) + (i + 1 < buf.length ? buf[i + 1]! : 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/** An address's bytes in network order (4 for IPv4, 16 for IPv6). */
function addressBytes(text: string): Buffer {
  const a = addressOf(text);
  const n = a.family === 4 ? 4 : 16;
  const b = Buffer.alloc(n);
  let v = a.value;
  for (let i = n - 1; i >= 0; i--) {
    b[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return b;
}

/** The pseudo-header of the L4 checksum: IPv4's (RFC 793) or IPv6's (RFC 8200, 8.1). */
function pseudoHeader(p: ProbePacket, length: number): Buffer {
  if (p.source.includes(':')) {
    const h = Buffer.alloc(40);
    addressBytes(p.source).copy(h, 0);
    addressBytes(p.destination).copy(h, 16);
    h.writeUInt32BE(length, 32);
    h[39] = p.protocol;
    return h;
  }
  const h = Buffer.alloc(12);
  addressBytes(p.source).copy(h, 0);
  addressBytes(p.destination).copy(h, 4);
  h[9] = p.protocol;
  h.writeUInt16BE(length, 10);
  return h;
}

const FLAG_BITS: Record<TcpFlag, number> = { fin: 0x01, syn: 0x02, rst: 0x04, ack: 0x10 };

/** The L4 part of a packet of either family (the kernel writes the IP header). */
export function l4Bytes(p: ProbePacket): Buffer {
  const payload = Buffer.from('plumb-probe\n');
  if (p.protocol === 6) {
    const h = Buffer.alloc(20);
    h.writeUInt16BE(p.sourcePort ?? 40000, 0);
    h.writeUInt16BE(p.destinationPort ?? 80, 2);
    h.writeUInt32BE(0x504c4d42, 4); // sequence number
    const flags = (p.tcpFlags ?? ['syn']).reduce((acc, f) => acc | FLAG_BITS[f], 0);
    h.writeUInt32BE(flags & FLAG_BITS.ack ? 1 : 0, 8);
    h[12] = 5 << 4;
    h[13] = flags;
    h.writeUInt16BE(65535, 14);
    h.writeUInt16BE(checksum(Buffer.concat([pseudoHeader(p, 20), h])), 16);
    return h;
  }
  if (p.protocol === 17) {
    const h = Buffer.alloc(8);
    h.writeUInt16BE(p.sourcePort ?? 40000, 0);
    h.writeUInt16BE(p.destinationPort ?? 53, 2);
    h.writeUInt16BE(8 + payload.length, 4);
    const seg = Buffer.concat([h, payload]);
    const c = checksum(Buffer.concat([pseudoHeader(p, seg.length), seg]));
    seg.writeUInt16BE(c === 0 ? 0xffff : c, 6);
    return seg;
  }
  if (p.protocol === 1 || p.protocol === 58) {
    const h = Buffer.alloc(8);
    h[0] = p.icmpType ?? (p.protocol === 1 ? 8 : 128);
    h.writeUInt16BE(0x504c, 4);
    h.writeUInt16BE(1, 6);
    const msg = Buffer.concat([h, payload]);
    // ICMPv6's checksum covers the pseudo-header too; ICMP's only the message.
    const covered = p.protocol === 58 ? Buffer.concat([pseudoHeader(p, msg.length), msg]) : msg;
    msg.writeUInt16BE(checksum(covered), 2);
    return msg;
  }
  return payload;
}
