// Seeded differential test of NAT: on random small networks with an edge that translates (static
// inside and outside prefixes, a published service, PAT; IOS-XE or nftables order) and random
// filters on the edge written on real and translated addresses, the SMT verdict equals brute
// force with the concrete simulator over a sample with a representative of every class of the
// constants (every /25 the filters and translations use, every port class).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AssertionModel, Match, NetworkModel, ServiceModel } from '../../compiler/model.js';
import { formatAddress, type Family } from '../../language/address.js';
import { verifyModel } from '../../verifier/index.js';
import { sharedPool } from '../shared-solvers.js';
import type { IntervalSet } from '../../verifier/intervals.js';
import { judgeIsolate, judgeReach } from '../../verifier/judge.js';
import { everyForm, seenAs } from '../../verifier/nat-terms.js';
import { netIndex } from '../../verifier/simulate.js';
import { ModelBuilder, span } from './builder.js';
import { inServices, packetSample, prng, SERVICE_CHOICES } from './random-networks.js';

const PREFIXES = ['10.1.0.0/25', '10.1.0.128/25', '100.64.1.0/25', '100.64.1.128/25', '172.16.0.0/25', '172.16.0.128/25', '198.18.0.0/25', '203.0.113.10/32', '10.2.0.0/24'];
const PORTS = [[{ from: 22, to: 22 }], [{ from: 443, to: 443 }], [{ from: 1000, to: 2000 }]];
const ENDS: [string, string][] = [
  ['lan', 'ext'],
  ['ext', 'lan'],
  ['ext', 'web'],
  ['web', 'ext'],
];

function randomNatNetwork(seed: number): NetworkModel {
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const platform = rnd() < 0.5 ? 'cisco-iosxe' : 'frr';
  const b = new ModelBuilder(`nat-${seed}`)
    .device('in.r1')
    .device('edge.e1')
    .link('in.r1', 'eth1', '10.255.0.0/31', 'edge.e1', 'eth1', '10.255.0.1/31')
    .segment('lan', ['10.1.0.0/24'], 'in.r1', 'eth2', ['10.1.0.1/24'])
    .segment('dmz', ['10.2.0.0/24'], 'edge.e1', 'eth3', ['10.2.0.1/24'])
    .host('web', '10.2.0.10', 'dmz')
    .external('ext', ['172.16.0.0/24'], 'edge.e1', 'eth2', '192.0.2.1/30', '192.0.2.2')
    .platform('in.r1', 'cisco-iosxe', false)
    .platform('edge.e1', platform, platform === 'frr')
    .nat('edge.e1', ['eth1', 'eth3'], ['eth2']);
  if (rnd() < 0.8) b.staticNat('edge.e1', 'inside', pick(['10.1.0.0/24', '10.1.0.0/25']), '100.64.1.0/' + (rnd() < 0.5 ? '24' : '25'));
  if (rnd() < 0.5) b.staticNat('edge.e1', 'inside', '10.2.0.10/32', '203.0.113.10/32', rnd() < 0.5 ? { protocol: 6, port: 443, realPort: 443 } : undefined);
  if (rnd() < 0.4) {
    b.staticNat('edge.e1', 'outside', '172.16.0.0/25', '198.18.0.0/25');
    const toEdge = { prefix: '198.18.0.0/25', protocol: 'static' as const, nextHops: [{ interface: 'eth1', address: '10.255.0.1', device: 'edge.e1' }], metric: 1 };
    b.route('in.r1', toEdge).route('edge.e1', { prefix: '198.18.0.0/25', protocol: 'static', nextHops: [{ interface: 'eth2', address: '192.0.2.2' }], metric: 0 });
  }
  if (rnd() < 0.4) b.pat('edge.e1', ['10.1.0.0/24'], '192.0.2.1');
  // Translations must fit their prefixes: a /24 maps to a /24.
  const nat = b.dev('edge.e1').nat!;
  nat.translations = nat.translations.filter((t) => t.kind !== 'static' || t.real.split('/')[1] === t.mapped.split('/')[1]);
  const match = (): Match => {
    const m: Match = {};
    if (rnd() < 0.5) m.sources = [pick(PREFIXES)];
    if (rnd() < 0.6) m.destinations = [pick(PREFIXES)];
    if (rnd() < 0.5) {
      m.protocol = 6;
      if (rnd() < 0.6) m.destinationPorts = pick(PORTS);
    }
    return m;
  };
  // From outside, one rule on an address as translated or as real: where the platform's filter
  // sees the packet decides it.
  const seen = ['100.64.1.0/25', '10.1.0.0/25', '203.0.113.10/32', '10.2.0.0/24'];
  b.filter('edge.e1', 'from-ext', [{ action: 'permit', match: { destinations: [pick(seen)] } }, ...(rnd() < 0.5 ? [{ action: 'permit' as const, match: match() }] : [])], 'deny');
  b.bind('edge.e1', 'eth2', 'in', 'from-ext');
  let filters = 0;
  for (const iface of ['eth1', 'eth2', 'eth3']) {
    for (const dir of ['in', 'out'] as const) {
      if ((iface !== 'eth2' || dir !== 'in') && rnd() < 0.4) {
        const name = `f${filters++}`;
        b.filter('edge.e1', name, Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => ({ action: rnd() < 0.7 ? ('permit' as const) : ('deny' as const), match: match() })), rnd() < 0.6 ? 'permit' : 'deny');
        b.bind('edge.e1', iface, dir, name);
      }
    }
  }
  return b.build();
}

