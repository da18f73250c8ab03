// The position of a read PAN-OS element (backends/paloalto-panos/read-element.ts): two offsets,
// turned into lines and columns from the document's text when a span is asked for. The readers
// ask in document order mostly, but not only (a reference named again, a rule reported after its
// members): every element's span is checked in document order, backwards and in a seeded
// shuffle, on both parser paths, against lines and columns counted from the text.

import { describe, expect, it } from 'vitest';
import { paloaltoPanosBackend as panos } from '../../backends/paloalto-panos/index.js';
import { ReadDocument } from '../../backends/paloalto-panos/read-element.js';
import { parsePlain, parseValidated } from '../../backends/paloalto-panos/xml-parse.js';
import { exampleDevices } from './examples.js';
import { prng } from '../verifier/random-networks.js';
import { elementsOf, positions } from './panos-positions.js';

function shuffled<T>(items: T[], next: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe('PAN-OS read elements: spans from offsets', () => {
  it('gives every element its span in any order of asking, on both paths', () => {
    const next = prng(42);
    const docs = exampleDevices('paloalto-panos').map(({ model, device }) => panos.render(device, model)[0]!.content);
    // a tag over lines and a blank line: only the general path reads it
    docs.push("<?xml version='1.0'?>\n\n<config\n  a='1'>\n  <b\n/>\n\n  <c>x</c>\n</config>\n");
    expect(docs.length).toBeGreaterThan(3);
    let checked = 0;
    for (const text of docs) {
      const at = positions(text);
      const trees = [parsePlain('f.xml', text), parseValidated('f.xml', text).root].filter((t) => t !== undefined);
      expect(trees.length).toBeGreaterThan(0);
      for (const tree of trees) {
        const all = elementsOf(tree);
        for (const order of [all, [...all].reverse(), shuffled(all, next)]) {
          for (const e of order) {
            const { file, start, end } = e.span!;
            expect(file).toBe('f.xml');
            for (const p of [start, end]) expect([p.line, p.column]).toEqual([at.line[p.offset], at.column[p.offset]]);
            expect(text[start.offset]).toBe('<');
            expect(text[end.offset - 1]).toBe('>');
            checked++;
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });

  it('counts lines at `\\n` only, from offset 0 to the end of the text', () => {
    const text = 'a\r\nb\n\nc\u2028d\n';
    const document = new ReadDocument('f', text);
    const at = positions(text);
    const offsets = [...Array(text.length + 1).keys()];
    for (const offset of [...offsets, ...offsets.reverse(), 3, 0, text.length, 5]) {
      expect(document.position(offset)).toStrictEqual({ line: at.line[offset], column: at.column[offset], offset });
    }
    expect(new ReadDocument('f', '').position(0)).toStrictEqual({ line: 1, column: 1, offset: 0 });
  });
});
