// Whole intents with address translation, from the text to the proof (parse, check, compile,
// verify with Z3): a partner whose 10.x is ours too on an IOS-XE edge, static inside on every
// edge platform, internet egress overloaded onto one address, a published server, and the
// example examples/nat. Each refuted assertion's trace is the simulator's replay.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatCounterexample } from '../../cli/report/counterexample.js';
import type { NetworkModel } from '../../compiler/model.js';
import { verifyModel, type Verdict } from '../../verifier/index.js';
import { sharedPool } from '../shared-solvers.js';
import { simulate } from '../../verifier/simulate.js';
import { compileText } from '../compiler/helpers.js';
import { EGRESS, onEdge, OVERLAP, STATIC_INSIDE } from '../compiler/nat-intents.js';

function compiled(text: string, path = 't.plumb'): NetworkModel {
  const { model, diagnostics } = compileText(text, path);
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return model;
}

// One pool of Z3 workers for the file's proofs (test/shared-solvers.ts): each verifyModel would
// otherwise start and close workers of its own. Every query starts from a clean solver, with its
// own timeout, so the verdicts are those of a pool of the call's own.
const pool = sharedPool(1);

async function verdicts(model: NetworkModel): Promise<Verdict[]> {
  const report = await verifyModel(model, { lint: false, timeoutMs: 120_000, pool: pool() });
  return report.verdicts;
}

const statuses = (vs: Verdict[]): [string, string][] => vs.map((v) => [v.assertion.text, v.status]);
const trace = (v: Verdict): string => formatCounterexample(v.counterexample!).join('\n');

describe('NAT from the intent to the proof', { timeout: 900_000 }, () => {
  it('a partner whose 10.20.0.0/24 is ours too, on an IOS-XE edge: reached both ways, ssh refuted after the translation', async () => {
    const vs = await verdicts(compiled(OVERLAP));
    expect(statuses(vs)).toEqual([
      ['assert reach partner -> api : https', 'proven'],
      ['assert reach office -> partner : https', 'proven'],
      ['assert isolate partner -> office', 'proven'],
      ['assert reach partner -> api : ssh', 'refuted'],
    ]);
    const ssh = vs[3]!;
    expect(ssh.counterexample!.packet.destination).toBe('100.64.20.10');
    expect(trace(ssh)).toContain('nat destination 100.64.20.10 -> 10.20.0.10 (static, fra1.edge1: apps appears to partner as 100.64.20.0/24)');
    expect(trace(ssh)).toMatch(/nat source 10\.20\.0\.\d+ -> 198\.18\.20\.\d+ \(static, fra1\.edge1: partner appears to us as 198\.18\.20\.0\/24\)/);
  });

  it('an overlapping partner behind a PAN-OS firewall inside: the firewall carries the rules of the mapped partner', async () => {
    const model = compiled(OVERLAP.replace('router core1 frr', 'firewall core1 paloalto-panos'));
    const fw = model.devices.find((d) => d.id === 'fra1.core1')!;
    expect(fw.securityRules.find((r) => r.description.startsWith('allow partner -> api'))!.match).toMatchObject({ sources: ['198.18.20.0/24'], destinations: ['10.20.0.10/32'] });
    const vs = await verdicts(model);
    expect(statuses(vs).map((s) => s[1])).toEqual(['proven', 'proven', 'proven', 'refuted']);
  });

  for (const edge of ['router edge1 frr', 'router edge1 linux', 'firewall edge1 paloalto-panos', 'router edge1 cisco-iosxe', 'firewall edge1 cisco-iosxe']) {
    it(`static inside on ${edge}: the partner reaches api by its mapped address, and nothing else`, async () => {
      const vs = await verdicts(compiled(onEdge(STATIC_INSIDE, edge)));
      expect(statuses(vs).map((s) => s[1]), vs.map((v) => v.reason ?? '').join('; ')).toEqual(['proven', 'proven', 'proven', 'proven']);
    });
  }

  for (const edge of ['router edge1 frr', 'firewall edge1 paloalto-panos']) {
    it(`both ways on ${edge} (the partner's 172.16.0.0/16 is not ours: it may be translated before routing)`, async () => {
      const text = onEdge(STATIC_INSIDE, edge).replace('  translate apps as 100.64.20.0/24', '  translate apps as 100.64.20.0/24\n  translate partner as 198.18.0.0/16');
      const model = compiled(text);
      expect(model.devices.find((d) => d.id === 'fra1.core1')!.fib.map((r) => r.prefix)).toContain('198.18.0.0/16');
      expect(model.devices.find((d) => d.id === 'fra1.core1')!.fib.map((r) => r.prefix)).not.toContain('172.16.0.0/16');
      const vs = await verdicts(model);
      expect(statuses(vs).map((s) => s[1]), vs.map((v) => v.reason ?? '').join('; ')).toEqual(['proven', 'proven', 'proven', 'proven']);
    });
  }

  for (const edge of ['router gw1 frr', 'router gw1 cisco-iosxe', 'firewall gw1 paloalto-panos']) {
    it(`egress on ${edge}: office goes out overloaded, nothing comes in to it, web is published for https only`, async () => {
      const vs = await verdicts(compiled(onEdge(EGRESS, edge)));
      expect(statuses(vs)).toEqual([
        ['assert reach office -> internet : https', 'proven'],
        ['assert isolate internet -> office', 'proven'],
        ['assert reach internet -> web : https', 'proven'],
        ['assert reach internet -> web : ssh', 'refuted'],
        ['assert isolate internet -> web : https', 'refuted'],
      ]);
      // ssh is not published: the internet sees web at its own address only, and no rule admits it.
      expect(vs[3]!.counterexample!.packet.destination).toBe('10.40.0.10');
      // The published https reaches web (at either of its addresses: the internet may address
      // 10.40.0.10 too); a packet to the public one is translated on the way.
      const model = compiled(onEdge(EGRESS, edge));
      const traces = simulate(model, { family: 4, source: '8.8.8.8', destination: '203.0.113.10', protocol: 6, sourcePort: 40000, destinationPort: 443, tcpFlags: ['syn'] });
      expect(traces.length).toBeGreaterThan(0);
      for (const t of traces) {
        expect(t.outcome).toMatchObject({ kind: 'delivered', endpoints: ['dmz', 'web'] });
        expect(JSON.stringify(t.hops)).toContain('web : https published to internet at 203.0.113.10');
      }
      const ssh = simulate(model, { family: 4, source: '8.8.8.8', destination: '203.0.113.10', protocol: 6, sourcePort: 40000, destinationPort: 22, tcpFlags: ['syn'] });
      expect(ssh.every((t) => t.outcome.kind !== 'delivered' || !(t.outcome as { endpoints?: string[] }).endpoints?.includes('web'))).toBe(true);
    });
  }

  it('examples/nat: every assertion proven but the one kept refuted, whose trace shows the translation', async () => {
    const path = 'examples/nat/nat.plumb';
    const vs = await verdicts(compiled(readFileSync(path, 'utf8'), path));
    const refuted = vs.filter((v) => v.status !== 'proven');
    expect(refuted.map((v) => v.assertion.text)).toEqual(['assert reach partner -> api : ssh']);
    expect(vs.length).toBeGreaterThan(5);
    expect(trace(refuted[0]!)).toContain('nat destination 100.64.20.10 -> 10.20.0.10');
  });
});
