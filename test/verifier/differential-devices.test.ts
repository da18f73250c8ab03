// Seeded differential test of devices' own traffic: on random small networks given random local
// filters and uRPF on random interfaces, with devices as assertion sources and destinations, the
// SMT verdict equals brute force with the concrete simulator over a packet sample that has one
// representative of every equivalence class (a device's addresses are few: all of them).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AssertionModel, Match, NetworkModel } from '../../compiler/model.js';
import { verifyModel } from '../../verifier/index.js';
import { judgeIsolate, judgeReach } from '../../verifier/judge.js';
import { span } from './builder.js';
import { addressSample, inServices, packetSample, prng, randomNetwork, SERVICE_CHOICES } from './random-networks.js';

type End = { kind: 'segment'; index: number; name: string } | { kind: 'device'; name: string };

function sample(model: NetworkModel, end: End): string[] {
  if (end.kind === 'segment') return addressSample(end.index);
  const d = model.devices.find((x) => x.id === end.name)!;
  return d.interfaces.flatMap((i) => i.addresses.map((a) => a.split('/')[0]!));
}

function bruteForce(model: NetworkModel, a: AssertionModel, src: End, dst: End): boolean {
  const flow = { sources: a.sources, destinations: a.destinations };
  for (const s of sample(model, src)) {
    for (const d of sample(model, dst)) {
      if (s === d) continue;
      for (const p of packetSample(s, d, a.property === 'reach' ? 'syn' : 'any')) {
        if (!inServices(a.services, p)) continue;
        const j = a.property === 'reach' ? judgeReach(model, flow, p) : judgeIsolate(model, flow, p);
        if (!j.holds) return false;
      }
    }
  }
  return true;
}

/** Gives some devices a random local filter and some interfaces uRPF. */
function withDeviceTraffic(model: NetworkModel, seed: number): void {
  const rnd = prng(seed ^ 0x2545f491);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const prefixes = model.endpoints.filter((e) => e.kind === 'segment').flatMap((e) => e.include);
  const match = (): Match => {
    const m: Match = {};
    if (rnd() < 0.5) m.sources = [pick(prefixes)];
    const r = rnd();
    if (r < 0.5) {
      m.protocol = 6;
      if (rnd() < 0.6) m.destinationPorts = [pick([{ from: 22, to: 22 }, { from: 443, to: 443 }])];
      if (rnd() < 0.3) m.sourcePorts = [{ from: 443, to: 443 }];
      if (rnd() < 0.3) m.tcpEstablished = true;
    } else if (r < 0.7) {
      m.protocol = 1;
      if (rnd() < 0.5) m.icmpType = pick([0, 8]);
    } else if (r < 0.85) m.protocol = 17;
    return m;
  };
  for (const d of model.devices) {
    if (rnd() < 0.7) {
      const rules = Array.from({ length: 1 + Math.floor(rnd() * 4) }, (_, k) => ({ action: rnd() < 0.7 ? ('permit' as const) : ('deny' as const), match: match(), description: `local rule ${k + 1}`, origin: span(500 + k) }));
      d.filters = [...d.filters, { name: 'local', rules, defaultAction: rnd() < 0.3 ? ('permit' as const) : ('deny' as const) }].sort((a, b) => (a.name < b.name ? -1 : 1));
      d.localFilter = 'local';
    }
    for (const i of d.interfaces) {
      const r = rnd();
      if (r < 0.2) i.urpf = 'strict';
      else if (r < 0.3) i.urpf = 'loose';
    }
  }
}

describe('SMT verdicts equal brute force on random networks with devices\' own traffic', () => {
  it('agrees for reach and isolate to, from and past devices (seeded)', { timeout: 1_200_000 }, async () => {
    let compared = 0;
    const outcomes = { proven: 0, refuted: 0 };
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 31 - 1 }), async (seed) => {
        const { model, segments } = randomNetwork(seed);
        withDeviceTraffic(model, seed);
        const rnd = prng(seed ^ 0x1b873593);
        const ends: End[] = [...segments.map((name, index) => ({ kind: 'segment' as const, index, name })), ...model.devices.map((d) => ({ kind: 'device' as const, name: d.id }))];
        const pairs: [End, End][] = [];
        model.assertions = [];
        for (let k = 0; k < 4; k++) {
          const s = ends[Math.floor(rnd() * ends.length)]!;
          // At least one end is a device.
          const devices = ends.filter((e) => e.kind === 'device' && e.name !== s.name);
          const d = s.kind === 'device' && rnd() < 0.5 ? ends.filter((e) => e.kind === 'segment')[Math.floor(rnd() * segments.length)]! : devices[Math.floor(rnd() * devices.length)]!;
          pairs.push([s, d]);
          const property = rnd() < 0.5 ? 'reach' : 'isolate';
          const services = SERVICE_CHOICES[Math.floor(rnd() * SERVICE_CHOICES.length)]!;
          model.assertions.push({ property, sources: [s.name], destinations: [d.name], services, text: `${property} ${s.name}->${d.name} #${k}`, origin: span(k + 1) });
        }
        const report = await verifyModel(model, { timeoutMs: 30_000, workers: 1, lint: false });
        report.verdicts.forEach((v, k) => {
          expect(v.status, `seed ${seed}: ${v.assertion.text}: ${v.reason ?? ''}`).not.toBe('unknown');
          const holds = bruteForce(model, v.assertion, pairs[k]![0], pairs[k]![1]);
          expect(v.status, `seed ${seed}: ${v.assertion.text} ${JSON.stringify(v.assertion.services)}`).toBe(holds ? 'proven' : 'refuted');
          outcomes[v.status as 'proven' | 'refuted']++;
          compared++;
        });
      }),
      { seed: 20261204, numRuns: 8, endOnFailure: true },
    );
    expect(compared).toBe(32);
    expect(outcomes.proven).toBeGreaterThan(3);
    expect(outcomes.refuted).toBeGreaterThan(3);
  });
});
