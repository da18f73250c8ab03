// The exposure sweep's UDP and ICMP probes (sweep.ts plans them with the TCP connections;
// sweep-prober.ts sends them, each source namespace's in one process).
//  - UDP: one datagram from the source's address, on a connected socket, to a device address
//    and port where the device's echo service holds a socket bound to that very address (a
//    socket on every address would answer from whichever address the route back picks, which a
//    connected socket ignores). The port is open when anything comes back: the echo, or an ICMP
//    port unreachable (the socket reports "Connection refused"), since either means the datagram
//    got past the device's filters to the device itself; closed when nothing does (the filter
//    dropped it, or the answer was dropped on the way back, as the model's reply check says).
//    A port a daemon of the device holds is not probed (the daemon may answer or not).
//  - ICMP: one echo request to a device address; open when the echo reply comes back.
// A datagram can be lost, and a loaded machine can keep the echo service waiting: where the model
// opens and the first try saw nothing, the prober tries once more with a longer wait, so a
// disagreement is a port closed twice. An opening is never tried again: it cannot be an accident.

import type { EchoSocket } from './echo-server.js';
import { listeningAddresses } from './probe.js';

/** UDP ports every device is tried on: DNS, NTP, SNMP, IKE, syslog, RADIUS, BFD, VXLAN. */
export const SWEEP_UDP_PORTS = [53, 123, 161, 500, 514, 1812, 3784, 4789];

/**
 * Seconds a UDP or ICMP probe waits for its answer (the lab's round trips are under a
 * millisecond; an echo service on a loaded machine takes longer), and the longer wait of the
 * second try (where the model opens and the first try saw nothing).
 */
export const WAIT_SECONDS = 0.5;
export const RETRY_WAIT_SECONDS = 3;

/** Per UDP port something listens on in a namespace, the addresses it is bound to (`*`: all). */
export function listeningUdpAddresses(ns: string): Promise<Map<number, Set<string>>> {
  return listeningAddresses(ns, 'udp');
}

/** Whether a daemon of the device already holds `port` on `address` (or on every address). */
export function heldBy(held: Map<number, Set<string>>, address: string, port: number): boolean {
  const by = held.get(port);
  return by !== undefined && (by.has(address) || ['*', '::', '0.0.0.0'].some((a) => by.has(a)));
}

/** The echo sockets of a device's UDP probes: one per address and port probed. */
export function udpSockets(targets: readonly { address: string; port: number }[]): EchoSocket[] {
  const seen = new Set<string>();
  const out: EchoSocket[] = [];
  for (const t of targets) {
    const key = `${t.address}|${t.port}`;
    if (!seen.has(key)) out.push({ protocol: 17, address: t.address, port: t.port });
    seen.add(key);
  }
  return out;
}
