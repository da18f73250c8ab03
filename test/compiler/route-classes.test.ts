// Route classes (compiler/route-classes.ts): `select` refines, device by device, the classes of
// prefixes routed to the same next devices everywhere, and firewall relevance shares one walk
// among prefixes whose matching routes are of the same classes (compiler/relevance.ts). On seeded
// convergences (candidates shared by many prefixes, routes with no next device, several next
// devices, prefixes missing on some devices, ties of equal candidates merged) the classes must be
// exactly the partition by every device's next devices, and relevance's answers those of a naive
// walk per prefix.

import { describe, expect, it } from 'vitest';
import { parsePrefix, type Prefix } from '../../language/address.js';
import type { CheckedIntent } from '../../language/intent.js';
import type { EndpointSets } from '../../compiler/endpoints.js';
import type { DeviceModel, NextHopModel, RouteModel } from '../../compiler/model.js';
import { firewallRelevance } from '../../compiler/relevance.js';
import { FibTextLists, PrefixNumbers, prefixOrder, Rib, routeClassesOf, select, type Candidate } from '../../compiler/routing-rib.js';
import { router } from './read-back-devices.js';
import { random } from './urpf-seeds.js';
import { expectEqual } from '../expect-equal.js';

/** Prefixes: nested /16, /24 and /28 routes of 10.x, so that walks toward /32s fall under several. */
const TEXTS = Array.from({ length: 24 }, (_, n) => (n < 4 ? `10.${n}.0.0/16` : n < 12 ? `10.${n % 4}.${n}.0/24` : `10.${n % 4}.${(n % 8) + 4}.${(n % 3) * 16}/28`));

function convergence(seed: number): { devices: DeviceModel[]; fibs: RouteModel[][] } {
  const rnd = random(seed);
  const count = 4 + Math.floor(rnd() * 6);
  const ids = Array.from({ length: count }, (_, i) => `s.d${i}`);
  const numbers = new PrefixNumbers();
  for (const t of TEXTS) numbers.add(t);
  const order = prefixOrder(numbers);
  const lists = new FibTextLists(numbers.texts.length);
  const groups = 2 + Math.floor(rnd() * 3);
  const fibs: RouteModel[][] = [];
  ids.forEach((id, i) => {
    // A few candidates shared by many prefixes; next hops only to later devices (no loop), some
    // to no device, some to two.
    const later = ids.slice(i + 1);
    const hop = (): NextHopModel => {
      const device = later.length > 0 && rnd() < 0.8 ? later[Math.floor(rnd() * later.length)] : undefined;
      return device === undefined ? { interface: `eth${Math.floor(rnd() * 3)}` } : { interface: `eth${Math.floor(rnd() * 3)}`, address: `10.255.0.${Math.floor(rnd() * 9)}`, device };
    };
    const shared: Candidate[] = Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => ({
      protocol: 'ospf',
      distance: 110,
      metric: 10,
      hops: Array.from({ length: 1 + Math.floor(rnd() * 2) }, hop),
    }));
    const rib = new Rib(numbers.texts.length, order.anyTied);
    // Prefixes in groups routed alike on most devices: a device routes a group by one candidate,
    // or not at all, with a few prefixes of their own.
    const groupCandidate = Array.from({ length: groups }, () => (rnd() < 0.15 ? undefined : shared[Math.floor(rnd() * shared.length)]!));
    for (let n = 0; n < TEXTS.length; n++) {
      const kind = rnd();
      const pick = () => shared[Math.floor(rnd() * shared.length)]!;
      const grouped = groupCandidate[n % groups];
      if (kind < 0.8) {
        if (grouped !== undefined) rib.push(n, grouped);
        continue;
      }
      if (kind < 0.85) continue;
      rib.push(n, kind < 0.93 ? pick() : { protocol: 'static', distance: 1, metric: 0, hops: [hop()] });
      // Equal candidates of one protocol: their hops merged into one route.
      if (rnd() < 0.1) rib.push(n, pick());
    }
    fibs.push(select(rib, numbers, order, lists));
  });
  const devices = ids.map((id, i) => {
    const d = router(id, [], { fib: fibs[i]! });
    return random(seed * 31 + i)() < 0.5 ? { ...d, role: 'firewall' as const } : d;
  });
  return { devices, fibs };
}

/** A text's next devices on every device, as one string (`-`: no route). */
function signature(fibs: RouteModel[][], text: string): string {
  return fibs
    .map((fib) => {
      const r = fib.find((x) => x.prefix === text);
      return r === undefined ? '-' : r.nextHops.flatMap((h) => (h.device === undefined ? [] : [h.device])).join(',');
    })
    .join('|');
}

