// The IOS-XE reader reads static routes and prefix-list entries written as Plumb writes them
// straight from the text (read-written.ts) and everything else line by line. Held here to the
// line-by-line reading (`readIosxe`'s `inPlace: false`) on seeded hand-edited and hostile
// configurations: the same device (key order included) and the same diagnostics.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { DeviceModel } from '../../compiler/model.js';
import { lexSections, PlainLine } from '../../backends/cisco-iosxe/lines.js';
import { readIosxe } from '../../backends/cisco-iosxe/read.js';
import { isTakenRoute, WrittenReader } from '../../backends/cisco-iosxe/read-written.js';
import { WrittenEntries } from '../../backends/cisco-iosxe/written-entries.js';
import { ciscoIosxeBackend as ios } from '../../backends/cisco-iosxe/index.js';
import { contextOf, edgeRouter, networkOf } from './vendor-fixtures.js';

/** The edge router with routes of every form the renderer writes, all redistributed into OSPF. */
function router(): DeviceModel {
  const d = edgeRouter();
  const at = d.staticRoutes[0]!.origin;
  const span = (i: number): typeof at => ({ ...at, start: { ...at.start, offset: i }, end: { ...at.end, offset: i + 9 } });
  const extra = [
    ...Array.from({ length: 40 }, (_, i) => ({ prefix: `10.${100 + (i >> 4)}.${(i & 15) * 16}.0/20`, interface: 'GigabitEthernet1', nextHop: '10.255.0.1', origin: span(i) })),
    { prefix: '10.200.0.0/16', nextHop: '10.255.0.1', origin: span(50) },
    { prefix: '10.201.0.0/16', interface: 'GigabitEthernet1', origin: span(51) },
    { prefix: '10.202.0.0/16', nextHop: '10.255.0.1', distance: 250, origin: span(52) },
    { prefix: '10.203.0.0/16', discard: true as const, origin: span(53) },
    { prefix: '0.0.0.0/0', interface: 'GigabitEthernet2', nextHop: '169.254.10.2', distance: 1, origin: span(54) },
    { prefix: '2001:db8:77::/48', interface: 'GigabitEthernet1', nextHop: 'fe80::2', origin: span(55) },
  ];
  d.staticRoutes = [...d.staticRoutes, ...extra];
  d.ospf!.redistribute = d.ospf!.redistribute.map((r) => (r.protocol === 'static' ? { ...r, prefixes: [...r.prefixes, ...extra.map((x) => x.prefix)] } : r));
  return d;
}

const WORDS = [
  'Null0', 'null0', 'NULL0', 'Null00', '0', '00', '1', '255', '256', '010', '10.255.0.1', '010.255.0.1', '10.255.0.256', '10.255.0',
  '255.255.255.0', '255.0.255.0', '0.0.0.0', '255.255.255.255', '2001:db8::1', 'fe80::2', 'Gi:1', '-x', 'GigabitEthernet9', 'seq',
  'permit', 'deny', '4294967294', '4294967295', '10.1.2.3/24', '10.1.2.0/24', '10.1.2.0/08', '10.1.2.0/33', '10.1.2.0/0',
  '0.0.0.0/0', '2001:db8::/32', 'p:1:1-1:2 [0,1]', 'p:1:1-1:2', 'OSPF-STATIC', 'OTHER', 'route', 'ip', 'ipv6', 'prefix-list', '!',
];
const CHARS = [' ', '  ', '\t', '\r', '\u00a0', 'x', '0', '1', ':', '/', '.', 'é'];

type Edit = (lines: string[], at: number) => void;
const wordEdit = (f: (words: string[], k: number) => void): fc.Arbitrary<Edit> =>
  fc.nat(8).map((k) => (lines, at) => {
    const words = lines[at]!.split(' ');
    f(words, k % words.length);
    lines[at] = words.join(' ');
  });
const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.tuple(fc.nat(80), fc.constantFrom(...CHARS)).map(([k, c]): Edit => (lines, at) => {
    const l = lines[at]!;
    const i = k % (l.length + 1);
    lines[at] = l.slice(0, i) + c + l.slice(i);
  }),
  fc.constantFrom(...WORDS).chain((w) => wordEdit((words, k) => void (words[k] = w))),
  fc.constantFrom(...WORDS).chain((w) => wordEdit((words, k) => void words.splice(k, 0, w))),
  wordEdit((words, k) => void words.splice(k, 1)),
  fc.constant<Edit>((lines, at) => void lines.splice(at, 1)),
  fc.constant<Edit>((lines, at) => void lines.splice(at, 0, lines[at]!)),
  fc.constant<Edit>((lines, at) => void lines.splice(at, 2, lines[at + 1] ?? '', lines[at]!)),
  fc.constant<Edit>((lines, at) => void lines.splice(at, 0, ' description x')),
);

/** A device and its diagnostics as text: key order and every value compared. */
const both = (content: string, d: DeviceModel): [string, string] => {
  const files = [{ path: 'edge1.cfg', content }];
  const of = (inPlace: boolean): string => JSON.stringify(readIosxe(files, contextOf(d), { inPlace }));
  return [of(true), of(false)];
};

describe('IOS-XE routes and prefix-list entries read in place', () => {
  const d = router();
  const cfg = ios.render(d, networkOf([d]))[0]!.content;
  const lines = cfg.split('\n');
  // the lines an edit lands on: routes, their annotations and list entries, mostly
  const routing = lines.flatMap((l, k) => (/^(! plumb route|ip route|ipv6 route|ip prefix-list|ipv6 prefix-list)/.test(l) ? [k] : []));

  it('take every IPv4 route and entry Plumb writes, but the route to Null0', () => {
    const { items } = lexSections('edge1.cfg', cfg, new WrittenReader('edge1.cfg'));
    const plain = items.filter((i) => i instanceof PlainLine).map((p) => p.raw);
    expect(plain).toEqual([expect.stringMatching(/^ip route 10\.203\.0\.0 255\.255\.0\.0 Null0$/)]);
    const routes = items.filter(isTakenRoute).length;
    const entries = items.filter((i) => i instanceof WrittenEntries).reduce((n, b) => n + b.entries.length, 0);
    expect(routes).toBe(lines.filter((l) => l.startsWith('ip route ')).length - 1);
    expect(entries).toBe(lines.filter((l) => l.startsWith('ip prefix-list ')).length);
    // consecutive entries of a list are one item
    expect(items.filter((i) => i instanceof WrittenEntries).length).toBeLessThan(5);
    const [inPlace, byLine] = both(cfg, d);
    expect(inPlace).toBe(byLine);
    expect(JSON.parse(inPlace).diagnostics).toEqual([]);
  });

  it('read edited and hostile text as the line-by-line reader does (seeded)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(routing.length - 1), edit), { minLength: 1, maxLength: 6 }), (edits) => {
        const ls = [...lines];
        for (const [k, e] of edits) e(ls, Math.min(routing[k]!, ls.length - 1));
        const [inPlace, byLine] = both(ls.join('\n'), d);
        expect(inPlace).toBe(byLine);
      }),
      { seed: 41, numRuns: 1000 },
    );
  });
});
