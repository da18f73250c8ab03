// Reading the probes' counters (emulator/probe.ts): a listing that comes back empty (seen once
// from `nft -j list` at load 40, exit 0) is asked again instead of failing the lab.

import { describe, expect, it } from 'vitest';
import { nonEmptyListing } from '../../emulator/probe.js';

/** A listing that prints nothing the first `empty` times. */
function flaky(empty: number): { list: () => Promise<string>; calls: () => number } {
  let n = 0;
  return { list: async () => (n++ < empty ? '\n' : '{"nftables": []}'), calls: () => n };
}

describe('nonEmptyListing', () => {
  it('asks again while the listing is empty, up to its tries', async () => {
    const once = flaky(1);
    expect(await nonEmptyListing(once.list)).toBe('{"nftables": []}');
    expect(once.calls()).toBe(2);
    const twice = flaky(2);
    expect(await nonEmptyListing(twice.list)).toBe('{"nftables": []}');
    expect(twice.calls()).toBe(3);
  });

  it('asks once when the first listing has something, and gives up after its tries', async () => {
    const fine = flaky(0);
    await nonEmptyListing(fine.list);
    expect(fine.calls()).toBe(1);
    const never = flaky(10);
    expect(await nonEmptyListing(never.list, 3)).toBe('\n');
    expect(never.calls()).toBe(3);
  });
});
