// The intact graph's firewall pairs (compiler/failure-paths.ts, intactPairs) are found through
// each source's least-cost edges, in the order Dijkstra settled the devices, where the code
// before summed dist(u, F) + dist(F, w) for every firewall, source and device. Held here to that
// sum over all-pairs costs (Floyd–Warshall) on seeded OSPF graphs: the bits of every pair, and
// the firewalls of every rule when the work bound cuts at one failure (only the intact pairs
// count then), for graphs with whole positive costs and for those that take the old way.

import { describe, expect, it } from 'vitest';
import { prng } from '../../bench/generate.js';
import { intactPairs, positiveWholeCosts, type Edge } from '../../compiler/failure-paths.js';
import { robustRelevance } from '../../compiler/failures.js';
import type { DeviceModel, InterfaceModel } from '../../compiler/model.js';
import type { RuleFirewalls } from '../../compiler/relevance.js';
import type { CheckedIntent } from '../../language/intent.js';
import { iface, ospf, router, span } from './read-back-devices.js';

/** A seeded graph: a random forest (some devices cut off) with chords and parallel links, costs from `cost`. */
function seededGraph(rnd: () => number, n: number, cost: () => number): Edge[][] {
  const adjacency: Edge[][] = Array.from({ length: n }, () => []);
  let link = 0;
  const add = (a: number, b: number): void => {
    const ab = cost();
    adjacency[a]!.push({ to: b, cost: ab, link });
    adjacency[b]!.push({ to: a, cost: rnd() < 0.3 ? cost() : ab, link });
    link++;
  };
  for (let i = 1; i < n; i++) if (rnd() < 0.93) add(Math.floor(rnd() * i), i);
  for (let k = 0, chords = Math.floor(n / 2); k < chords; k++) {
    const a = Math.floor(rnd() * n);
    const b = Math.floor(rnd() * n);
    if (a !== b) add(a, b);
  }
  return adjacency;
}

/** The bits of every pair by the sum, from all-pairs least costs. */
function pairsBySum(adjacency: Edge[][], firewalls: readonly number[], words: number): Uint32Array {
  const n = adjacency.length;
  const d = Array.from({ length: n }, (_, u) => Array.from({ length: n }, (_, w) => (u === w ? 0 : Infinity)));
  adjacency.forEach((out, a) => out.forEach((e) => (d[a]![e.to] = Math.min(d[a]![e.to]!, e.cost))));
  for (let k = 0; k < n; k++) for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) d[i]![j] = Math.min(d[i]![j]!, d[i]![k]! + d[k]![j]!);
  const pairs = new Uint32Array(n * n * words);
  firewalls.forEach((f, k) => {
    for (let u = 0; u < n; u++) for (let w = 0; w < n; w++) if (d[u]![w] !== Infinity && d[u]![f]! + d[f]![w]! === d[u]![w]) pairs[(u * n + w) * words + (k >>> 5)]! |= 1 << (k & 31);
  });
  return pairs;
}

/** The devices of an adjacency as OSPF routers (`firewalls` among them), one interface per edge end. */
function devicesOf(adjacency: Edge[][], firewalls: ReadonlySet<number>): DeviceModel[] {
  const ifs: InterfaceModel[][] = adjacency.map(() => []);
  const costs: [string, number, boolean][][] = adjacency.map(() => []);
  adjacency.forEach((out, a) =>
    out.forEach((e) => {
      const back = adjacency[e.to]!.find((x) => x.link === e.link && x.to === a)!;
      ifs[a]!.push({ ...iface(`l${e.link}`, 'link'), peer: { device: `s.d${e.to}`, interface: `l${back.link}` } });
      costs[a]!.push([`l${e.link}`, e.cost, false]);
    }),
  );
  return ifs.map((interfaces, i) => {
    const d = router(`s.d${i}`, interfaces, { ospf: ospf(`10.0.${i >> 8}.${i & 255}`, costs[i]!) });
    return firewalls.has(i) ? { ...d, role: 'firewall' as const } : d;
  });
}

describe('the intact graph\'s firewall pairs through least-cost edges', () => {
  it('sets the bits of the sum dist(u, F) + dist(F, w) = dist(u, w), every pair', () => {
    for (let seed = 1; seed <= 24; seed++) {
      const rnd = prng(4000 + seed);
      const n = 2 + Math.floor(rnd() * 70);
      const adjacency = seededGraph(rnd, n, () => 1 + Math.floor(rnd() * (seed % 3 === 0 ? 1 : 4)));
      const firewalls = [...Array(n).keys()].filter(() => rnd() < (seed % 4 === 0 ? 0.9 : 0.4));
      const words = Math.max(1, (firewalls.length + 31) >>> 5);
      const firewallOf = new Int32Array(n).fill(-1);
      firewalls.forEach((f, k) => (firewallOf[f] = k));
      const pairs = new Uint32Array(n * n * words);
      intactPairs(adjacency, firewallOf, words, pairs);
      expect(positiveWholeCosts(adjacency)).toBe(true);
      expect([...pairs], `seed ${seed}`).toEqual([...pairsBySum(adjacency, firewalls, words)]);
    }
  });

  it('gives every rule the firewalls of the intact paths when the bound cuts at one failure', () => {
    let added = 0;
    let oldWay = 0;
    for (let seed = 1; seed <= 12; seed++) {
      const rnd = prng(5000 + seed);
      const n = 8 + Math.floor(rnd() * 50);
      // Some graphs with a zero or fractional cost: those take the sum for every firewall.
      const odd = seed % 3 === 0;
      const adjacency = seededGraph(rnd, n, () => (odd && rnd() < 0.2 ? (rnd() < 0.5 ? 0 : 0.5) : 1 + Math.floor(rnd() * 3)));
      if (!positiveWholeCosts(adjacency)) oldWay++;
      const fwSet = new Set([...Array(n).keys()].filter(() => rnd() < 0.5));
      const devices = devicesOf(adjacency, fwSet);
      const firewalls = [...fwSet];
      const words = Math.max(1, (firewalls.length + 31) >>> 5);
      const expected = pairsBySum(adjacency, firewalls, words);
      const segments = Array.from({ length: 10 }, (_, i) => ({ name: `n${i}`, gateway: `s.d${Math.floor(rnd() * n)}` }));
      const intent = { routing: 'ospf', survive: { failures: 1, span }, segments, hosts: [], externals: [], rules: [] } as unknown as CheckedIntent;
      const today = new Set(firewalls.filter(() => rnd() < 0.2).map((f) => `s.d${f}`));
      const base: RuleFirewalls = () => today;
      const found = robustRelevance(intent, devices, base, 0);
      expect(found.diagnostics.map((d) => d.message)).toEqual(['too many failure sets to place the policy for: the firewalls carry the rules of paths under up to 0 failures, not 1']);
      for (const s of segments) {
        for (const d of segments) {
          const u = Number(s.gateway.slice(3));
          const w = Number(d.gateway.slice(3));
          const want = [...today];
          firewalls.forEach((f, k) => {
            const bit = 1 << (k & 31);
            const at = (k >>> 5);
            const on = (expected[(u * n + w) * words + at]! | expected[(w * n + u) * words + at]!) & bit;
            if (on !== 0 && !today.has(`s.d${f}`)) want.push(`s.d${f}`);
          });
          added += want.length - today.size;
          expect([...found.firewallsOf([s.name], [d.name])!], `seed ${seed}: ${s.name} ${d.name}`).toEqual(want);
        }
      }
    }
    expect(added).toBeGreaterThan(300);
    expect(oldWay).toBeGreaterThan(1);
  });
});
