// A converged device's FIB is made into route objects only when `device.fib` is read
// (SelectedFib in compiler/routing-rib.ts, the accessor in compiler/fib-views.ts), and the
// compiler's own readers (firewall relevance, uRPF, C704) read it by position from the RIB. On
// seeded RIBs (candidates shared by many prefixes, several candidates of mixed distances and
// protocols, unsorted ECMP hops, texts of one prefix tied) a SelectedFib must answer as the routes
// `select` makes, and make exactly them; relevance and uRPF must give the answers they give on
// those routes, without making any; and the accessor must keep `fib` where it was, made once.

import { describe, expect, it } from 'vitest';
import { parsePrefix, type Prefix } from '../../language/address.js';
import type { CheckedIntent } from '../../language/intent.js';
import type { EndpointSets } from '../../compiler/endpoints.js';
import type { DeviceModel, EndpointModel, NextHopModel, RouteModel } from '../../compiler/model.js';
import { firewallRelevance } from '../../compiler/relevance.js';
import { urpfModes } from '../../compiler/urpf.js';
import { copyWithFib, fibView, ListedFib, putSelectedFib, shareFib } from '../../compiler/fib-views.js';
import { FibTextLists, PrefixNumbers, prefixOrder, Rib, routeClassesOf, select, selectFib, SelectedFib, textClassOf, type Candidate } from '../../compiler/routing-rib.js';
import { canonicalDevice } from '../../backends/canonical.js';
import { renameInterfaces } from '../../backends/interface-names.js';
import { iface, router } from './read-back-devices.js';
import { random } from './urpf-seeds.js';
import { expectEqual } from '../expect-equal.js';

/** Nested IPv4 routes (walks and sources fall under several), and IPv6 prefixes spelled two ways (tied texts). */
const TEXTS = [
  ...Array.from({ length: 20 }, (_, n) => (n < 4 ? `10.${n}.0.0/16` : n < 12 ? `10.${n % 4}.${n}.0/24` : `10.${n % 4}.${(n % 8) + 4}.${(n % 3) * 16}/28`)),
  '2001:db8:1::/48',
  '2001:0db8:0001::/48',
  '2001:db8:2::/48',
  '2001:db8:0002::/48',
];

interface Seeded {
  /** Devices whose `fib` is a SelectedFib, and the same devices with the routes `select` makes without classes. */
  lazy: DeviceModel[];
  made: DeviceModel[];
  selected: SelectedFib[];
  plain: RouteModel[][];
}

function seeded(seed: number): Seeded {
  const rnd = random(seed);
  const count = 3 + Math.floor(rnd() * 6);
  const ids = Array.from({ length: count }, (_, i) => `s.d${i}`);
  const numbers = new PrefixNumbers();
  // Numbered in an order of their own, so that numbers and prefix order differ.
  for (const t of [...TEXTS].sort(() => rnd() - 0.5)) numbers.add(t);
  const order = prefixOrder(numbers);
  const lists = new FibTextLists(numbers.texts.length);
  const out: Seeded = { lazy: [], made: [], selected: [], plain: [] };
  ids.forEach((id, i) => {
    const later = ids.slice(i + 1);
    const hop = (): NextHopModel => {
      const device = later.length > 0 && rnd() < 0.8 ? later[Math.floor(rnd() * later.length)] : undefined;
      const name = `eth${1 + Math.floor(rnd() * 2)}`;
      return device === undefined ? { interface: name } : { interface: name, address: `10.255.0.${Math.floor(rnd() * 9)}`, device };
    };
    const hops = (): NextHopModel[] => Array.from({ length: 1 + Math.floor(rnd() * 3) }, hop);
    const protocols = ['connected', 'static', 'bgp', 'ospf'] as const;
    const candidate = (): Candidate => {
      const protocol = protocols[Math.floor(rnd() * 4)]!;
      return { protocol, distance: [0, 1, 20, 110][protocols.indexOf(protocol)]! + (rnd() < 0.2 ? 5 : 0), metric: Math.floor(rnd() * 3), hops: hops() };
    };
    const shared = Array.from({ length: 1 + Math.floor(rnd() * 3) }, candidate);
    const rib = new Rib(numbers.texts.length, order.anyTied);
    // Texts pushed in an order of the device's own: tied texts keep it.
    for (const n of [...numbers.texts.keys()].sort(() => rnd() - 0.5)) {
      const kind = rnd();
      if (kind < 0.15) continue;
      rib.push(n, kind < 0.7 ? shared[Math.floor(rnd() * shared.length)]! : candidate());
      // More candidates: the lowest distance wins, equal ones of one protocol merge their hops.
      while (rnd() < 0.3) rib.push(n, rnd() < 0.5 ? shared[Math.floor(rnd() * shared.length)]! : candidate());
    }
    const interfaces = [iface('eth1', 'segment', '10.9.0.1/24'), iface('eth2', 'link', '10.8.0.0/31')];
    const role = rnd() < 0.5 ? ('firewall' as const) : ('router' as const);
    const plain = select(rib, numbers, order);
    const selected = selectFib(rib, numbers, order, lists);
    const lazy = router(id, interfaces, { role });
    putSelectedFib(lazy, selected);
    out.lazy.push(lazy);
    out.made.push(router(id, interfaces, { role, fib: select(rib, numbers, order) }));
    out.selected.push(selected);
    out.plain.push(plain);
  });
  return out;
}

/** Whether no route object of the device's FIB was made (its readers read the RIB). */
const unmade = (d: DeviceModel): boolean => fibView(d) instanceof SelectedFib;

