// Placement under failures counts the work of a size of failure sets before it explores it (a
// finite distance told by the connected parts, no shortest path computed, when every edge has its
// way back), and marks the pairs only for a size explored in full. The firewalls it finds, and the
// warning when the budget cuts a size, must be those of the computation before (which marked the
// pairs as it went and dropped them when the size ran over: failures-before.ts, kept as it was),
// at budgets on both sides of the exact work of each size, on seeded OSPF graphs that a failure
// can split (trees with few chords, one-sided OSPF links, firewalls cut off), some with an edge
// that has no way back.

import { describe, expect, it } from 'vitest';
import { prng } from '../../bench/generate.js';
import { robustRelevance } from '../../compiler/failures.js';
import type { DeviceModel, InterfaceModel } from '../../compiler/model.js';
import type { RuleFirewalls } from '../../compiler/relevance.js';
import type { CheckedIntent } from '../../language/intent.js';
import { robustRelevanceBefore } from './failures-before.js';
import { iface, ospf, router, span } from './read-back-devices.js';

function randomDevices(rnd: () => number): DeviceModel[] {
  const n = 3 + Math.floor(rnd() * 7);
  const ifs: InterfaceModel[][] = Array.from({ length: n }, () => []);
  const costs: [string, number, boolean][][] = Array.from({ length: n }, () => []);
  const cost = () => 1 + Math.floor(rnd() * 3);
  const links: [number, number][] = [];
  for (let i = 1; i < n; i++) links.push([Math.floor(rnd() * i), i]);
  for (let k = 0, chords = Math.floor(rnd() * 3); k < chords; k++) {
    const a = Math.floor(rnd() * n);
    const b = Math.floor(rnd() * n);
    if (a !== b) links.push([a, b]);
  }
  links.forEach(([a, b], k) => {
    ifs[a]!.push({ ...iface(`l${k}a`, 'link'), peer: { device: `s.d${b}`, interface: `l${k}b` } });
    // Rarely one end names no peer: the other end's edge has no way back.
    ifs[b]!.push({ ...iface(`l${k}b`, 'link'), ...(rnd() < 0.04 ? {} : { peer: { device: `s.d${a}`, interface: `l${k}a` } }) });
    const ab = cost();
    const ba = rnd() < 0.3 ? cost() : ab;
    // Now and then one end leaves the link out of OSPF (or makes it passive): no adjacency.
    const oneSided = rnd() < 0.08;
    costs[a]!.push([`l${k}a`, ab, oneSided && rnd() < 0.5]);
    if (!oneSided || rnd() < 0.5) costs[b]!.push([`l${k}b`, ba, false]);
  });
  return ifs.map((interfaces, i) => {
    const d = router(`s.d${i}`, interfaces, { ospf: ospf(`10.0.0.${i}`, costs[i]!) });
    return rnd() < 0.45 ? { ...d, role: 'firewall' as const } : d;
  });
}

describe('placement under failures against the computation before', () => {
  it('finds the same firewalls and cuts the same sizes at budgets around each size’s work', () => {
    let cuts = 0;
    let explored = 0;
    let added = 0;
    for (let seed = 1; seed <= 50; seed++) {
      const rnd = prng(seed);
      const devices = randomDevices(rnd);
      const n = devices.length;
      const survive = 1 + Math.floor(rnd() * (n <= 5 ? 3 : 2));
      const segments = Array.from({ length: 4 }, (_, i) => ({ name: `n${i}`, gateway: `s.d${Math.floor(rnd() * n)}` }));
      const attachments = [0, 1].map(() => Math.floor(rnd() * n));
      const intent = {
        routing: 'ospf',
        survive: { failures: survive, span },
        segments,
        hosts: [{ name: 'h0', segment: 'n1' }],
        externals: [{ name: 'x', attachments: attachments.map((i) => ({ device: `s.d${i}` })), parts: [{ name: 'x.p', external: { name: 'x' } }] }],
        rules: [],
      } as unknown as CheckedIntent;
      const firewalls = devices.filter((d) => d.role === 'firewall').map((d) => d.id);
      const names = [...segments.map((s) => s.name), 'h0', 'x', 'x.p'];
      const rules: [string[], string[]][] = [[['any'], ['n0']]];
      for (const s of names) for (const d of names) if (rnd() < 0.5) rules.push([[s], d === s ? [d, 'x'] : [d]]);
      const today = new Map<string, ReadonlySet<string> | undefined>();
      const key = (s: readonly string[], d: readonly string[]) => `${s.join()}>${d.join()}`;
      for (const [s, d] of rules) today.set(key(s, d), s.includes('any') ? undefined : new Set(firewalls.filter(() => rnd() < 0.15)));
      const base: RuleFirewalls = (s, d) => today.get(key(s, d));

      const answers = (r: ReturnType<typeof robustRelevance>) => ({
        firewalls: rules.map(([s, d]) => {
          const found = r.firewallsOf(s, d);
          return found === undefined ? undefined : [...found].sort();
        }),
        diagnostics: r.diagnostics,
      });
      // The computation before at each budget, made once: the search below and the comparisons
      // after it ask for many budgets more than once.
      const beforeAt = new Map<number, ReturnType<typeof robustRelevanceBefore>>();
      const beforeOf = (budget: number) => {
        let r = beforeAt.get(budget);
        if (!r) beforeAt.set(budget, (r = robustRelevanceBefore(intent, devices, base, budget)));
        return r;
      };
      // The size a budget cuts (survive + 1: none), by the computation before.
      const cutAt = (budget: number): number => {
        const m = /up to (\d+) failure/.exec(beforeOf(budget).diagnostics[0]?.message ?? '');
        return m ? Number(m[1]) + 1 : survive + 1;
      };
      // The exact work at the end of each size: the least budget that cuts no size up to it,
      // found by doubling a budget from 1, then halving the last step: a budget past the work
      // explores every failure set, so the search stays below it.
      const budgets = new Set<number>([0, 1, 1e12]);
      for (let level = 1; level <= survive; level++) {
        if (cutAt(1e7) <= level) continue;
        let lo = 0;
        let hi = 1;
        while (hi < 1e7 && cutAt(hi) <= level) {
          lo = hi + 1;
          hi = Math.min(hi * 2, 1e7);
        }
        while (lo < hi) {
          const mid = Math.floor((lo + hi) / 2);
          if (cutAt(mid) > level) hi = mid;
          else lo = mid + 1;
        }
        for (const b of [lo - n, lo - 1, lo, lo + 1]) if (b >= 0) budgets.add(b);
      }
      for (const budget of budgets) {
        const before = beforeOf(budget);
        const now = robustRelevance(intent, devices, base, budget);
        expect(answers(now), `seed ${seed}, budget ${budget}`).toEqual(answers(before));
        if (before.diagnostics.length > 0) cuts++;
        else explored++;
        for (const [s, d] of rules) added += (before.firewallsOf(s, d)?.size ?? 0) - (today.get(key(s, d))?.size ?? 0);
      }
    }
    // Both sides of the budget, and failures that put rules on more firewalls, were exercised.
    expect(cuts).toBeGreaterThan(100);
    expect(explored).toBeGreaterThan(100);
    expect(added).toBeGreaterThan(50);
  });
});
