// fast-check's `unit: 'binary'` (any code point but a lone surrogate) without its cost: building
// that unit's first string arbitrary maps all 1,112,064 code points back to their draws (fast-check
// checks its slices of dangerous strings against the unit), 1.5-7 s of CPU in the process that
// first asks for it, each time the shared worker thread runs. This unit draws the same numbers,
// maps them to the same characters and maps a character back by arithmetic instead of a table:
// `fc.string({ unit: binaryUnit, ... })` gives the same strings for a seed, and shrinks them the same.

import fc from 'fast-check';

/** The surrogates' code points, left out: U+D800 to U+DFFF. */
const SURROGATES = 0xe000 - 0xd800;

function drawOf(char: unknown): number {
  if (typeof char !== 'string' || char.length === 0) throw new Error('not a code point');
  const code = char.codePointAt(0)!;
  if (String.fromCodePoint(code) !== char || (code >= 0xd800 && code < 0xe000)) throw new Error('not a code point');
  return code < 0xd800 ? code : code - SURROGATES;
}

export const binaryUnit: fc.Arbitrary<string> = fc
  .nat({ max: 0x10ffff - SURROGATES })
  .map((draw) => String.fromCodePoint(draw < 0xd800 ? draw : draw + SURROGATES), drawOf);