describe('FIBs made when read', () => {
  it('answer by position as the routes select makes, and make exactly them', () => {
    let merged = 0;
    for (let seed = 1; seed <= 200; seed++) {
      const { selected, plain } = seeded(seed);
      // Route by route, vitest's expect only for a route that differs (expectEqual): 57,000 routes.
      selected.forEach((fib, k) => {
        const routes = plain[k]!;
        expect(fib.length, `seed ${seed} device ${k}`).toBe(routes.length);
        for (let i = 0; i < routes.length; i++) {
          const r = routes[i]!;
          expectEqual([fib.prefixAt(i), fib.protocolAt(i), fib.nextHopsAt(i)], [r.prefix, r.protocol, r.nextHops], `seed ${seed} device ${k} route ${i}`);
          if (r.nextHops.length > 1) merged++;
        }
        expect(fib.routesMade).toBeUndefined();
        const made = fib.routes();
        expectEqual(made, routes, `seed ${seed} device ${k}`);
        expect(fib.routes()).toBe(made);
        // Once made, the RIB is let go: a view still held answers from the routes.
        for (let i = 0; i < made.length; i++) expectEqual([fib.protocolAt(i), fib.nextHopsAt(i)], [made[i]!.protocol, made[i]!.nextHops]);
        expect(textClassOf(made)).toBe(fib.textClass);
        expect(routeClassesOf(made)).toBeDefined();
      });
    }
    expect(merged).toBeGreaterThan(1_000);
  });

  it('give relevance and uRPF the answers of the routes, without making them', () => {
    let firewalls = 0;
    let modes = 0;
    for (let seed = 1; seed <= 80; seed++) {
      const { lazy, made } = seeded(seed);
      const rnd = random(seed * 7919);
      const names: string[] = [];
      const prefixes: Record<string, Prefix[]> = {};
      const segments: { name: string; gateway: string }[] = [];
      for (let n = 0; n < 30; n++) {
        names.push(`e${n}`);
        prefixes[`e${n}`] = [parsePrefix(`10.${n % 4}.${4 + (n % 9)}.${(n * 7) % 64}/32`)!];
        segments.push({ name: `e${n}`, gateway: lazy[Math.floor(rnd() * lazy.length)]!.id });
      }
      const intent = { segments, hosts: [], externals: [] } as unknown as CheckedIntent;
      const sets = { sets: new Map(), externals: new Map(), setOf: (xs: readonly string[]) => xs.flatMap((x) => prefixes[x]!) } as EndpointSets;
      const fromLazy = firewallRelevance(intent, lazy, sets);
      const fromMade = firewallRelevance(intent, made, sets);
      for (const s of names) {
        for (const d of names.slice(0, 10)) {
          const found = [...fromLazy([s], [d])!];
          expectEqual(found, [...fromMade([s], [d])!], `seed ${seed}: ${s} -> ${d}`);
          firewalls += found.length;
        }
      }
      const sources = Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => `10.${Math.floor(rnd() * 4)}.${Math.floor(rnd() * 16)}.${Math.floor(rnd() * 4) * 64}/${26 + Math.floor(rnd() * 7)}`);
      const endpoints: EndpointModel[] = [
        { name: 'x', kind: 'segment', include: sources, exclude: [], attachments: lazy.map((d) => ({ device: d.id, interface: 'eth1' })), origin: lazy[0]!.origin },
      ];
      const byLazy = urpfModes(lazy, endpoints);
      expectEqual(byLazy, urpfModes(made, endpoints), `seed ${seed}`);
      for (const m of byLazy.values()) modes += m.size;
      expect(lazy.every(unmade), `seed ${seed}`).toBe(true);
    }
    expect(firewalls).toBeGreaterThan(1_000);
    expect(modes).toBeGreaterThan(100);
  });

  it('keep `fib` in its place, made once, shared by copies, replaced when assigned', () => {
    const { lazy, plain } = seeded(7);
    const d = lazy[0]!;
    const keys = Object.keys(router('s.d0', []));
    expect(Object.keys(d)).toEqual(keys);
    // The backends' copies neither make the routes nor lose them.
    const renamed = renameInterfaces(d, new Map([['eth1', 'eth1.10']]));
    const canonical = canonicalDevice(d);
    const copy = copyWithFib(d, []);
    const other = router('s.x', []);
    shareFib(d, other);
    expect([d, renamed, other].every(unmade)).toBe(true);
    expect(Object.keys(renamed)).toEqual(keys);
    expect(Object.keys(canonical)).toEqual(keys);
    expect(Object.keys(copy)).toEqual(keys);
    expect(canonical.fib).toEqual([]);
    expect(copy.fib).toEqual([]);
    const routes = d.fib;
    expect(routes).toEqual(plain[0]);
    expect(d.fib).toBe(routes);
    expect(renamed.fib).toBe(routes);
    expect(other.fib).toBe(routes);
    expect(fibView(d)).toBeInstanceOf(ListedFib);
    expect(JSON.parse(JSON.stringify(d)).fib).toEqual(JSON.parse(JSON.stringify(routes)));
    // Assigned: the value assigned, in the same place, and no SelectedFib any more.
    const e = lazy[1]!;
    e.fib = [];
    expect(e.fib).toEqual([]);
    expect(Object.keys(e)).toEqual(keys);
    expect(fibView(e)).toBeInstanceOf(ListedFib);
    expect(fibView(e).length).toBe(0);
    // A copy of a device whose fib cannot be read.
    const unreadable = router('s.y', []);
    Object.defineProperty(unreadable, 'fib', { enumerable: true, get: () => { throw new Error('fib read'); } });
    expect(Object.keys(copyWithFib(unreadable, []))).toEqual(keys);
  });
});
