// compareConfiguration skips the keyed comparison of a list whose items match the other side's
// index by index (`aligned` with `sameRoute`, `sameNeighbor` and the redistribution's test in
// verifier/equivalence-config.ts). Held here to the keyed comparison done in full (maps by
// canonical key, the differing keys sorted), on seeded lists of routes, BGP neighbors and OSPF
// redistributions that mostly line up, with one field changed here and there, items added,
// dropped, duplicated or moved, and prefixes written in another form of the same network.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BgpNeighborModel, DeviceModel, OspfModel, StaticRouteModel } from '../../compiler/model.js';
import { canonicalPrefix } from '../../language/address.js';
import type { Span } from '../../language/diagnostic.js';
import { compareConfiguration, type ItemDifference } from '../../verifier/equivalence-config.js';
import { exampleModel } from './equivalence-helpers.js';

const at = (line: number): Span => ({ file: 'a.plumb', start: { line, column: 1, offset: line }, end: { line, column: 2, offset: line + 1 } });
const canon = (p: string): string => canonicalPrefix(p) ?? p;
const set = (xs: readonly string[] | undefined): string => [...new Set((xs ?? []).map(canon))].sort().join(', ') || '(none)';

/** The keyed comparison in full, as compareConfiguration made it before it skipped aligned lists. */
function keyed<T>(label: (k: string) => string, expected: readonly T[], actual: readonly T[], keyOf: (t: T) => string, valueOf: (t: T) => string, originOf: (t: T) => Span | undefined): ItemDifference[] {
  const e = new Map(expected.map((t) => [keyOf(t), t]));
  const a = new Map(actual.map((t) => [keyOf(t), t]));
  const keys = [...new Set([...e.keys(), ...a.keys()])].filter((k) => !e.has(k) || !a.has(k) || valueOf(e.get(k)!) !== valueOf(a.get(k)!)).sort();
  return keys.map((k) => {
    const x = e.get(k);
    const y = a.get(k);
    const xo = x !== undefined ? originOf(x) : undefined;
    const yo = y !== undefined ? originOf(y) : undefined;
    return {
      kind: 'item' as const,
      item: label(k),
      ...(x !== undefined ? { expected: valueOf(x) } : {}),
      ...(y !== undefined ? { actual: valueOf(y) } : {}),
      ...(yo ? { actualOrigin: yo } : {}),
      ...(xo ? { expectedOrigin: xo } : {}),
    };
  });
}

const routeKey = (r: StaticRouteModel): string =>
  `${canon(r.prefix)}${r.discard ? ' discard' : ''}${r.nextHop !== undefined ? ` via ${r.nextHop}` : ''}${r.interface !== undefined ? ` dev ${r.interface}` : ''}`;
const neighborValue = (n: BgpNeighborModel): string =>
  `remote-as ${n.remoteAs}; external ${n.external}; import ${set(n.importPrefixes)}; export ${set(n.exportPrefixes)}` +
  `${n.ttlSecurity !== undefined ? `; ttl-security hops ${n.ttlSecurity}` : ''}${n.maxPrefixes !== undefined ? `; maximum-prefix ${n.maxPrefixes}` : ''}` +
  `${n.password ? `; password ${n.password.secret === '' ? 'a key of no secret' : `secret ${n.password.secret}`}` : ''}`;

// Few values per field, so that keys collide, items repeat and prefixes differ only in form.
const prefix = fc.constantFrom('10.0.0.0/24', '10.0.0.1/24', '10.1.0.0/16', '2001:db8::/32', '2001:DB8::/32', '2001:db8:0::/32');
const hop = fc.option(fc.constantFrom('10.0.0.1', '10.0.0.2', 'fe80::1'), { nil: undefined });
const route: fc.Arbitrary<StaticRouteModel> = fc
  .record({
    prefix,
    nextHop: hop,
    interface: fc.option(fc.constantFrom('eth0', 'eth1'), { nil: undefined }),
    discard: fc.option(fc.constant(true as const), { nil: undefined }),
    distance: fc.option(fc.constantFrom(5, 10), { nil: undefined }),
    line: fc.nat(50),
  })
  .map(({ line, ...r }) => {
    const out: StaticRouteModel = { prefix: r.prefix, origin: at(line) };
    for (const k of ['nextHop', 'interface', 'discard', 'distance'] as const) if (r[k] !== undefined) Object.assign(out, { [k]: r[k] });
    return out;
  });
const prefixes = fc.array(prefix, { maxLength: 3 });
const neighbor: fc.Arbitrary<BgpNeighborModel> = fc
  .record({
    address: fc.constantFrom('10.0.0.1', '10.0.0.2', '2001:db8::1'),
    remoteAs: fc.constantFrom(65001, 65002),
    description: fc.constantFrom('a', 'b'),
    external: fc.constantFrom('isp', 'other'),
    importPrefixes: prefixes,
    exportPrefixes: prefixes,
    ttlSecurity: fc.option(fc.constantFrom(1, 2), { nil: undefined }),
    maxPrefixes: fc.option(fc.constantFrom(100, 200), { nil: undefined }),
    password: fc.option(fc.constantFrom('', 'k1', 'k2'), { nil: undefined }),
    line: fc.nat(50),
  })
  .map(({ line, password, ttlSecurity, maxPrefixes, ...n }) => ({
    ...n,
    ...(ttlSecurity !== undefined ? { ttlSecurity } : {}),
    ...(maxPrefixes !== undefined ? { maxPrefixes } : {}),
    ...(password !== undefined ? { password: { secret: password } } : {}),
    origin: at(line),
  }));
