// Prefix sets ask for every member's last address and network over and over: `lastAddress`,
// `containsPrefix` and `containsAddress` (language/address.ts) read the host part from a table
// without making the network prefix, and `normalize` (compiler/prefix-set.ts) keeps a member
// without host bits as it is and sorts by value. On seeded prefixes of both families (host bits
// or not, lengths 0 to the family's bits) each must answer as the network-based forms below, the
// code before it, and `normalize` must change none of its inputs.

import { describe, expect, it } from 'vitest';
import { BITS, comparePrefixes, containsAddress, containsPrefix, lastAddress, mask, network, type Address, type Family, type Prefix } from '../../language/address.js';
import { difference, intersect, normalize, union } from '../../compiler/prefix-set.js';
import { random } from './urpf-seeds.js';

const lastAddressBefore = (p: Prefix): bigint => network(p).value | ((1n << BigInt(BITS[p.family] - p.length)) - 1n);

const containsPrefixBefore = (outer: Prefix, inner: Prefix): boolean =>
  outer.family === inner.family && outer.length <= inner.length && (inner.value & mask(outer.family, outer.length)) === network(outer).value;

const containsAddressBefore = (p: Prefix, a: Address): boolean => p.family === a.family && (a.value & mask(p.family, p.length)) === network(p).value;

function normalizeBefore(prefixes: readonly Prefix[]): Prefix[] {
  const sorted = prefixes.map(network).sort(comparePrefixes);
  const stack: Prefix[] = [];
  let lastKept: Prefix | undefined;
  for (const p of sorted) {
    if (lastKept && lastKept.family === p.family && lastAddressBefore(lastKept) >= lastAddressBefore(p) && lastKept.value <= p.value) continue;
    lastKept = p;
    stack.push(p);
    while (stack.length >= 2) {
      const b = stack[stack.length - 1]!;
      const a = stack[stack.length - 2]!;
      if (a.family !== b.family || a.length !== b.length || a.length === 0) break;
      const parent = network({ family: a.family, value: a.value, length: a.length - 1 });
      if (parent.value !== a.value || lastAddressBefore(parent) !== lastAddressBefore(b)) break;
      stack.length -= 2;
      stack.push(parent);
      lastKept = parent;
    }
  }
  return stack;
}

/**
 * Prefixes inside a small space of each family (so that they nest, touch and merge), the
 * family's bits long or up to 6 bits shorter, often with host bits.
 */
function prefixesOf(rnd: () => number, count: number): Prefix[] {
  return Array.from({ length: count }, () => {
    const family: Family = rnd() < 0.7 ? 4 : 6;
    const bits = BITS[family];
    const base = baseOf(family);
    const length = bits - Math.floor(rnd() * 7);
    return { family, value: base + BigInt(Math.floor(rnd() * 96)), length };
  });
}

const baseOf = (family: Family): bigint => (family === 4 ? 0x0a000000n : 0x20010db8n << 96n);

/** Which of the first SPACE addresses of the family's small space `set` holds (no prefix reaches past them). */
const SPACE = 192;
function addressesOf(set: readonly Prefix[], family: Family): boolean[] {
  const out = Array<boolean>(SPACE).fill(false);
  for (const p of set) {
    if (p.family !== family) continue;
    const from = Number(network(p).value - baseOf(family));
    const to = Number(lastAddressBefore(p) - baseOf(family));
    if (from < 0 || to >= SPACE) throw new Error(`outside the space: ${from}-${to}`);
    for (let k = from; k <= to; k++) out[k] = true;
  }
  return out;
}

const plain = (ps: readonly Prefix[]) => ps.map((p) => `${p.family} ${p.value} ${p.length}`);

describe('prefix sets without network copies', () => {
  it('tell last addresses and containment as the network-based forms do', () => {
    const rnd = random(16);
    for (let n = 0; n < 300; n++) {
      const [a, b] = prefixesOf(rnd, 2) as [Prefix, Prefix];
      expect(lastAddress(a)).toBe(lastAddressBefore(a));
      expect(containsPrefix(a, b)).toBe(containsPrefixBefore(a, b));
      expect(containsPrefix(b, a)).toBe(containsPrefixBefore(b, a));
      expect(containsPrefix(a, network(a))).toBe(true);
      const address: Address = { family: b.family, value: b.value };
      expect(containsAddress(a, address)).toBe(containsAddressBefore(a, address));
    }
  });

  it('normalize, intersect, subtract and unite as with network copies, their inputs unchanged', () => {
    const rnd = random(51);
    for (let n = 0; n < 300; n++) {
      const xs = prefixesOf(rnd, Math.floor(rnd() * 24));
      const ys = prefixesOf(rnd, Math.floor(rnd() * 24));
      const before = plain(xs);
      expect(plain(normalize(xs))).toEqual(plain(normalizeBefore(xs)));
      expect(plain(xs)).toEqual(before);
      const a = normalizeBefore(xs);
      const b = normalizeBefore(ys);
      expect(plain(union(a, b))).toEqual(plain(normalizeBefore([...a, ...b])));
      // Against spelled-out sets of addresses: the space is small enough to list.
      for (const f of [4, 6] as Family[]) {
        const [inA, inB, inI, inD] = [a, b, intersect(a, b), difference(a, b)].map((set) => addressesOf(set, f));
        const wrong = [];
        for (let k = 0; k < SPACE; k++) if (inI![k] !== (inA![k]! && inB![k]!) || inD![k] !== (inA![k]! && !inB![k]!)) wrong.push(k);
        expect(wrong).toEqual([]);
      }
      const i = intersect(a, b);
      const d = difference(a, b);
      expect(plain(normalize(i))).toEqual(plain(i));
      expect(plain(normalize(d))).toEqual(plain(d));
    }
  });
});
