// The shared empty values of the PAN-OS XML tree (backends/paloalto-panos/xml-parse.ts NO_ATTRS,
// NO_CHILDREN): the plain reader and `el` give an element without attributes, or without
// children, the one frozen value instead of an object or array of its own, and an element with
// any its own. A write meant for one element must fail instead of reaching every element that
// shares the value, and the tree must read as the general reader's (panos-xml-parse.test.ts holds
// the two paths to each other on seeded edits).

import { describe, expect, it } from 'vitest';
import { paloaltoPanosBackend as panos } from '../../backends/paloalto-panos/index.js';
import { parsePlain, parseValidated } from '../../backends/paloalto-panos/xml-parse.js';
import { setLines } from '../../backends/paloalto-panos/set.js';
import { el, entry, members, NO_ATTRS, NO_CHILDREN, printXml, type XmlElement, type XmlNode } from '../../backends/paloalto-panos/xml.js';
import { exampleDevices } from './examples.js';
import { firewall, networkOf } from './vendor-fixtures.js';

function* walk(e: XmlElement): Generator<XmlElement> {
  yield e;
  for (const c of e.children) if (c.kind === 'element') yield* walk(c);
}

function documents(): { name: string; text: string }[] {
  const out = exampleDevices('paloalto-panos').map(({ example, model, device }) => ({ name: `${example}/${device.id}`, text: panos.render(device, model)[0]!.content }));
  const fw = firewall();
  out.push({ name: 'firewall', text: panos.render(fw, networkOf([fw]))[0]!.content });
  return out;
}

describe('PAN-OS shared empty attributes and children', () => {
  it('are frozen: a write to them throws', () => {
    expect(Object.isFrozen(NO_ATTRS)).toBe(true);
    expect(Object.isFrozen(NO_CHILDREN)).toBe(true);
    expect(NO_CHILDREN).toHaveLength(0);
    expect(Object.keys(NO_ATTRS)).toHaveLength(0);
    expect(() => NO_CHILDREN.push(el('x'))).toThrow(TypeError);
    expect(() => {
      NO_ATTRS.name = 'x';
    }).toThrow(TypeError);
  });

  it('the plain reader shares them exactly where an element has no attribute or no child', () => {
    const docs = documents();
    expect(docs.length).toBeGreaterThan(3);
    for (const { name, text } of docs) {
      const plain = parsePlain('f.xml', text);
      expect(plain, name).toBeDefined();
      let shared = 0;
      for (const e of walk(plain!)) {
        const hasAttrs = Object.keys(e.attrs).length > 0;
        expect(e.attrs === NO_ATTRS, `${name} <${e.name}> attrs`).toBe(!hasAttrs);
        expect(e.children === NO_CHILDREN, `${name} <${e.name}> children`).toBe(e.children.length === 0);
        if (e.children === NO_CHILDREN) shared++;
      }
      expect(shared, name).toBeGreaterThan(0);
      // the general reader's tree, every element with its own values, is the same tree
      expect(plain, name).toEqual(parseValidated('f.xml', text).root);
    }
  });

  it('a parsed element without children gets its own array before a child is added', () => {
    const root = parsePlain('f.xml', '<?xml version="1.0"?>\n<config>\n  <a/>\n  <b>text</b>\n  <!-- c -->\n</config>\n')!;
    const [a, b] = root.children as XmlElement[];
    expect(a!.children).toBe(NO_CHILDREN);
    expect(b!.children).toBe(NO_CHILDREN);
    expect(root.children).toHaveLength(3);
    expect(root.children).not.toBe(NO_CHILDREN);
    a!.children = [...a!.children, el('member', 'x')];
    expect(NO_CHILDREN).toHaveLength(0);
    expect(b!.children).toHaveLength(0);
  });

  it('el: a text element shares both, an element with attributes or children keeps its own', () => {
    const leaf = el('member', 'any');
    expect(leaf.children).toBe(NO_CHILDREN);
    expect(leaf.attrs).toBe(NO_ATTRS);
    const e = entry('n', [leaf]);
    expect(e.attrs).not.toBe(NO_ATTRS);
    expect(e.attrs).toEqual({ name: 'n' });
    const container = el('rules');
    expect(container.children).not.toBe(NO_CHILDREN);
    container.children.push(leaf);
    expect(el('rules').children).toHaveLength(0);
    // a list shared by two parents prints as two lists
    const list = members('from', ['any']);
    const root = el('config', [entry('a', [list]), entry('b', [list])]);
    expect(printXml(root).match(/<member>any<\/member>/g)).toHaveLength(2);
  });

  it('a shared element prints and flattens as an unshared copy would, at every depth it appears', () => {
    const copy = (n: XmlNode): XmlNode => (n.kind === 'comment' ? { ...n } : { kind: 'element', name: n.name, attrs: { ...n.attrs }, children: n.children.map(copy), ...(n.text !== undefined ? { text: n.text } : {}) });
    const one = members('from', ['any']);
    const two = members('source', ['a b', 'c"d', 'x']);
    const text = el('action', 'allow');
    for (const e of [one, two, text]) e.shared = true;
    const rule = (name: string): XmlElement => entry(name, [one, two, text]);
    const root = el('config', [
      el('devices', [
        entry('localhost.localdomain', [
          el('vsys', [entry('vsys1', [el('rulebase', [el('security', [el('rules', [rule('r1'), rule('r2')])])]), el('other', [one, two, entry('deeper', [one, two, text])])])]),
        ]),
      ]),
    ]);
    const plain = copy(root) as XmlElement;
    expect(printXml(root)).toBe(printXml(plain));
    expect(setLines(root)).toEqual(setLines(plain));
    expect(setLines(root)).toContain('set rulebase security rules r2 source [ "a b" c%22d x ]');
  });
});
