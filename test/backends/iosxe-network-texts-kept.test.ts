// ipv4NetworkText keeps each network's text by length and network: any address of a network
// gets the one text formatPrefix(network()) writes, repeated and near values included, and the
// store is emptied past its bound. The reader's prefixText takes IPv4 texts from it.

import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { ipv4NetworkText, keptNetworkTextCount } from '../../backends/cisco-iosxe/syntax.js';
import { prefixText } from '../../backends/cisco-iosxe/read-state.js';
import { formatPrefix, network, type Prefix } from '../../language/address.js';
import { emptyKeptStore, keptCounts } from '../kept-store.js';

const kept = keptCounts({ texts: keptNetworkTextCount });
// The store starts empty, as in a process of the file's own (fresh entries: /32s of 240.0.0.0/4,
// which the tests below do not write).
beforeAll(() => emptyKeptStore(kept.texts, (n) => ipv4NetworkText((0xf0000000 + n) >>> 0, 32)));

const fresh = (value: number, length: number): string => formatPrefix(network({ family: 4, value: BigInt(value), length }));

describe('IOS-XE network texts kept', () => {
  it('write each network as formatPrefix(network()) does, in seeded sequences of repeated and near values', () => {
    // a few networks, with host bits set or not, at neighbouring lengths, each met many times
    const base = fc.constantFrom(0, 0x0a000000, 0x0a000100, 0x0a0001ff, 0xc0a80001, 0xffffffff, 0x80000000, 0x7fffffff);
    const value = fc.tuple(base, fc.integer({ min: 0, max: 3 })).map(([b, d]) => (b + d) >>> 0);
    fc.assert(
      fc.property(fc.array(fc.tuple(value, fc.integer({ min: 0, max: 32 })), { minLength: 1, maxLength: 60 }), (pairs) => {
        for (const [v, len] of pairs) expect(ipv4NetworkText(v, len)).toBe(fresh(v, len));
      }),
      { seed: 43, numRuns: 1000 },
    );
  });

  it('keeps one text for every address of a network', () => {
    const first = ipv4NetworkText(0x0a0b0c00, 24);
    const count = kept.texts();
    expect(ipv4NetworkText(0x0a0b0c2a, 24)).toBe(first);
    expect(kept.texts()).toBe(count);
    expect(ipv4NetworkText(0x0a0b0c2a, 25)).toBe('10.11.12.0/25');
    expect(ipv4NetworkText(0x0a0b0cff, 25)).toBe('10.11.12.128/25');
    expect(ipv4NetworkText(0xffffffff, 0)).toBe('0.0.0.0/0');
  });

  it('empties the store past its bound, and writes the same after', () => {
    const start = kept.texts();
    let max = 0;
    for (let i = 0; i < 70_000; i++) {
      expect(ipv4NetworkText(0x64000000 + i * 4, 30)).toBe(fresh(0x64000000 + i * 4, 30));
      max = Math.max(max, kept.texts());
    }
    expect(max).toBeLessThanOrEqual(65_536);
    // emptied once, when it was full: what came after is what is kept
    expect(kept.texts()).toBe(start + 70_000 - 65_536);
    expect(ipv4NetworkText(0x0a0b0c2a, 24)).toBe('10.11.12.0/24');
  });
});

describe('IOS-XE prefix texts', () => {
  it('write a prefix of either family as formatPrefix(network()) does (seeded)', () => {
    const v4 = fc.tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 32 })).map(([v, length]): Prefix => ({ family: 4, value: BigInt(v), length }));
    const v6 = fc.tuple(fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }), fc.integer({ min: 0, max: 128 })).map(([value, length]): Prefix => ({ family: 6, value, length }));
    fc.assert(
      fc.property(fc.array(fc.oneof(v4, v6), { minLength: 1, maxLength: 20 }), (prefixes) => {
        for (const p of prefixes) expect(prefixText(p)).toBe(formatPrefix(network(p)));
      }),
      { seed: 43, numRuns: 1000 },
    );
    // the same network from an address with host bits, and an IPv6 prefix whose low 32 bits look like IPv4
    expect(prefixText({ family: 4, value: 0x0a0b0c2an, length: 24 })).toBe('10.11.12.0/24');
    expect(prefixText({ family: 6, value: 0x0a0b0c00n, length: 120 })).toBe('::a0b:c00/120');
  });
});
