// The failure sets `plumb emulate` made for real, as it prints them: per set, what was failed,
// whether the kernels reached the failed network's model FIB (the differing entries when not) and
// got back to the intact one, then one line per assertion with the proof under that set and the
// packets' verdict, and the probes where they disagree or carry the verifier's counterexample.

import { fibDifferenceText, type FailureSetReport, type ProbeResult } from '../../pipeline/emulate.js';
import { protocolName } from './counterexample.js';

/** Differing FIB entries listed per set before the rest are counted only. */
const SHOWN = 20;

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** One probe as a report line: the packet, what came of it, and why it was sent. */
export function probeLine(p: ProbeResult): string {
  const pk = p.spec.packet;
  const port = pk.destinationPort !== undefined ? `:${pk.destinationPort}` : '';
  const sport = pk.sourcePort !== undefined ? ` sport ${pk.sourcePort}` : '';
  const flags = pk.tcpFlags ? ` [${pk.tcpFlags.join(',')}]` : '';
  const icmp = pk.icmpType !== undefined ? ` type ${pk.icmpType}` : '';
  const what = p.spec.kind === 'connect' ? (p.connected ? 'replied' : 'no reply') : p.delivered ? 'delivered' : 'not delivered';
  const via = p.viaSeen ? ` via ${Object.values(p.viaSeen).every(Boolean) ? 'seen' : 'NOT seen'}` : '';
  // Through a translation the far end sees another source than the one sent: say which.
  const seen = p.sourceSeen !== undefined && p.sourceSeen !== pk.source ? `, far end saw source ${p.sourceSeen}` : '';
  return `${p.spec.kind} ${protocolName(pk.protocol)} ${pk.source}${sport} -> ${pk.destination}${port}${icmp}${flags}: ${what}${seen}${via} (${p.spec.note})`;
}

export function failureSetLines(sets: readonly FailureSetReport[], millis: number): string[] {
  const L = ['', `failures made for real: ${sets.length} failure set${sets.length === 1 ? '' : 's'} in ${seconds(millis)}`];
  for (const s of sets) {
    const failed = s.failed.join(', ');
    const routing = s.converged
      ? `routing reached the failed network's FIB after ${seconds(s.convergeMillis)}`
      : `routing NOT at the failed network's FIB after ${seconds(s.convergeMillis)} (${s.fibDifferences.length} entries differ)`;
    L.push(`  failed ${failed}: ${routing}; ${s.restored ? `restored after ${seconds(s.restoreMillis)}` : 'NOT restored'}`);
    for (const d of s.fibDifferences.slice(0, SHOWN)) L.push(`    ${fibDifferenceText(d)}`);
    if (s.fibDifferences.length > SHOWN) L.push(`    and ${s.fibDifferences.length - SHOWN} more`);
    for (const p of s.restoreProblems.slice(0, SHOWN)) L.push(`    ${p}`);
    for (const r of s.results) {
      const text = r.assertion.text.replace(/^assert /, '');
      L.push(`${r.agrees ? 'agree   ' : 'DISAGREE'} ${text} — failed ${failed}: proof ${r.proof}, packets ${r.packets}`);
      const show = !r.agrees || r.probes.some((p) => p.spec.note.startsWith("the verifier's"));
      if (show) for (const p of r.probes) L.push(`    ${probeLine(p)}`);
      for (const u of r.untested) L.push(`    not probed: ${u}`);
    }
  }
  return L;
}
