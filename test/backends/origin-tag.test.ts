// parseOriginTag reads the tags formatOriginTag writes from their end, without its regular
// expression; anything else goes to the expression. Both ways must give the expression's answer
// for every text, tag-like or hostile.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatOriginTag, parseOriginTag } from '../../backends/origin-tag.js';
import { byExpression, span } from './origin-tag-reference.js';

describe('parseOriginTag', () => {
  it('reads what formatOriginTag writes', () => {
    const s = span('a b/c:1-2.plumb', [3, 1, 40, 3, 9, 48]);
    expect(parseOriginTag(formatOriginTag(s))).toEqual(s);
    expect(parseOriginTag(` ${formatOriginTag(s)}\t`)).toEqual(s);
  });

  it('answers as the expression does for tag-like and hostile texts (seeded)', () => {
    // pieces of tags and what could break a reading from the end: separators, digits, runs of
    // 15 and 16 digits, whitespace inside, non-ASCII
    const piece = fc.constantFrom(':', '-', ',', '[', ']', ' ', '\t', '\n', '%20', 'a', 'é', '\u00a0', '0', '7', '12', '0042', '999999999999999', '9999999999999999', 'f.plumb', '/');
    const text = fc.array(piece, { maxLength: 24 }).map((p) => p.join(''));
    const tag = fc.tuple(fc.string({ maxLength: 8 }), fc.array(fc.nat(), { minLength: 6, maxLength: 6 })).map(([f, n]) => formatOriginTag(span(f, n)));
    // a written tag, cut, extended or with one character replaced
    const edited = fc.tuple(tag, fc.nat(), piece, fc.constantFrom('cut', 'insert', 'replace', 'prefix', 'suffix')).map(([t, k, p, how]) => {
      const i = k % (t.length + 1);
      if (how === 'cut') return t.slice(0, i) + t.slice(i + 1);
      if (how === 'insert') return t.slice(0, i) + p + t.slice(i);
      if (how === 'replace') return t.slice(0, i) + p + t.slice(i + 1);
      return how === 'prefix' ? p + t : t + p;
    });
    fc.assert(
      fc.property(fc.oneof(text, tag, edited), (t) => {
        expect(parseOriginTag(t)).toEqual(byExpression(t));
      }),
      { seed: 36, numRuns: 20000 },
    );
  });

  it('leaves long numbers, whitespace and non-ASCII paths to the expression, with its answer', () => {
    for (const t of ['f:1:2-3:4 [5,1234567890123456789]', 'f:12345678901234567:2-3:4 [5,6]', 'a b:1:2-3:4 [5,6]', 'é:1:2-3:4 [5,6]', ':1:2-3:4 [5,6]', 'f:1:2-3:4  [5,6]', 'f:1:2-3:4 [5,6]]', 'f:1:2-3:4 [,6]', 'x:12:3-4:5 [6,7]', 'a:b12:3-4:5 [6,7]']) {
      expect(parseOriginTag(t)).toEqual(byExpression(t));
    }
  });
});
