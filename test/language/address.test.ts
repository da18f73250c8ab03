// Addresses and prefixes: parsed once and shared, so a second parse of the same text must give
// the same answer as the first, invalid text included, and the shared results cannot be changed.

import { describe, expect, it } from 'vitest';
import {
  canonicalPrefix,
  comparePrefixes,
  formatIPv4,
  formatPrefix,
  mask,
  parseAddress,
  parsePrefix,
  prefixOf,
} from '../../language/address.js';

describe('address parsing and formatting', () => {
  it('gives the same answer on every parse of the same text, invalid text included', () => {
    for (const text of ['10.1.2.3/24', '2001:db8::1/64', '10.0.0.256/8', '10.0.0.1/33', '01.2.3.4/8', 'x/1', '10.0.0.0']) {
      const first = parsePrefix(text);
      expect(parsePrefix(text)).toEqual(first);
    }
    expect(parsePrefix('10.1.2.3/24')).toEqual({ family: 4, value: 0x0a010203n, length: 24 });
    expect(parsePrefix('10.0.0.256/8')).toBeUndefined();
    expect(parsePrefix('10.0.0.256/8')).toBeUndefined();
    expect(parseAddress('::ffff:1.2.3.4')).toEqual({ family: 6, value: 0xffff01020304n });
    expect(parseAddress('1.2.3')).toBeUndefined();
    expect(parseAddress('1.2.3')).toBeUndefined();
  });

  it('shares parsed prefixes read-only', () => {
    const p = prefixOf('192.0.2.0/24');
    expect(Object.isFrozen(p)).toBe(true);
    expect(() => {
      (p as { length: number }).length = 8;
    }).toThrow(TypeError);
    expect(prefixOf('192.0.2.0/24').length).toBe(24);
  });

  it('formats IPv4 at the edges of the range', () => {
    expect(formatIPv4(0n)).toBe('0.0.0.0');
    expect(formatIPv4(0xffffffffn)).toBe('255.255.255.255');
    expect(formatIPv4(0x80000001n)).toBe('128.0.0.1');
    expect(formatPrefix({ family: 4, value: 0xc0000280n, length: 25 })).toBe('192.0.2.128/25');
  });

  it('has the mask of every length of both families', () => {
    for (const [family, bits] of [[4, 32], [6, 128]] as const) {
      for (let n = 0; n <= bits; n++) expect(mask(family, n)).toBe(((1n << BigInt(n)) - 1n) << BigInt(bits - n));
    }
  });

  it('canonicalises and orders prefixes by network, host bits aside', () => {
    expect(canonicalPrefix('10.1.2.3/16')).toBe('10.1.0.0/16');
    expect(canonicalPrefix('10.1.2.3/16')).toBe('10.1.0.0/16');
    expect(canonicalPrefix('2001:DB8:0:0:0:0:0:1/32')).toBe('2001:db8::/32');
    expect(canonicalPrefix('nonsense')).toBeUndefined();
    expect(canonicalPrefix('nonsense')).toBeUndefined();
    const sorted = ['10.1.0.0/16', '2001:db8::/32', '10.0.0.9/8', '10.1.0.5/24', '9.0.0.0/8'].map(prefixOf).sort(comparePrefixes).map(formatPrefix);
    expect(sorted).toEqual(['9.0.0.0/8', '10.0.0.9/8', '10.1.0.0/16', '10.1.0.5/24', '2001:db8::/32']);
  });
});
