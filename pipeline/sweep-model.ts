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
 * interface it came in by).
 */
export function modelOpens(model: NetworkModel, packet: Packet, from: string, device: string, ingress?: Ingress): boolean {
  const traces = simulate(model, packet, ingress ? { ingress } : {});
  if (traces.length === 0) return false;
  return traces.every((t) => {
    if (t.outcome.kind !== 'to-device' || t.outcome.device !== device) return false;
    if (ingress) return true;
    const back = simulate(model, replyOf(t.packet)!, { admittedBy: statefulOn(model, t) });
    return back.length > 0 && back.every((b) => deliveredTo(model, b, [from]));
  });
}
