// Reading Z3's answers: one section per family query (status, reason, model values), and the
// concrete packet a model stands for.

import { formatAddress, type Family } from '../language/address.js';
import type { Packet } from './verdict.js';

export type SectionResult =
  | { status: 'sat'; values: Map<string, string> }
  | { status: 'unsat' }
  | { status: 'unknown'; reason: string }
  | { status: 'error'; reason: string };

/** Splits the output of a script of `count` sections (see queries.ts for their shape). */
export function parseOutput(output: string, count: number): SectionResult[] {
  const out: SectionResult[] = [];
  const chunks = output.split('@end');
  for (let i = 0; i < count; i++) {
    const chunk = chunks[i] ?? '';
    const [head = '', rest = ''] = chunk.split('@reason');
    const [reasonText = '', valuesText = ''] = rest.split('@values');
    const status = head
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l === 'sat' || l === 'unsat' || l === 'unknown')
      .pop();
    const errors = head.match(/\(error "([^"]*)"\)/);
    if (errors || !status) {
      out.push({ status: 'error', reason: errors?.[1] ?? (head.trim() || 'no answer') });
      continue;
    }
    if (status === 'unsat') out.push({ status: 'unsat' });
    else if (status === 'unknown') out.push({ status: 'unknown', reason: reasonText.match(/:reason-unknown "?([^")]*)"?\)/)?.[1] ?? 'unknown' });
    else {
      const values = new Map<string, string>();
      for (const m of valuesText.matchAll(/\(([\w-]+) (#x[0-9a-fA-F]+|#b[01]+|true|false)\)/g)) values.set(m[1]!, m[2]!);
      const missing = ['src', 'dst', 'proto', 'sport', 'dport', 'icmp', 'est'].filter((n) => !values.has(n));
      if (missing.length > 0) out.push({ status: 'error', reason: `sat without a model (missing ${missing.join(', ')}): ${JSON.stringify(chunk.slice(0, 300))}` });
      else out.push({ status: 'sat', values });
    }
  }
  return out;
}

function bits(text: string | undefined): bigint {
  if (!text) return 0n;
  if (text.startsWith('#x')) return BigInt(`0x${text.slice(2)}`);
  if (text.startsWith('#b')) return BigInt(`0b${text.slice(2)}`);
  throw new Error(`internal: not a bit-vector value: ${text}`);
}

/** The packet of a model: fields that its protocol does not have are left out. */
export function packetFromValues(values: Map<string, string>, family: Family, property: 'reach' | 'isolate'): Packet {
  const protocol = Number(bits(values.get('proto')));
  const packet: Packet = {
    family,
    source: formatAddress({ family, value: bits(values.get('src')) }),
    destination: formatAddress({ family, value: bits(values.get('dst')) }),
    protocol,
  };
  if (protocol === 6 || protocol === 17) {
    packet.sourcePort = Number(bits(values.get('sport')));
    packet.destinationPort = Number(bits(values.get('dport')));
  }
  if (protocol === 1 || protocol === 58) packet.icmpType = Number(bits(values.get('icmp')));
  if (protocol === 6) packet.tcpFlags = property === 'isolate' && values.get('est') === 'true' ? ['ack'] : ['syn'];
  return packet;
}
