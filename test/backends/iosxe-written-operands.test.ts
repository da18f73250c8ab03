// An IOS-XE ACL operand written as Plumb writes it (`A W` in an entry, `A M` in a network
// object-group: dotted numbers without leading zeros, a contiguous mask) is found by its numbers
// (acl-operands.ts writtenOperand), and every other spelling is left to the reading by words, which
// reports it. Held here to that reading (parseAddress, maskLength and network afresh) on seeded
// words: canonical or not, masks contiguous or one bit off, wildcards given as masks and the
// reverse. And the host-bit test of the in-place prefix-list entries and the route heads
// (syntax.ts ipv4HostBits) against the one on bigints.

import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { keptOperandCount, writtenOperand } from '../../backends/cisco-iosxe/acl-operands.js';
import { lexSections, PlainLine } from '../../backends/cisco-iosxe/lines.js';
import { WrittenReader } from '../../backends/cisco-iosxe/read-written.js';
import { WrittenEntries } from '../../backends/cisco-iosxe/written-entries.js';
import { ipv4RouteHead } from '../../backends/cisco-iosxe/render-routes.js';
import { ipv4HostBits, maskLength } from '../../backends/cisco-iosxe/syntax.js';
import { formatIPv4, hasHostBits, network, parseAddress, type Prefix } from '../../language/address.js';
import { emptyKeptStore, keptCounts } from '../kept-store.js';

/** The operand as the reading by words gives it: its network, or undefined when the words are no operand. */
function byWords(w: string, m: string, wildcard: boolean): Prefix[] | undefined {
  const a = parseAddress(w);
  const length = maskLength(m, wildcard);
  if (!a || a.family !== 4 || length === undefined) return undefined;
  return [network({ family: 4, value: a.value, length })];
}

const dotted = (v: number): string => formatIPv4(BigInt(v >>> 0));
const maskOf = (length: number): number => (length === 0 ? 0 : (0xffffffff << (32 - length)) >>> 0);

const kept = keptCounts({ operands: keptOperandCount });
// The store starts empty, as in a process of the file's own, so that where the bound test leaves
// it is the file's own (fresh entries: /32s of 240.0.0.0/4, which the tests below do not write).
beforeAll(() => emptyKeptStore(kept.operands, (n) => writtenOperand(dotted(0xf0000000 + n), '0.0.0.0', true)));

/** A word for a number: as written, with a leading zero, or with a part out of range. */
const spelled = (v: number) =>
  fc.constantFrom('plain', 'plain', 'plain', 'zero', 'wide').map((how) => {
    const text = dotted(v);
    if (how === 'zero') return text.replace(/(^|\.)(\d)(\.|$)/, '$10$2$3');
    if (how === 'wide') return text.replace(/^\d+/, '256');
    return text;
  });

