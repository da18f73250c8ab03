// The device exposure sweep on acme (IOS-XE, PAN-OS, FRR and Linux devices; `manage from noc :
// ssh, ping` and here also `: snmp`; an eBGP partner): real TCP connections, UDP datagrams and
// ICMP echo requests from every external and segment to every device address on the sampled
// ports, against the model's local filters. The partner opens nothing but BGP from its session
// address; the NOC opens ssh, snmp and ping everywhere; assertions to devices are probed and
// agree with their proofs.
//
// Outside CI, a machine without root or the tools skips these loudly; in CI they must run.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { modelOpens } from '../../pipeline/sweep-model.js';
import { compile } from '../../compiler/index.js';
import { emulate, missingPrerequisites } from '../../emulator/index.js';
import { analyze } from '../../language/analyze.js';
import { hasErrors } from '../../language/diagnostic.js';
import { verifyModel } from '../../verifier/index.js';

const missing = missingPrerequisites();
const canRun = missing.length === 0;
if (!canRun && !process.env.CI) {
  console.warn(`\n*** SKIPPING the device exposure sweep lab: missing ${missing.join(', ')} (it runs in CI as root) ***\n`);
}
const labIt = canRun || process.env.CI ? it : it.skip;

const ACME = join(import.meta.dirname, '../../examples/acme/acme.plumb');

describe('device exposure sweep (acme)', () => {
  labIt(
    'the partner opens only BGP from its peer, the NOC opens ssh, and every probe agrees with the model',
    async () => {
      const text = `${readFileSync(ACME, 'utf8')}\nmanage from noc : snmp\nassert reach noc -> fra1.edge1, fra1.fw1, ams1.gw1 : ssh\nassert isolate office -> ams1.core2 : ssh\n`;
      const analysis = analyze([{ path: 'acme.plumb', text }]);
      expect(hasErrors(analysis.diagnostics)).toBe(false);
      const model = compile(analysis.intent!).model;
      const verification = await verifyModel(model);
      const t0 = Date.now();
      const report = await emulate(model, { verdicts: verification.verdicts, sweepOpens: modelOpens, log: (l) => console.log(l) });
      console.log(`acme lab with sweep: ${Date.now() - t0} ms; sweep ${report.sweep?.probes} connections in ${report.sweep?.millis} ms`);
      expect(report.error).toBeUndefined();
      const sweep = report.sweep!;
      for (const d of sweep.devices) {
        console.log(`${d.device}: ${d.probes} probes, ${d.open} open, ${d.expectedOpen} expected`, JSON.stringify(d.byProtocol), d.disagreements.slice(0, 5));
        expect(d.disagreements).toEqual([]);
        // Every protocol was tried, and every protocol opened something (the NOC's ssh, snmp, ping).
        for (const p of ['tcp', 'udp', 'icmp'] as const) expect(d.byProtocol[p].open, `${d.device} ${p}`).toBeGreaterThan(0);
        for (const p of ['tcp', 'udp', 'icmp'] as const) expect(d.byProtocol[p].probes, `${d.device} ${p}`).toBeGreaterThan(d.byProtocol[p].open);
      }
      expect(sweep.udpPorts).toContain(161);
      const opened = sweep.devices.flatMap((d) => d.opened);
      // The partner: BGP from its session address on the link, nothing else.
      const partner = opened.filter((o) => o.startsWith('snowflake ') || o.startsWith('internet '));
      expect(partner.length).toBeGreaterThan(0);
      expect(partner.every((o) => o.endsWith(':179'))).toBe(true);
      // The NOC reaches every device by ssh, snmp and ping.
      const noc = (o: string) => o.startsWith('noc ') && (o.endsWith(':22') || o.endsWith(' udp 161') || o.endsWith(' icmp echo'));
      for (const d of sweep.devices) {
        for (const end of [':22', ' udp 161', ' icmp echo']) expect(d.opened.some((o) => o.startsWith('noc ') && o.endsWith(end)), `${d.device}${end}`).toBe(true);
      }
      // Every other opening is the NOC's.
      expect(opened.filter((o) => !partner.includes(o)).every(noc)).toBe(true);
      // Assertions to devices: probed on the device's input hook, agreeing with the proofs.
      for (const r of report.results.slice(-2)) {
        expect(r.probes.length).toBeGreaterThan(0);
        expect(r.probes.every((p) => p.spec.toDevice)).toBe(true);
        expect(r.agrees).toBe(true);
      }
    },
    900_000,
  );
});
