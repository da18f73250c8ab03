// `readAnnotation` (names.ts) splits a comment on its single spaces and decodes the escapes of
// one ASCII character itself, leaving anything else to the general split and `unescapeText`:
// held to that general reading on seeded comments, written ones and hand-edited ones.

import { describe, expect, it } from 'vitest';
import { annotation, readAnnotation } from '../../backends/paloalto-panos/names.js';
import { unescapeText } from '../../backends/text-escape.js';
import { prng } from '../verifier/random-networks.js';

/** The reading before: split on any whitespace, every value through unescapeText. */
function reference(text: string, kind: string): Map<string, string> | undefined {
  const words = text.split(/\s+/);
  if (words[0] !== 'plumb' || words[1] !== kind) return undefined;
  const out = new Map<string, string>();
  for (const w of words.slice(2)) {
    const eq = w.indexOf('=');
    if (eq <= 0) return undefined;
    out.set(w.slice(0, eq), unescapeText(w.slice(eq + 1)));
  }
  return out;
}

const PIECES = ['a', 'Z', '0', '-', '=', ' ', '  ', '\t', '\u00a0', '%', '%20', '%3D', '%2d', '%2D', '%41', '%7F', '%7f', '%00', '%80', '%C3%A9', '%c3%a9', '%E2%80%A8', '%u0041', '%u00e9', '%G1', '%2', '%%', 'é', '\u2028', 'x=y', '[1,2]'];

describe('PAN-OS annotations read back', () => {
  it('reads what the general split and unescapeText read, on seeded comments', () => {
    const next = prng(381);
    let read = 0;
    for (let n = 0; n < 5000; n++) {
      let text = n % 3 === 0 ? 'plumb rule ' : 'plumb rule origin=';
      for (let k = Math.floor(next() * 8); k > 0; k--) text += PIECES[Math.floor(next() * PIECES.length)]!;
      if (n % 5 === 0) text += ` name=${PIECES[Math.floor(next() * PIECES.length)]!}`;
      const want = reference(text, 'rule');
      expect(readAnnotation(text, 'rule'), JSON.stringify(text)).toEqual(want);
      if (want !== undefined) read++;
    }
    expect(read).toBeGreaterThan(1000);
  });

  it('reads back what annotation writes', () => {
    const next = prng(382);
    for (let n = 0; n < 2000; n++) {
      let value = '';
      for (let k = 1 + Math.floor(next() * 6); k > 0; k--) value += ['a', '-', '--', ' ', '=', '%', '%20', 'é', '\t', '😀', '/', ':'][Math.floor(next() * 12)]!;
      const text = annotation('interface', [['name', value], ['role', 'link']]);
      expect(readAnnotation(text, 'interface')).toEqual(new Map([['name', value], ['role', 'link']]));
      expect(readAnnotation(text, 'interface')).toEqual(reference(text, 'interface'));
    }
    expect(readAnnotation('plumb  rule origin=x', 'rule')).toEqual(reference('plumb  rule origin=x', 'rule'));
    expect(readAnnotation(' plumb rule', 'rule')).toBeUndefined();
  });
});