function naiveFirewalls(devices: DeviceModel[], from: string, p: Prefix): string[] {
  const byId = new Map(devices.map((d) => [d.id, d]));
  const out = new Set<string>();
  const walk = (id: string, seen: Set<string>): void => {
    if (seen.has(id)) return;
    seen.add(id);
    const d = byId.get(id)!;
    if (d.role === 'firewall') out.add(id);
    let best: RouteModel | undefined;
    for (const r of d.fib) {
      const q = parsePrefix(r.prefix)!;
      const shift = BigInt(32 - q.length);
      if (q.length <= p.length && p.value >> shift === q.value >> shift && (!best || q.length > parsePrefix(best.prefix)!.length)) best = r;
    }
    for (const h of best?.nextHops ?? []) if (h.device !== undefined && byId.has(h.device)) walk(h.device, seen);
  };
  walk(from, new Set());
  return [...out].sort();
}

describe('route classes', () => {
  it('are the partition of prefixes by every device next devices, on seeded convergences', () => {
    let sharedClasses = 0;
    let split = 0;
    for (let seed = 1; seed <= 120; seed++) {
      const { fibs } = convergence(seed);
      const classOf = new Map<string, number>();
      for (const fib of fibs) {
        const classes = routeClassesOf(fib)!;
        fib.forEach((r, k) => {
          const c = classes.classAt(k);
          // vitest's expect only for what fails: 70,000 pairs of texts
          if (!Object.is(classOf.get(r.prefix) ?? c, c)) expect(classOf.get(r.prefix) ?? c, `seed ${seed}: one class per text`).toBe(c);
          classOf.set(r.prefix, c);
        });
      }
      const texts = [...classOf.keys()];
      const signatures = new Map(texts.map((t) => [t, signature(fibs, t)]));
      for (const a of texts) {
        for (const b of texts) {
          const same = signatures.get(a) === signatures.get(b);
          if (classOf.get(a) === classOf.get(b) !== same) expect(classOf.get(a) === classOf.get(b), `seed ${seed}: ${a} ${b}`).toBe(same);
          if (a < b && same) sharedClasses++;
          if (a < b && !same) split++;
        }
      }
    }
    expect(sharedClasses).toBeGreaterThan(1_000);
    expect(split).toBeGreaterThan(1_000);
  });

  it('let relevance share walks without changing an answer', () => {
    let firewallsFound = 0;
    for (let seed = 1; seed <= 60; seed++) {
      // Every other seed mixes two convergences' devices (their classes do not compare: walks are then shared by texts).
      const one = convergence(seed).devices;
      const two = convergence(seed + 1000).devices;
      const devices = seed % 2 === 0 ? one : one.map((d, i) => (i >= one.length / 2 && two[i] !== undefined ? two[i]! : d));
      // One endpoint per /32 host under the routes, each attached at a random device.
      const rnd = random(seed * 7919);
      const names: string[] = [];
      const prefixes: Record<string, Prefix[]> = {};
      const segments: { name: string; gateway: string }[] = [];
      for (let n = 0; n < 40; n++) {
        const name = `e${n}`;
        names.push(name);
        prefixes[name] = [parsePrefix(`10.${n % 4}.${4 + (n % 9)}.${(n * 7) % 64}/32`)!];
        segments.push({ name, gateway: devices[Math.floor(rnd() * devices.length)]!.id });
      }
      const intent = { segments, hosts: [], externals: [] } as unknown as CheckedIntent;
      const sets = { sets: new Map(), externals: new Map(), setOf: (xs: readonly string[]) => xs.flatMap((x) => prefixes[x]!) } as EndpointSets;
      const firewallsOf = firewallRelevance(intent, devices, sets);
      const gateway = new Map(segments.map((s) => [s.name, s.gateway]));
      // The naive walk from a device toward a host, once per pair (each recurs across the 480 pairs).
      const walked = new Map<string, string[]>();
      const naive = (from: string, host: string): string[] => {
        const key = `${from} ${host}`;
        let out = walked.get(key);
        if (out === undefined) walked.set(key, (out = naiveFirewalls(devices, from, prefixes[host]![0]!)));
        return out;
      };
      for (const source of names) {
        for (const destination of names.slice(0, 12)) {
          const expected = new Set([...naive(gateway.get(source)!, destination), ...naive(gateway.get(destination)!, source)]);
          const found = [...firewallsOf([source], [destination])!].sort();
          expectEqual(found, [...expected].sort(), `seed ${seed}: ${source} -> ${destination}`);
          firewallsFound += found.length;
        }
      }
    }
    expect(firewallsFound).toBeGreaterThan(10_000);
  });
});
