// From the probes' results back to a verdict of the packets on an assertion, and whether it says
// what the proof says. Pure.

import type { AssertionModel } from '../compiler/model.js';
import type { VerdictStatus } from '../verifier/verdict.js';
import type { ProbeResult } from './probe.js';

/** `vacuous`: the two ends have no address family in common, so no packet belongs to it. */
export type PacketsVerdict = 'holds' | 'fails' | 'untested' | 'vacuous';

/** Whether the far end saw the source it should (the translated one), where its listener said. */
export function sawExpectedSource(r: ProbeResult): boolean {
  if (r.sourceSeen === undefined || r.spec.anySource) return true;
  return r.sourceSeen === (r.spec.arrival ?? r.spec.packet).source;
}

/** The packets' verdict on an assertion from its probes' results. */
export function judge(assertion: AssertionModel, results: ProbeResult[], vacuous = false): PacketsVerdict {
  if (vacuous) return 'vacuous';
  if (results.length === 0) return 'untested';
  if (assertion.property === 'reach') {
    // Through a translation the far end must also have seen the source the model says.
    const ok = results.every(
      (r) =>
        (r.spec.kind === 'connect' ? r.connected : r.delivered) &&
        sawExpectedSource(r) &&
        (r.viaSeen === undefined || Object.values(r.viaSeen).every(Boolean)),
    );
    return ok ? 'holds' : 'fails';
  }
  return results.some((r) => r.delivered) ? 'fails' : 'holds';
}

/**
 * Whether the packets say what the proof says. A vacuous assertion (no address family in common)
 * is about no packet: the proof says so too (vacuous, or proven/unknown with that reason), and
 * that is no disagreement; an unknown proof, or nothing probed, never agrees.
 */
export function packetsAgree(proof: VerdictStatus | 'none', packets: PacketsVerdict): boolean {
  return (proof === 'proven' && packets === 'holds') || (proof === 'refuted' && packets === 'fails') || (packets === 'vacuous' && proof !== 'refuted' && proof !== 'none');
}
