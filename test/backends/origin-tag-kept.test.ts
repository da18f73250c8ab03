// parseOriginTag keeps the span of each tag it read from its end by the exact text it was given:
// a text met again gets the same frozen span, every answer stays the expression's, the texts
// the expression alone reads are never kept, the kept texts do not hold the files they were
// cut from, and the store is emptied past its bound.

import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatOriginTag, keptOriginTagCount, parseOriginTag } from '../../backends/origin-tag.js';
import { byExpression, span } from './origin-tag-reference.js';

describe('origin tags kept by their text', () => {
  it('answers as the expression does in seeded sequences of repeated, near and hostile texts', () => {
    // a small pool, so that texts come back: tags one digit, one path character or one blank
    // apart, and texts only the expression reads
    const tags = [
      formatOriginTag(span('a.plumb', [3, 1, 40, 3, 9, 48])),
      formatOriginTag(span('a.plumb', [3, 1, 40, 3, 9, 49])),
      formatOriginTag(span('a.plumb', [3, 1, 41, 3, 9, 48])),
      formatOriginTag(span('b.plumb', [3, 1, 40, 3, 9, 48])),
      formatOriginTag(span('a b.plumb', [3, 1, 40, 3, 9, 48])),
      formatOriginTag(span('a.plumb', [13, 1, 40, 3, 9, 48])),
      formatOriginTag(span('a.plumb', [1, 31, 40, 3, 9, 48])),
    ];
    const pool = [...tags, ...tags.map((t) => ` ${t}`), ...tags.map((t) => `${t}\t`), ...tags.map((t) => t.slice(0, -1)), 'f:1:2-3:4 [5,1234567890123456789]', 'é:1:2-3:4 [5,6]', 'x', ''];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pool), { minLength: 1, maxLength: 40 }), (texts) => {
        for (const t of texts) expect(parseOriginTag(t)).toEqual(byExpression(t));
      }),
      { seed: 43, numRuns: 2000 },
    );
  });

  it('gives a text met again the same frozen span, found by its text', () => {
    const t = formatOriginTag(span('kept.plumb', [7, 2, 700, 7, 30, 728]));
    const first = parseOriginTag(t)!;
    const count = keptOriginTagCount();
    // the same text cut from another file: found, not read again
    const again = parseOriginTag(`ip route x\n${t}\n`.slice(11, 11 + t.length))!;
    expect(again).toBe(first);
    expect(keptOriginTagCount()).toBe(count);
    expect(Object.isFrozen(first) && Object.isFrozen(first.start) && Object.isFrozen(first.end)).toBe(true);
  });

  it('keeps nothing the expression alone reads: each answer is its own object', () => {
    const t = 'f:1:2-3:4 [5,1234567890123456789]';
    const first = parseOriginTag(t)!;
    first.start.line = 99;
    const second = parseOriginTag(t)!;
    expect(second).not.toBe(first);
    expect(second).toEqual(byExpression(t));
  });

  it('empties the store past its bound, and answers the same after', () => {
    const first = formatOriginTag(span('bound.plumb', [1, 1, 0, 1, 2, 1]));
    parseOriginTag(first);
    const start = keptOriginTagCount();
    let max = 0;
    for (let i = 0; i < 70_000; i++) {
      parseOriginTag(formatOriginTag(span('bound.plumb', [2, 1, 10 + i, 2, 5, 20 + i])));
      max = Math.max(max, keptOriginTagCount());
    }
    expect(max).toBeLessThanOrEqual(65_536);
    // emptied once, when it was full: what came after is what is kept
    expect(keptOriginTagCount()).toBe(start + 70_000 - 65_536);
    expect(parseOriginTag(first)).toEqual(byExpression(first));
  });

  it('does not keep the file a kept text was cut from', () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    gc();
    const before = process.memoryUsage().heapUsed;
    // eight files of 8 MB, each with a tag of its own cut out of it and read
    for (let k = 0; k < 8; k++) {
      const tag = formatOriginTag(span(`pin${k}.plumb`, [k + 1, 1, k, k + 1, 2, k + 1]));
      const file = `${'!'.repeat(8_000_000)}\n! plumb route origin ${tag}\nip route 10.0.0.0 255.0.0.0 Null0\n`;
      const at = 8_000_001 + '! plumb route origin '.length;
      expect(parseOriginTag(file.slice(at, at + tag.length))).toEqual(byExpression(tag));
    }
    gc();
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(16_000_000);
  });
});
