// Every example verifies: analyze + compile + verifyModel, every assertion proven. The four
// proofs share one pool of two Z3 workers (test/shared-solvers.ts), the size each would start.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compile } from '../../compiler/index.js';
import { analyze } from '../../language/analyze.js';
import { verifyModel } from '../../verifier/index.js';
import { simulate } from '../../verifier/simulate.js';
import { sharedPool } from '../shared-solvers.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const EXAMPLES = ['acme/acme.plumb', 'campus/campus.plumb', 'harbor/harbor.plumb', 'multicloud/multicloud.plumb'];
const pool = sharedPool(2);

describe('examples', () => {
  for (const ex of EXAMPLES) {
    it(`${ex}: every assertion is proven`, async () => {
      const path = `examples/${ex}`;
      const analysis = analyze([{ path, text: readFileSync(`${root}/${path}`, 'utf8') }]);
      expect(analysis.intent, JSON.stringify(analysis.diagnostics.slice(0, 3))).toBeDefined();
      const { model, diagnostics } = compile(analysis.intent!);
      expect(model.assertions.length).toBeGreaterThan(0);
      const report = await verifyModel(model, { pool: pool(), timeoutMs: 30_000 });
      // Both families are routed everywhere: no prefix left unrouted, no black hole.
      const unrouted = [...diagnostics, ...report.diagnostics].filter((d) => ['C704', 'C710', 'V805'].includes(d.code));
      expect(unrouted.map((d) => `${d.code} ${d.message}`)).toEqual([]);
      const failed = report.verdicts.filter((v) => v.status !== 'proven').map((v) => `${v.assertion.text}: ${v.reason ?? v.counterexample?.summary}`);
      expect(failed).toEqual([]);
      expect(report.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    });
  }

  it('acme: the simulator delivers a concrete https packet from office to web through fra1.fw1', () => {
    const path = 'examples/acme/acme.plumb';
    const { model } = compile(analyze([{ path, text: readFileSync(`${root}/${path}`, 'utf8') }]).intent!);
    const traces = simulate(model, { family: 4, source: '10.20.3.4', destination: '10.10.1.20', protocol: 6, sourcePort: 40000, destinationPort: 443, tcpFlags: ['syn'] });
    expect(traces.length).toBeGreaterThan(0);
    for (const t of traces) {
      expect(t.outcome).toMatchObject({ kind: 'delivered', device: 'fra1.fw1', endpoints: ['web'] });
      expect(t.hops[0]!.device).toBe('ams1.core2');
    }
    const ssh = simulate(model, { family: 4, source: '10.99.0.5', destination: '10.10.1.20', protocol: 6, sourcePort: 40000, destinationPort: 22, tcpFlags: ['syn'] });
    expect(ssh.every((t) => t.outcome.kind === 'dropped')).toBe(true);
  });
});
