// An access-list entry's ICMP type word read back (syntax.ts icmpTypeOf): a number of 0-255, or a
// name IOS shows for the entry's family, found in the names turned the other way once. Held here
// to the walk over ICMP_NAMES it replaces, on every name of both families, numbers at and past
// the bounds, and words that are an object's own keys.

import { describe, expect, it } from 'vitest';
import { ICMP_NAMES, icmpTypeOf, icmpTypeText } from '../../backends/cisco-iosxe/syntax.js';

/** The walk over the names' entries, as the reader did it. */
function byWalk(family: 4 | 6, text: string): number | undefined {
  if (/^\d{1,3}$/.test(text)) {
    const n = Number(text);
    return n <= 255 ? n : undefined;
  }
  for (const [k, v] of Object.entries(ICMP_NAMES[family])) if (v === text) return Number(k);
  return undefined;
}

const NAMES = [...Object.values(ICMP_NAMES[4]), ...Object.values(ICMP_NAMES[6])];
const OTHERS = ['0', '3', '8', '11', '128', '255', '256', '999', '00', '1000', '-1', '', 'echo ', 'Echo', 'constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'];

describe('IOS-XE ICMP type words', () => {
  it('are read as the walk over the names reads them, in both families', () => {
    for (const family of [4, 6] as const) {
      for (const word of [...NAMES, ...OTHERS]) expect(icmpTypeOf(family, word)).toBe(byWalk(family, word));
    }
  });

  it('read back every type a renderer writes, by name or number', () => {
    for (const family of [4, 6] as const) {
      for (let type = 0; type <= 255; type++) expect(icmpTypeOf(family, icmpTypeText(family, type))).toBe(type);
    }
    expect(icmpTypeOf(4, 'packet-too-big')).toBeUndefined();
    expect(icmpTypeOf(6, 'echo')).toBeUndefined();
    expect(icmpTypeOf(6, 'echo-reply')).toBe(129);
    expect(icmpTypeOf(4, 'echo-reply')).toBe(0);
  });
});