const redistribution = fc.record({ protocol: fc.constantFrom('static' as const, 'bgp' as const, 'connected' as const), prefixes });

/**
 * The other side of a list: the same items (the same objects or copies) with a few changed,
 * some dropped, duplicated, added or moved; most runs change nothing or one thing.
 */
function otherSide<T extends object>(item: fc.Arbitrary<T>): (xs: T[]) => fc.Arbitrary<T[]> {
  const edit = fc.oneof(
    { weight: 6, arbitrary: fc.constant({ kind: 'same' as const }) },
    { weight: 3, arbitrary: fc.constant({ kind: 'copy' as const }) },
    { weight: 1, arbitrary: item.map((with_) => ({ kind: 'field' as const, with_ })) },
    { weight: 1, arbitrary: fc.constant({ kind: 'drop' as const }) },
    { weight: 1, arbitrary: fc.constant({ kind: 'twice' as const }) },
    { weight: 1, arbitrary: item.map((with_) => ({ kind: 'add' as const, with_ })) },
  );
  return (xs) =>
    fc.tuple(fc.array(edit, { minLength: xs.length, maxLength: xs.length }), fc.boolean(), fc.nat(100)).map(([edits, move, seed]) => {
      const out: T[] = [];
      xs.forEach((x, i) => {
        const e = edits[i]!;
        if (e.kind === 'same') out.push(x);
        else if (e.kind === 'copy') out.push({ ...x });
        else if (e.kind === 'twice') out.push(x, { ...x });
        else if (e.kind === 'add') out.push(x, e.with_);
        else if (e.kind === 'field') {
          // One field of another item: a value changed, or the item's key.
          const fields = Object.keys(e.with_) as (keyof T)[];
          const f = fields[seed % fields.length]!;
          out.push({ ...x, [f]: e.with_[f] });
        }
      });
      if (move && out.length > 1) out.push(out.splice(seed % out.length, 1)[0]!);
      return out;
    });
}

describe('compareConfiguration: lists that line up are compared as the full keyed comparison does', () => {
  const device: DeviceModel = exampleModel('acme').devices[0]!;
  const base: DeviceModel = { ...device, staticRoutes: [], bgp: undefined, ospf: undefined };
  const ospf = (redistribute: OspfModel['redistribute']): OspfModel => ({ routerId: '1.1.1.1', interfaces: [], redistribute, defaultOriginate: { ipv4: false, ipv6: false } });

  it('static routes (seeded)', () => {
    const pair = fc.array(route, { maxLength: 8 }).chain((xs) => otherSide(route)(xs).map((ys) => [xs, ys] as const));
    let lined = 0;
    fc.assert(
      fc.property(pair, ([expected, actual]) => {
        if (expected.length === actual.length) lined++;
        const got = compareConfiguration({ ...base, staticRoutes: expected }, { ...base, staticRoutes: actual });
        const want = keyed((k) => `static route ${k}`, expected, actual, routeKey, (r) => `distance ${r.distance ?? 'default'}`, (r) => r.origin);
        expect(got).toEqual(want);
      }),
      { seed: 36, numRuns: 3000 },
    );
    expect(lined).toBeGreaterThan(1000);
  });

  it('BGP neighbors (seeded)', () => {
    const pair = fc.array(neighbor, { maxLength: 5 }).chain((xs) => otherSide(neighbor)(xs).map((ys) => [xs, ys] as const));
    fc.assert(
      fc.property(pair, ([expected, actual]) => {
        const bgp = (neighbors: BgpNeighborModel[]): DeviceModel['bgp'] => ({ asn: 65000, routerId: '1.1.1.1', neighbors });
        const got = compareConfiguration({ ...base, bgp: bgp(expected) }, { ...base, bgp: bgp(actual) });
        expect(got).toEqual(keyed((k) => `BGP neighbor ${k}`, expected, actual, (n) => n.address, neighborValue, (n) => n.origin));
      }),
      { seed: 36, numRuns: 3000 },
    );
  });

  it('OSPF redistribution (seeded)', () => {
    const pair = fc.array(redistribution, { maxLength: 4 }).chain((xs) => otherSide(redistribution)(xs).map((ys) => [xs, ys] as const));
    fc.assert(
      fc.property(pair, ([expected, actual]) => {
        const got = compareConfiguration({ ...base, ospf: ospf(expected) }, { ...base, ospf: ospf(actual) });
        expect(got).toEqual(keyed((k) => `OSPF redistribution of ${k}`, expected, actual, (r) => r.protocol, (r) => `prefixes ${set(r.prefixes)}`, () => undefined));
      }),
      { seed: 36, numRuns: 2000 },
    );
  });

  it('an aligned list with one value changed in place is a difference', () => {
    const routes: StaticRouteModel[] = [
      { prefix: '10.1.0.0/16', nextHop: '10.0.0.1', origin: at(1) },
      { prefix: '10.2.0.0/16', nextHop: '10.0.0.1', distance: 5, origin: at(2) },
    ];
    const changed = [routes[0]!, { ...routes[1]!, distance: 10 }];
    expect(compareConfiguration({ ...base, staticRoutes: routes }, { ...base, staticRoutes: changed })).toEqual([
      { kind: 'item', item: 'static route 10.2.0.0/16 via 10.0.0.1', expected: 'distance 5', actual: 'distance 10', actualOrigin: at(2), expectedOrigin: at(2) },
    ]);
    // The same network written with host bits: one key, so nothing differs.
    const other = [routes[0]!, { ...routes[1]!, prefix: '10.2.0.1/16' }];
    expect(compareConfiguration({ ...base, staticRoutes: routes }, { ...base, staticRoutes: other })).toEqual([]);
  });
});
