// A rule's firewalls under failures (compiler/failures.ts), found once per rule, and each
// firewall's rules handed out from them (compiler/placement.ts), held against the question asked
// one firewall at a time and answered from the definition: firewall F carries a rule when F is
// among its firewalls on today's paths, or when, with up to N links or devices failed, F lies on
// a least-cost path between a gateway of its sources and one of its destinations (either way).
// Seeded OSPF graphs with equal costs, asymmetric costs and chords.

import { describe, expect, it } from 'vitest';
import { prng } from '../../bench/generate.js';
import type { DeviceDraft } from '../../compiler/devices.js';
import { robustRelevance } from '../../compiler/failures.js';
import type { DeviceModel, InterfaceModel } from '../../compiler/model.js';
import { firewallRules } from '../../compiler/placement.js';
import type { RuleInfo } from '../../compiler/placement-rules.js';
import type { RuleFirewalls } from '../../compiler/relevance.js';
import type { CheckedIntent } from '../../language/intent.js';
import { iface, ospf, router, span } from './read-back-devices.js';

interface Graph {
  devices: DeviceModel[];
  /** [a, b, cost a→b, cost b→a] */
  links: [number, number, number, number][];
}

function randomGraph(rnd: () => number): Graph {
  const n = 4 + Math.floor(rnd() * 4);
  const links: Graph['links'] = [];
  const cost = () => 1 + Math.floor(rnd() * 3);
  for (let i = 1; i < n; i++) {
    const c = cost();
    links.push([Math.floor(rnd() * i), i, c, rnd() < 0.3 ? cost() : c]);
  }
  for (let k = 0, chords = Math.floor(rnd() * n); k < chords; k++) {
    const a = Math.floor(rnd() * n);
    const b = Math.floor(rnd() * n);
    const c = cost();
    if (a !== b) links.push([a, b, c, c]);
  }
  const ifs: InterfaceModel[][] = Array.from({ length: n }, () => []);
  const costs: [string, number, boolean][][] = Array.from({ length: n }, () => []);
  links.forEach(([a, b, ab, ba], k) => {
    ifs[a]!.push({ ...iface(`l${k}a`, 'link'), peer: { device: `s.d${b}`, interface: `l${k}b` } });
    ifs[b]!.push({ ...iface(`l${k}b`, 'link'), peer: { device: `s.d${a}`, interface: `l${k}a` } });
    costs[a]!.push([`l${k}a`, ab, false]);
    costs[b]!.push([`l${k}b`, ba, false]);
  });
  const devices = ifs.map((interfaces, i) => {
    const d = router(`s.d${i}`, interfaces, { ospf: ospf(`10.0.0.${i}`, costs[i]!) });
    return rnd() < 0.5 ? { ...d, role: 'firewall' as const } : d;
  });
  return { devices, links };
}

/** Least costs between every pair of live devices, without the dead links and devices. */
function distances(g: Graph, deadLinks: Set<number>, deadDevices: Set<number>): number[][] {
  const n = g.devices.length;
  const d = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j && !deadDevices.has(i) ? 0 : Infinity)));
  g.links.forEach(([a, b, ab, ba], k) => {
    if (deadLinks.has(k) || deadDevices.has(a) || deadDevices.has(b)) return;
    d[a]![b] = Math.min(d[a]![b]!, ab);
    d[b]![a] = Math.min(d[b]![a]!, ba);
  });
  for (let m = 0; m < n; m++) for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) d[i]![j] = Math.min(d[i]![j]!, d[i]![m]! + d[m]![j]!);
  return d;
}

/** Every failure set of up to `size` elements: links 0..L-1, then devices. */
function failureSets(links: number, devices: number, size: number): { links: Set<number>; devices: Set<number> }[] {
  const out: number[][] = [[]];
  const grow = (set: number[], from: number) => {
    if (set.length === size) return;
    for (let e = from; e < links + devices; e++) {
      out.push([...set, e]);
      grow([...set, e], e + 1);
    }
  };
  grow([], 0);
  return out.map((s) => ({ links: new Set(s.filter((e) => e < links)), devices: new Set(s.filter((e) => e >= links).map((e) => e - links)) }));
}