describe('IOS-XE operands found by their numbers', () => {
  it('give what the reading by words gives, for the words Plumb writes, and nothing for others (seeded)', () => {
    const address = fc.oneof(fc.integer({ min: 0, max: 0xffffffff }), fc.constantFrom(0, 0x0a000000, 0x0a0b0c0d, 0xffffffff, 0x80000000, 0x7fffffff));
    // a contiguous mask, or one with a bit flipped (no mask, or another length's)
    const maskValue = fc.tuple(fc.integer({ min: 0, max: 32 }), fc.oneof(fc.constant(-1), fc.constant(-1), fc.integer({ min: 0, max: 31 }))).map(([length, flip]) => (flip < 0 ? maskOf(length) : (maskOf(length) ^ (1 << flip)) >>> 0));
    const operand = fc.tuple(address, maskValue, fc.boolean()).chain(([a, mv, wildcard]) =>
      // a wildcard is written inverted; a mask given where a wildcard is expected now and then
      fc.tuple(spelled(a), spelled(wildcard !== (mv % 3 === 0) ? ~mv >>> 0 : mv), fc.constant(wildcard)),
    );
    let found = 0;
    fc.assert(
      fc.property(fc.array(operand, { minLength: 1, maxLength: 30 }), (operands) => {
        for (const [w, m, wildcard] of operands) {
          const expected = byWords(w, m, wildcard);
          const got = writtenOperand(w, m, wildcard);
          const written = /^(0|[1-9]\d{0,2})(\.(0|[1-9]\d{0,2})){3}$/.test(w) && /^(0|[1-9]\d{0,2})(\.(0|[1-9]\d{0,2})){3}$/.test(m);
          if (written && expected !== undefined) {
            // every operand Plumb writes is found so, with its network's one frozen list
            expect(got).toEqual(expected);
            expect(Object.isFrozen(got) && Object.isFrozen(got![0])).toBe(true);
            found++;
          } else expect(got).toBeUndefined();
        }
      }),
      { seed: 44, numRuns: 1000 },
    );
    expect(found).toBeGreaterThan(1000);
  });

  it('share one list for every address of a network, wildcard or mask', () => {
    const a = writtenOperand('10.1.2.0', '0.0.0.255', true);
    expect(a).toEqual([{ family: 4, value: 0x0a010200n, length: 24 }]);
    expect(writtenOperand('10.1.2.77', '0.0.0.255', true)).toBe(a);
    expect(writtenOperand('10.1.2.0', '255.255.255.0', false)).toBe(a);
    expect(writtenOperand('10.1.2.0', '255.255.255.0', true)).toBeUndefined();
    expect(writtenOperand('10.1.2.0', '0.0.0.255', false)).toBeUndefined();
    expect(writtenOperand('0.0.0.0', '255.255.255.255', true)).toEqual([{ family: 4, value: 0n, length: 0 }]);
    expect(writtenOperand('255.255.255.255', '0.0.0.0', true)).toEqual([{ family: 4, value: 0xffffffffn, length: 32 }]);
  });

  it('are emptied past their bound, and read the same after', () => {
    writtenOperand('10.1.2.0', '0.0.0.255', true);
    let max = 0;
    let wrong = 0;
    for (let i = 0; i < 70_000; i++) {
      const v = 0x64000000 + i * 4;
      const got = writtenOperand(dotted(v), '0.0.0.3', true);
      if (got?.length !== 1 || got[0]!.value !== BigInt(v) || got[0]!.length !== 30) wrong++;
      max = Math.max(max, kept.operands());
    }
    expect(wrong).toBe(0);
    expect(max).toBeLessThanOrEqual(65_536);
    expect(kept.operands()).toBeLessThan(65_536);
    expect(writtenOperand('10.1.2.3', '0.0.0.255', true)).toEqual([{ family: 4, value: 0x0a010200n, length: 24 }]);
  });
});

describe('IOS-XE host bits by integer shifts', () => {
  it('agree with the test on bigints at every length (seeded)', () => {
    const edges = fc.constantFrom(0, 1, 0x80000000, 0x7fffffff, 0xffffffff, 0xfffffffe, 0x0a000000, 0x0a000001);
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: 0, max: 0xffffffff }), edges), fc.integer({ min: 0, max: 32 }), (a, length) => {
        expect(ipv4HostBits(a, length)).toBe(hasHostBits({ family: 4, value: BigInt(a), length }));
      }),
      { seed: 44, numRuns: 5000 },
    );
    for (let length = 0; length <= 32; length++) {
      expect(ipv4HostBits(maskOf(length), length)).toBe(false);
      expect(ipv4HostBits(0xffffffff, length)).toBe(length < 32);
    }
  });

  it('keep a prefix-list entry with host bits, and a route head of one, out of the in-place paths', () => {
    const entry = (prefix: string): unknown => {
      const { items } = lexSections('x.cfg', `ip prefix-list L seq 5 permit ${prefix}\nend\n`, new WrittenReader('x.cfg'));
      return items[0];
    };
    for (const p of ['10.0.0.0/8', '10.1.0.0/16', '0.0.0.0/0', '10.0.0.1/32', '255.255.255.255/32', '128.0.0.0/1']) {
      expect(entry(p)).toBeInstanceOf(WrittenEntries);
      expect(ipv4RouteHead(p)).toBeDefined();
    }
    for (const p of ['10.0.0.1/8', '10.1.0.0/15', '0.0.0.1/0', '128.0.0.0/0', '10.0.0.1/31', '255.255.255.255/1']) {
      expect(entry(p)).toBeInstanceOf(PlainLine);
      expect(ipv4RouteHead(p)).toBeUndefined();
    }
  });
});
