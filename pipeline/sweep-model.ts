// The model's side of the emulator's device exposure sweep: whether the compiled network lets a
// TCP connection, a UDP datagram or an ICMP echo request from an endpoint reach a device's own
// address and get its answer back, by the verifier's concrete simulator (the one that replays
// counterexamples). The emulator runs the packets; this says what they should do.

import type { NetworkModel } from '../compiler/model.js';
import { deliveredTo, replyOf, simulate, statefulOn } from '../verifier/simulate.js';
import type { Ingress, Packet } from '../verifier/verdict.js';

/**
 * Open exactly when every path of the first packet (a SYN, a UDP datagram, an echo request) ends
 * at `device` past its local filter and the device's answer (SYN-ACK, the UDP echo, the echo
 * reply: `replyOf`) gets back to `from` (a session address on a link: it leaves by the connected
 * interface it came in by). A TCP segment of an authenticated BGP session (the neighbour has a
 * `password`) is never open to a probe: TCP-MD5 (RFC 2385) makes the device's kernel drop every
 * segment of that address pair without the signature, and the sweep's probes are unsigned.
 */
export function modelOpens(model: NetworkModel, packet: Packet, from: string, device: string, ingress?: Ingress): boolean {
  if (signedSession(model, packet, device)) return false;
  const traces = simulate(model, packet, ingress ? { ingress } : {});
  if (traces.length === 0) return false;
  return traces.every((t) => {
    if (t.outcome.kind !== 'to-device' || t.outcome.device !== device) return false;
    if (ingress) return true;
    const back = simulate(model, replyOf(t.packet)!, { admittedBy: statefulOn(model, t) });
    return back.length > 0 && back.every((b) => deliveredTo(model, b, [from]));
  });
}

/** Whether `packet` is a TCP segment between `device` and a BGP neighbour whose session has a password. */
function signedSession(model: NetworkModel, packet: Packet, device: string): boolean {
  if (packet.protocol !== 6) return false;
  const neighbors = model.devices.find((d) => d.id === device)?.bgp?.neighbors ?? [];
  return neighbors.some((n) => n.password !== undefined && n.address === packet.source);
}
