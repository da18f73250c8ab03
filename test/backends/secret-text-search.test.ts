// hasPlaceholder searches a file for the placeholder's `b-` and checks the whole prefix around
// each one found, handing the rest of a text with many of them to `includes`: whatever the
// text (the prefix at its start or end, cut short, overlapping false starts, more `b-` than the
// anchors tried, two-byte text, a text joined from pieces), the answer must be
// `includes('plumb-secret.')`, and fillSecrets must fill exactly the files that hold one.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fillSecrets, hasPlaceholder, secretPlaceholder } from '../../backends/secret-text.js';

const PREFIX = 'plumb-secret.';
const byIncludes = (text: string): boolean => text.includes(PREFIX);

/** Pieces that make near misses and hits of the prefix when joined in any order. */
const PIECES = ['b-', 'b', '-', 'p', 'plum', 'plumb', 'plumb-', 'plumb-secret', 'lumb-secret.', 'b-secret.', 'secret.', PREFIX, 'x', ' ', '\n', 'é', '€', '𝄞'];

describe('hasPlaceholder', () => {
  it('answers as includes does on texts joined from near misses and hits', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...PIECES), { maxLength: 60 }), (pieces) => {
        const text = pieces.join('');
        expect(hasPlaceholder(text)).toBe(byIncludes(text));
      }),
      { seed: 16, numRuns: 5000 },
    );
  });

  it('finds the prefix at the start, at the end and after every count of anchors that are not one', () => {
    expect(hasPlaceholder(PREFIX)).toBe(true);
    expect(hasPlaceholder(`x${PREFIX}`)).toBe(true);
    expect(hasPlaceholder(`${PREFIX.slice(0, -1)}`)).toBe(false);
    expect(hasPlaceholder('b-')).toBe(false);
    expect(hasPlaceholder('')).toBe(false);
    for (const n of [0, 1, 62, 63, 64, 65, 200]) {
      const misses = 'xb-'.repeat(n);
      for (const gap of ['', 'b', 'lumb', 'plum', 'pl']) {
        const text = `${misses}${gap}${PREFIX}y`;
        expect(hasPlaceholder(text), `${n} misses, gap ${gap}`).toBe(true);
        expect(hasPlaceholder(`${misses}${gap}${PREFIX.slice(0, -1)}y`), `${n} misses, gap ${gap}, cut`).toBe(false);
        // the prefix right after the anchor where the search hands over to includes
        expect(hasPlaceholder(`${misses}lumb-secret.${PREFIX}`), `${n} misses, overlapping`).toBe(true);
      }
    }
  });

  it('answers as includes does on long texts with many anchors, and on two-byte texts', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 300 }), fc.boolean(), fc.boolean(), (before, after, hit, twoByte) => {
        const filler = twoByte ? 'b-é' : 'ab-';
        const text = `${filler.repeat(before)}${hit ? PREFIX : 'plumb-secre'}${filler.repeat(after)}`;
        expect(hasPlaceholder(text)).toBe(byIncludes(text));
      }),
      { seed: 17, numRuns: 500 },
    );
  });

  it('fills exactly the files that hold a placeholder', () => {
    const files = [
      { path: 'a.cfg', content: `x\n neighbor 10.0.0.1 password ${secretPlaceholder('k')}\n` },
      { path: 'b.cfg', content: 'b-b-b-'.repeat(100) },
      { path: 'c.cfg', content: `${'b-'.repeat(100)}${secretPlaceholder('k')}` },
      { path: 'd.cfg', content: 'plumb-secret' },
    ];
    const filled = fillSecrets(files, new Map([['k', 'v4lue']]));
    expect(filled.map((f) => f.content)).toEqual(['x\n neighbor 10.0.0.1 password v4lue\n', files[1]!.content, `${'b-'.repeat(100)}v4lue`, 'plumb-secret']);
    expect(filled.map((f) => f.holdsSecret === true)).toEqual([true, false, true, false]);
    expect(filled[1]).toBe(files[1]);
    expect(filled[3]).toBe(files[3]);
  });
});
