// The renderer prints a config's XML and its set lines in one walk (print.ts): held to the two
// walks it replaces, printXml and setLines, on every example's tree, firewalls with hostile texts,
// trees read back from their XML (stored values) and seeded trees of any shape.

import { describe, expect, it } from 'vitest';
import { printPanos } from '../../backends/paloalto-panos/print.js';
import { panosConfig } from '../../backends/paloalto-panos/render.js';
import { setLines } from '../../backends/paloalto-panos/set.js';
import { comment, el, parseXml, printXml, type XmlComment, type XmlElement, type XmlNode } from '../../backends/paloalto-panos/xml.js';
import { exampleDevices } from './examples.js';
import { withTexts } from './hostile.js';
import { firewall, networkOf } from './vendor-fixtures.js';
import { prng } from '../verifier/random-networks.js';

/** What the renderer wrote before: the two walks. */
function reference(root: XmlElement, header: XmlComment[]): { xml: string; set: string } {
  return { xml: printXml(root, header), set: setLines(root).map((l) => `${l}\n`).join('') };
}

const TEXTS = ['plain', 'two words', 'a < b & c > d', '"quoted" [x]', '  edge  ', 'tab\there', 'é \u00a0 \u2028', 'x  y', '100%', '%41', '', ' ', 'a-b_c.d', '=', 'line\nbreak'];

/** A tree of any shape: the names the set walk looks for (devices, entry, vsys, member) among others, texts beside elements, comments anywhere. */
function randomTree(next: () => number): XmlElement {
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
  const names = ['devices', 'entry', 'vsys', 'member', 'member', 'entry', 'rules', 'x'];
  const node = (depth: number): XmlElement => {
    const attrs: Record<string, string> = {};
    if (next() < 0.4) attrs.name = pick(TEXTS);
    if (next() < 0.1) attrs.other = pick(TEXTS);
    const children: XmlNode[] = [];
    const n = depth > 4 ? 0 : Math.floor(next() * 4);
    for (let i = 0; i < n; i++) children.push(next() < 0.15 ? comment('note') : node(depth + 1));
    const e = el(pick(names), children, attrs);
    if (next() < (n === 0 ? 0.6 : 0.1)) e.text = pick(TEXTS);
    if (next() < 0.1) e.stored = pick(TEXTS);
    return e;
  };
  const root = node(0);
  // most trees hold the device entry where the set walk looks for it
  if (next() < 0.7) root.children.unshift(el('devices', [el('entry', [node(1), el('vsys', [node(2), el('entry', [node(3), node(3)])]), node(1)], { name: 'localhost.localdomain' })]));
  return root;
}

describe('PAN-OS XML and set lines in one walk (print.ts)', () => {
  it('prints what printXml and setLines make, on every example and hostile texts', () => {
    const devices = exampleDevices('paloalto-panos').map(({ device, model }) => ({ device, model }));
    const fw = firewall();
    devices.push({ device: fw, model: networkOf([fw]) });
    const odd = withTexts(fw, TEXTS.filter((t) => t.trim() !== ''), ['we"ird <path>.plumb']);
    devices.push({ device: odd, model: networkOf([odd]) });
    expect(devices.length).toBeGreaterThan(3);
    for (const { device, model } of devices) {
      const { root, header } = panosConfig(device, model);
      const want = reference(root, [header]);
      expect(want.set).not.toBe('');
      expect(printPanos(root, [header])).toEqual(want);
      // the tree read back from its XML: values as stored
      const read = parseXml('d.xml', want.xml).root!;
      expect(printPanos(read, [])).toEqual(reference(read, []));
    }
  });

  it('prints what printXml and setLines make, on seeded trees of any shape', () => {
    const next = prng(38);
    let lines = 0;
    for (let n = 0; n < 2000; n++) {
      const root = randomTree(next);
      const want = reference(root, n % 2 === 0 ? [comment('header')] : []);
      expect(printPanos(root, n % 2 === 0 ? [comment('header')] : [])).toEqual(want);
      lines += want.set === '' ? 0 : want.set.split('\n').length - 1;
    }
    // the trees reach the set lines' every kind: leaves, value lists, containers
    expect(lines).toBeGreaterThan(3000);
  });
});
