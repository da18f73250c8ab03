// The model's side of the emulator's device exposure sweep: whether the compiled network opens a
// TCP connection from an endpoint to a device's own address, by the verifier's concrete
// simulator (the one that replays counterexamples). The emulator runs the packets; this says what
// they should do.

import type { NetworkModel } from '../compiler/model.js';
import { deliveredTo, replyOf, simulate, statefulOn } from '../verifier/simulate.js';
import type { Ingress, Packet } from '../verifier/verdict.js';

/**
 * Open exactly when every path of the SYN ends at `device` past its local filter and the
 * device's SYN-ACK gets back to `from` (a session address on a link: it leaves by the connected
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
