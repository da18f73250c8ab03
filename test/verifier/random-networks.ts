// Random small networks for the differential tests: a connected topology of 3-5 devices,
// segments with /24 prefixes, random first-match filters, firewalls with zones, stateful and
// stateless devices, and the odd missing route. Every constant a filter uses comes from a small
// set, so that a packet sample with one representative per equivalence class is exhaustive.

import type { Match, NetworkModel, ServiceModel } from '../../compiler/model.js';
import type { Packet } from '../../verifier/verdict.js';
import { ModelBuilder } from './builder.js';
import { prng } from '../../bench/generate.js';

/** The benchmarks' seeded generator (mulberry32), so that a failure can be replayed. */
export { prng };

const PORT_CHOICES = [[{ from: 22, to: 22 }], [{ from: 443, to: 443 }], [{ from: 1000, to: 2000 }], [{ from: 22, to: 22 }, { from: 443, to: 443 }]];
/** One port per class of the ranges above. */
export const PORT_SAMPLE = [0, 22, 23, 443, 444, 1000, 2001];
export const ICMP_SAMPLE = [0, 3, 8];

export interface RandomNetwork {
  model: NetworkModel;
  segments: string[];
}

export function randomNetwork(seed: number): RandomNetwork {
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const n = 3 + Math.floor(rnd() * 3);
  const ids = Array.from({ length: n }, (_, i) => `s.d${i}`);
  const b = new ModelBuilder(`random-${seed}`);
  const firewall = rnd() < 0.5 ? pick(ids) : undefined;
  for (const id of ids) b.device(id, { firewall: id === firewall, stateful: id === firewall || rnd() < 0.4 });
  let linkNo = 0;
  const ifCount = new Map<string, number>();
  const nextIf = (d: string): string => {
    const k = (ifCount.get(d) ?? 0) + 1;
    ifCount.set(d, k);
    return `e${k}`;
  };
  const link = (x: string, y: string): void => {
    const base = linkNo++ * 2;
    b.link(x, nextIf(x), `10.255.0.${base}/31`, y, nextIf(y), `10.255.0.${base + 1}/31`);
  };
  for (let i = 1; i < n; i++) link(ids[i]!, ids[Math.floor(rnd() * i)]!);
  if (n > 3 && rnd() < 0.6) link(ids[0]!, ids[n - 1]!); // a cycle: ECMP or alternative paths
  const segCount = 2 + Math.floor(rnd() * 3);
  const segments: string[] = [];
  const prefixes: string[] = [];
  for (let i = 0; i < segCount; i++) {
    const name = `seg${i}`;
    const dev = pick(ids);
    b.segment(name, [`10.${i + 1}.0.0/24`], dev, `s${i}`, [`10.${i + 1}.0.1/24`]);
    segments.push(name);
    prefixes.push(`10.${i + 1}.0.0/24`, `10.${i + 1}.0.0/25`, `10.${i + 1}.0.128/25`);
  }
  const randomMatch = (): Match => {
    const m: Match = {};
    if (rnd() < 0.6) m.sources = [pick(prefixes)];
    if (rnd() < 0.6) m.destinations = [pick(prefixes)];
    const r = rnd();
    if (r < 0.45) {
      m.protocol = 6;
      if (rnd() < 0.6) m.destinationPorts = pick(PORT_CHOICES);
      if (rnd() < 0.3) m.sourcePorts = pick(PORT_CHOICES);
      if (rnd() < 0.3) m.tcpEstablished = true;
    } else if (r < 0.65) {
      m.protocol = 17;
      if (rnd() < 0.5) m.destinationPorts = pick(PORT_CHOICES);
      if (rnd() < 0.3) m.sourcePorts = pick(PORT_CHOICES);
    } else if (r < 0.8) {
      m.protocol = 1;
      if (rnd() < 0.5) m.icmpType = pick([0, 8]);
    } else if (r < 0.85) {
      m.destinationPorts = pick(PORT_CHOICES); // no protocol: matches TCP and UDP only
    }
    return m;
  };
  const randomRules = (count: number, zones?: string[]): { action: 'permit' | 'deny'; match: Match }[] =>
    Array.from({ length: count }, () => {
      const match = randomMatch();
      if (zones && rnd() < 0.7) match.fromZones = [pick(zones)];
      if (zones && rnd() < 0.7) match.toZones = [pick(zones)];
      return { action: rnd() < 0.7 ? ('permit' as const) : ('deny' as const), match };
    });
  const model0 = b.build({ routes: false });
  let filterNo = 0;
  for (const d of model0.devices) {
    if (d.id === firewall) {
      const zones = d.interfaces.map((i, k) => [`z${k % 2}`, i.name] as const);
      const byZone: Record<string, string[]> = {};
      for (const [z, i] of zones) (byZone[z] ??= []).push(i);
      b.zones(d.id, byZone);
      b.security(d.id, randomRules(1 + Math.floor(rnd() * 4), Object.keys(byZone)));
      continue;
    }
    for (const i of d.interfaces) {
      for (const dir of ['in', 'out'] as const) {
        if (rnd() < 0.35) {
          const name = `f${filterNo++}`;
          b.filter(d.id, name, randomRules(1 + Math.floor(rnd() * 4)), rnd() < 0.5 ? 'permit' : 'deny');
          b.bind(d.id, i.name, dir, name);
        }
      }
    }
  }
  const model = b.build();
  // Occasionally remove a route: a black hole.
  if (rnd() < 0.25) {
    const d = pick(model.devices);
    const k = Math.floor(rnd() * d.fib.length);
    if (d.fib[k] && d.fib[k]!.protocol !== 'connected') d.fib.splice(k, 1);
  }
  return { model, segments };
}

