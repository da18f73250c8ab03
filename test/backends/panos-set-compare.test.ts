// The PAN-OS reader compares the `.set` file with the XML line by line, whitespace normalized:
// lines written with other spacing say the same; a line that differs is R912 at its line. A file
// exactly as the renderer writes it is recognized as the lines are made; anything else near it is
// compared as before.

import { describe, expect, it } from 'vitest';
import { paloaltoPanosBackend as panos } from '../../backends/paloalto-panos/index.js';
import { isSetOf } from '../../backends/paloalto-panos/set-match.js';
import { setLines } from '../../backends/paloalto-panos/set.js';
import { parseXml, type XmlElement } from '../../backends/paloalto-panos/xml.js';
import { contextOf, firewall, networkOf } from './vendor-fixtures.js';
import { exampleDevices } from './examples.js';
import { withTexts } from './hostile.js';
import { prng } from '../verifier/random-networks.js';

const [xml, set] = panos.render(firewall(), networkOf([firewall()])).map((f) => f.content) as [string, string];
const read = (setText: string) => panos.read([{ path: 'fw1.xml', content: xml }, { path: 'fw1.set', content: setText }], contextOf(firewall()));

describe('PAN-OS set file against the XML', () => {
  it('the same lines written with other spacing say the same', () => {
    const spaced = set
      .split('\n')
      .map((l, i) => [l, ` ${l}`, `${l} `, l.replace(/ /g, '  '), l.replace(/ /g, '\t'), `${l}\r`, l.replace(' ', '\u00a0')][i % 7])
      .join('\n');
    expect(spaced).not.toBe(set);
    expect(read(spaced).diagnostics).toEqual([]);
  });

  it('the same lines in another order say the same; a line written twice is R912 at the second', () => {
    const lines = set.split('\n');
    const i = lines.indexOf('set rulebase security rules default-deny action deny');
    expect(i).toBeGreaterThan(1);
    const swapped = [...lines];
    [swapped[i - 1], swapped[i]] = [swapped[i]!, swapped[i - 1]!];
    expect(read(swapped.join('\n')).diagnostics).toEqual([]);
    expect(read([...lines].reverse().join('\n')).diagnostics).toEqual([]);
    const twice = [...lines.slice(0, i + 1), lines[i]!, ...lines.slice(i + 1)];
    const d = read(twice.join('\n')).diagnostics;
    expect(d.map((x) => [x.code, x.span.file, x.span.start.line])).toEqual([['R912', 'fw1.set', i + 2]]);
  });

  it('a changed line is R912 at its line, however it is spaced', () => {
    const lines = set.split('\n');
    const i = lines.indexOf('set rulebase security rules default-deny action deny');
    expect(i).toBeGreaterThan(0);
    for (const edit of ['set rulebase security rules default-deny action allow', 'set  rulebase security rules default-deny action allow ', 'set rulebase security rules default-deny action  deny x']) {
      const d = read([...lines.slice(0, i), edit, ...lines.slice(i + 1)].join('\n')).diagnostics;
      expect(d.map((x) => [x.code, x.span.file, x.span.start.line])).toContainEqual(['R912', 'fw1.set', i + 1]);
    }
  });

  it('near the file as written: a line added, the last dropped or joined to the next is R912; values the set form cannot hold as written are R912 as before', () => {
    expect(read(set).diagnostics).toEqual([]);
    const at = (setText: string) => read(setText).diagnostics.map((x) => [x.code, x.span.start.line]);
    const lines = set.split('\n').length - 1;
    expect(at(`${set}set zone extra\n`)).toEqual([['R912', lines + 1]]);
    expect(at(set.slice(0, -1))).toEqual([]);
    expect(at(`# a comment\n\n${set}`)).toEqual([]);
    expect(at(set.slice(0, set.slice(0, -1).lastIndexOf('\n') + 1))).toEqual([['R912', 1]]);
    expect(at(set.replace('\n', ' '))).toEqual([['R912', 1], ['R912', 1]]);
    // a hand edit written alike in both files: two spaces or a tab inside a value, which the set
    // file's lines lose when they are normalized
    const description = /<description>(\w+) (\w+)/.exec(xml)!;
    for (const space of ['  ', '\t']) {
      const edited = xml.replace(description[0], `<description>${description[1]}${space}${description[2]}`);
      const setEdited = set.replace(`"${description[1]} ${description[2]}`, `"${description[1]}${space}${description[2]}`);
      expect(setEdited).not.toBe(set);
      const d = panos.read([{ path: 'fw1.xml', content: edited }, { path: 'fw1.set', content: setEdited }], contextOf(firewall())).diagnostics;
      expect(d.map((x) => x.code)).toEqual(['R912', 'R912']);
    }
  });
});

