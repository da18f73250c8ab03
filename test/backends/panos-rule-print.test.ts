// A PAN-OS security rule prints its own XML and set lines (backends/paloalto-panos/render-rule.ts):
// they must be, line for line, what printXml and set.ts make of the same rule as a tree of
// plain elements (its `children`), at any depth and under any path, whatever its name, lists,
// profiles and description hold; and the examples' vsys, rules included, print as their plain copy.

import { describe, expect, it } from 'vitest';
import { renameInterfaces, subinterfaceNames } from '../../backends/interface-names.js';
import { vsysXml } from '../../backends/paloalto-panos/render-policy.js';
import { RuleEntry } from '../../backends/paloalto-panos/render-rule.js';
import { setLines } from '../../backends/paloalto-panos/set.js';
import { el, entry, members, printXml, type XmlElement, type XmlNode } from '../../backends/paloalto-panos/xml.js';
import { exampleDevices } from './examples.js';
import { firewall } from './vendor-fixtures.js';

/** The same tree of plain elements: no printer, no shared lists. */
const copy = (n: XmlNode): XmlNode =>
  n.kind === 'comment' ? { ...n } : { kind: 'element', name: n.name, attrs: { ...n.attrs }, children: n.children.map(copy), ...(n.text !== undefined ? { text: n.text } : {}) };

/** A config around `rules` as the renderer places them, and `others` elsewhere in the vsys (another depth and path). */
const configOf = (rules: XmlElement[], others: XmlElement[] = []): XmlElement =>
  el('config', [
    el('devices', [entry('localhost.localdomain', [el('vsys', [entry('vsys1', [el('rulebase', [el('security', [el('rules', rules)])]), el('other', others)])])])]),
  ]);

function expectPlainForm(root: XmlElement, label: string): void {
  const plain = copy(root) as XmlElement;
  expect(printXml(root), label).toBe(printXml(plain));
  expect(setLines(root), label).toEqual(setLines(plain));
}

/** Seeded values with what PAN-OS text escaping, entities and set quoting act on. */
function values(seed: number): () => string {
  let s = seed;
  const next = (): number => (s = (s * 1103515245 + 12345) & 0x7fffffff);
  const pieces = ['a', 'rule', ' ', '  ', '"', '&', '<', '>', '%', '[', ']', '-', 'é', '\t', '(x)', '='];
  return () => {
    let v = '';
    for (let k = next() % 6; k >= 0; k--) v += pieces[next() % pieces.length];
    return v;
  };
}

describe('PAN-OS rules printed directly', () => {
  it('print and flatten as their plain tree, hostile values included', () => {
    const value = values(7);
    const shared = members('from', ['any']);
    shared.shared = true;
    for (let r = 0; r < 300; r++) {
      const lists = [shared, members('to', [value()]), members('source', []), members('destination', [value(), value(), value()])];
      const after: XmlNode[] = r % 3 === 0 ? [el('profile-setting', [members('group', [value()])]), el('log-end', 'yes'), el('log-setting', value())] : [];
      const rule = new RuleEntry(`r${r}${value()}`, `plumb rule origin=x${r}`, lists, r % 2 === 0 ? 'allow' : 'deny', after, r % 5 === 0 ? '' : value());
      const other = new RuleEntry(`o${r}`, 'plumb rule', [shared], 'deny', [], ' ');
      expectPlainForm(configOf([rule, other], [rule]), `rule ${r}`);
    }
  });

  it('keep their elements for any other walker', () => {
    const rule = new RuleEntry('n', 'plumb rule', [members('from', ['a'])], 'allow', [el('log-end', 'yes')], 'd');
    expect(rule.attrs).toEqual({ name: 'n' });
    expect(rule.children.map((c) => (c.kind === 'element' ? c.name : '#comment'))).toEqual(['#comment', 'from', 'action', 'log-end', 'description']);
    expect(new RuleEntry('n', 'plumb rule', [], 'deny', [], '').children.map((c) => (c.kind === 'element' ? c.name : '#comment'))).toEqual(['#comment', 'action']);
  });

  it("every example's vsys prints as its plain copy", () => {
    const devices = [...exampleDevices('paloalto-panos').map((d) => d.device), firewall()];
    expect(devices.length).toBeGreaterThan(3);
    let rules = 0;
    for (const d of devices) {
      const vsys = vsysXml(renameInterfaces(d, subinterfaceNames(d)));
      const root = configOf([], [vsys]);
      const inner = vsys.children.find((c): c is XmlElement => c.kind === 'element' && c.name === 'rulebase');
      rules += JSON.stringify(printXml(root)).split('<entry name=').length;
      expect(inner, d.id).toBeDefined();
      expectPlainForm(root, d.id);
    }
    expect(rules).toBeGreaterThan(10);
  });
});
