// printXml writes a value that is printable ASCII words one space apart, with nothing to escape,
// as it is, after one test (xml.ts `xmlText`, `xmlAttr`): held to `panosText` and the entity
// escaping on seeded texts of every kind of character.

import { describe, expect, it } from 'vitest';
import { escapeAttr, escapeText, isXmlPlain, panosText, xmlAttr, xmlText } from '../../backends/paloalto-panos/xml.js';
import { prng } from '../verifier/random-networks.js';

const PIECES = ['a', 'Z', '9', ' ', '  ', '"', "'", '%', '%20', '&', '<', '>', '&amp;', '\t', '\n', '\r', '\u00a0', '\u2028', 'é', '😀', '\u0000', '\u007f', '-', '=', '[', ']', '!', '~', '#', '$', ';', '?', '@', '{', '}'];

describe('PAN-OS XML values written as they are', () => {
  it('xmlText and xmlAttr are panosText and the entity escaping, on seeded texts', () => {
    const next = prng(383);
    let plain = 0;
    for (let n = 0; n < 20000; n++) {
      let s = '';
      for (let k = Math.floor(next() * 7); k > 0; k--) s += PIECES[Math.floor(next() * (n % 2 === 0 ? 12 : PIECES.length))]!;
      expect(xmlText(s), JSON.stringify(s)).toBe(escapeText(panosText(s)));
      expect(xmlAttr(s), JSON.stringify(s)).toBe(escapeAttr(panosText(s)));
      if (isXmlPlain(s)) plain++;
    }
    expect(plain).toBeGreaterThan(1000);
    for (const s of ['', 'a b', ' a', 'a ', 'a  b', 'a"b', 'a%b', 'a&b', 'a<b', 'a>b', "a'b", 'x\ty']) {
      expect(xmlText(s)).toBe(escapeText(panosText(s)));
      expect(xmlAttr(s)).toBe(escapeAttr(panosText(s)));
    }
  });
});
