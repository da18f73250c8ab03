// What the PAN-OS reader counts only as far as it needs (backends/paloalto-panos/): a document's
// lines up to the last position asked for (read-element.ts `ReadDocument`, grown by doubling from
// 256 lines), the five named entities of a plain document decoded without a regular expression
// (xml-parse.ts `decodeNamedEntities`), and an element's children checked without collecting
// them (read-xml.ts `checkKids`). Each is held to what it replaces: lines and columns counted a
// character at a time, the entity regular expression, and `kids`' reports.

import { describe, expect, it } from 'vitest';
import { paloaltoPanosBackend as panos } from '../../backends/paloalto-panos/index.js';
import { ReadDocument } from '../../backends/paloalto-panos/read-element.js';
import { XmlReading } from '../../backends/paloalto-panos/read-xml.js';
import { decodeNamedEntities, parsePlain } from '../../backends/paloalto-panos/xml-parse.js';
import { exampleDevices } from './examples.js';
import { prng } from '../verifier/random-networks.js';
import { elementsOf, positions } from './panos-positions.js';

describe('PAN-OS reader: counted only as far as needed', () => {
  it('gives the line and column of any offset asked in any order, each from a fresh document', () => {
    const next = prng(16);
    const texts = [
      '',
      'no line break',
      '\n',
      '\n\n\nx\n',
      'a\r\nb\n\nc\u2028d\n',
      // past the first 256 lines, and past 512 (the starts grown twice)
      Array.from({ length: 700 }, (_, i) => 'x'.repeat(i % 7)).join('\n'),
      Array.from({ length: 300 }, (_, i) => 'y'.repeat((i * 13) % 5)).join('\n') + '\n',
    ];
    let asked = 0;
    for (const text of texts) {
      const at = positions(text);
      const all = [...Array(text.length + 1).keys()];
      const orders = [
        all,
        [...all].reverse(),
        all.map(() => Math.floor(next() * (text.length + 1))),
        // forward in jumps, then back to the start, then forward again
        [...all.filter((o) => o % 97 === 3), 0, ...all.filter((o) => o % 89 === 5)],
        [text.length, 0],
        [Math.floor(text.length / 2), text.length, Math.min(1, text.length)],
      ];
      for (const order of orders) {
        const document = new ReadDocument('f', text);
        for (const offset of order) {
          expect(document.position(offset)).toStrictEqual({ line: at.line[offset], column: at.column[offset], offset });
          asked++;
        }
      }
    }
    expect(asked).toBeGreaterThan(10_000);
  });

  it('gives every example element its span when only some are asked for, the first far into the file', () => {
    const next = prng(7);
    const docs = exampleDevices('paloalto-panos').map(({ model, device }) => panos.render(device, model)[0]!.content);
    expect(docs.length).toBeGreaterThan(3);
    for (const text of docs) {
      const at = positions(text);
      for (let round = 0; round < 4; round++) {
        const all = elementsOf(parsePlain('f.xml', text)!);
        const some = all.filter(() => next() < 0.2).sort(() => next() - 0.5);
        for (const e of [all[all.length - 1]!, ...some]) {
          const { start, end } = e.span!;
          for (const p of [start, end]) expect([p.line, p.column]).toEqual([at.line[p.offset], at.column[p.offset]]);
        }
      }
    }
  });

  it('decodes the five named entities as the regular expression did, anywhere in a text', () => {
    const reference = (s: string): string => s.replace(/&(amp|lt|gt|quot|apos);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" })[e]!);
    const next = prng(5);
    const pieces = ['&amp;', '&lt;', '&gt;', '&quot;', '&apos;', 'a', ' ', '-', 'amp;', 'lt', ';', 'é', '%26'];
    const texts = ['', 'plain', '&amp;', '&gt;&lt;', 'deny seg1 -&gt; seg2 (x.plumb:3)', '&amp;amp;', '&quot;q&quot;', "&apos;&apos;"];
    for (let n = 0; n < 3000; n++) texts.push(Array.from({ length: 1 + Math.floor(next() * 9) }, () => pieces[Math.floor(next() * pieces.length)]!).join(''));
    for (const t of texts) expect(decodeNamedEntities(t)).toBe(reference(t));
  });

  it('reports the children outside a list as kids does, without collecting them', () => {
    const next = prng(11);
    const names = ['entry', 'member', 'from', 'to', 'source', 'action', 'description', 'layer3', 'ip', 'bogus'];
    let reports = 0;
    for (const { model, device } of exampleDevices('paloalto-panos')) {
      const root = parsePlain('f.xml', panos.render(device, model)[0]!.content)!;
      for (const e of elementsOf(root)) {
        const allowed = names.filter(() => next() < 0.5);
        const byKids = new XmlReading('f.xml');
        const byCheck = new XmlReading('f.xml');
        byKids.kids(e, allowed);
        byCheck.checkKids(e, allowed);
        expect(byCheck.reporter.diagnostics).toEqual(byKids.reporter.diagnostics);
        reports += byKids.reporter.diagnostics.length;
      }
    }
    expect(reports).toBeGreaterThan(100);
  });
});
