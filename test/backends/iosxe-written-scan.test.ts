// The one-pass word readers of read-written.ts (written-scan.ts), held to the reading they
// replaced: split the line at single spaces, then read the word (ipv4Number, its digits, its
// characters). Seeded lines of digits, dots, spaces, tabs, letters, colons and slashes.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { digitsWordAt, dottedAt, dottedWordAt, nameEnd, scanned } from '../../backends/cisco-iosxe/written-scan.js';
import { ipv4Number } from '../../backends/cisco-iosxe/syntax.js';
import { lexSections } from '../../backends/cisco-iosxe/lines.js';
import { isTakenRoute, WrittenReader } from '../../backends/cisco-iosxe/read-written.js';
import { WrittenEntries } from '../../backends/cisco-iosxe/written-entries.js';
import { IosState, prefixText } from '../../backends/cisco-iosxe/read-state.js';
import { readWrittenEntries } from '../../backends/cisco-iosxe/read-routing.js';

const PIECES = ['0', '1', '9', '00', '01', '10', '25', '255', '256', '999', '4294967294', '4294967295', '.', '.', '.', ' ', ' ', '  ', '\t', 'a', 'Gi', ':', '/', '-', '\u00e9', '\u007f'];
const line = fc.array(fc.constantFrom(...PIECES), { minLength: 0, maxLength: 14 }).map((p) => p.join(''));

/** The word at `at` as the split reading saw it: up to the next space, and whether it ends well. */
function wordOf(text: string, at: number, end: number): { word: string; wordEnd: number; ends: boolean } {
  const space = text.indexOf(' ', at);
  const wordEnd = space < 0 || space >= end ? end : space;
  const next = text.charCodeAt(wordEnd + 1);
  return { word: text.slice(at, wordEnd), wordEnd, ends: wordEnd === end || (wordEnd + 1 < end && next >= 0x21 && next <= 0x7e) };
}
const printable = (w: string, noColon: boolean): boolean => w.length > 0 && [...w].every((c) => c >= '!' && c <= '~' && !(noColon && c === ':'));

describe('IOS-XE route and entry words read in one pass', () => {
  it('read a dotted address, digits and a name as the split words give them (seeded)', () => {
    fc.assert(
      fc.property(line, fc.nat(20), fc.nat(3), fc.integer({ min: 0, max: 4294967294 }), (text, k, cut, max) => {
        // the line may end before the text does (a line break follows in a file)
        const end = Math.max(0, text.length - cut);
        const at = k % (end + 1);
        const { word, wordEnd, ends } = wordOf(text, at, end);
        const v4 = ipv4Number(word);
        expect(dottedWordAt(text, at, end)).toBe(ends && v4 !== undefined ? v4 : -1);
        if (ends && v4 !== undefined) expect(scanned.at).toBe(wordEnd);
        const digits = /^\d+$/.test(word) && Number(word) <= max ? Number(word) : -1;
        expect(digitsWordAt(text, at, end, max)).toBe(ends ? digits : -1);
        if (ends && digits >= 0) expect(scanned.at).toBe(wordEnd);
        for (const noColon of [false, true]) expect(nameEnd(text, at, end, noColon)).toBe(ends && printable(word, noColon) ? wordEnd : -1);
      }),
      { seed: 16, numRuns: 20_000 },
    );
  });

  it('read a prefix\'s address up to its slash, as ipv4Number reads the text before it (seeded)', () => {
    fc.assert(
      fc.property(line, (text) => {
        const slash = text.indexOf('/');
        const value = dottedAt(text, 0, text.length);
        const before = ipv4Number(text.slice(0, slash < 0 ? text.length : slash));
        if (value >= 0 && (scanned.at === text.length || text[scanned.at] === '/')) expect(value).toBe(before);
        if (before !== undefined) {
          expect(value).toBe(before);
          expect(scanned.at).toBe(slash < 0 ? text.length : slash);
        }
      }),
      { seed: 17, numRuns: 20_000 },
    );
  });

  it('take the lines Plumb writes, and a word of any other form goes to the line-by-line reader', () => {
    const cfg = [
      '! plumb route origin a.plumb:1:1-1:9 [0,8]',
      'ip route 10.0.0.0 255.255.255.0 GigabitEthernet1 10.255.0.1 250',
      'ip prefix-list L seq 5 permit 10.0.0.0/24',
      'ip prefix-list L seq 10 permit 10.0.1.0/24',
      'end',
    ];
    // the routes and entries taken: a line refused is a PlainLine instead
    const taken = (lines: string[]): number =>
      lexSections('x.cfg', lines.join('\n'), new WrittenReader('x.cfg')).items.reduce((n, i) => n + (isTakenRoute(i) ? 1 : i instanceof WrittenEntries ? i.entries.length : 0), 0);
    expect(taken(cfg)).toBe(3);
    const entries = lexSections('x.cfg', cfg.join('\n'), new WrittenReader('x.cfg')).items.find((i) => i instanceof WrittenEntries);
    expect((entries as WrittenEntries).entries.map((p) => p.value)).toEqual([0x0a000000n, 0x0a000100n]);
    for (const [at, edited] of [
      [1, 'ip route 10.0.0.0 255.255.255.0 GigabitEthernet1 10.255.0.1 250 '],
      [1, 'ip route 10.0.0.0 255.255.255.0 Gi:1 10.255.0.1'],
      [1, 'ip route 10.0.0.0 255.255.255.0 GigabitEthernet1 10.255.0.01'],
      [1, 'ip route 10.0.0.0 255.255.255.0 GigabitEthernet1 10.255.0.1 256'],
      [1, 'ip route 10.0.0.0 255.255.255.0 GigabitEthernet1  10.255.0.1'],
      [2, 'ip prefix-list L seq 05x permit 10.0.0.0/24'],
      [2, 'ip prefix-list L seq 4294967295 permit 10.0.0.0/24'],
      [2, 'ip prefix-list L seq 5 permit 10.0.0.0/024'],
      [2, 'ip prefix-list L seq 5 permit 10.0.0.0/24 '],
      [2, 'ip prefix-list L seq 5 permix 10.0.0.0/24'],
      [2, 'ip prefix-list L sex 5 permit 10.0.0.0/24'],
      [2, 'ip prefix-list L seq 5 permit 10.0.0.0/2x'],
    ] as const) {
      const lines = [...cfg];
      lines[at] = edited;
      expect(taken(lines), edited).toBe(2);
    }
  });

  it('give a prefix-list split in two blocks all its entries, in order', () => {
    const cfg = ['ip prefix-list L seq 5 permit 10.0.0.0/24', 'ip prefix-list M seq 5 permit 10.9.0.0/24', 'ip prefix-list L seq 10 permit 10.0.1.0/24', 'end'].join('\n');
    const state = new IosState('x.cfg');
    const blocks = lexSections('x.cfg', cfg, new WrittenReader('x.cfg')).items.filter((i) => i instanceof WrittenEntries);
    expect(blocks.length).toBe(3);
    for (const b of blocks) readWrittenEntries(state, b);
    expect(state.prefixLists.get('4:L')!.entries.map(prefixText)).toEqual(['10.0.0.0/24', '10.0.1.0/24']);
    expect(state.prefixLists.get('4:M')!.entries.map(prefixText)).toEqual(['10.9.0.0/24']);
  });
});
