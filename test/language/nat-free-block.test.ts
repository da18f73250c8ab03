// The free range a P316 fix proposes (language/check-nat.ts, firstFreeBlock): sorted ranges and
// jumps past each taken one, held here to the plain search it replaced (every candidate block
// compared with every taken prefix) on seeded sets of prefixes in and around 100.64.0.0/10.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { network, overlaps, parsePrefix, type Prefix } from '../../language/address.js';
import { firstFreeBlock } from '../../language/check-nat.js';

const SPACE = parsePrefix('100.64.0.0/10')!;
const BASE = Number(SPACE.value);

function plainSearch(space: Prefix, length: number, taken: readonly Prefix[], limit: bigint): Prefix | undefined {
  const step = 1n << BigInt(32 - length);
  const count = 1n << BigInt(length - space.length);
  for (let k = 0n; k < count && k < limit; k++) {
    const candidate: Prefix = { family: 4, value: space.value + k * step, length };
    if (!taken.some((t) => overlaps(t, candidate) && !(t.length < space.length))) return candidate;
  }
  return undefined;
}

/** A prefix near the space: mostly inside it, packed into its first blocks so that candidates clash. */
const v4Prefix = fc
  .record({
    offset: fc.oneof(fc.integer({ min: 0, max: 1 << 14 }), fc.integer({ min: 0, max: (1 << 22) - 1 }), fc.integer({ min: -(1 << 24), max: 1 << 24 })),
    length: fc.oneof(fc.integer({ min: 16, max: 32 }), fc.integer({ min: 0, max: 32 })),
  })
  .map(({ offset, length }): Prefix => ({ family: 4, value: BigInt((BASE + offset) >>> 0), length }));
const v6Prefix = fc.record({ value: fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }), length: fc.integer({ min: 0, max: 128 }) }).map((p): Prefix => ({ family: 6, ...p }));

describe('the free range proposed for an external that needs translating', () => {
  it('is the first block the plain search finds, or none when it finds none (seeded)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof({ weight: 9, arbitrary: v4Prefix }, { weight: 1, arbitrary: v6Prefix }), { maxLength: 60 }),
        fc.oneof(fc.integer({ min: 18, max: 32 }), fc.integer({ min: 0, max: 32 })),
        fc.constantFrom(4096n, 16n, 1n, 0n),
        (taken, length, limit) => {
          const expected = plainSearch(SPACE, length, taken, limit);
          const got = length < SPACE.length ? undefined : firstFreeBlock(SPACE, length, taken, limit);
          expect(got, JSON.stringify({ taken: taken.map((t) => `${t.family}:${t.value}/${t.length}`), length, limit: String(limit) })).toEqual(length < SPACE.length ? undefined : expected);
        },
      ),
      { seed: 0x316, numRuns: 4_000 },
    );
  });

  it('jumps past nested and adjacent ranges, and keeps host bits out of a taken range', () => {
    const p = (text: string): Prefix => parsePrefix(text)!;
    // 100.64.0.0/24 and a /26 inside it, 100.64.1.0/24 given with host bits, a /8 around it all.
    const taken = [p('100.64.0.64/26'), p('100.64.1.7/24'), p('100.64.0.0/24'), p('100.0.0.0/8')];
    expect(firstFreeBlock(SPACE, 24, taken, 4096n)).toEqual(network(p('100.64.2.0/24')));
    expect(firstFreeBlock(SPACE, 23, taken, 4096n)).toEqual(network(p('100.64.2.0/23')));
    expect(firstFreeBlock(SPACE, 24, taken, 2n)).toBeUndefined();
    expect(firstFreeBlock(SPACE, 10, [p('100.127.255.255/32')], 4096n)).toBeUndefined();
  });
});
