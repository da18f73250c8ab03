// The PAN-OS reader compares the `.set` file with the XML line by line, whitespace normalized:
// lines written with other spacing say the same; a line that differs is R912 at its line. A file
// exactly as the renderer writes it is recognized as the lines are made; anything else near it is
// compared as before.

import { describe, expect, it } from 'vitest';
import { paloaltoPanosBackend as panos } from '../../backends/paloalto-panos/index.js';
import { contextOf, firewall, networkOf } from './vendor-fixtures.js';

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
