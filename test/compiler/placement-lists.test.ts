// Filter placement's list work (compiler/placement.ts, placement-rules.ts, placement-firewall.ts,
// icmp-errors.ts) against the code before the seventeenth round (placement-before.ts) on seeded
// inputs: the rules an edge filter considers, the filter rules a policy rule becomes, the ICMP
// error rules of an edge filter, and a firewall's zones for a rule side naming one endpoint.

import { describe, expect, it } from 'vitest';
import { prng } from '../../bench/generate.js';
import { prefixOf, type Prefix } from '../../language/address.js';
import type { Span } from '../../language/diagnostic.js';
import type { FilterRule } from '../../compiler/model.js';
import { icmpErrorRules, type ErrorFlow } from '../../compiler/icmp-errors.js';
import { firewallIntent, ruleZones } from '../../compiler/placement-firewall.js';
import { ruleMentions, rulesNaming } from '../../compiler/placement.js';
import { addRules, type RuleInfo } from '../../compiler/placement-rules.js';
import type { PrefixSet } from '../../compiler/prefix-set.js';
import type { ServiceMatch } from '../../compiler/services.js';
import { checked, compileText } from './helpers.js';
import { randomIntent } from './random-intents.js';
import { addRulesBefore, icmpErrorRulesBefore, rulesForBefore } from './placement-before.js';

const SPAN: Span = { file: 't.plumb', start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 2, offset: 1 } };

// Sets of either family, both, empty; some not normalized (unsorted, siblings unmerged, a
// prefix inside another), as a NAT view or a hand-made set may be.
const SETS: PrefixSet[] = [
  ['10.0.0.0/24'],
  ['10.0.1.0/24', '10.0.0.0/24'],
  ['10.0.0.0/25', '10.0.0.128/25'],
  ['10.0.0.0/16', '10.0.3.0/24'],
  ['fd00:1::/64'],
  ['10.2.0.0/24', 'fd00:2::/64'],
  ['fd00:3::/65', 'fd00:3:0:0:8000::/65', '10.9.0.0/24'],
  ['192.0.2.0/24', '198.51.100.0/24', '2001:db8::/48'],
  [],
].map((texts) => texts.map(prefixOf));

const MATCHES: ServiceMatch[] = [
  {},
  { protocol: 6, destinationPorts: [{ from: 443, to: 443 }] },
  { protocol: 6, sourcePorts: [{ from: 22, to: 22 }], tcpEstablished: true },
  { protocol: 17 },
  { protocol: 1, icmpType: 8, family: 4 },
  { protocol: 58, icmpType: 128, family: 6 },
  { protocol: 1, family: 4 },
  { protocol: 58, family: 6 },
];

describe('the rules an edge filter considers', () => {
  it('are the rules naming the endpoint, its related names or any, in policy order, each once', () => {
    const rnd = prng(17);
    const pool = ['a', 'b', 'c', 'd', 'e', 'any', 'h1', 'h2'];
    const pick = () => pool[Math.floor(rnd() * pool.length)]!;
    for (let round = 0; round < 300; round++) {
      const rules = Array.from({ length: Math.floor(rnd() * 30) }, () => ({
        sources: Array.from({ length: 1 + Math.floor(rnd() * 3) }, pick),
        destinations: Array.from({ length: 1 + Math.floor(rnd() * 3) }, pick),
      }));
      const infos = rules.map((r, index) => ({ index, rule: { sourcesExpanded: r.sources, destinationsExpanded: r.destinations } }) as unknown as RuleInfo);
      const mentions = ruleMentions(infos);
      for (let q = 0; q < 10; q++) {
        const names = Array.from({ length: Math.floor(rnd() * 4) }, pick);
        expect(rulesNaming(mentions, infos, names).map((i) => i.index)).toEqual(rulesForBefore(rules, names));
      }
    }
  });
});

