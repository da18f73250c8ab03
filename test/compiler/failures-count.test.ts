// Placement under failures counts the work of a size of failure sets before it explores it, and
// gives up (C711) at the first size whose count passes the bound (compiler/failures.ts). The
// count now adds the firewalls' sources by connected part, and the intact pairs come through
// least-cost edges (failure-paths.ts): held here to the code before
// (test/compiler/failures-count-before.ts) on seeded graphs, some in several parts, at every
// bound where the code before moves from one cut to the next and one below it, so that a count
// off by one step shows; and the firewalls of every rule there.

import { describe, expect, it } from 'vitest';
import { prng } from '../../bench/generate.js';
import { robustRelevance } from '../../compiler/failures.js';
import type { DeviceModel } from '../../compiler/model.js';
import type { RuleFirewalls } from '../../compiler/relevance.js';
import type { CheckedIntent } from '../../language/intent.js';
import { robustRelevanceCountBefore } from './failures-count-before.js';
import { seededOspfDevices, span } from './read-back-devices.js';

/** A seeded OSPF graph: a random forest (a few devices cut off) with chords, half of it firewalls. */
function seededDevices(rnd: () => number, n: number): DeviceModel[] {
  const links: [number, number][] = [];
  for (let i = 1; i < n; i++) if (rnd() < 0.85) links.push([Math.floor(rnd() * i), i]);
  for (let k = 0, chords = Math.floor(n / 3); k < chords; k++) {
    const a = Math.floor(rnd() * n);
    const b = Math.floor(rnd() * n);
    if (a !== b) links.push([a, b]);
  }
  return seededOspfDevices(rnd, n, links, 0.5);
}

describe('the work of failure sets counted by connected part', () => {
  it('cuts at the same size as the code before at every bound where that moves, with the same firewalls', () => {
    const cuts = new Set<string>();
    let bounds = 0;
    for (let seed = 1; seed <= 10; seed++) {
      const rnd = prng(7000 + seed);
      const survive = seed % 3 === 0 ? 3 : 2;
      const n = survive === 3 ? 5 + Math.floor(rnd() * 4) : 6 + Math.floor(rnd() * 9);
      const devices = seededDevices(rnd, n);
      const segments = Array.from({ length: 8 }, (_, i) => ({ name: `n${i}`, gateway: `s.d${Math.floor(rnd() * n)}` }));
      const intent = { routing: 'ospf', survive: { failures: survive, span }, segments, hosts: [], externals: [], rules: [] } as unknown as CheckedIntent;
      const firewalls = devices.filter((d) => d.role === 'firewall').map((d) => d.id);
      const today = new Set(firewalls.filter(() => rnd() < 0.2));
      const base: RuleFirewalls = () => today;
      // The code before's result at each bound, made once: the search below asks for most bounds
      // twice, and the comparisons after it ask again for the bounds it found.
      const beforeAt = new Map<number, ReturnType<typeof robustRelevanceCountBefore>>();
      const beforeOf = (bound: number) => {
        let r = beforeAt.get(bound);
        if (!r) beforeAt.set(bound, (r = robustRelevanceCountBefore(intent, devices, base, bound)));
        return r;
      };
      const messages = (maxWork: number) => beforeOf(maxWork).diagnostics.map((d) => d.message).join();
      // The bounds where the code before's cut moves: the least bound that gives each result,
      // found by doubling a step from the last one, then halving the step that changed it. A
      // bound past the work explores every failure set, so the search stays near the edges.
      const edges: number[] = [];
      let low = 0;
      const last = messages(1e9);
      while (messages(low) !== last) {
        const here = messages(low);
        let lo = low;
        let step = 1;
        while (messages(lo + step) === here) {
          lo += step;
          step *= 2;
        }
        let hi = lo + step;
        while (hi - lo > 1) {
          const mid = Math.floor((lo + hi) / 2);
          if (messages(mid) === here) lo = mid;
          else hi = mid;
        }
        edges.push(hi);
        low = hi;
      }
      for (const bound of [0, ...edges.flatMap((e) => [e - 1, e]), 1e9]) {
        bounds++;
        const before = beforeOf(bound);
        const now = robustRelevance(intent, devices, base, bound);
        expect(now.diagnostics, `seed ${seed}, bound ${bound}`).toEqual(before.diagnostics);
        cuts.add(now.diagnostics.map((d) => d.message.replace(/.*up to (\d+).*/, '$1')).join() || 'none');
        for (const s of segments) {
          for (const d of segments) {
            const expected = before.firewallsOf([s.name], [d.name]);
            expect([...now.firewallsOf([s.name], [d.name])!], `seed ${seed}, bound ${bound}: ${s.name} ${d.name}`).toEqual([...expected!]);
          }
        }
      }
    }
    // Cut at no failure, at one and at two, and not cut.
    expect([...cuts].sort()).toEqual(['0', '1', '2', 'none']);
    expect(bounds).toBeGreaterThan(40);
  });
});
