// parseOriginTag looks a text up by its tag's end offset first (the last text kept with that
// offset, compared whole), then by the text: texts that share an end offset (other files,
// blanks around the tag, other numbers before it), end offsets past a small integer and of 15
// and 16 digits, and texts cut from larger strings must all get the expression's answer, a
// known text the same frozen span, and the store by end offset must never outgrow the one by text.

import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatOriginTag, keptOriginTagCount, keptOriginTagEndCount, parseOriginTag } from '../../backends/origin-tag.js';
import { emptyKeptStore, keptCounts } from '../kept-store.js';
import { byExpression, freshOriginTag, span } from './origin-tag-reference.js';

const kept = keptCounts({ texts: keptOriginTagCount, ends: keptOriginTagEndCount });
// The stores by text and by end offset start empty, as in a process of the file's own.
beforeAll(() => emptyKeptStore(kept.texts, freshOriginTag));

describe('origin tags found by their end offset', () => {
  it('answers as the expression does when texts share their end offsets', () => {
    const ends = [48, 2 ** 31 + 7, 999_999_999_999_999];
    const tags: string[] = [];
    for (const end of ends) {
      tags.push(
        formatOriginTag(span('e.plumb', [3, 1, 40, 3, 9, end])),
        formatOriginTag(span('f.plumb', [3, 1, 40, 3, 9, end])),
        formatOriginTag(span('e.plumb', [3, 1, 41, 3, 9, end])),
        formatOriginTag(span('e.plumb', [4, 1, 40, 3, 9, end])),
        formatOriginTag(span('e e.plumb', [3, 1, 40, 3, 9, end])),
      );
    }
    const pool = [
      ...tags,
      ...tags.map((t) => ` ${t}`),
      ...tags.map((t) => t.replace(/\[(\d+),/, '[0$1,')),
      ...tags.map((t) => t.replace(/,(\d+)\]$/, ',0$1]')),
      'e.plumb:1:2-3:4 [5,1234567890123456]',
      'e.plumb:1:2-3:4 [5,]',
      ']',
      '1]',
    ];
    // each text also cut from a longer string, as the readers cut them from a file
    const cut = (t: string): string => `x ${t} y`.slice(2, 2 + t.length);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...pool), fc.boolean()), { minLength: 1, maxLength: 40 }), (texts) => {
        for (const [t, sliced] of texts) expect(parseOriginTag(sliced ? cut(t) : t)).toEqual(byExpression(t));
      }),
      { seed: 44, numRuns: 2000 },
    );
  });

  it('gives a known text the span it was given first, whichever text came between', () => {
    const a = formatOriginTag(span('g.plumb', [9, 1, 900, 9, 20, 919]));
    const b = formatOriginTag(span('h.plumb', [9, 1, 900, 9, 20, 919]));
    const first = parseOriginTag(a)!;
    const other = parseOriginTag(b)!;
    expect(other).not.toBe(first);
    expect(parseOriginTag(`${a}\n`.slice(0, a.length))).toBe(first);
    expect(parseOriginTag(b)).toBe(other);
    expect(Object.isFrozen(first)).toBe(true);
  });

  it('keeps one text per end offset, and empties with the store by text', () => {
    const base = kept.ends();
    for (let i = 0; i < 100; i++) parseOriginTag(formatOriginTag(span('k.plumb', [5, 1, 5_000 + i, 5, 9, 6_000_000 + (i % 10)])));
    // ten end offsets, however many texts
    expect(kept.ends()).toBe(base + 10);
    let max = 0;
    for (let i = 0; i < 70_000; i++) {
      parseOriginTag(formatOriginTag(span('k.plumb', [6, 1, 10 + i, 6, 5, 7_000_000 + i])));
      max = Math.max(max, kept.ends() - kept.texts());
    }
    expect(max).toBeLessThanOrEqual(0);
    expect(kept.ends()).toBeLessThanOrEqual(kept.texts());
  });
});
