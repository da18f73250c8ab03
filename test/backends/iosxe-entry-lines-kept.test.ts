// The IOS-XE reader keeps each prefix-list entry's line across files, chained in reading order
// (written-entries.ts): a line that is the next kept line's text takes what that line says, its
// words unread; and a route-map of one list read as one block in place takes the block's texts
// when they came in order (read-routing.ts routeMapPrefixes). Held here to the line-by-line
// reading (`inPlace: false`) and to the prefixes sorted and made unique afresh, on routers read
// one after another with seeded edits in their entries, and to the store's bound.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { DeviceModel } from '../../compiler/model.js';
import { comparePrefixes, formatPrefix, parsePrefix } from '../../language/address.js';
import { readIosxe } from '../../backends/cisco-iosxe/read.js';
import { WrittenReader } from '../../backends/cisco-iosxe/read-written.js';
import { entryGuessesTakenCount, keptEntryLineCounts, WrittenEntries } from '../../backends/cisco-iosxe/written-entries.js';
import { lexSections } from '../../backends/cisco-iosxe/lines.js';
import { ciscoIosxeBackend as ios } from '../../backends/cisco-iosxe/index.js';
import { contextOf, edgeRouter, networkOf } from './vendor-fixtures.js';

const LIST_LINE = 'ip prefix-list BGP-SNOWFLAKE-OUT seq 5 permit 10.10.2.0/24';
const LIST = 'ip prefix-list BGP-SNOWFLAKE-OUT';

/** `n` prefixes in order, /24s and some /16s of the same address. */
const PREFIXES = Array.from({ length: 60 }, (_, i) => (i % 7 === 3 ? `10.${i}.0.0/16` : `10.${i >> 1}.${i}.0/24`)).sort((a, b) => comparePrefixes(parsePrefix(a)!, parsePrefix(b)!));

/** The list's lines for `prefixes`, numbered as Plumb numbers them. */
const entryLines = (prefixes: readonly string[]): string[] => prefixes.map((p, i) => `${LIST} seq ${(i + 1) * 5} permit ${p}`);

function sortedUnique(prefixes: string[]): string[] {
  const ps = prefixes.map((p) => parsePrefix(p)!).sort(comparePrefixes);
  return [...new Set(ps.map(formatPrefix))];
}

const CHARS = [' ', '0', '1', '9', '.', '/', 'x', '\t', '5'];

describe('IOS-XE prefix-list entry lines kept across files', () => {
  const d: DeviceModel = edgeRouter();
  const cfg = ios.render(d, networkOf([d]))[0]!.content;
  const withLines = (lines: readonly string[]): string => cfg.replace(LIST_LINE, lines.join('\n'));
  const read = (content: string, inPlace: boolean) => readIosxe([{ path: 'edge1.cfg', content }], contextOf(d), { inPlace });
  /** The export prefixes read in place, checked against the line-by-line reading (the whole result as text). */
  const exported = (content: string): string[] | undefined => {
    const inPlace = read(content, true);
    expect(JSON.stringify(inPlace)).toBe(JSON.stringify(read(content, false)));
    return inPlace.device?.bgp?.neighbors[0]?.exportPrefixes;
  };

  it('read routers one after another as the line-by-line reader does, edited or not (seeded)', () => {
    expect(cfg).toContain(LIST_LINE);
    const lines = entryLines(PREFIXES);
    // primed: the chain holds these lines in order
    expect(exported(withLines(lines))).toEqual(PREFIXES);
    const edit = fc.tuple(fc.nat(lines.length - 1), fc.nat(60), fc.constantFrom(...CHARS), fc.constantFrom('insert', 'replace', 'delete', 'swap', 'drop'));
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 4 }), (edits) => {
        const out = [...lines];
        for (const [r, k, c, how] of edits) {
          const l = out[r]!;
          const i = k % (l.length + 1);
          if (how === 'insert') out[r] = l.slice(0, i) + c + l.slice(i);
          else if (how === 'replace') out[r] = l.slice(0, i) + c + l.slice(i + 1);
          else if (how === 'delete') out[r] = l.slice(0, i) + l.slice(i + 1);
          else if (how === 'drop') out[r] = `${LIST} seq 7 permit 10.200.0.0/16`;
          else if (r + 1 < out.length) [out[r], out[r + 1]] = [out[r + 1]!, out[r]!];
        }
        exported(withLines(out));
        // and the unedited router again, after the edited one
        expect(exported(withLines(lines))).toEqual(PREFIXES);
      }),
      { seed: 52, numRuns: 80 },
    );
  });

  it('take the guess for a router read again, and for one whose list leaves a prefix out', () => {
    const lines = entryLines(PREFIXES);
    exported(withLines(lines));
    let taken = entryGuessesTakenCount();
    expect(exported(withLines(lines))).toEqual(PREFIXES);
    // every entry but the first follows the one it followed before
    expect(entryGuessesTakenCount() - taken).toBeGreaterThanOrEqual(PREFIXES.length - 1);
    // a prefix left out shifts the numbers of those after it: they are read and chained anew, then taken
    const fewer = PREFIXES.filter((_, i) => i !== 20);
    exported(withLines(entryLines(fewer)));
    taken = entryGuessesTakenCount();
    expect(exported(withLines(entryLines(fewer)))).toEqual(fewer);
    expect(entryGuessesTakenCount() - taken).toBeGreaterThanOrEqual(fewer.length - 1);
  });

  it("give a route-map's prefixes sorted and unique when its list is more than one block, or out of order", () => {
    const lines = entryLines(PREFIXES);
    // the list's two halves apart, the second before the first
    const halves = [...lines.slice(30), 'hostname between', ...lines.slice(0, 30)];
    expect(exported(withLines(halves))).toEqual(PREFIXES);
    // an entry read line by line (two spaces) after the block, out of its order
    const after = [...lines, `${LIST}  seq 999 permit 1.0.0.0/8`];
    expect(exported(withLines(after))).toEqual(['1.0.0.0/8', ...PREFIXES]);
    // a repeat, and a swap, within the block
    expect(exported(withLines([...lines, `${LIST} seq 999 permit ${PREFIXES[59]!}`]))).toEqual(PREFIXES);
    const swapped = [...lines];
    [swapped[10], swapped[11]] = [swapped[11]!, swapped[10]!];
    expect(exported(withLines(swapped))).toEqual(sortedUnique(PREFIXES));
    // one block in order: its own texts
    const { items } = lexSections('edge1.cfg', withLines(lines), new WrittenReader('edge1.cfg'));
    const blocks = items.filter((i): i is WrittenEntries => i instanceof WrittenEntries && i.name === 'BGP-SNOWFLAKE-OUT');
    expect(blocks.map((b) => [b.increasing, b.texts])).toEqual([[true, PREFIXES]]);
  });

  it('never keep or chain more lines than the bound', () => {
    // every line a new one: 70,000 entries of two lists, read straight by lexSections
    const text = Array.from({ length: 70_000 }, (_, i) => `ip prefix-list L${i & 1} seq ${i + 5} permit 10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}/32`).join('\n');
    const { items } = lexSections('x.cfg', `${text}\nend\n`, new WrittenReader('x.cfg'));
    expect(items.filter((i) => i instanceof WrittenEntries).reduce((n, b) => n + b.entries.length, 0)).toBe(70_000);
    const { kept, chained } = keptEntryLineCounts();
    expect(kept).toBeLessThanOrEqual(1 << 16);
    expect(chained).toBeLessThanOrEqual(kept);
    expect(kept).toBeGreaterThan(0);
  });
});