/** Representatives of every class of a set: each interval's ends, and both sides of every /25 and host boundary the constants use. */
function sampleOf(set: IntervalSet, family: Family): string[] {
  const out = new Set<bigint>();
  for (const [lo, hi] of set) {
    for (const v of [lo, lo + 2n, hi, 0x0a02000an, 0x0a020009n, 0x0a02000bn]) if (v >= lo && v <= hi) out.add(v);
    for (let b = (lo | 127n) + 1n; b <= hi && out.size < 64; b += 128n) out.add(b - 1n).add(b);
  }
  return [...out].sort((a, b) => (a < b ? -1 : 1)).map((value) => formatAddress({ family, value }));
}

function bruteForce(model: NetworkModel, a: AssertionModel): boolean {
  const idx = netIndex(model);
  const flow = { sources: a.sources, destinations: a.destinations };
  const dst = a.property === 'reach' ? seenAs(idx, 4, a.sources[0]!, a.destinations[0]!, a.services) : everyForm(idx, 4, a.destinations[0]!);
  for (const s of sampleOf(idx.addresses(a.sources[0]!, 4), 4)) {
    for (const d of sampleOf(dst, 4)) {
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

const SERVICES: ServiceModel[][] = [SERVICE_CHOICES[0]!, SERVICE_CHOICES[1]!, SERVICE_CHOICES[2]!, SERVICE_CHOICES[5]!];

// One Z3 worker for every run, as each run's own pool of one had: each query starts from a clean
// solver (`(reset)`), so a shared worker answers as a fresh one, and Z3 starts once instead of
// once per run.
const pool = sharedPool(1);

describe('SMT verdicts equal brute force on random networks with NAT', () => {
  it('agrees for reach and isolate (seeded)', { timeout: 600_000 }, async () => {
    const outcomes = { proven: 0, refuted: 0 };
    let compared = 0;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 31 - 1 }), async (seed) => {
        const model = randomNatNetwork(seed);
        const rnd = prng(seed ^ 0x1b873593);
        // One assertion per pair of ends, each way across the edge.
        model.assertions = ENDS.map(([s, d], k) => {
          const property = rnd() < 0.5 ? ('reach' as const) : ('isolate' as const);
          const services = SERVICES[Math.floor(rnd() * SERVICES.length)]!;
          return { property, sources: [s], destinations: [d], services, text: `${property} ${s} -> ${d} #${k}`, origin: span(k + 1) };
        });
        const report = await verifyModel(model, { timeoutMs: 30_000, pool: pool(), lint: false });
        for (const v of report.verdicts) {
          expect(v.status, `seed ${seed}: ${v.assertion.text}: ${v.reason ?? ''}`).not.toBe('unknown');
          const holds = bruteForce(model, v.assertion);
          expect(v.status, `seed ${seed}: ${v.assertion.text} ${JSON.stringify(v.assertion.services)}`).toBe(holds ? 'proven' : 'refuted');
          outcomes[v.status as 'proven' | 'refuted']++;
          compared++;
        }
      }),
      { seed: 20261205, numRuns: 24, endOnFailure: true },
    );
    expect(compared).toBe(96);
    expect(outcomes.proven).toBeGreaterThan(10);
    expect(outcomes.refuted).toBeGreaterThan(10);
  });
});