describe("a rule's firewalls under failures, found once", () => {
  it('are the firewalls the per-firewall question names, on seeded OSPF graphs', () => {
    let added = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const rnd = prng(seed);
      const g = randomGraph(rnd);
      const n = g.devices.length;
      const survive = 1 + Math.floor(rnd() * 2);
      const gatewayOf = new Map<string, number[]>();
      const segments = Array.from({ length: 4 }, (_, i) => ({ name: `n${i}`, gateway: `s.d${Math.floor(rnd() * n)}` }));
      for (const s of segments) gatewayOf.set(s.name, [Number(s.gateway.slice(3))]);
      const attachments = [0, 1, 2].map(() => Math.floor(rnd() * n));
      gatewayOf.set('x', [...new Set(attachments)]);
      const intent = {
        routing: 'ospf',
        survive: { failures: survive, span },
        segments,
        hosts: [],
        externals: [{ name: 'x', attachments: attachments.map((i) => ({ device: `s.d${i}` })), parts: [] }],
        rules: [],
      } as unknown as CheckedIntent;
      const firewalls = g.devices.filter((d) => d.role === 'firewall').map((d) => d.id);
      // Today's firewalls: a seeded subset per rule, every one for `any`.
      const today = new Map<string, ReadonlySet<string> | undefined>();
      const key = (s: readonly string[], d: readonly string[]) => `${s.join()}>${d.join()}`;
      const base: RuleFirewalls = (s, d) => today.get(key(s, d));
      const names = [...segments.map((s) => s.name), 'x'];
      const rules: [string[], string[]][] = [[['any'], ['n0']]];
      for (const s of names) for (const d of names) if (rnd() < 0.6) rules.push([[s], d === s ? [d, 'x'] : [d]]);
      for (const [s, d] of rules) today.set(key(s, d), s.includes('any') ? undefined : new Set(firewalls.filter(() => rnd() < 0.2)));
      const { firewallsOf, diagnostics } = robustRelevance(intent, g.devices, base);
      expect(diagnostics).toEqual([]);

      const sets = failureSets(g.links.length, n, survive).map((f) => distances(g, f.links, f.devices));
      const crosses = (fw: string, u: number, w: number) => {
        const f = Number(fw.slice(3));
        return sets.some((d) => d[u]![f]! + d[f]![w]! !== Infinity && d[u]![f]! + d[f]![w]! === d[u]![w]);
      };
      const carries = (fw: string, s: string[], d: string[]): boolean => {
        const known = today.get(key(s, d));
        if (!known || known.has(fw)) return true;
        const us = s.flatMap((x) => gatewayOf.get(x)!);
        const ws = d.flatMap((x) => gatewayOf.get(x)!);
        return us.some((u) => ws.some((w) => crosses(fw, u, w) || crosses(fw, w, u)));
      };
      for (const [s, d] of rules) {
        const found = firewallsOf(s, d);
        const expected = firewalls.filter((fw) => carries(fw, s, d));
        if (found === undefined) expect(expected).toEqual(firewalls);
        else expect([...found].sort()).toEqual(expected.sort());
        added += expected.length - (today.get(key(s, d))?.size ?? expected.length);
      }
    }
    // Failures put rules on firewalls that today's paths do not.
    expect(added).toBeGreaterThan(50);
  });
});

describe("each firewall's rules", () => {
  it('are the rules whose firewalls name it, in policy order, and every rule with `any`', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const rnd = prng(seed);
      const devices = Array.from({ length: 6 }, (_, i) => {
        const d = router(`s.d${i}`, []);
        return rnd() < 0.5 ? { ...d, role: 'firewall' as const } : d;
      });
      const drafts = new Map(devices.map((d) => [d.id, { model: d } as DeviceDraft]));
      const ids = [...devices.map((d) => d.id), 's.gone'];
      const answers = new Map<readonly string[], ReadonlySet<string> | undefined>();
      const infos = Array.from({ length: 50 }, (_, index) => {
        const sources = [`a${index}`];
        answers.set(sources, rnd() < 0.1 ? undefined : new Set(ids.filter(() => rnd() < 0.3)));
        return { index, rule: { sourcesExpanded: sources, destinationsExpanded: ['b'] } } as unknown as RuleInfo;
      });
      const firewallsOf: RuleFirewalls = (s) => answers.get(s);
      const rulesOn = firewallRules(drafts, infos, firewallsOf);
      const expected = devices
        .filter((d) => d.role === 'firewall')
        .map((d) => [d.id, infos.filter((i) => answers.get(i.rule.sourcesExpanded)?.has(d.id) ?? true).map((i) => i.index)]);
      expect([...rulesOn].map(([id, list]) => [id, list.map((i) => i.index)])).toEqual(expected);
    }
  });
});
