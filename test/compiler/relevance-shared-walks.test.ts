// Firewall relevance walks toward prefixes that match the same FIB texts (a segment's hosts under
// one route, say) once for all of them (relevance.ts). These hold its answers against a naive
// per-prefix lookup on seeded networks where many endpoint prefixes fall under the same routes,
// some of them more specific on some devices, and some with host bits whose own text a FIB holds.

import { describe, expect, it } from 'vitest';
import { prng } from '../../bench/generate.js';
import { canonicalPrefix, formatPrefix, hasHostBits, parsePrefix, type Prefix } from '../../language/address.js';
import type { CheckedIntent } from '../../language/intent.js';
import type { EndpointSets } from '../../compiler/endpoints.js';
import type { DeviceModel, RouteModel } from '../../compiler/model.js';
import { firewallRelevance } from '../../compiler/relevance.js';
import { router } from './read-back-devices.js';

// Routes a FIB may hold: nested covering prefixes, and two texts with host bits (matched only by
// a prefix of exactly that text).
const ROUTES = ['0.0.0.0/0', '10.0.0.0/8', '10.1.0.0/16', '10.1.2.0/24', '10.1.2.0/28', '10.1.2.16/28', '10.1.3.0/24', '10.2.0.0/16', '10.1.2.5/24', '10.1.3.7/24'];
// Endpoints: many prefixes under the same routes, two of them with host bits (one of a FIB text).
const ENDPOINTS = ['10.1.2.1/32', '10.1.2.2/32', '10.1.2.17/32', '10.1.2.18/32', '10.1.2.200/32', '10.1.2.201/32', '10.1.3.5/32', '10.1.3.6/32', '10.2.0.1/32', '10.2.0.2/32', '10.9.0.1/32', '10.1.2.5/24', '10.1.2.6/24', '10.1.3.7/24'];

interface Net {
  devices: DeviceModel[];
  intent: CheckedIntent;
  sets: EndpointSets;
  names: string[];
  firewalls: string[];
  prefixes: Record<string, Prefix[]>;
  gateways: Record<string, string>;
}

function randomNet(seed: number): Net {
  const rnd = prng(seed);
  const count = 5 + Math.floor(rnd() * 5);
  const ids = Array.from({ length: count }, (_, i) => `w.d${i}`);
  // Next hops go only to devices later in the list: no forwarding loop.
  const devices = ids.map((id, i) => {
    const fib: RouteModel[] = [];
    for (const prefix of ROUTES) {
      if (rnd() < 0.4) continue;
      const hops = ids.slice(i + 1).filter(() => rnd() < 0.35).slice(0, 3);
      const nextHops = hops.length > 0 ? hops.map((device) => ({ interface: 'eth1', address: '10.9.9.9', device })) : [{ interface: 'eth1' }];
      fib.push({ prefix, protocol: hops.length > 0 ? 'ospf' : 'connected', nextHops, metric: 1 });
    }
    const d = router(id, [], { fib });
    return rnd() < 0.45 ? { ...d, role: 'firewall' as const } : d;
  });
  // Each endpoint a segment of its own at a random gateway.
  const segments = ENDPOINTS.map((_, i) => ({ name: `e${i}`, gateway: ids[Math.floor(rnd() * count)]! }));
  const prefixes: Record<string, Prefix[]> = {};
  const gateways: Record<string, string> = {};
  ENDPOINTS.forEach((p, i) => {
    prefixes[`e${i}`] = [parsePrefix(p) ?? fail(p)];
    gateways[`e${i}`] = segments[i]!.gateway;
  });
  const intent = { segments, hosts: [], externals: [] } as unknown as CheckedIntent;
  const sets = {
    sets: new Map(),
    externals: new Map(),
    setOf: (names: readonly string[]) => names.flatMap((n) => prefixes[n]!),
  } as EndpointSets;
  return { devices, intent, sets, names: Object.keys(prefixes), firewalls: devices.filter((d) => d.role === 'firewall').map((d) => d.id), prefixes, gateways };
}

function fail(text: string): never {
  throw new Error(`not a prefix: ${text}`);
}

/** The route a device uses toward p, from the definition: p's own text when it has host bits and the FIB holds it, else the longest canonical route covering p (shorter than p when p has host bits). */
function naiveRoute(device: DeviceModel, p: Prefix): RouteModel | undefined {
  const odd = hasHostBits(p);
  if (odd) {
    const own = device.fib.find((r) => r.prefix === formatPrefix(p));
    if (own) return own;
  }
  let best: RouteModel | undefined;
  let bestLength = -1;
  for (const r of device.fib) {
    if (canonicalPrefix(r.prefix) !== r.prefix) continue;
    const q = parsePrefix(r.prefix)!;
    if (q.length > (odd ? p.length - 1 : p.length)) continue;
    const shift = BigInt(32 - q.length);
    if ((p.value >> shift) === (q.value >> shift) && q.length > bestLength) [best, bestLength] = [r, q.length];
  }
  return best;
}

/** Every firewall on a forwarding path from the sources' gateways toward the destinations' prefixes, or back. */
function naiveFirewalls(net: Net, sources: string[], destinations: string[]): string[] {
  const byId = new Map(net.devices.map((d) => [d.id, d]));
  const out = new Set<string>();
  const walk = (id: string, p: Prefix, seen: Set<string>): void => {
    if (seen.has(id)) return;
    seen.add(id);
    const d = byId.get(id)!;
    if (d.role === 'firewall') out.add(id);
    for (const h of naiveRoute(d, p)?.nextHops ?? []) if (h.device !== undefined && byId.has(h.device)) walk(h.device, p, seen);
  };
  for (const [from, to] of [
    [sources, destinations],
    [destinations, sources],
  ] as const) {
    for (const s of from) for (const t of to) for (const p of net.prefixes[t]!) walk(net.gateways[s]!, p, new Set());
  }
  return [...out].sort();
}

describe('relevance walks shared by prefixes of the same texts', () => {
  it('give each prefix the firewalls of its own routes, on seeded networks', () => {
    let differ = 0;
    for (let seed = 1; seed <= 80; seed++) {
      const net = randomNet(seed);
      const firewallsOf = firewallRelevance(net.intent, net.devices, net.sets);
      const rnd = prng(seed * 104729);
      for (let r = 0; r < 60; r++) {
        const sources = [net.names[Math.floor(rnd() * net.names.length)]!];
        const destinations = net.names.filter(() => rnd() < 0.15).slice(0, 2);
        if (destinations.length === 0) continue;
        const expected = naiveFirewalls(net, sources, destinations);
        expect([...firewallsOf(sources, destinations)!].sort()).toEqual(expected);
        // Whether the rule's destinations, each alone, have different firewalls.
        const single = destinations.map((x) => naiveFirewalls(net, sources, [x]).join(','));
        if (new Set(single).size > 1) differ++;
      }
    }
    // The seeds often give a rule's destinations different firewalls: a walk handed to the wrong
    // prefix would change an answer.
    expect(differ).toBeGreaterThan(100);
  });
});
