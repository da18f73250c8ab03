// A joint lab's own lines in `plumb emulate --with`'s text: the two parties, each direction of
// the interconnect's BGP session with what it advertises (and what lies outside the sender's
// announcements), and the probes left out of an assertion with the reason.

import type { EmulationReport } from '../../pipeline/emulate.js';

export function jointLines(joint: NonNullable<EmulationReport['joint']>): string[] {
  const [a, b] = joint.parties;
  const L = [`  contract ${joint.contract}: ${a?.party} (${a?.network}) and ${b?.party} (${b?.network}) in one lab`];
  for (const s of joint.sessions) {
    const outside = s.outside.length > 0 ? `; OUTSIDE ${s.from}'s announcements: ${s.outside.join(', ')}` : '';
    L.push(`  bgp ${s.device} -> ${s.to} (neighbor ${s.neighbor}) ${s.state}: advertises ${s.advertised.join(', ') || 'nothing'}${outside}`);
    if (s.receiver) L.push(`    ${s.receiver.device} holds from it: ${s.receiver.accepted.join(', ') || 'nothing'}`);
  }
  return L;
}

/** The probes left out of each assertion, by reason (after the results). */
export function leftOutLines(joint: NonNullable<EmulationReport['joint']>): string[] {
  return joint.leftOut.map((x) => `left out: ${x.party}: ${x.assertion}: ${x.probes} probe${x.probes === 1 ? '' : 's'} ${x.reason}`);
}