describe('PAN-OS set file: the walk against the file (set-match.ts) and the lines set.ts makes', () => {
  /** What the file must be for `isSetOf`: every line of `setLines`, ended by a line break, each already normal. */
  const reference = (content: string, root: XmlElement): boolean => {
    const lines = setLines(root);
    const normal = (l: string): boolean => !/^ | $| {2}/.test(l) && ![...l].some((c) => c.charCodeAt(0) < 0x20 || (c.charCodeAt(0) > 0x7e && /\s/.test(c)));
    return content === lines.map((l) => `${l}\n`).join('') && lines.every(normal);
  };

  function documents(): { xml: string; set: string }[] {
    const out: { xml: string; set: string }[] = [];
    for (const { device, model } of exampleDevices('paloalto-panos')) {
      const [x, s] = panos.render(device, model).map((f) => f.content) as [string, string];
      out.push({ xml: x, set: s });
    }
    const fw = firewall();
    const odd = withTexts(fw, ['a < b & c > d', '"quoted" [x]', '  edge  ', 'tab\there', 'é \u00a0 \u2028', 'x  y'], ['we"ird <path>.plumb']);
    const [ox, os] = panos.render(odd, networkOf([odd])).map((f) => f.content) as [string, string];
    out.push({ xml, set }, { xml: ox, set: os });
    // a hand edit the set form cannot hold as written: two spaces inside a value
    const d = /<description>(\w+) (\w+)/.exec(xml)!;
    out.push({ xml: xml.replace(d[0], `<description>${d[1]}  ${d[2]}`), set: set.replace(`"${d[1]} ${d[2]}`, `"${d[1]}  ${d[2]}`) });
    return out;
  }

  function edit(text: string, next: () => number): string {
    const lines = text.split('\n');
    const at = Math.floor(next() * text.length);
    const kind = next();
    if (kind < 0.3) return text.slice(0, at) + ' "[]x\n\t\u00a0'[Math.floor(next() * 8)]! + text.slice(at + (next() < 0.5 ? 1 : 0));
    if (kind < 0.45) return text.slice(0, at) + text.slice(at + 1 + Math.floor(next() * 3));
    const i = Math.floor(next() * lines.length);
    if (kind < 0.6) return [...lines.slice(0, i), ...lines.slice(i + 1)].join('\n');
    if (kind < 0.7) return [...lines.slice(0, i), lines[i]!, ...lines.slice(i)].join('\n');
    if (kind < 0.8) return [...lines.slice(0, i), lines[i]!.replace(/ (\S+)$/, ' [ $1 ]'), ...lines.slice(i + 1)].join('\n');
    if (kind < 0.9) return [...lines.slice(0, i), lines[i + 1] ?? '', lines[i]!, ...lines.slice(i + 2)].join('\n');
    return next() < 0.5 ? text.slice(0, -1) : `${text}set x\n`;
  }

  it('answers what comparing the file with the lines answers, on every output and seeded edits of it', () => {
    const next = prng(37);
    let same = 0;
    let differ = 0;
    for (const { xml: x, set: s } of documents()) {
      const root = parseXml('f.xml', x).root!;
      expect(isSetOf(s, root)).toBe(reference(s, root));
      if (reference(s, root)) same++;
      expect(isSetOf('', root)).toBe(false);
      for (let n = 0; n < 150; n++) {
        let text = s;
        for (let k = 1 + Math.floor(next() * 2); k > 0; k--) text = edit(text, next);
        const want = reference(text, root);
        expect(isSetOf(text, root), JSON.stringify(text.slice(0, 80))).toBe(want);
        if (want) same++;
        else differ++;
      }
    }
    expect(differ).toBeGreaterThan(1000);
    // every output as written is the same, but the hand edit with two spaces in a value
    expect(same).toBe(documents().length - 1);
    // a tree without a device entry has no lines
    expect(isSetOf('', parseXml('f.xml', '<config/>').root!)).toBe(true);
    expect(isSetOf('set x\n', parseXml('f.xml', '<config/>').root!)).toBe(false);
  });
});
