// PAN-OS names made from texts (backends/paloalto-panos/names.ts `cleanName`, one pass over the
// text) against the four regular expressions it replaces, on seeded texts of the characters that
// matter: name characters, the edge characters `-`, `_`, `.`, spaces, arrows and brackets, and
// characters outside ASCII (a surrogate pair is two code units), at every cut length.

import { describe, expect, it } from 'vitest';
import { cleanName, NAME_MAX, NameTable, ZONE_NAME_MAX } from '../../backends/paloalto-panos/names.js';
import { prng } from '../verifier/random-networks.js';

/** The name as the four regular expressions made it. */
function cleanNameByExpressions(text: string, max = NAME_MAX): string {
  let s = text
    .replace(/[^A-Za-z0-9_.-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-_.]+/, '')
    .replace(/[-_.]+$/, '');
  if (s === '') s = 'x';
  return s.slice(0, max).replace(/[-_.]+$/, '');
}

const PIECES = ['a', 'Z', '7', 'seg402', '-', '--', '_', '.', ' ', '  ', '->', '(', ')', '/', ':', 'é', '😀', '\t', '%', 'deny', 'x'.repeat(30)];

describe('PAN-OS names: cleanName', () => {
  it('makes the name the regular expressions made, at every length', () => {
    const rnd = prng(20261206);
    const texts = ['', '-', '._-', 'ok', 'deny seg402 -> seg2552', '-a-', 'a--b', 'a - b', '😀', 'a.'.repeat(40)];
    for (let n = 0; n < 4000; n++) {
      let t = '';
      const pieces = Math.floor(rnd() * 12);
      for (let p = 0; p < pieces; p++) t += PIECES[Math.floor(rnd() * PIECES.length)]!;
      texts.push(t);
    }
    for (const t of texts) {
      for (const max of [1, 2, 5, 8, ZONE_NAME_MAX, NAME_MAX]) expect(cleanName(t, max), JSON.stringify([t, max])).toBe(cleanNameByExpressions(t, max));
      expect(cleanName(t), t).toBe(cleanNameByExpressions(t));
    }
  });

  it('keeps a name already clean as the same string, and numbers names taken twice', () => {
    expect(cleanName('rule-1.a_b')).toBe('rule-1.a_b');
    const table = new NameTable(8);
    expect(['deny a -> b', 'deny a -> b', 'DENY-a-b', 'x'].map((t) => table.take(t))).toEqual(['deny-a-b', 'deny-a-2', 'DENY-a-3', 'x']);
  });
});
