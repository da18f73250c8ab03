// The IOS-XE lexer makes its lines without their words and splits them when first asked; the
// reader decides on remarks and route annotations from a line's text alone (`afterWords`). Both
// are checked here, over seeded random and hostile text, against the general path: the lines
// readLines splits in IOS's syntax, and the words' textAfter.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readLines, textAfter, textSpan, wordSpanAt } from '../../backends/config-text.js';
import { afterWords, lexConfig } from '../../backends/cisco-iosxe/lines.js';
import { remarkText } from '../../backends/cisco-iosxe/acl-read.js';
import { ipv4NetworkText, ipv4Number } from '../../backends/cisco-iosxe/syntax.js';
import { formatPrefix, network, parseIPv4 } from '../../language/address.js';
import { binaryUnit } from '../binary-unit.js';

const IOS = { commentChars: '', quotes: false, blanks: 'whitespace' } as const;

const PIECES = [' ', '  ', '\t', '\r', '\n', '\r\n', '!', '! ', '\u00a0', '\u2028', '\ufeff', '\u3000', '\v', '\f', '\x7f', 'é', 'remark', 'remark ', ' remark ', '10 ', 'sequence ', 'plumb', 'route', 'origin', '! plumb route origin ', '! plumb route ', 'x', 'a b'];
const text = fc
  .array(fc.oneof(fc.constantFrom(...PIECES), fc.string({ maxLength: 5 }), fc.string({ unit: binaryUnit, maxLength: 3 })), { maxLength: 30 })
  .map((xs) => xs.join(''));

/** The general path: textAfter(l, n) when the line's first words are `words`' words. */
function afterWordsGeneral(texts: readonly string[], words: string, after: (n: number) => string): string | undefined {
  const want = words.trim().split(' ');
  return want.every((w, k) => texts[k] === w) && texts.length > want.length ? after(want.length) : undefined;
}

/** A remark's text as the reader found it before: after the `remark` of `remark`, `N remark`, `sequence N remark`. */
function remarkGeneral(texts: readonly string[], after: (n: number) => string): string {
  const i = texts[0] === 'remark' ? 0 : /^\d+$/.test(texts[0] ?? '') && texts[1] === 'remark' ? 1 : texts[0] === 'sequence' && /^\d+$/.test(texts[1] ?? '') && texts[2] === 'remark' ? 2 : -1;
  return after(i + 1);
}

describe('IOS-XE lines split on demand', () => {
  it('are the non-blank lines readLines splits in IOS syntax, words, spans and all (seeded)', () => {
    fc.assert(
      fc.property(text, (content) => {
        const want = readLines('f.cfg', content, IOS).filter((l) => l.texts.length > 0);
        const got = lexConfig('f.cfg', content);
        expect(got.length).toBe(want.length);
        got.forEach((l, i) => {
          const w = want[i]!;
          expect([l.line, l.offset, l.text, l.indent, l.isComment]).toEqual([w.line, w.offset, w.text, w.indent, w.texts[0]!.startsWith('!')]);
          expect(textSpan(l)).toEqual(textSpan(w));
          // asked in both orders: a span before the words, the words before the span
          const fresh = lexConfig('f.cfg', content)[i]!;
          expect(wordSpanAt(fresh, 1)).toEqual(wordSpanAt(w, 1));
          expect(l.texts).toEqual(w.texts);
          expect(l.words).toEqual(w.words);
          for (let k = 0; k <= w.texts.length; k++) expect(textAfter(l, k)).toBe(textAfter(w, k));
        });
      }),
      { seed: 37, numRuns: 2000 },
    );
  });

  it('know remarks and route annotations from their text as their words say (seeded)', () => {
    fc.assert(
      fc.property(text, (content) => {
        for (const l of lexConfig('f.cfg', content)) {
          const fresh = lexConfig('f.cfg', l.text)[0]!;
          for (const words of ['remark ', '! plumb route ', '! plumb route origin ']) {
            const fast = afterWords(fresh, words);
            const general = afterWordsGeneral(l.texts, words, (n) => textAfter(l, n));
            // the text alone decides only lines written as Plumb writes them: any other is read by its words
            if (fast !== undefined) expect(fast).toBe(general);
          }
          expect(remarkText(fresh)).toBe(remarkGeneral(l.texts, (n) => textAfter(l, n)));
        }
      }),
      { seed: 38, numRuns: 2000 },
    );
  });

  it('decide from the text the lines Plumb writes', () => {
    const [remark, spaced, annotation, bare] = lexConfig('f.cfg', ' remark intent a b\n remark  two\n! plumb route origin p:1:1-1:2 [0,1]\n remark');
    expect(afterWords(remark!, 'remark ')).toBe('intent a b');
    expect(afterWords(spaced!, 'remark ')).toBeUndefined();
    expect(remarkText(spaced!)).toBe('two');
    expect(afterWords(annotation!, '! plumb route origin ')).toBe('p:1:1-1:2 [0,1]');
    expect(afterWords(bare!, 'remark ')).toBeUndefined();
    expect(remarkText(bare!)).toBe('');
  });
});

describe('IOS-XE static routes read as numbers', () => {
  const octet = fc.oneof(fc.integer({ min: 0, max: 300 }).map(String), fc.constantFrom('00', '01', '007', '255', '256', '1000', '', ' 1', '1 ', '+1', '-0', '0x1', '1e2', '١', '1.', ':'));
  const dotted = fc.oneof(
    fc.array(octet, { minLength: 1, maxLength: 6 }).map((xs) => xs.join('.')),
    fc.string({ maxLength: 16 }),
    fc.tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.constantFrom('', '.', '.0', ' ', '/8')).map(([n, tail]) => `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}${tail}`),
  );

  it('accept exactly the addresses parseIPv4 accepts, at the same value (seeded)', () => {
    fc.assert(
      fc.property(dotted, (text) => {
        const want = parseIPv4(text);
        expect(ipv4Number(text)).toBe(want === undefined ? undefined : Number(want));
      }),
      { seed: 39, numRuns: 20000 },
    );
  });

  it('write the network of an address and length as formatPrefix(network()) does (seeded)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 32 }), (value, length) => {
        expect(ipv4NetworkText(value, length)).toBe(formatPrefix(network({ family: 4, value: BigInt(value), length })));
      }),
      { seed: 40, numRuns: 5000 },
    );
  });
});
