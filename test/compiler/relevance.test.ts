// firewallRelevance on hand-written forwarding tables: a firewall is relevant to a rule when it
// lies on a forwarding path between the rule's endpoints, found by longest-prefix match.

import { describe, expect, it } from 'vitest';
import { prng } from '../../bench/generate.js';
import { parsePrefix, type Prefix } from '../../language/address.js';
import type { CheckedIntent } from '../../language/intent.js';
import type { EndpointSets } from '../../compiler/endpoints.js';
import type { DeviceModel, RouteModel } from '../../compiler/model.js';
import { firewallRelevance } from '../../compiler/relevance.js';
import { iface, router } from './read-back-devices.js';

const via = (prefix: string, device?: string): RouteModel => ({
  prefix,
  protocol: device ? 'static' : 'connected',
  nextHops: [device ? { interface: 'eth1', address: '10.9.9.9', device } : { interface: 'eth1' }],
  metric: 0,
});

describe('firewall relevance', () => {
  // s1 behind a, s2 behind c. a sends everything to b except s2, which it sends through the
  // firewall f: only the longest match (a /24 under a /0 and a /8) puts f on the path.
  const a = router('x.a', [iface('eth1', 'segment', '10.1.0.1/24')], {
    fib: [via('0.0.0.0/0', 'x.b'), via('10.0.0.0/8', 'x.b'), via('10.1.0.0/24'), via('10.2.0.0/24', 'x.f'), via('10.2.0.128/25', 'x.b')],
  });
  const b = router('x.b', [], { fib: [via('10.1.0.0/24', 'x.a')] });
  const f = { ...router('x.f', [], { fib: [via('10.2.0.0/24', 'x.c'), via('10.1.0.0/24', 'x.a')] }), role: 'firewall' as const };
  const c = router('x.c', [iface('eth1', 'segment', '10.2.0.1/24')], { fib: [via('10.2.0.0/24'), via('0.0.0.0/0', 'x.b')] });
  const intent = {
    segments: [
      { name: 's1', gateway: 'x.a' },
      { name: 's2', gateway: 'x.c' },
      { name: 's3', gateway: 'x.c' },
    ],
    hosts: [],
    externals: [],
  } as unknown as CheckedIntent;
  const prefixes: Record<string, string[]> = { s1: ['10.1.0.0/24'], s2: ['10.2.0.0/25'], s3: ['10.2.0.128/25'] };
  const sets = {
    sets: new Map(),
    externals: new Map(),
    setOf: (names: readonly string[]) => names.flatMap((n) => prefixes[n]!.map((p) => parsePrefix(p)!)),
  } as EndpointSets;
  const firewallsOf = firewallRelevance(intent, [a, b, f, c], sets);
  const relevant = (fw: string, sources: string[], destinations: string[]) => firewallsOf(sources, destinations)?.has(fw) ?? true;

  it('follows the longest matching route, not a shorter one', () => {
    expect(relevant('x.f', ['s1'], ['s2'])).toBe(true);
    // s3 is a /25 that a routes by its own more specific route, around the firewall; c sends
    // everything toward s1 to b.
    expect(relevant('x.f', ['s1'], ['s3'])).toBe(false);
  });
});

// Each rule's firewalls are found once (every walk collects every firewall it crosses) and
// handed to those firewalls. These hold that against the question asked the old way, one
// firewall at a time, answered here from the definition: a naive longest-prefix match over the
// route list and a depth-first search of every ECMP branch, on seeded loop-free forwarding
// tables with nested prefixes, equal-cost branches, hosts and multi-homed externals.

interface RandomNet {
  devices: DeviceModel[];
  intent: CheckedIntent;
  sets: EndpointSets;
  names: string[];
  firewalls: string[];
}

/**
 * `sharedTexts`: every device's FIB holds one of two lists of texts (as most converged FIBs hold
 * one of a few), each device with routes of its own: devices of one list share the positions of
 * its texts (relevance.ts).
 */
