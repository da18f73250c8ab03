// A device's addresses are read with `ip -j addr show` after its setup.sh: an empty answer (seen
// under load with exit 0) is asked again, and one still empty is the lab's error, not a JSON
// parse failure.

import { describe, expect, it } from 'vitest';
import { addressListing } from '../../emulator/build.js';
import { LabError } from '../../emulator/netns.js';

const LO = '[{"ifname":"lo","addr_info":[{"local":"127.0.0.1","prefixlen":8}]}]';

function answers(...outs: string[]): { list: () => Promise<string>; asked: () => number } {
  let n = 0;
  return { list: () => Promise.resolve(outs[Math.min(n++, outs.length - 1)]!), asked: () => n };
}

describe('addressListing', () => {
  it('asks once when the first answer has the addresses', async () => {
    const a = answers(LO);
    expect(await addressListing('ns1', a.list)).toBe(LO);
    expect(a.asked()).toBe(1);
  });

  it('asks again after an empty answer', async () => {
    const a = answers('', '\n', LO);
    expect(await addressListing('ns1', a.list)).toBe(LO);
    expect(a.asked()).toBe(3);
  });

  it('gives up after three empty answers with a LabError that names the namespace', async () => {
    const a = answers('');
    const err = await addressListing('ns1', a.list).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LabError);
    expect((err as Error).message).toBe('ip -n ns1 -j addr show gave no output 3 times');
    expect(a.asked()).toBe(3);
  });
});
