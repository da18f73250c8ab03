// The convergence poll (emulator/convergence.ts): a check still missing something is run again
// only when its cheap sign moved or RECHECK_MS passed; a check holds only by being run; routing
// has converged once every check held in one unbroken turn. Fake checks, real time (a few seconds).

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RECHECK_MS, kernelRoutesSign, pollUntilHeld, type PollCheck } from '../../emulator/convergence.js';
import type { FrrExpectation } from '../../emulator/frr.js';

/** A check that misses a route until `holds()` says otherwise, counting its runs and sign readings. */
function counted(holds: () => boolean, sign?: () => string): PollCheck & { runs: number; signs: number } {
  const c = {
    runs: 0,
    signs: 0,
    check: async (): Promise<string[]> => {
      c.runs++;
      return holds() ? [] : ['route 10.0.0.0/24 (ospf)'];
    },
    ...(sign
      ? {
          sign: async (): Promise<string> => {
            c.signs++;
            return sign();
          },
        }
      : {}),
  };
  return c;
}

describe('the convergence poll', () => {
  it('does not run a failing check again while its sign reads the same', async () => {
    const stuck = counted(() => false, () => 'same routes');
    const result = await pollUntilHeld([stuck], 1500);
    expect(result.converged).toBe(false);
    expect(result.missing).toEqual(['route 10.0.0.0/24 (ospf)']);
    // The first run, then nothing until the time limit's run of everything.
    expect(stuck.runs).toBe(2);
    expect(stuck.signs).toBeGreaterThanOrEqual(2);
  });

  it('runs it at once when its sign moves', async () => {
    let installed = false;
    setTimeout(() => (installed = true), 500);
    const moving = counted(() => installed, () => (installed ? 'routes' : 'none'));
    const result = await pollUntilHeld([moving], 10_000);
    expect(result.converged).toBe(true);
    expect(result.millis).toBeLessThan(RECHECK_MS - 500);
  });

  it('runs it again after RECHECK_MS when its state changed without its sign', async () => {
    let full = false;
    setTimeout(() => (full = true), 300);
    const quiet = counted(() => full, () => 'same routes');
    const result = await pollUntilHeld([quiet], 10_000);
    expect(result.converged).toBe(true);
    expect(result.millis).toBeGreaterThanOrEqual(RECHECK_MS - 50);
    expect(result.millis).toBeLessThan(RECHECK_MS + 1500);
  });

  it('holds only in an unbroken turn of real runs, checks without a sign run every time', async () => {
    let installed = false;
    setTimeout(() => (installed = true), 900);
    const a = counted(() => true, () => 'a');
    const b = counted(() => installed, () => (installed ? 'b2' : 'b1'));
    const extra = counted(() => installed);
    const result = await pollUntilHeld([a, b, extra], 10_000);
    expect(result).toMatchObject({ converged: true, missing: [] });
    // After b held, the turn went on to the extra check and back round to a: each ran for real.
    expect(a.runs).toBeGreaterThanOrEqual(2);
    expect(extra.runs).toBeGreaterThanOrEqual(2);
    // While b's sign stood still, its check was not run again.
    expect(b.runs).toBeLessThan(b.signs);
  });
});

describe("an FRR instance's sign", () => {
  it("is its zebra's namespace routes from /proc, IPv6 too where the check needs them", async () => {
    // This process stands in for zebra: its pid file names it, and its /proc/PID/net is ours.
    const dir = mkdtempSync(join(tmpdir(), 'plumb-sign-'));
    try {
      writeFileSync(join(dir, 'zebra.pid'), `${process.pid}\n`);
      const expectation = (prefix: string): FrrExpectation => ({
        inst: { ns: 'pl000000-d-x', dir, daemons: ['zebra'] },
        routes: [{ prefix, protocol: 'ospf', nextHops: ['eth1|10.0.0.1'] }],
        bgpPeers: [],
        ospfNeighbors: 0,
        ospf6Neighbors: 0,
      });
      const v4 = readFileSync(`/proc/${process.pid}/net/route`, 'utf8');
      const v6 = readFileSync(`/proc/${process.pid}/net/ipv6_route`, 'utf8');
      expect(await kernelRoutesSign(expectation('10.1.0.0/24'))).toBe(v4);
      expect(await kernelRoutesSign(expectation('2001:db8::/64'))).toBe(`${v4}\n${v6}`);
      writeFileSync(join(dir, 'zebra.pid'), 'gone\n');
      await expect(kernelRoutesSign(expectation('10.1.0.0/24'))).rejects.toThrow(/no zebra pid/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
