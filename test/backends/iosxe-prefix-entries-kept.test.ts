// The IOS-XE reader keeps the prefixes of the prefix-list entries it reads in place by address
// and length, across files (written-entries.ts), and gives a route-map's prefixes
// without sorting them when its lists are already in order and without repeats (read-routing.ts
// routeMapPrefixes). Held here, on seeded lists (any order, repeated prefixes, one address with
// several lengths, files read one after another), to the prefixes parsed, sorted and made
// unique afresh, and to the line-by-line reader. And a taken line still drops the comments above it.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { DeviceModel } from '../../compiler/model.js';
import { comparePrefixes, formatPrefix, parsePrefix } from '../../language/address.js';
import { lexSections } from '../../backends/cisco-iosxe/lines.js';
import { readIosxe } from '../../backends/cisco-iosxe/read.js';
import { WrittenReader } from '../../backends/cisco-iosxe/read-written.js';
import { ciscoIosxeBackend as ios } from '../../backends/cisco-iosxe/index.js';
import { contextOf, edgeRouter, networkOf } from './vendor-fixtures.js';

const LIST_LINE = 'ip prefix-list BGP-SNOWFLAKE-OUT seq 5 permit 10.10.2.0/24';
const LIST = 'ip prefix-list BGP-SNOWFLAKE-OUT';

/** Networks, several of one address: 10.0.0.0/8, /16, /24 and so on. */
const PREFIXES = ['0.0.0.0/0', '10.0.0.0/8', '10.0.0.0/16', '10.0.0.0/24', '10.0.0.0/32', '10.1.0.0/16', '10.1.0.0/24', '10.1.2.0/24', '192.168.0.0/16', '192.168.0.0/24', '192.168.0.128/25', '255.255.255.255/32'];

/** The prefixes parsed, sorted and made unique afresh, as routeMapPrefixes gave them before. */
function sortedUnique(prefixes: string[]): string[] {
  const ps = prefixes.map((p) => parsePrefix(p)!).sort(comparePrefixes);
  return [...new Set(ps.map(formatPrefix))];
}

describe('IOS-XE prefix-list entries and route-map prefixes', () => {
  const d: DeviceModel = edgeRouter();
  const cfg = ios.render(d, networkOf([d]))[0]!.content;
  const read = (content: string, inPlace: boolean) => readIosxe([{ path: 'edge1.cfg', content }], contextOf(d), { inPlace });

  it('give the prefixes sorted and unique, in order or not, with repeats or not (seeded)', () => {
    expect(cfg).toContain(LIST_LINE);
    let inOrder = 0;
    fc.assert(
      fc.property(fc.array(fc.array(fc.constantFrom(...PREFIXES), { minLength: 1, maxLength: 10 }), { minLength: 1, maxLength: 3 }), (files) => {
        // files one after another: an address read with one length in a file, another in the next
        for (const list of files) {
          const entries = list.map((p, i) => `${LIST} seq ${(i + 1) * 5} permit ${p}`).join('\n');
          const content = cfg.replace(LIST_LINE, entries);
          const inPlace = read(content, true);
          const expected = sortedUnique(list);
          if (expected.length === list.length && expected.every((p, i) => p === list[i])) inOrder++;
          expect(inPlace.device?.bgp?.neighbors[0]?.exportPrefixes).toEqual(expected);
          expect(JSON.stringify(inPlace)).toBe(JSON.stringify(read(content, false)));
        }
      }),
      { seed: 43, numRuns: 400 },
    );
    // lists already in order (the renderer's) were among them
    expect(inOrder).toBeGreaterThan(50);
  });

  it('give what the renderer wrote for a long list in order', () => {
    const prefixes = Array.from({ length: 2000 }, (_, i) => `10.${i >> 8}.${i & 255}.0/24`);
    const entries = prefixes.map((p, i) => `${LIST} seq ${(i + 1) * 5} permit ${p}`).join('\n');
    const content = cfg.replace(LIST_LINE, entries);
    const got = read(content, true).device?.bgp?.neighbors[0]?.exportPrefixes;
    expect(got).toEqual(prefixes);
    // and the same with its last entry repeated, then with two entries swapped
    const repeated = `${entries}\n${LIST} seq 10005 permit ${prefixes[1999]!}`;
    expect(read(cfg.replace(LIST_LINE, repeated), true).device?.bgp?.neighbors[0]?.exportPrefixes).toEqual(prefixes);
    const swapped = entries.replace('permit 10.0.1.0/24', 'permit X').replace('permit 10.0.2.0/24', 'permit 10.0.1.0/24').replace('permit X', 'permit 10.0.2.0/24');
    expect(read(cfg.replace(LIST_LINE, swapped), true).device?.bgp?.neighbors[0]?.exportPrefixes).toEqual(prefixes);
  });

  it('drop the comments above a taken line, and keep those above a section', () => {
    const text = ['! above an entry', LIST_LINE, '! above a section', 'hostname x', '! above two entries', '! and again', LIST_LINE, `${LIST} seq 10 permit 10.0.0.0/8`, 'router ospf 1', ' router-id 1.1.1.1', ''].join('\n');
    const { items } = lexSections('x.cfg', text, new WrittenReader('x.cfg'));
    const sections = items.filter((s) => typeof s === 'object' && s !== null && 'head' in s && 'before' in s) as { head: { text: string }; before: { text: string }[] }[];
    expect(sections.map((s) => [s.head.text, s.before.map((l) => l.text)])).toEqual([
      ['hostname x', ['! above a section']],
      ['router ospf 1', []],
    ]);
  });
});
