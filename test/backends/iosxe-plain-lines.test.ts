// The IOS-XE reader takes static routes under their annotation and prefix-list entries out of
// the line-by-line reading (`lexSections`, PlainLine) and reads them from their words. Held here
// to the general path on seeded hostile text: the sections a reader sees are lexConfig's and
// sectionsOf's (heads, bodies, the annotation above a route), the plain words are the line's
// words, the annotation's text is afterWords's; and the reader's diagnostics on edited routes.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { afterWords, lexConfig, lexSections, PlainLine, ROUTE_ANNOTATION, sectionOfPlain, sectionsOf, type IosLine, type Section } from '../../backends/cisco-iosxe/lines.js';
import { ciscoIosxeBackend as ios } from '../../backends/cisco-iosxe/index.js';
import { canonicalDevice } from '../../backends/canonical.js';
import { contextOf, edgeRouter, networkOf } from './vendor-fixtures.js';

const LINES = [
  '! plumb route origin p.plumb:1:1-1:9 [0,8]',
  '! plumb route origin p.plumb:1:1-1:9 [0,8] ',
  '! plumb route origin  p.plumb:1:1-1:9 [0,8]',
  '! plumb route origin',
  '! plumb route origin \u00a0x',
  ' ! plumb route origin p.plumb:1:1-1:9 [0,8]',
  'ip route 10.0.0.0 255.0.0.0 GigabitEthernet2 10.1.1.1',
  'ip route 10.0.0.0 255.0.0.0 10.1.1.1 200',
  'ip route 10.0.0.0 255.0.0.0 Null0',
  'ip route 10.0.0.0  255.0.0.0 10.1.1.1',
  'ip route 10.0.0.0 255.0.0.0 10.1.1.1 ',
  'ip route 10.0.0.0 255.0.0.0\t10.1.1.1',
  'ip route 10.0.0.0 255.0.0.0 10.1.1.1\r',
  'ip route ',
  'ip route',
  'ip route 300.0.0.0 255.0.0.0 10.1.1.1',
  'ip prefix-list A seq 5 permit 10.0.0.0/8',
  'ip prefix-list A seq 5 permit 10.0.0.0/8 ',
  'ip prefix-list A  seq 10 permit 10.1.0.0/16',
  'ip prefix-list B seq x permit 10.0.0.0/8',
  'ip prefix-list B seq 5 permit 2001:db8::/32',
  'ip prefix-list \u3000C seq 5 permit 10.0.0.0/8',
  'ip prefix-list ',
  'hostname r1',
  '!',
  '! other',
  '',
  ' ',
  '\t',
  ' no shutdown',
  ' ! indented comment',
  'interface GigabitEthernet2',
  '\u00a0ip route 10.0.0.0 255.0.0.0 10.1.1.1',
  'end',
];
const line = fc.oneof(
  fc.constantFrom(...LINES),
  fc.tuple(fc.constantFrom(...LINES), fc.nat(60), fc.constantFrom(' ', '  ', '\t', '\r', 'x', '\u00a0', '\u2028', 'é', '\v')).map(([l, at, s]) => l.slice(0, at) + s + l.slice(at)),
);
const content = fc.array(line, { maxLength: 40 }).map((ls) => ls.join('\n'));

/** A line's fields the readers use. */
const fields = (l: IosLine): unknown[] => [l.line, l.offset, l.text, l.indent, l.isComment, l.texts];

