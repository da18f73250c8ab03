// The PAN-OS plain parser skips a line break and the next line's spaces before it looks at text
// (backends/paloalto-panos/xml-parse.ts `parsePlain`): whatever follows them, a tag, a leaf's
// text, other whitespace, an entity or the document's end, is read as it was, so the tree is the
// general reader's (the leaf's text as stored keeps those spaces) and a document the plain path
// refuses is still refused.

import { describe, expect, it } from 'vitest';
import { parsePlain, parseValidated } from '../../backends/paloalto-panos/xml-parse.js';
import type { XmlElement } from '../../backends/paloalto-panos/xml.js';
import { prng } from '../verifier/random-networks.js';

/** What may stand between two tags after a line break: whitespace, and (the rarer) text. */
const BLANK = ['', ' ', '    ', '\n', '\n  ', '  \n  ', '\t', ' \t ', '\r\n  '];
const TEXT = ['x', '  x', 'x  ', ' a b ', '&amp;', '  &lt;b&gt;', '&bogus;', '&', '<', ' %20 '];

/** A small document with `gap` after each line break where a leaf's text or the indentation stands. */
function documentWith(gaps: () => string): string {
  return [
    '<?xml version="1.0"?>',
    `<config>\n${gaps()}<a>\n${gaps()}</a>`,
    `  <b>\n${gaps()}<c>\n${gaps()}</c>\n${gaps()}</b>`,
    `  <d name="n">\n${gaps()}</d>\n${gaps()}<e/>`,
    `</config>\n${gaps()}`,
  ].join('\n');
}

describe('PAN-OS plain parser: the indentation skipped', () => {
  it('reads a leaf whose text starts after a line break and spaces as the general reader does', () => {
    const text = '<?xml version="1.0"?>\n<config>\n  <a>\n    x y  </a>\n  <b>\n     </b>\n  <c>\n  &amp;\n</c>\n</config>\n';
    const plain = parsePlain('f.xml', text);
    expect(plain).toBeDefined();
    expect(plain).toStrictEqual(parseValidated('f.xml', text).root);
    const [a, b, c] = plain!.children as XmlElement[];
    expect([a!.stored, a!.text]).toEqual(['\n    x y  ', 'x y']);
    expect([b!.stored, b!.text, b!.children]).toEqual([undefined, undefined, []]);
    expect([c!.stored, c!.text]).toEqual(['\n  &\n', '&']);
  });

  it('refuses what it refused: text beside elements, a stray `&` or `<`, text after the root', () => {
    for (const bad of [
      '<config>\n  x<a/>\n</config>\n',
      '<config>\n  <a/>\n  x\n</config>\n',
      '<config>\n  <a>\n  &bogus;</a>\n</config>\n',
      '<config>\n  <a>\n  & </a>\n</config>\n',
      '<config>\n  <a/>\n</config>\n  x',
      '<config>\n  <a/>\n</config>\n  <b/>',
    ]) expect(parsePlain('f.xml', bad), JSON.stringify(bad)).toBeUndefined();
    expect(parsePlain('f.xml', '<config>\n  <a/>\n</config>\n   ')).toBeDefined();
  });

  it('builds the general reader\'s tree for every mix of gaps it accepts', () => {
    const next = prng(50);
    let accepted = 0;
    let refused = 0;
    for (let n = 0; n < 2000; n++) {
      const text = documentWith(() => (next() < 0.9 ? BLANK[Math.floor(next() * BLANK.length)]! : TEXT[Math.floor(next() * TEXT.length)]!));
      const plain = parsePlain('f.xml', text);
      if (plain === undefined) {
        refused++;
        continue;
      }
      accepted++;
      expect(plain, JSON.stringify(text)).toStrictEqual(parseValidated('f.xml', text).root);
    }
    expect(accepted).toBeGreaterThan(50);
    expect(refused).toBeGreaterThan(50);
  });
});
