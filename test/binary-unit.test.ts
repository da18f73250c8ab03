// test/binary-unit.ts stands in for fast-check's `unit: 'binary'` in the shared set's property
// tests; it must give the very strings fast-check's own unit gives for a seed, and shrink a
// failing string to the same counterexample, or those tests would quietly test something else.
// This file pays fast-check's first-use cost of its own unit (seconds of CPU) once, in a process
// of its own (vitest.config.ts, OWN_PROCESS).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { binaryUnit } from './binary-unit.js';

const SEEDS = Array.from({ length: 24 }, (_, i) => 1 + i * 7919);

describe("binaryUnit against fast-check's binary unit", () => {
  it('draws the same strings for each seed', () => {
    for (const seed of SEEDS) {
      for (const maxLength of [1, 8, 200]) {
        const own = fc.sample(fc.string({ unit: binaryUnit, maxLength }), { seed, numRuns: 60 });
        const theirs = fc.sample(fc.string({ unit: 'binary', maxLength }), { seed, numRuns: 60 });
        expect(own, `seed ${seed}, maxLength ${maxLength}`).toEqual(theirs);
      }
    }
  });

  it('never draws a lone surrogate, and reaches the planes above the surrogates up to the last', () => {
    const chars = fc.sample(binaryUnit, { seed: 42, numRuns: 20_000 });
    expect(chars).toContain('\u{10FFFF}');
    expect(chars).toContain('\u0000');
    expect(chars.every((c) => !/[\uD800-\uDFFF]/u.test(c) && [...c].length === 1)).toBe(true);
    expect(chars.some((c) => c.codePointAt(0)! > 0xffff)).toBe(true);
    expect(chars.some((c) => { const p = c.codePointAt(0)!; return p > 0xdfff && p <= 0xffff; })).toBe(true);
  });

  it('shrinks a failing string to the same counterexample', () => {
    const failing = (s: string): boolean => !/[\u{1F000}-\u{10FFFF}]/u.test(s) || s.length < 3;
    for (const seed of SEEDS.slice(0, 8)) {
      const own = fc.check(fc.property(fc.string({ unit: binaryUnit, maxLength: 40 }), failing), { seed });
      const theirs = fc.check(fc.property(fc.string({ unit: 'binary', maxLength: 40 }), failing), { seed });
      expect(own.failed, `seed ${seed}`).toBe(theirs.failed);
      expect(own.counterexample, `seed ${seed}`).toEqual(theirs.counterexample);
      expect(own.numShrinks, `seed ${seed}`).toBe(theirs.numShrinks);
    }
  });

  it('maps a character back to its draw, as shrinking a given value needs', () => {
    // fc.string shrinks a value it did not draw itself (a counterexample from a replay or a
    // constant) through the unit's unmapper: a unit that cannot map back cannot shrink it.
    const value = 'a\u{1F600}\uE000z';
    const run = (unit: fc.Arbitrary<string> | 'binary') =>
      fc.check(fc.property(fc.string({ unit, maxLength: 10 }), (s) => !s.includes('\u{1F600}')), {
        examples: [[value]],
        seed: 5,
      });
    const own = run(binaryUnit);
    const theirs = run('binary');
    expect(own.counterexample).toEqual(theirs.counterexample);
    expect(own.counterexample).toEqual(['\u{1F600}']);
  });
});
