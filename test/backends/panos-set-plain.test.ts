// The set comparison (set-match.ts) knows a file's lines are normal from the words it matched when
// each is plain, and scans the file only when one is not. A word that is not plain, in each place
// a word stands (an entry's name in a path, a path's last word, a member, a leaf's text), is
// written alike in both files here: the file is then the set form of the XML word for word, and
// only the scan finds the line that is not normal, as comparing the lines does.

import { describe, expect, it } from 'vitest';
import { isPlainWord, isSetOf } from '../../backends/paloalto-panos/set-match.js';
import { setLines } from '../../backends/paloalto-panos/set.js';
import { parseXml } from '../../backends/paloalto-panos/xml.js';

/** A device with an address (a path word and a leaf's text) and a rule (members, a leaf). */
const config = (address: string, value: string, member: string, description: string): string =>
  `<config><devices><entry name="localhost.localdomain"><vsys><entry name="vsys1">
<address><entry name="${address}"><ip-netmask>${value}</ip-netmask></entry></address>
<rulebase><security><rules><entry name="r1"><from><member>${member}</member><member>z2</member></from>
<description>${description}</description><x/></entry></rules></security></rulebase>
</entry></vsys></entry></devices></config>`;

/** The lines of `xml`, each ended by a line break: the set file as written for it. */
const written = (xml: string): string => setLines(parseXml('f.xml', xml).root!).map((l) => `${l}\n`).join('');

describe('PAN-OS set file: lines known normal from plain words', () => {
  it('a plain word is one that cannot make a line not normal', () => {
    for (const w of ['a', 'h-10.0.1.1', '"a b"', 'x~!', '\u00e9t\u00e9']) expect(isPlainWord(w), w).toBe(true);
    for (const w of ['', ' a', 'a ', 'a  b', 'a\tb', 'a\nb', '\r', 'a\u00a0b', 'a\u2028', '\u0001']) expect(isPlainWord(w), JSON.stringify(w)).toBe(false);
  });

  it('the file as written for plain words is the set form', () => {
    const xml = config('h1', '10.0.0.1/32', 'z1', 'a description');
    expect(isSetOf(written(xml), parseXml('f.xml', xml).root!)).toBe(true);
  });

  it('a word that is not plain, written alike in both files, is found in every place a word stands', () => {
    // an empty entry name (a path word: its spaces are escaped, so only the empty name is not
    // plain), a leaf's text, members, a description
    const cases = [
      config('', '10.0.0.1/32', 'z1', 'd'),
      config('h1', '10.0.0.1  x', 'z1', 'd'),
      config('h1', '10.0.0.1/32', 'z  1', 'd'),
      config('h1', '10.0.0.1/32', '', 'd'),
      config('h1', '10.0.0.1/32', 'z1', 'a\tb'),
      config('h1', '10.0.0.1/32', 'z1\u00a0', 'd'),
      config('h1', '10.0.0.1/32', '\u2028', 'd'),
    ];
    for (const xml of cases) {
      const root = parseXml('f.xml', xml).root!;
      const set = written(xml);
      // the walk matches the file word for word: only the scan tells
      expect(isSetOf(set, root), JSON.stringify(set)).toBe(false);
    }
  });

  it('a line break inside a member, written alike in both files, is decided as before (the file scanned)', () => {
    // not plain, so the file is scanned: a line break alone leaves every line normal
    const xml = config('h1', '10.0.0.1/32', 'z\n1', 'd');
    expect(isSetOf(written(xml), parseXml('f.xml', xml).root!)).toBe(true);
    // with a space after it, the next line starts with one
    const spaced = config('h1', '10.0.0.1/32', 'z\n 1', 'd');
    expect(isSetOf(written(spaced), parseXml('f.xml', spaced).root!)).toBe(false);
  });
});