export const SERVICE_CHOICES: ServiceModel[][] = [
  [{}],
  [{ protocol: 6, ports: [{ from: 443, to: 443 }] }],
  [{ protocol: 6, ports: [{ from: 22, to: 22 }] }, { protocol: 17, ports: [{ from: 1000, to: 2000 }] }],
  [{ protocol: 1, icmpType: 8 }],
  [{ protocol: 17 }],
  [{ protocol: 6 }],
];

/** Whether a packet belongs to a service list (independent of the SMT encoding). */
export function inServices(services: readonly ServiceModel[], p: Packet): boolean {
  return services.some(
    (s) =>
      (s.protocol === undefined || s.protocol === p.protocol) &&
      (s.ports === undefined || ((p.protocol === 6 || p.protocol === 17) && s.ports.some((r) => r.from <= (p.destinationPort ?? 0) && (p.destinationPort ?? 0) <= r.to))) &&
      (s.icmpType === undefined || ((p.protocol === 1 || p.protocol === 58) && p.icmpType === s.icmpType)),
  );
}

/** Addresses of a /24 segment: one per /25 class and the edges (the gateway .1 is no host). */
export function addressSample(segmentIndex: number): string[] {
  return [0, 2, 127, 128, 255].map((x) => `10.${segmentIndex + 1}.0.${x}`);
}

/** Every packet of the sample from `src` to `dst`: protocols, ports, ICMP types, flags. */
export function packetSample(src: string, dst: string, flags: 'syn' | 'any'): Packet[] {
  const out: Packet[] = [];
  const base = { family: 4 as const, source: src, destination: dst };
  for (const sp of PORT_SAMPLE) {
    for (const dp of PORT_SAMPLE) {
      out.push({ ...base, protocol: 6, sourcePort: sp, destinationPort: dp, tcpFlags: ['syn'] });
      if (flags === 'any') out.push({ ...base, protocol: 6, sourcePort: sp, destinationPort: dp, tcpFlags: ['ack'] });
      out.push({ ...base, protocol: 17, sourcePort: sp, destinationPort: dp });
    }
  }
  for (const t of ICMP_SAMPLE) out.push({ ...base, protocol: 1, icmpType: t });
  out.push({ ...base, protocol: 47 });
  return out;
}

/** Two routers, 80 hosts, an inbound filter of `rulesA` rules and an outbound one of `rulesB`. */
export function bigFilterNetwork(seed: number, rulesA: number, rulesB: number, assertions: number): NetworkModel {
  const rnd = prng(seed);
  const int = (n: number): number => Math.floor(rnd() * n);
  const b = new ModelBuilder('stress')
    .device('s.r1')
    .device('s.r2', { stateful: true })
    .link('s.r1', 'e1', '10.255.0.0/31', 's.r2', 'e1', '10.255.0.1/31')
    .segment('a', ['10.1.0.0/16'], 's.r1', 'e0', ['10.1.0.1/16'])
    .segment('b', ['10.2.0.0/16'], 's.r2', 'e0', ['10.2.0.1/16']);
  for (let i = 0; i < 40; i++) {
    b.host(`ha${i}`, `10.1.${int(256)}.${2 + int(250)}`, 'a');
    b.host(`hb${i}`, `10.2.${int(256)}.${2 + int(250)}`, 'b');
  }
  const rule = (): { action: 'permit' | 'deny'; match: Match } => {
    const lo = int(60000);
    const match: Match = {
      sources: [`10.1.${int(256)}.0/${22 + int(3)}`.replace(/\.(\d+)\.0\/(\d+)$/, (_m, x: string, l: string) => `.${Number(x) & ~((1 << (24 - Number(l))) - 1)}.0/${l}`)],
      destinations: [`10.2.${int(256)}.0/24`],
      protocol: rnd() < 0.7 ? 6 : 17,
      destinationPorts: [{ from: lo, to: lo + int(500) }],
    };
    return { action: rnd() < 0.8 ? 'permit' : 'deny', match };
  };
  b.filter('s.r1', 'a-in', Array.from({ length: rulesA }, rule), 'deny');
  b.filter('s.r1', 'a-out', [{ action: 'permit', match: { protocol: 6, tcpEstablished: true } }, { action: 'permit', match: { protocol: 17 } }], 'deny');
  b.filter('s.r2', 'b-out', Array.from({ length: rulesB }, rule), 'permit');
  b.bind('s.r1', 'e0', 'in', 'a-in').bind('s.r1', 'e0', 'out', 'a-out').bind('s.r2', 'e0', 'out', 'b-out');
  for (let i = 0; i < assertions; i++) {
    const port = int(60000);
    b.assert(rnd() < 0.5 ? 'reach' : 'isolate', [`ha${int(40)}`], [rnd() < 0.2 ? 'b' : `hb${int(40)}`], [{ protocol: rnd() < 0.7 ? 6 : 17, ports: [{ from: port, to: port + int(3000) }] }]);
  }
  return b.build();
}