describe('the filter rules of a policy rule', () => {
  it('are those of the code before, for every pair of sets (or any) and every list of matches', () => {
    const rnd = prng(23);
    const sets: (PrefixSet | undefined)[] = [...SETS, undefined];
    for (let round = 0; round < 2000; round++) {
      const src = sets[Math.floor(rnd() * sets.length)];
      const dst = sets[Math.floor(rnd() * sets.length)];
      const matches = MATCHES.filter(() => rnd() < 0.4);
      const zones = rnd() < 0.5 ? { fromZones: rnd() < 0.7 ? ['z1'] : undefined, toZones: rnd() < 0.7 ? ['transit', 'z2'] : undefined } : undefined;
      const action = rnd() < 0.5 ? 'permit' : 'deny';
      const now: FilterRule[] = [];
      const before: FilterRule[] = [];
      addRules(now, action, src, dst, matches, SPAN, 'd', zones);
      addRulesBefore(before, action, src, dst, matches, SPAN, 'd', zones);
      expect(JSON.stringify(now)).toBe(JSON.stringify(before));
    }
  });
});

describe('the ICMP error rules of an edge filter', () => {
  it('are those of the code before, with flows sharing set objects or not', () => {
    const rnd = prng(29);
    const copy = (s: PrefixSet): Prefix[] => s.map((p) => ({ ...p }));
    for (let round = 0; round < 2000; round++) {
      const shared = SETS[Math.floor(rnd() * SETS.length)]!;
      const flows: ErrorFlow[] = Array.from({ length: 1 + Math.floor(rnd() * 4) }, (_, i) => {
        // Mostly one set object for all the flows (a segment's connections), sometimes its copy or another set.
        const one = (): PrefixSet => (rnd() < 0.6 ? shared : rnd() < 0.5 ? copy(shared) : SETS[Math.floor(rnd() * SETS.length)]!);
        return { src: rnd() < 0.1 ? undefined : one(), dst: rnd() < 0.1 ? undefined : one(), mine: one(), origin: SPAN, description: `r${i}` };
      });
      for (const side of ['from', 'to'] as const) {
        for (const edge of ['segment', 'external'] as const) {
          expect(JSON.stringify(icmpErrorRules(flows, side, edge))).toBe(JSON.stringify(icmpErrorRulesBefore(flows, side, edge)));
        }
      }
    }
  });
});

describe("a firewall's zones for a rule side", () => {
  it('naming one endpoint are those found for the same name given twice (the general path)', () => {
    let firewalls = 0;
    for (let seed = 1; seed <= 60; seed++) {
      const { text } = randomIntent(seed);
      const intent = checked(text);
      const { model } = compileText(text);
      const known = firewallIntent(intent);
      const names = [
        ...intent.segments.map((s) => s.name),
        ...intent.hosts.map((h) => h.name),
        ...intent.externals.flatMap((x) => [x.name, ...(x.parts ?? []).map((p) => p.name)]),
        'any',
        'nowhere',
        ...model.devices.map((d) => d.id),
      ];
      for (const device of model.devices.filter((d) => d.role === 'firewall')) {
        firewalls++;
        const zoneOf = new Map(device.interfaces.map((i) => [i.name, i.zone!] as const));
        const zonesOf = ruleZones(device, known, zoneOf, device.zones.length);
        for (const n of names) expect(zonesOf([n]), `${seed} ${device.id} ${n}`).toEqual(zonesOf([n, n]));
        // Endpoints said to attach here only but without an interface here (not a compiled
        // network's case): nothing enters from elsewhere.
        const segments = new Map([...known.segments].map(([k, s]) => [k, { ...s, gateway: device.id }] as const));
        const externals = new Map([...known.externals].map(([k, x]) => [k, { ...x, attachments: x.attachments.map((a) => ({ ...a, device: device.id })) }] as const));
        const here = ruleZones(device, { ...known, segments, externals }, zoneOf, device.zones.length);
        for (const n of names) expect(here([n]), `${seed} ${device.id} ${n} here`).toEqual(here([n, n]));
      }
    }
    expect(firewalls).toBeGreaterThan(10);
  });
});