describe('IOS-XE routes and prefix-list entries read as text', () => {
  it('stand for the sections and lines lexConfig and sectionsOf make (seeded)', () => {
    fc.assert(
      fc.property(content, (text) => {
        const all = lexConfig('f.cfg', text);
        const want = sectionsOf(all);
        const { comments, items } = lexSections('f.cfg', text);
        expect(items.length).toBe(want.length);
        const taken = new Set<number>();
        items.forEach((item, k) => {
          const w = want[k]!;
          const s: Section = item instanceof PlainLine ? sectionOfPlain(item) : item;
          expect(fields(s.head)).toEqual(fields(w.head));
          expect(s.body.map(fields)).toEqual(w.body.map(fields));
          if (item instanceof PlainLine) {
            // a taken line has no body, and a route reads only the comment right above it
            expect(w.body).toEqual([]);
            taken.add(item.line);
            const last = w.before[w.before.length - 1];
            if (item.ann) {
              taken.add(item.ann.line);
              expect(fields(item.ann.ios())).toEqual(fields(last!));
              expect(item.ann.raw.trimEnd().slice(ROUTE_ANNOTATION.length)).toBe(afterWords(last!, ROUTE_ANNOTATION));
            } else expect(w.head.texts[1]).toBe('prefix-list');
            const words = item.words();
            if (words !== undefined) expect(words).toEqual(w.head.texts);
          } else {
            expect(s.before.map(fields)).toEqual(w.before.map(fields));
          }
        });
        expect(comments.map(fields)).toEqual(all.filter((l) => !taken.has(l.line) && l.indent === 0 && l.isComment).map(fields));
      }),
      { seed: 39, numRuns: 3000 },
    );
  });

  it('take the routes and entries Plumb writes, and no line with anything else around it', () => {
    const text = ['! plumb route origin p:1:1-1:2 [0,1]', 'ip route 10.0.0.0 255.0.0.0 10.1.1.1', 'ip prefix-list A seq 5 permit 10.0.0.0/8', 'ip prefix-list A seq 10 permit 10.1.0.0/16', ' body', '!', 'ip route 10.0.0.0 255.0.0.0 10.1.1.1', '!', ''].join('\n');
    const { items } = lexSections('f.cfg', text);
    // the route under its annotation and the first entry; the second entry has a body line, the last route no annotation
    expect(items.map((i) => (i instanceof PlainLine ? `plain ${i.line}` : `section ${i.head.line}`))).toEqual(['plain 2', 'plain 3', 'section 4', 'section 7']);
    expect((items[0] as PlainLine).words()).toEqual(['ip', 'route', '10.0.0.0', '255.0.0.0', '10.1.1.1']);
  });

  it('read an edited route as before: every use of an undefined interface reported, with its span', () => {
    const d = edgeRouter();
    const cfg = ios.render(d, networkOf([d]))[0]!.content;
    const route = 'ip route 10.10.0.0 255.255.0.0 GigabitEthernet1 10.255.0.1 200';
    expect(cfg).toContain(route);
    const edited = cfg.replace(route, [route, '! plumb route origin p:1:1-1:2 [0,1]', 'ip route 10.20.0.0 255.255.0.0 GigabitEthernet9 10.255.0.1', '! plumb route origin p:1:1-1:2 [0,1]', 'ip route 10.30.0.0 255.255.0.0 GigabitEthernet9 10.255.0.1', '! plumb route origin p:1:1-1:2 [0,1]', 'ip route 10.40.0.0 255.255.0.0 GigabitEthernet1 10.255.0.1'].join('\n'));
    const r = ios.read([{ path: 'edge1.cfg', content: edited }], contextOf(d));
    const undefinedUses = r.diagnostics.filter((x) => x.message.includes('GigabitEthernet9'));
    expect(undefinedUses.map((x) => x.message)).toEqual([
      'static route 10.20.0.0/16 uses interface GigabitEthernet9, which is not defined',
      'static route 10.30.0.0/16 uses interface GigabitEthernet9, which is not defined',
    ]);
    expect(undefinedUses.map((x) => x.span.file)).toEqual(['edge1.cfg', 'edge1.cfg']);
    // a route whose words are not plain is read from its line, with the same diagnostics
    const spaced = edited.replace('ip route 10.30.0.0 255.255.0.0 GigabitEthernet9', 'ip route 10.30.0.0  255.255.0.0 GigabitEthernet9');
    const r2 = ios.read([{ path: 'edge1.cfg', content: spaced }], contextOf(d));
    expect(r2.diagnostics.map((x) => x.message)).toEqual(r.diagnostics.map((x) => x.message));
    expect(r2.device?.staticRoutes).toEqual(r.device?.staticRoutes);
  });

  it('are written in blocks of joined lines and read back: a router with more routes and list entries than a block', () => {
    const d = edgeRouter();
    const at = d.staticRoutes[0]!.origin;
    const v4 = Array.from({ length: 700 }, (_, i) => ({ prefix: `10.${100 + (i >> 8)}.${i & 255}.0/24`, interface: 'GigabitEthernet1', nextHop: '10.255.0.1', origin: { ...at, start: { ...at.start, offset: i } } }));
    const v6 = Array.from({ length: 600 }, (_, i) => ({ prefix: `2001:db8:${(0x100 + i).toString(16)}::/48`, nextHop: 'fe80::2', interface: 'GigabitEthernet1', origin: at }));
    d.staticRoutes = [...d.staticRoutes, ...v4, ...v6];
    d.ospf!.redistribute = d.ospf!.redistribute.map((r) => (r.protocol === 'static' ? { ...r, prefixes: [...r.prefixes, ...v4.map((x) => x.prefix), ...v6.map((x) => x.prefix)] } : r));
    const lines = ios.render(d, networkOf([d]))[0]!.content.split('\n');
    // each family's routes in one run, every route under its annotation, the run closed by `!`
    for (const kw of ['ip route ', 'ipv6 route ']) {
      const first = lines.findIndex((l) => l.startsWith(kw));
      const count = lines.filter((l) => l.startsWith(kw)).length;
      expect(count).toBe(kw === 'ip route ' ? 702 : 601);
      for (let k = 0; k < count; k++) {
        expect(lines[first - 1 + 2 * k]!.startsWith('! plumb route origin ')).toBe(true);
        expect(lines[first + 2 * k]!.startsWith(kw)).toBe(true);
      }
      expect(lines[first - 1 + 2 * count]).toBe('!');
    }
    for (const kw of ['ip prefix-list ', 'ipv6 prefix-list ']) {
      const first = lines.findIndex((l) => l.startsWith(kw));
      const count = lines.filter((l) => l.startsWith(kw)).length;
      expect(count).toBeGreaterThan(600);
      expect(lines.slice(first, first + count).every((l) => l.startsWith(kw))).toBe(true);
      expect(lines[first + count]).toBe('!');
    }
    const r = ios.read([{ path: 'edge1.cfg', content: lines.join('\n') }], contextOf(d));
    expect(r.diagnostics).toEqual([]);
    expect(r.device).toEqual(canonicalDevice(d));
  });
});
