// A rule's firewalls (compiler/relevance.ts) are collected in interned sets, shared by every walk
// and rule that crosses the same firewalls. They must be the firewalls of the computation before
// (each walk copying its set at every firewall: relevance-before.ts, kept as it was), asked the
// same rules in the same order (a forwarding loop is cut where the walk that meets it first
// entered it), on seeded forwarding tables with loops, equal-cost next hops, next hops to devices
// the model does not hold and prefixes with host bits, on generated networks and on the examples.

import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateIntent, prng } from '../../bench/generate.js';
import { compile } from '../../compiler/index.js';
import { allocateAddresses } from '../../compiler/addressing.js';
import { addDeviceSets, endpointSets, type EndpointSets } from '../../compiler/endpoints.js';
import type { DeviceModel, RouteModel } from '../../compiler/model.js';
import { firewallRelevance, type RuleFirewalls } from '../../compiler/relevance.js';
import { analyze } from '../../language/analyze.js';
import { parsePrefix } from '../../language/address.js';
import type { CheckedIntent } from '../../language/intent.js';
import { firewallRelevanceBefore } from './relevance-before.js';
import { router } from './read-back-devices.js';

interface Case {
  intent: CheckedIntent;
  devices: DeviceModel[];
  sets: EndpointSets;
  rules: [string[], string[]][];
}

function randomCase(seed: number): Case {
  const rnd = prng(seed);
  const count = 4 + Math.floor(rnd() * 9);
  const ids = Array.from({ length: count }, (_, i) => `s.d${i}`);
  const prefixes: Record<string, string[]> = {};
  const segments = Array.from({ length: 3 + Math.floor(rnd() * 4) }, (_, i) => ({ name: `n${i}`, gateway: ids[Math.floor(rnd() * count)]! }));
  for (const [i, s] of segments.entries()) prefixes[s.name] = rnd() < 0.3 ? [`10.${i}.0.0/25`, `10.${i}.0.128/25`] : [`10.${i}.0.0/24`];
  const hosts = segments.filter(() => rnd() < 0.4).map((s, i) => ({ name: `h${i}`, segment: s.name }));
  for (const h of hosts) prefixes[h.name] = [`${prefixes[h.segment]![0]!.split('/')[0]!.replace(/\.0$/, '.9')}/32`];
  const externals = [0, 1].filter(() => rnd() < 0.6).map((i) => ({ name: `x${i}`, attachments: ids.filter(() => rnd() < 0.3).map((device) => ({ device })) }));
  for (const x of externals) prefixes[x.name] = [x.name === 'x0' ? '192.0.2.0/24' : '192.0.3.7/24'];
  const candidates = [...new Set([...Object.values(prefixes).flat(), '10.0.0.0/8', '10.0.0.0/16', '10.1.0.0/16', '192.0.0.0/16', '192.0.3.7/24', '0.0.0.0/0'])];
  // Next hops to any device (loops and equal-cost branches), now and then to one not in the model.
  const devices = ids.map((id) => {
    const fib: RouteModel[] = [];
    for (const prefix of candidates) {
      if (rnd() < 0.3) continue;
      const hops = ids.filter((other) => other !== id && rnd() < 0.25).slice(0, 3);
      if (rnd() < 0.1) hops.push('s.gone');
      fib.push({ prefix, protocol: 'ospf', nextHops: hops.map((device) => ({ interface: 'eth1', address: '10.9.9.9', device })), metric: 1 });
    }
    const d = router(id, [], { fib });
    return rnd() < 0.4 ? { ...d, role: 'firewall' as const } : d;
  });
  const intent = { segments, hosts, externals } as unknown as CheckedIntent;
  const sets = {
    sets: new Map(),
    externals: new Map(),
    setOf: (names: readonly string[]) => (names.includes('any') ? undefined : names.flatMap((n) => prefixes[n]!.map((p) => parsePrefix(p)!))),
  } as EndpointSets;
  const names = Object.keys(prefixes);
  const pick = () => names.filter(() => rnd() < 0.3).slice(0, 3);
  const rules: [string[], string[]][] = [];
  for (let r = 0; r < 40; r++) rules.push([r === 0 ? ['any'] : pick(), r === 1 ? ['any'] : pick()]);
  return { intent, devices, sets, rules };
}

function compiledCase(text: string): Case | undefined {
  const intent = analyze([{ path: 'main.plumb', text }]).intent;
  if (!intent) return undefined;
  const { model } = compile(intent);
  const sets = endpointSets(intent, allocateAddresses(intent));
  addDeviceSets(sets, model.devices);
  return { intent, devices: model.devices, sets, rules: intent.rules.map((r) => [r.sourcesExpanded, r.destinationsExpanded]) };
}

const answers = (firewallsOf: RuleFirewalls, rules: Case['rules']) =>
  rules.map(([sources, destinations]) => {
    const found = firewallsOf(sources, destinations);
    return found === undefined ? undefined : [...found].sort();
  });

describe("a rule's firewalls against the computation before", () => {
  it('are the same on seeded forwarding tables, generated networks and the examples', () => {
    const cases: [string, Case][] = [];
    for (let seed = 1; seed <= 200; seed++) cases.push([`random ${seed}`, randomCase(seed)]);
    for (const seed of [1, 2]) {
      const text = generateIntent({ sites: 5, devicesPerSite: 5, segments: 60, rules: 400, assertions: 20, seed });
      for (const routing of ['ospf', 'static']) {
        const c = compiledCase(text.replace('routing ospf', `routing ${routing}`));
        if (c) cases.push([`generated ${seed} ${routing}`, c]);
      }
    }
    for (const name of readdirSync('examples')) {
      const dir = `examples/${name}`;
      const files = readdirSync(dir).filter((f) => f.endsWith('.plumb'));
      const c = files.length === 1 ? compiledCase(readFileSync(`${dir}/${files[0]}`, 'utf8')) : undefined;
      if (c) cases.push([name, c]);
    }
    let some = 0;
    for (const [what, c] of cases) {
      const now = answers(firewallRelevance(c.intent, c.devices, c.sets), c.rules);
      const before = answers(firewallRelevanceBefore(c.intent, c.devices, c.sets), c.rules);
      expect(now, what).toEqual(before);
      some += now.filter((x) => x !== undefined && x.length > 0).length;
    }
    expect(cases.length).toBeGreaterThan(205);
    expect(some).toBeGreaterThan(1000);
  });
});
