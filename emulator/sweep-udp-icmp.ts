// The exposure sweep's UDP and ICMP probes (sweep.ts plans them with the TCP connections).
//  - UDP: one datagram from the source's address, on a connected socket, to a device address
//    and port where the emulator runs an echo listener bound to that very address (a listener on
//    every address would answer from whichever address the route back picks, which a connected
//    socket ignores). The port is open when anything comes back: the echo, or an ICMP port
//    unreachable (the socket reports "Connection refused"), since either means the datagram got
//    past the device's filters to the device itself; closed when nothing does (the filter
//    dropped it, or the answer was dropped on the way back, as the model's reply check says).
//    A port a daemon of the device holds is not probed (the daemon may answer or not).
//  - ICMP: one echo request (ping) to a device address; open when the echo reply comes back.
// A datagram can be lost, and a listener forked on a loaded machine can be slow: where the model
// opens and the first try saw nothing, the sweep tries once more with a longer wait (sweep.ts), so
// a disagreement is a port closed twice. An opening is never tried again: it cannot be an accident.

import { assertSafeWord, execIn } from './netns.js';
import { listeningAddresses, type Listeners } from './probe.js';

/** UDP ports every device is tried on: DNS, NTP, SNMP, IKE, syslog, RADIUS, BFD, VXLAN. */
export const SWEEP_UDP_PORTS = [53, 123, 161, 500, 514, 1812, 3784, 4789];

/**
 * Seconds a UDP or ICMP probe waits for its answer (the lab's round trips are under a
 * millisecond; a forked echo listener on a loaded machine takes longer), and the longer wait of
 * the second try (sweep.ts tries once more where the model opens and the first try saw nothing).
 */
export const WAIT_SECONDS = 0.5;
export const RETRY_WAIT_SECONDS = 3;

const MESSAGE = 'plumb-sweep\n';

/** Per UDP port something listens on in a namespace, the addresses it is bound to (`*`: all). */
export function listeningUdpAddresses(ns: string): Promise<Map<number, Set<string>>> {
  return listeningAddresses(ns, 'udp');
}

/** Whether a daemon of the device already holds `port` on `address` (or on every address). */
export function heldBy(held: Map<number, Set<string>>, address: string, port: number): boolean {
  const by = held.get(port);
  return by !== undefined && (by.has(address) || ['*', '::', '0.0.0.0'].some((a) => by.has(a)));
}

/** Echo listeners for the UDP probes: one per device namespace, address and port. */
export async function listenUdp(listeners: Listeners, targets: { ns: string; address: string; port: number }[]): Promise<void> {
  for (const t of targets) await listeners.ensure(t.ns, 17, t.address, t.port, false);
}

/** One UDP datagram; true when the echo or a port unreachable comes back within `wait` seconds. */
export async function tryUdp(fromNs: string, source: string, destination: string, port: number, wait = WAIT_SECONDS): Promise<boolean> {
  const v6 = destination.includes(':');
  const dst = v6 ? `[${assertSafeWord(destination)}]` : assertSafeWord(destination);
  const src = v6 ? `[${assertSafeWord(source)}]` : assertSafeWord(source);
  // -t: how long socat still reads the answer once its input has ended.
  const r = await execIn(fromNs, 'socat', ['-t', String(wait), '-T', String(wait + 1), '-', `UDP${v6 ? 6 : 4}:${dst}:${port},bind=${src}`], {
    input: MESSAGE,
    timeoutMs: (wait + 5) * 1000,
  });
  return r.stdout.includes('plumb-sweep') || /Connection refused/.test(r.stderr);
}

/** One ICMP echo request; true when its reply comes back within `wait` seconds. */
export async function tryEcho(fromNs: string, source: string, destination: string, wait = WAIT_SECONDS): Promise<boolean> {
  const r = await execIn(fromNs, 'ping', ['-n', '-q', '-c', '1', '-W', String(wait), '-I', assertSafeWord(source), assertSafeWord(destination)], {
    timeoutMs: (wait + 5) * 1000,
  });
  return r.code === 0;
}