function randomNet(seed: number, sharedTexts = false): RandomNet {
  const rnd = prng(seed);
  const count = 5 + Math.floor(rnd() * 6);
  const ids = Array.from({ length: count }, (_, i) => `s.d${i}`);
  // Next hops go only to devices later in a random order: no forwarding loop.
  const order = [...ids].sort(() => rnd() - 0.5);
  const rank = new Map(order.map((id, i) => [id, i]));
  const segCount = 3 + Math.floor(rnd() * 4);
  const prefixes: Record<string, string[]> = {};
  const segments = Array.from({ length: segCount }, (_, i) => ({ name: `n${i}`, gateway: ids[Math.floor(rnd() * count)]! }));
  for (const [i, s] of segments.entries()) prefixes[s.name] = rnd() < 0.3 ? [`10.${i}.0.0/25`, `10.${i}.0.128/25`] : [`10.${i}.0.0/24`];
  const hosts = segments.filter(() => rnd() < 0.4).map((s, i) => ({ name: `h${i}`, segment: s.name }));
  for (const h of hosts) prefixes[h.name] = [`${prefixes[h.segment]![0]!.split('/')[0]!.replace(/\.0$/, '.9')}/32`];
  const externals = [0, 1].filter(() => rnd() < 0.6).map((i) => ({ name: `x${i}`, attachments: ids.filter(() => rnd() < 0.3).map((device) => ({ device })) }));
  for (const x of externals) prefixes[x.name] = [`192.0.${x.name === 'x0' ? 2 : 3}.0/24`];
  // Every route a device might hold: each segment's own, a few covering ones and the default.
  const candidates = [...new Set([...Object.values(prefixes).flat(), '10.0.0.0/8', '10.0.0.0/16', '10.1.0.0/16', '192.0.0.0/16', '0.0.0.0/0'])];
  const lists = sharedTexts ? [0, 1].map(() => new Set(candidates.filter(() => rnd() < 0.65))) : [];
  const devices = ids.map((id) => {
    const later = order.slice(rank.get(id)! + 1);
    const fib: RouteModel[] = [];
    const list = sharedTexts ? lists[Math.floor(rnd() * 2)]! : undefined;
    for (const prefix of candidates) {
      if (list ? !list.has(prefix) : rnd() < 0.35) continue;
      const hops = later.filter(() => rnd() < 0.3).slice(0, 3);
      if (hops.length === 0 && (sharedTexts || rnd() < 0.5)) fib.push(via(prefix));
      else if (hops.length > 0) fib.push({ prefix, protocol: 'ospf', nextHops: hops.map((device) => ({ interface: 'eth1', address: '10.9.9.9', device })), metric: 1 });
    }
    // A next hop naming a device the model does not hold is not followed.
    if (!sharedTexts && rnd() < 0.2) fib.push(via('10.0.0.0/12', 's.gone'));
    const d = router(id, [], { fib });
    return rnd() < 0.4 ? { ...d, role: 'firewall' as const } : d;
  });
  const intent = { segments, hosts, externals } as unknown as CheckedIntent;
  const sets = {
    sets: new Map(),
    externals: new Map(),
    setOf: (names: readonly string[]) => (names.includes('any') ? undefined : names.flatMap((n) => prefixes[n]!.map((p) => parsePrefix(p)!))),
  } as EndpointSets;
  return { devices, intent, sets, names: Object.keys(prefixes), firewalls: devices.filter((d) => d.role === 'firewall').map((d) => d.id) };
}

/** Whether firewall `fw` lies on a forwarding path between the named endpoints, asked for that firewall alone. */
function onSomePath(net: RandomNet, fw: string, sources: string[], destinations: string[]): boolean {
  if (sources.includes('any') || destinations.includes('any')) return true;
  const byId = new Map(net.devices.map((d) => [d.id, d]));
  const gateway = (n: string): string[] => {
    const s = net.intent.segments.find((x) => x.name === n);
    if (s) return [s.gateway];
    const h = net.intent.hosts.find((x) => x.name === n);
    if (h) return [net.intent.segments.find((x) => x.name === h.segment)!.gateway];
    return net.intent.externals.find((x) => x.name === n)!.attachments.map((a) => a.device);
  };
  const route = (device: DeviceModel, p: Prefix): RouteModel | undefined => {
    let best: RouteModel | undefined;
    let bestLength = -1;
    for (const r of device.fib) {
      const q = parsePrefix(r.prefix)!;
      const covers = q.family === p.family && q.length <= p.length && (p.value >> BigInt(32 - q.length)) === (q.value >> BigInt(32 - q.length));
      if (covers && q.length > bestLength) [best, bestLength] = [r, q.length];
    }
    return best;
  };
  const reaches = (from: string, p: Prefix): boolean => {
    const seen = new Set<string>();
    const go = (id: string): boolean => {
      if (id === fw) return true;
      if (seen.has(id)) return false;
      seen.add(id);
      return (route(byId.get(id)!, p)?.nextHops ?? []).some((h) => h.device !== undefined && byId.has(h.device) && go(h.device));
    };
    return go(from);
  };
  const toward = (ends: string[], names: string[]) => ends.some((u) => net.sets.setOf(names)!.some((p) => reaches(u, p)));
  return toward(sources.flatMap(gateway), destinations) || toward(destinations.flatMap(gateway), sources);
}

describe("a rule's firewalls, found once", () => {
  it.each([
    ['', false],
    [' whose FIBs hold one of two lists of texts', true],
  ])('are the firewalls the per-firewall question names, on seeded networks%s', (_, sharedTexts) => {
    let seen = 0;
    for (let seed = 1; seed <= 60; seed++) {
      const net = randomNet(seed, sharedTexts);
      const firewallsOf = firewallRelevance(net.intent, net.devices, net.sets);
      const rnd = prng(seed * 7919);
      const pick = () => net.names.filter(() => rnd() < 0.3).slice(0, 3);
      for (let r = 0; r < 40; r++) {
        const sources = r === 0 ? ['any'] : pick();
        const destinations = r === 1 ? ['any'] : pick();
        if (sources.length === 0 || destinations.length === 0) continue;
        const found = firewallsOf(sources, destinations);
        const expected = net.firewalls.filter((fw) => onSomePath(net, fw, sources, destinations));
        if (found === undefined) expect(expected).toEqual(net.firewalls);
        else expect([...found].sort()).toEqual(expected.sort());
        if (expected.length > 0 && expected.length < net.firewalls.length) seen++;
      }
    }
    // The seeds put some rules on some firewalls and not on others.
    expect(seen).toBeGreaterThan(200);
  });
});
