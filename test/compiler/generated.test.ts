// The benchmark generator's intents (sites in a ring with chords, every platform, linux devices
// next to OSPF, firewalls, externals) state assertions that hold by construction. Walking the
// compiled model packet by packet, each `reach` delivers a connection and its reply on every
// path, and each `isolate` delivers nothing — in both routing modes.

import { describe, expect, it } from 'vitest';
import { generateIntent } from '../../bench/generate.js';
import { compile } from '../../compiler/index.js';
import type { EndpointModel, NetworkModel } from '../../compiler/model.js';
import { prefixOf } from '../../language/address.js';
import { analyze } from '../../language/analyze.js';
import { walk, type Packet, type PathResult } from './walker.js';

const at = (e: EndpointModel, r: PathResult) => r.exit !== undefined && e.attachments.some((a) => a.device === r.exit!.device && a.interface === r.exit!.interface);

function check(model: NetworkModel): { reach: number; isolate: number } {
  let reach = 0;
  let isolate = 0;
  for (const as of model.assertions) {
    const A = model.endpoints.find((e) => e.name === as.sources[0])!;
    const B = model.endpoints.find((e) => e.name === as.destinations[0])!;
    const src = prefixOf(A.include[0]!).value + 77n;
    const dst = prefixOf(B.include[0]!).value + 99n;
    if (as.property === 'reach') {
      const svc = as.services[0]!;
      const p: Packet = { family: 4, src, dst, protocol: svc.protocol ?? 6, srcPort: 40000, dstPort: svc.ports?.[0]?.from ?? 80, ack: false };
      const forward = walk(model, A.attachments[0]!, p);
      expect(forward.length, as.text).toBeGreaterThan(0);
      for (const r of forward) expect(at(B, r), `${as.text}: ${r.dropped}`).toBe(true);
      const established = new Set(forward.flatMap((r) => [...r.admittedBy]));
      for (const r of forward) {
        const reply: Packet = { ...p, src: dst, dst: src, srcPort: p.dstPort!, dstPort: 40000, ack: true };
        for (const b of walk(model, r.exit!, reply, established)) expect(at(A, b), `${as.text} reply: ${b.dropped}`).toBe(true);
      }
      reach++;
    } else {
      const probes: Omit<Packet, 'family' | 'src' | 'dst'>[] = [
        { protocol: 6, srcPort: 40000, dstPort: 8005, ack: false },
        { protocol: 17, srcPort: 40000, dstPort: 8005 },
        { protocol: 1, icmpType: 8 },
      ];
      for (const q of probes) {
        for (const r of walk(model, A.attachments[0]!, { family: 4, src, dst, ...q })) expect(at(B, r), `${as.text} ${JSON.stringify(q)}`).toBe(false);
      }
      isolate++;
    }
  }
  return { reach, isolate };
}

describe('generated intents: assertions hold in the compiled model', () => {
  for (const seed of [1, 2, 3]) {
    for (const routing of ['ospf', 'static'] as const) {
      it(`seed ${seed}, routing ${routing}`, () => {
        const text = generateIntent({ sites: 6, devicesPerSite: 4, segments: 60, rules: 400, assertions: 40, seed }).replace('routing ospf', `routing ${routing}`);
        const analysis = analyze([{ path: 'generated.plumb', text }]);
        expect(analysis.intent).toBeDefined();
        const { model } = compile(analysis.intent!);
        const counts = check(model);
        expect(counts.reach).toBeGreaterThan(5);
        expect(counts.isolate).toBeGreaterThan(5);
      });
    }
  }
});
