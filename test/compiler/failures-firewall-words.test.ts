// Placement under failures keeps each pair of gateways' firewalls as bits of a few 32-bit words
// (compiler/failures.ts): firewall k is bit k % 32 of word k / 32. Networks of up to seven
// devices (the other failure tests) have one word; these seeded OSPF graphs have 33 to 74
// firewalls, so that a pair's firewalls span two or three words, bits 0 and 31 of a word among
// them. The firewalls of every rule, in their order, must be those of the computation before
// (test/compiler/failures-before.ts, a byte per firewall and pair).

import { describe, expect, it } from 'vitest';
import { prng } from '../../bench/generate.js';
import { robustRelevance } from '../../compiler/failures.js';
import type { DeviceModel } from '../../compiler/model.js';
import type { RuleFirewalls } from '../../compiler/relevance.js';
import type { CheckedIntent } from '../../language/intent.js';
import { robustRelevanceBefore } from './failures-before.js';
import { seededOspfDevices, span } from './read-back-devices.js';

/** A seeded graph of `n` devices: a random tree with chords, most of them firewalls. */
function manyFirewalls(rnd: () => number, n: number): DeviceModel[] {
  const links: [number, number][] = [];
  for (let i = 1; i < n; i++) links.push([Math.floor(rnd() * i), i]);
  for (let k = 0, chords = Math.floor(n / 3); k < chords; k++) {
    const a = Math.floor(rnd() * n);
    const b = Math.floor(rnd() * n);
    if (a !== b) links.push([a, b]);
  }
  return seededOspfDevices(rnd, n, links, 0.95);
}

describe('placement under failures with more firewalls than a word holds', () => {
  it('finds the firewalls of the computation before, in the same order', () => {
    const sizes = new Set<number>();
    let added = 0;
    for (let seed = 1; seed <= 4; seed++) {
      const rnd = prng(1000 + seed);
      const n = seed % 2 === 0 ? 40 : 74;
      const devices = manyFirewalls(rnd, n);
      const firewalls = devices.filter((d) => d.role === 'firewall').map((d) => d.id);
      sizes.add(Math.ceil(firewalls.length / 32));
      const segments = Array.from({ length: 12 }, (_, i) => ({ name: `n${i}`, gateway: `s.d${Math.floor(rnd() * n)}` }));
      const attachments = [0, 1, 2].map(() => Math.floor(rnd() * n));
      const intent = {
        routing: 'ospf',
        survive: { failures: 1, span },
        segments,
        hosts: [{ name: 'h0', segment: 'n1' }],
        externals: [{ name: 'x', attachments: attachments.map((i) => ({ device: `s.d${i}` })), parts: [{ name: 'x.p', external: { name: 'x' } }] }],
        rules: [],
      } as unknown as CheckedIntent;
      const names = [...segments.map((s) => s.name), 'h0', 'x', 'x.p'];
      const rules: [string[], string[]][] = [[['any'], ['n0']]];
      for (const s of names) for (const d of names) if (rnd() < 0.5) rules.push([[s], d === s ? [d, 'x'] : rnd() < 0.2 ? [d, 'n2', d] : [d]]);
      const today = new Map<string, ReadonlySet<string> | undefined>();
      const key = (s: readonly string[], d: readonly string[]) => `${s.join()}>${d.join()}`;
      for (const [s, d] of rules) today.set(key(s, d), s.includes('any') ? undefined : new Set(firewalls.filter(() => rnd() < 0.1)));
      const base: RuleFirewalls = (s, d) => today.get(key(s, d));

      const before = robustRelevanceBefore(intent, devices, base, 1e12);
      const now = robustRelevance(intent, devices, base, 1e12);
      expect(now.diagnostics).toEqual(before.diagnostics);
      for (const [s, d] of rules) {
        const expected = before.firewallsOf(s, d);
        const found = now.firewallsOf(s, d);
        expect(found === undefined ? undefined : [...found], `seed ${seed}: ${key(s, d)}`).toEqual(expected === undefined ? undefined : [...expected]);
        added += (expected?.size ?? 0) - (today.get(key(s, d))?.size ?? 0);
      }
    }
    // Two and three words, and failures that add firewalls to rules.
    expect([...sizes].sort()).toEqual([2, 3]);
    expect(added).toBeGreaterThan(500);
  });
});
