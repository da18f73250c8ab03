// Longest-match tables as columns (verifier/lpm.ts): bounds and entries shared between the
// devices of one FIB shape, each device's own routes. Every table must cover the address space in
// maximal pieces whose route is the longest match of each of their addresses (found here by brute
// force over the FIB), with the device's own route objects, and find the piece of any address.

import { describe, expect, it } from 'vitest';
import type { RouteModel } from '../../compiler/model.js';
import { BITS, formatPrefix, lastAddress, network, prefixOf, type Family } from '../../language/address.js';
import { LpmTables, piecesOf, routeAt, type LpmTable } from '../../verifier/lpm.js';
import { indexModel } from '../../verifier/netindex.js';
import { prng, randomNetwork } from './random-networks.js';

const route = (prefix: string, k: number): RouteModel => ({ prefix, protocol: 'static', nextHops: [{ interface: `e${k}` }], metric: 0 });

/** Nested and disjoint prefixes of both families, in random order, some of them twice (the same text). */
function randomPrefixes(rnd: () => number, n: number): string[] {
  const out: string[] = [];
  for (let k = 0; k < n; k++) {
    if (out.length > 0 && rnd() < 0.1) {
      out.push(out[Math.floor(rnd() * out.length)]!);
      continue;
    }
    if (rnd() < 0.7) {
      const len = [0, 8, 16, 23, 24, 25, 31, 32][Math.floor(rnd() * 8)]!;
      const a = Math.floor(rnd() * 4);
      const b = Math.floor(rnd() * 4);
      const c = Math.floor(rnd() * 256);
      out.push(formatPrefix(network(prefixOf(`10.${a}.${b}.${c}/${len}`))));
    } else {
      const len = [0, 32, 48, 56, 64, 127, 128][Math.floor(rnd() * 7)]!;
      const x = Math.floor(rnd() * 4).toString(16);
      out.push(formatPrefix(network(prefixOf(`2001:db8:${x}::${Math.floor(rnd() * 3).toString(16)}/${len}`))));
    }
  }
  return out;
}

/** The longest match of an address by brute force: the longest prefix; of the same prefix twice, the later route. */
function bruteMatch(fib: readonly RouteModel[], family: Family, address: bigint): RouteModel | undefined {
  let best: RouteModel | undefined;
  let bestLength = -1;
  for (const r of fib) {
    const p = prefixOf(r.prefix);
    if (p.family !== family || address < network(p).value || address > lastAddress(p)) continue;
    if (p.length >= bestLength) {
      best = r;
      bestLength = p.length;
    }
  }
  return best;
}

function expectTable(table: LpmTable, fib: readonly RouteModel[], family: Family, rnd: () => number, label: string): void {
  const { los, his } = table;
  const max = (1n << BigInt(BITS[family])) - 1n;
  expect(los.length, label).toBe(his.length);
  expect(table.entries.length, label).toBe(los.length);
  expect(los[0], label).toBe(0n);
  expect(his[his.length - 1], label).toBe(max);
  // Where the longest match can change: the first address of a prefix, the one after its last.
  const bounds: bigint[] = [];
  for (const r of fib) {
    const p = prefixOf(r.prefix);
    if (p.family === family) bounds.push(network(p).value, lastAddress(p) + 1n);
  }
  for (let k = 0; k < los.length; k++) {
    if (k > 0) {
      expect(los[k], label).toBe(his[k - 1]! + 1n);
      // Maximal: two pieces side by side use other routes.
      expect(routeAt(table, k) === routeAt(table, k - 1), `${label} piece ${k}`).toBe(false);
    }
    expect(los[k]! <= his[k]!, label).toBe(true);
    const own = routeAt(table, k);
    // The device's own route object: never another device's of the same shape.
    if (own) expect(fib.includes(own), `${label} piece ${k}`).toBe(true);
    for (const a of [los[k]!, his[k]!, ...bounds.filter((b) => b > los[k]! && b <= his[k]!)]) {
      expect(own, `${label} piece ${k} at ${a}`).toBe(bruteMatch(fib, family, a));
    }
    expect(table.find(los[k]!), label).toBe(k);
    expect(table.find(his[k]!), label).toBe(k);
  }
  for (let n = 0; n < 50; n++) {
    const a = BigInt(Math.floor(rnd() * 2 ** 32)) << BigInt(BITS[family] - 32);
    const k = table.find(a);
    expect(los[k]! <= a && a <= his[k]!, `${label}: find ${a}`).toBe(true);
  }
}

describe('longest-match tables as columns', () => {
  it('cover the space in maximal pieces of the brute-force longest match, with each FIB its own routes', () => {
    for (let seed = 1; seed <= 25; seed++) {
      const rnd = prng(seed);
      const tables = new LpmTables();
      // Some FIBs with the same prefixes in the same order (one shape), by routes of their own.
      const shapes = Array.from({ length: 3 }, () => randomPrefixes(rnd, 5 + Math.floor(rnd() * 30)));
      const fibs: RouteModel[][] = [];
      for (let d = 0; d < 8; d++) {
        const fib = shapes[Math.floor(rnd() * shapes.length)]!.map((p) => route(p, Math.floor(rnd() * 4)));
        // Now and then one route object twice in a FIB.
        if (fib.length > 0 && rnd() < 0.3) {
          const at = Math.floor(rnd() * fib.length);
          fib.splice(at + 1, 0, fib[at]!);
        }
        fibs.push(fib);
      }
      fibs.push([]);
      for (const [d, fib] of fibs.entries()) {
        for (const family of [4, 6] as const) expectTable(tables.table(fib, family), fib, family, rnd, `seed ${seed} fib ${d} IPv${family}`);
      }
    }
  });

  it('are the pieces the index gives, on seeded random networks', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const model = randomNetwork(seed).model;
      const idx = indexModel(model);
      const rnd = prng(seed);
      for (const d of model.devices) {
        const table = idx.lpmTable(d.id, 4);
        expectTable(table, d.fib, 4, rnd, `seed ${seed} ${d.id}`);
        expect(idx.lpm(d.id, 4)).toEqual(piecesOf(table));
        for (const [k, p] of piecesOf(table).entries()) expect(idx.lpmFind(d.id, 4, p.lo)).toBe(k);
      }
    }
  });
});
