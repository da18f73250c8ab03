// The device exposure sweep as `plumb emulate` prints it: per device, the probes tried to its own
// addresses (TCP, UDP, ICMP echo), how many opened, how many the model opens, per protocol, and
// every disagreement.

import { sweepProbeText, type SweepReport } from '../../pipeline/emulate.js';

/** Disagreements listed per device before the rest are counted only. */
const SHOWN = 20;

export function sweepLines(s: SweepReport): string[] {
  const skipped = s.skipped > 0 ? `, ${s.skipped} left out (a daemon holds the UDP port)` : '';
  const L = [
    '',
    `device exposure sweep: TCP ports ${s.ports.join(', ')}; UDP ports ${s.udpPorts.join(', ')}; ICMP echo; ${s.probes} probes${s.probes < s.planned ? ` (an even sample of ${s.planned})` : ''}${skipped} in ${(s.millis / 1000).toFixed(1)} s`,
  ];
  for (const d of s.devices) {
    const tag = d.disagreements.length === 0 ? 'agree   ' : 'DISAGREE';
    const per = (['tcp', 'udp', 'icmp'] as const).map((p) => `${p} ${d.byProtocol[p].open}/${d.byProtocol[p].probes}`).join(', ');
    L.push(`${tag} ${d.device}: ${d.probes} probes, ${d.open} open, ${d.expectedOpen} expected open (open/probes: ${per})`);
    for (const o of d.opened.slice(0, SHOWN)) L.push(`    open ${o}`);
    for (const x of d.disagreements.slice(0, SHOWN))
      L.push(`    ${x.open ? 'opened, the model closes' : 'closed, the model opens'}: ${sweepProbeText(x.probe)}`);
    if (d.disagreements.length > SHOWN) L.push(`    and ${d.disagreements.length - SHOWN} more`);
  }
  return L;
}
