// Seeded differential test: on random small networks, the SMT verdict of reach and isolate
// equals brute-force enumeration with the concrete simulator over a packet sample that has one
// representative of every equivalence class of the filters' constants (so the sample is exact).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AssertionModel } from '../../compiler/model.js';
import { verifyModel } from '../../verifier/index.js';
import { sharedPool } from '../shared-solvers.js';
import { judgeIsolate, judgeReach } from '../../verifier/judge.js';
import { span } from './builder.js';
import { addressSample, inServices, packetSample, prng, randomNetwork, SERVICE_CHOICES } from './random-networks.js';

function bruteForce(model: ReturnType<typeof randomNetwork>['model'], a: AssertionModel, srcIdx: number, dstIdx: number): boolean {
  const flow = { sources: a.sources, destinations: a.destinations };
  // Addresses 10.x.0.0 .. .255 minus the gateway; .0 and .255 are in the segment (no broadcast rule).
  for (const src of addressSample(srcIdx)) {
    for (const dst of addressSample(dstIdx)) {
      if (src === dst) continue;
      for (const p of packetSample(src, dst, a.property === 'reach' ? 'syn' : 'any')) {
        if (!inServices(a.services, p)) continue;
        const j = a.property === 'reach' ? judgeReach(model, flow, p) : judgeIsolate(model, flow, p);
        if (!j.holds) return false;
      }
    }
  }
  return true;
}

// One Z3 worker for every run, as each run's own pool of one had: each query starts from a clean
// solver (`(reset)`), so a shared worker answers as a fresh one, and Z3 starts once instead of
// once per run.
const pool = sharedPool(1);

describe('SMT verdicts equal brute force on random networks', () => {
  it('agrees for reach and isolate (seeded)', { timeout: 120_000 }, async () => {
    let compared = 0;
    const outcomes = { proven: 0, refuted: 0 };
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 31 - 1 }), async (seed) => {
        const { model, segments } = randomNetwork(seed);
        const rnd = prng(seed ^ 0x5bd1e995);
        const pairs: [number, number][] = [];
        model.assertions = [];
        for (let k = 0; k < 4; k++) {
          const s = Math.floor(rnd() * segments.length);
          let d = Math.floor(rnd() * segments.length);
          if (d === s) d = (d + 1) % segments.length;
          pairs.push([s, d]);
          const property = rnd() < 0.5 ? 'reach' : 'isolate';
          const services = SERVICE_CHOICES[Math.floor(rnd() * SERVICE_CHOICES.length)]!;
          model.assertions.push({ property, sources: [segments[s]!], destinations: [segments[d]!], services, text: `${property} ${s}->${d} #${k}`, origin: span(k + 1) });
        }
        const report = await verifyModel(model, { timeoutMs: 20_000, pool: pool() });
        report.verdicts.forEach((v, k) => {
          expect(v.status, `seed ${seed}: ${v.assertion.text}: ${v.reason ?? ''}`).not.toBe('unknown');
          const holds = bruteForce(model, v.assertion, pairs[k]![0], pairs[k]![1]);
          expect(v.status, `seed ${seed}: ${v.assertion.text} ${JSON.stringify(v.assertion.services)}`).toBe(holds ? 'proven' : 'refuted');
          outcomes[v.status as 'proven' | 'refuted']++;
          compared++;
        });
      }),
      { seed: 20261125, numRuns: 14, endOnFailure: true },
    );
    expect(compared).toBe(56);
    // The sample must exercise both answers, or the test proves little.
    expect(outcomes.proven).toBeGreaterThan(5);
    expect(outcomes.refuted).toBeGreaterThan(5);
  });
});
