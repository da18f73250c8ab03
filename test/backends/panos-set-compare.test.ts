// The PAN-OS reader compares the `.set` file with the XML line by line, whitespace normalized:
// lines written with other spacing say the same; a line that differs is R912 at its line.

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
});
