// parseOriginTag first tries the tag read after the previous tag the last time that one was read
// (the routers of a network list the same routes in the same order). The guess must be taken only
// for exactly its text: sequences read again in the same order, with tags swapped for others of
// the same length (another digit, another file, the same end offset), blanks around them, texts
// cut from longer strings and texts that are no tag, must all get the expression's answer; and the
// chain of guesses must never hold more tags than the store by text.

import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatOriginTag, keptOriginTagCount, originTagGuessCount, originTagGuessesTaken, parseOriginTag } from '../../backends/origin-tag.js';
import { emptyKeptStore, keptCounts } from '../kept-store.js';
import { byExpression, freshOriginTag, span } from './origin-tag-reference.js';

const kept = keptCounts({ texts: keptOriginTagCount });
// The store by text starts empty, as in a process of the file's own: the guesses this file
// counts are not cut short by the store filling up with what files before kept.
beforeAll(() => emptyKeptStore(kept.texts, freshOriginTag));

/** Tags of one length: the same numbers of digits, in two files whose names are as long. */
function tagPool(): string[] {
  const tags: string[] = [];
  for (const file of ['n.plumb', 'm.plumb'])
    for (let i = 0; i < 6; i++) {
      tags.push(formatOriginTag(span(file, [10 + i, 1, 500 + i, 10 + i, 40, 540 + i])));
      // the same end offset, other numbers before it
      tags.push(formatOriginTag(span(file, [20 + i, 3, 600 + i, 20 + i, 40, 540 + i])));
    }
  return tags;
}

describe('origin tags guessed from the tag read before', () => {
  const pool = tagPool();
  const cut = (t: string): string => `x ${t} y`.slice(2, 2 + t.length);
  const variants = [...pool, ...pool.map((t) => ` ${t}`), ...pool.map((t) => t.replace(/:40 /, ':41 ')), ...pool.map((t) => t.replace(/\[(\d+),/, '[0$1,')), 'n.plumb:1:2-3:4 [5,]', ']'];

  it('answers as the expression does when a sequence is read again with changes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...pool), { minLength: 2, maxLength: 30 }),
        fc.array(fc.tuple(fc.nat(29), fc.constantFrom(...variants), fc.boolean()), { maxLength: 4 }),
        fc.integer({ min: 2, max: 4 }),
        (sequence, changes, rounds) => {
          for (let r = 0; r < rounds; r++) {
            const texts = [...sequence];
            // from the second round on, some places hold another text (most of the same length)
            if (r > 0) for (const [at, text] of changes) texts[at % texts.length] = text;
            texts.forEach((t, i) => {
              const sliced = changes.some(([at, , cutIt]) => cutIt && at % texts.length === i);
              expect(parseOriginTag(sliced ? cut(t) : t)).toEqual(byExpression(t));
            });
          }
        },
      ),
      { seed: 46, numRuns: 1500 },
    );
  });

  it('gives a sequence read again the spans it gave the first time, by the guesses', () => {
    const sequence = pool.slice(0, 8);
    const first = sequence.map((t) => parseOriginTag(t));
    const taken = originTagGuessesTaken();
    for (let r = 0; r < 3; r++) sequence.forEach((t, i) => expect(parseOriginTag(cut(t))).toBe(first[i]));
    // every tag but the first of each round follows the one it followed before
    expect(originTagGuessesTaken() - taken).toBeGreaterThanOrEqual(3 * 7);
  });

  it('learns a new order from tags found by their end offset or by their text', () => {
    const fresh = (file: string, at: number): string[] =>
      Array.from({ length: 8 }, (_, i) => formatOriginTag(span(file, [30 + i, 1, at + 10 * i, 30 + i, 9, at + 10 * i + 8])));
    const byEnd = fresh('r.plumb', 91_000);
    for (const t of byEnd) parseOriginTag(t);
    const reversed = [...byEnd].reverse();
    for (const t of reversed) parseOriginTag(cut(t));
    let taken = originTagGuessesTaken();
    for (const t of reversed) expect(parseOriginTag(cut(t))).toEqual(byExpression(t));
    expect(originTagGuessesTaken() - taken).toBeGreaterThanOrEqual(7);
    // the same tags with a blank before take their end offsets: the tags alone are then found by text
    const byText = fresh('s.plumb', 92_000);
    for (const t of byText) parseOriginTag(t);
    for (const t of byText) parseOriginTag(` ${t}`);
    for (const t of [...byText].reverse()) parseOriginTag(cut(t));
    taken = originTagGuessesTaken();
    for (const t of [...byText].reverse()) expect(parseOriginTag(cut(t))).toEqual(byExpression(t));
    expect(originTagGuessesTaken() - taken).toBeGreaterThanOrEqual(7);
  });

  it('never chains more tags than the store by text keeps', () => {
    let max = 0;
    for (let i = 0; i < 70_000; i++) {
      parseOriginTag(formatOriginTag(span('q.plumb', [7, 1, 10 + i, 7, 5, 8_000_000 + i])));
      if (i % 7 === 0) parseOriginTag(pool[i % pool.length]!);
      if (i % 1000 === 0) max = Math.max(max, originTagGuessCount() - kept.texts());
    }
    expect(max).toBeLessThanOrEqual(0);
    expect(originTagGuessCount()).toBeGreaterThan(0);
    expect(originTagGuessCount()).toBeLessThanOrEqual(kept.texts());
  });
});
