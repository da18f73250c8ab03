// encodeScratch (pipeline/write-output.ts) writes a text into its scratch buffer without
// measuring it first, trusting the room it makes (3 bytes a UTF-16 unit): texts whose every unit
// takes 3 bytes, lone surrogates and pairs at the very end, each after the buffer was last grown
// for a smaller text, must still come out whole and as Buffer.from's bytes.

import { describe, expect, it } from 'vitest';
import { encodeScratch } from '../../pipeline/write-output.js';
import { prng as random } from '../verifier/random-networks.js';

/** Units of every UTF-8 width: ASCII, 2 bytes, 3 bytes, a pair (4 for 2 units), a lone surrogate (3). */
const PIECES = ['a', '\n', 'é', '✓', '€', '😀', '\ud800', '\udfff'];

function check(text: string): void {
  const bytes = encodeScratch(text);
  const expected = Buffer.from(text, 'utf8');
  expect(bytes.length, `length ${text.length}`).toBe(expected.length);
  expect(bytes.equals(expected), `length ${text.length}`).toBe(true);
}

describe('encodeScratch without measuring first', () => {
  it('writes texts of 3-byte units whole, the largest first and then each just past the last room', () => {
    // 64 KiB is the smallest buffer: texts of 3-byte units around its room and past it
    for (const units of [21_845, 21_846, 21_847, 65_536, 65_537, 131_073, 400_000, 400_001]) check('✓'.repeat(units));
  });

  it('ends a text with a lone surrogate, a pair or a 3-byte unit at the end of the room', () => {
    for (const end of ['\ud800', '\udbff', '😀', '✓', 'é']) {
      for (const units of [1, 21_844, 21_845, 70_000]) check('✓'.repeat(units) + end);
      check(end);
    }
  });

  it('gives Buffer.from bytes for seeded texts of every width, growing and shrinking', () => {
    const next = random(16);
    for (let n = 0; n < 300; n++) {
      const length = Math.floor(next() ** 3 * 200_000);
      const dense = next() < 0.5;
      const parts: string[] = [];
      for (let i = 0; i < length; i++) parts.push(dense ? PIECES[2 + Math.floor(next() * 6)]! : PIECES[Math.floor(next() * PIECES.length)]!);
      check(parts.join(''));
    }
  });
});
