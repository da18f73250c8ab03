// A device's OSPF takes hidden and default prefixes out of its own prefix lists in place
// (removeAll in route-protocols.ts), where it filtered copies before. The lists must be those the
// filter gave, in the same order, and the same array; defaults still originated (route-plan
// reference tests hold the whole plan).

import { describe, expect, it } from 'vitest';
import { removeAll } from '../../compiler/route-protocols.js';
import { prng } from '../verifier/random-networks.js';

const TEXTS = ['0.0.0.0/0', '::/0', '10.0.0.0/24', '10.0.1.0/24', '192.0.2.0/24', '2001:db8::/64', '198.51.100.0/24'];

describe('prefixes taken out in place', () => {
  it('leaves what the filter left, in order, in the same array', () => {
    const r = prng(7);
    for (let run = 0; run < 300; run++) {
      const xs = Array.from({ length: Math.floor(r() * 12) }, () => TEXTS[Math.floor(r() * TEXTS.length)]!);
      const drop = new Set(TEXTS.filter(() => r() < 0.3));
      const expected = xs.filter((x) => !drop.has(x));
      const same = removeAll(xs, drop);
      expect(same).toBe(xs);
      expect(same, `run ${run}`).toEqual(expected);
    }
  });

  it('keeps a list with nothing to take out as it is', () => {
    const xs = ['10.0.0.0/24', '0.0.0.0/0'];
    expect(removeAll(xs, new Set())).toEqual(['10.0.0.0/24', '0.0.0.0/0']);
    expect(removeAll(xs, new Set(['::/0']))).toEqual(['10.0.0.0/24', '0.0.0.0/0']);
    expect(removeAll(xs, new Set(['0.0.0.0/0', '10.0.0.0/24']))).toEqual([]);
  });
});
