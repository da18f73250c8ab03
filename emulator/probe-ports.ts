// Source ports of probes: the kernel's ephemeral range, and the fixed ports in it (a
// counterexample's) reserved in the namespaces whose connections take a port from it, so that
// the two kinds of counters never count each other's packets (probe-schedule.ts keeps them
// apart only then).

import { execIn } from './netns.js';
import type { ProbeSpec } from './probe.js';

/** Linux's ephemeral source ports (`net.ipv4.ip_local_port_range` of a fresh namespace). */
export const EPHEMERAL = { from: 32768, to: 60999 };

/** A probe's fixed source port in the ephemeral range (a counterexample's), counted exactly. */
export function fixedEphemeralPort(s: ProbeSpec): number | undefined {
  const p = s.packet;
  const sport = p.sourcePort;
  const counted = (p.protocol === 6 || p.protocol === 17) && p.destinationPort !== undefined;
  return counted && sport !== undefined && sport >= EPHEMERAL.from && sport <= EPHEMERAL.to ? sport : undefined;
}

/** A connection whose source port the kernel picks (counted by the ephemeral range). */
export function kernelPicksPort(s: ProbeSpec): boolean {
  const p = s.packet;
  return s.kind === 'connect' && p.sourcePort === undefined && (p.protocol === 6 || p.protocol === 17) && p.destinationPort !== undefined;
}

/**
 * Reserves the fixed source ports (`net.ipv4.ip_local_reserved_ports`, per namespace, IPv6 too)
 * in the namespaces of connections whose port the kernel picks, so that it never picks one of
 * them: those connections' counters then leave the ports out, and a counterexample's packet from
 * a fixed port runs beside a connection to the same port. Returns the namespaces where that held.
 */
export async function reserveSourcePorts(specs: readonly ProbeSpec[], ports: readonly number[]): Promise<Set<string>> {
  if (ports.length === 0) return new Set();
  const namespaces = [...new Set(specs.filter(kernelPicksPort).map((s) => s.fromNs))];
  const held = await Promise.all(
    namespaces.map((ns) =>
      execIn(ns, 'sysctl', ['-q', '-w', `net.ipv4.ip_local_reserved_ports=${ports.join(',')}`]).then((r) => r.code === 0),
    ),
  );
  return new Set(namespaces.filter((_, k) => held[k]));
}
