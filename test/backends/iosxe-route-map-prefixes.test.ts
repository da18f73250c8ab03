// A route-map's prefixes as the reader gives them (OSPF's redistribution): every permitted
// prefix-list entry's network, once, in comparePrefixes's order, whatever the entries' sequence
// order, duplicates within and across lists, and host bits as written. Held to that definition
// on seeded hand-edited lists.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ciscoIosxeBackend as ios } from '../../backends/cisco-iosxe/index.js';
import { comparePrefixes, formatPrefix, network, parsePrefix } from '../../language/address.js';
import { contextOf, edgeRouter, networkOf } from './vendor-fixtures.js';

/** The definition: each prefix's network, sorted, each once. */
function expected(prefixes: string[]): string[] {
  return [...new Set(prefixes.map((p) => network(parsePrefix(p)!)).sort(comparePrefixes).map(formatPrefix))];
}

const prefix = fc
  .tuple(fc.constantFrom(10, 172, 192), fc.nat(3), fc.nat(3), fc.constantFrom(0, 0, 7), fc.constantFrom(8, 16, 24, 30, 32))
  .map(([a, b, c, d, len]) => `${a}.${b}.${c}.${d}/${len}`);
const list = fc.array(prefix, { minLength: 1, maxLength: 30 });

/** `ip prefix-list NAME` entries in a shuffled order, with distinct sequence numbers. */
function entries(name: string, prefixes: string[], order: number[]): string[] {
  const lines = prefixes.map((p, i) => `ip prefix-list ${name} seq ${(i + 1) * 5} permit ${p}`);
  return order.map((k) => k % lines.length).filter((k, i, all) => all.indexOf(k) === i).map((k) => lines[k]!).concat(lines.filter((_, k) => !order.some((o) => o % lines.length === k)));
}

describe('IOS-XE route-map prefixes read back', () => {
  it('are the permitted entries\' networks, sorted, each once (seeded hand-edited lists)', () => {
    const d = edgeRouter();
    const cfg = ios.render(d, networkOf([d]))[0]!.content;
    const lines = cfg.split('\n');
    const at = lines.findIndex((l) => l.startsWith('ip prefix-list OSPF-BGP '));
    const mapAt = lines.findIndex((l) => l === 'route-map OSPF-BGP permit 10');
    expect(at).toBeGreaterThan(0);
    expect(mapAt).toBeGreaterThan(0);
    fc.assert(
      fc.property(list, list, fc.array(fc.nat(40), { maxLength: 40 }), (a, b, order) => {
        const edited = lines.filter((l) => !l.startsWith('ip prefix-list OSPF-BGP '));
        const mapTo = edited.indexOf('route-map OSPF-BGP permit 10');
        edited.splice(mapTo, 0, 'route-map OSPF-BGP permit 20', ' match ip address prefix-list EXTRA', '!');
        edited.splice(at, 0, ...entries('OSPF-BGP', a, order), ...entries('EXTRA', b, order.slice().reverse()));
        const r = ios.read([{ path: 'edge1.cfg', content: edited.join('\n') }], contextOf(d));
        expect(r.diagnostics.filter((x) => x.severity === 'error')).toEqual([]);
        // BGP is redistributed in IPv4 only: one route-map, no second family's merged in
        const got = r.device!.ospf!.redistribute.find((x) => x.protocol === 'bgp')!.prefixes;
        expect(got).toEqual(expected([...a, ...b]));
      }),
      { seed: 40, numRuns: 200 },
    );
  });

  it('of a single list are its entries\' networks, sorted, each once (seeded hand-edited lists)', () => {
    const d = edgeRouter();
    const lines = ios.render(d, networkOf([d]))[0]!.content.split('\n');
    const at = lines.findIndex((l) => l.startsWith('ip prefix-list OSPF-BGP '));
    expect(at).toBeGreaterThan(0);
    fc.assert(
      fc.property(list, fc.array(fc.nat(40), { maxLength: 40 }), (a, order) => {
        const edited = lines.filter((l) => !l.startsWith('ip prefix-list OSPF-BGP '));
        edited.splice(at, 0, ...entries('OSPF-BGP', a, order));
        const r = ios.read([{ path: 'edge1.cfg', content: edited.join('\n') }], contextOf(d));
        expect(r.diagnostics.filter((x) => x.severity === 'error')).toEqual([]);
        expect(r.device!.ospf!.redistribute.find((x) => x.protocol === 'bgp')!.prefixes).toEqual(expected(a));
      }),
      { seed: 41, numRuns: 200 },
    );
  });
});
