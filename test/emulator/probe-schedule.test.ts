// The probes' schedule (emulator/probe-schedule.ts): which probes may share the lab's time, and
// that a group's probes never overlap, each read before the next is sent, with no barrier
// between groups.

import { describe, expect, it } from 'vitest';
import { probeGroups, runScheduled, type ScheduledProbe } from '../../emulator/probe-schedule.js';

const tcp = (destinationPort: number | undefined, more: Partial<ScheduledProbe> = {}): ScheduledProbe => ({
  kind: 'connect',
  protocol: 6,
  source: '10.0.0.1',
  destination: '10.0.1.1',
  arrivalSource: '10.0.0.1',
  arrivalDestination: '10.0.1.1',
  ...(destinationPort !== undefined ? { destinationPort, arrivalDestinationPort: destinationPort } : {}),
  ...more,
});

describe('probeGroups', () => {
  it('keeps apart only what no counter can mix up', () => {
    expect(probeGroups([tcp(443), tcp(22), tcp(443), tcp(22)])).toEqual([[0, 2], [1, 3]]);
    // A probe with no destination port has a counter of every port: one group.
    expect(probeGroups([tcp(443), tcp(22), tcp(undefined)])).toEqual([[0, 1, 2]]);
    // Ports as sent and as they arrive (a published service's port translation) both count.
    expect(probeGroups([tcp(443, { arrivalDestinationPort: 8443 }), tcp(8443), tcp(22)])).toEqual([[0, 1], [2]]);
    // Other protocols, other addresses, another reply-shaped source port: apart.
    expect(probeGroups([tcp(443), tcp(443, { protocol: 17 }), tcp(443, { arrivalSource: '10.0.0.2' }), tcp(443, { ownSourcePort: 443 })])).toEqual([[0], [1], [2], [3]]);
  });

  it('puts every probe to a destination counted from any source in one address group', () => {
    const other = { arrivalSource: '10.0.0.9', source: '10.0.0.9' };
    expect(probeGroups([tcp(443), tcp(443, { ...other, anySource: true }), tcp(22, other)])).toEqual([[0, 1], [2]]);
    expect(probeGroups([tcp(443), tcp(443, other)])).toEqual([[0], [1]]);
  });

  it('keeps a fixed source port apart from connections whose kernel never picks it', () => {
    const fixed = (port: number): ScheduledProbe => tcp(22, { fixedSourcePort: port });
    const picked = tcp(22, { kernelSourcePort: true });
    expect(probeGroups([picked, fixed(49152), fixed(50000), fixed(49152)])).toEqual([[0], [1, 3], [2]]);
    // Without the reservation the kernel may pick the fixed port: together.
    expect(probeGroups([tcp(22), fixed(49152)])).toEqual([[0, 1]]);
    // Two connections from picked ports: together.
    expect(probeGroups([picked, picked])).toEqual([[0, 1]]);
    // Source ports are counted only with a destination port.
    expect(probeGroups([tcp(undefined, { kernelSourcePort: true }), tcp(undefined, { fixedSourcePort: 49152 })])).toEqual([[0, 1]]);
  });

  it('groups ICMP by addresses alone', () => {
    const ping = tcp(undefined, { protocol: 1 });
    expect(probeGroups([ping, ping, tcp(80)])).toEqual([[0, 1], [2]]);
  });
});

interface Event {
  at: number;
  what: 'add' | 'send' | 'sent' | 'read' | 'readEnd';
  i: number;
}

/** Runs the schedule with probes that take `ms[i]` to send; records every hook call. */
async function record(
  probes: ScheduledProbe[],
  ms: number[],
  parallel: number,
  unseen: (i: number, look: number) => boolean = () => false,
  readMs = 2,
): Promise<Event[]> {
  const t0 = Date.now();
  const events: Event[] = [];
  const looks = new Map<number, number>();
  const log = (what: Event['what'], i: number): void => void events.push({ at: Date.now() - t0, what, i });
  await runScheduled(
    probes,
    {
      add: async (batch) => {
        for (const i of batch) log('add', i);
        await new Promise((r) => setTimeout(r, 2));
      },
      send: async (i) => {
        log('send', i);
        await new Promise((r) => setTimeout(r, ms[i]));
        log('sent', i);
      },
      read: async (batch) => {
        await new Promise((r) => setTimeout(r, readMs));
        const out = new Set<number>();
        for (const i of batch) {
          const look = (looks.get(i) ?? 0) + 1;
          looks.set(i, look);
          log('read', i);
          if (unseen(i, look)) out.add(i);
        }
        for (const i of batch) log('readEnd', i);
        return out;
      },
    },
    parallel,
    { firstMs: 30, lastMs: 120 },
  );
  return events;
}

const at = (events: Event[], what: Event['what'], i: number): number[] => events.filter((e) => e.what === what && e.i === i).map((e) => e.at);

describe('runScheduled', () => {
  it('runs a group one probe at a time, each read before the next is counted', async () => {
    const probes = [tcp(22), tcp(22), tcp(22), tcp(443), tcp(443)];
    const events = await record(probes, [40, 10, 10, 5, 5], 4);
    for (const [a, b] of [[0, 1], [1, 2], [3, 4]] as const) {
      expect(at(events, 'add', b)[0]).toBeGreaterThanOrEqual(at(events, 'read', a).at(-1)!);
      expect(at(events, 'read', a)[0]).toBeGreaterThanOrEqual(at(events, 'sent', a)[0]!);
    }
    for (let i = 0; i < probes.length; i++) {
      expect(at(events, 'send', i)).toHaveLength(1);
      expect(at(events, 'add', i)[0]).toBeLessThanOrEqual(at(events, 'send', i)[0]!);
    }
  });

  it('has no barrier between groups: a slow probe holds only its own group', async () => {
    const probes = [tcp(22), tcp(443), tcp(443), tcp(443)];
    const events = await record(probes, [300, 10, 10, 10], 2);
    // 443's group is sent to its end, each probe read before the next, while 0 is still out.
    expect(at(events, 'sent', 3)[0]).toBeLessThan(at(events, 'sent', 0)[0]!);
    expect(at(events, 'add', 3)[0]).toBeGreaterThanOrEqual(at(events, 'readEnd', 2)[0]!);
  });

  it('never has more than `parallel` probes being sent', async () => {
    const probes = Array.from({ length: 9 }, (_, i) => tcp(1000 + i));
    const events = await record(probes, probes.map(() => 20), 3);
    let inFlight = 0;
    let most = 0;
    for (const e of [...events].sort((a, b) => a.at - b.at || (a.what === 'sent' ? -1 : 1))) {
      if (e.what === 'send') most = Math.max(most, ++inFlight);
      if (e.what === 'sent') inFlight--;
    }
    expect(most).toBe(3);
  });

  it("starts the group with the most waiting ahead first (a reach connection's 3 s against 1 s)", async () => {
    // 22's group has 6 s ahead, 8080's 3 s, 80's and 443's 1 s each. While 1's counters are
    // read, its group cannot go on, so the slot goes to the next most waiting group (8080).
    const probes = [tcp(80, { waitSeconds: 1 }), tcp(22), tcp(22), tcp(443, { waitSeconds: 1 }), tcp(8080)];
    const events = await record(probes, [20, 20, 20, 20, 20], 1);
    expect(events.filter((e) => e.what === 'send').map((e) => e.i)).toEqual([1, 4, 2, 0, 3]);
  });

  it("adds every group's first counters before the first send, a later probe's only after its group's read", async () => {
    const probes = [tcp(22), tcp(443), tcp(8080), tcp(53), tcp(22), tcp(443)];
    const events = await record(probes, [10, 10, 10, 10, 10, 10], 2);
    const firstSend = Math.min(...events.filter((e) => e.what === 'send').map((e) => e.at));
    for (const head of [0, 1, 2, 3]) {
      expect(at(events, 'add', head)).toHaveLength(1);
      expect(at(events, 'add', head)[0]).toBeLessThanOrEqual(firstSend);
    }
    for (const [a, b] of [[0, 4], [1, 5]] as const) {
      expect(at(events, 'add', b)).toHaveLength(1);
      expect(at(events, 'add', b)[0]).toBeGreaterThanOrEqual(at(events, 'readEnd', a)[0]!);
    }
  });

  it('fills a free slot while counters are being read', async () => {
    // Three groups, two slots; every read takes 150 ms. Probe 2 needs no read to end first.
    const probes = [tcp(22), tcp(443), tcp(8080), tcp(22)];
    const events = await record(probes, [10, 10, 10, 10], 2, () => false, 150);
    const firstReadEnd = Math.min(...[0, 1].map((i) => at(events, 'readEnd', i)[0]!));
    expect(at(events, 'send', 2)[0]).toBeLessThan(firstReadEnd);
    // The group's own order still holds: 3 only after 0's counters were read.
    expect(at(events, 'add', 3)[0]).toBeGreaterThanOrEqual(at(events, 'readEnd', 0)[0]!);
  });

  it("reads a crafted packet's counter after its first look and, unseen, after the whole wait", async () => {
    const craft = (port: number): ScheduledProbe => tcp(port, { kind: 'craft' });
    const probes = [craft(22), craft(22), craft(22), craft(443)];
    // 0 is counted at its first look; 1 is not, and is at the second; 2 and 3 (their groups'
    // last) are read once, at the end, and 3 is never counted.
    const events = await record(probes, [5, 5, 5, 5], 4, (i, look) => i === 3 || (i === 1 && look === 1));
    expect(at(events, 'read', 0)).toHaveLength(1);
    expect(at(events, 'read', 0)[0]! - at(events, 'sent', 0)[0]!).toBeGreaterThanOrEqual(29);
    const reads = at(events, 'read', 1);
    expect(reads).toHaveLength(2);
    expect(reads[1]! - at(events, 'sent', 1)[0]!).toBeGreaterThanOrEqual(119);
    // The group's next probe waits for the last look.
    expect(at(events, 'add', 1)[0]).toBeGreaterThanOrEqual(at(events, 'read', 0)[0]!);
    expect(at(events, 'add', 2)[0]).toBeGreaterThanOrEqual(reads[1]!);
    for (const i of [2, 3]) {
      expect(at(events, 'read', i)).toHaveLength(1);
      expect(at(events, 'read', i)[0]! - at(events, 'sent', i)[0]!).toBeGreaterThanOrEqual(119);
    }
  });

  it("reads every group's last probe once, in one read after the last send", async () => {
    const probes = [tcp(22), tcp(443), tcp(8080), tcp(22), tcp(53)];
    let reads = 0;
    const events = await record(probes, [30, 5, 10, 5, 20], 2, () => {
      reads++;
      return false;
    });
    const lastSent = Math.max(...events.filter((e) => e.what === 'sent').map((e) => e.at));
    for (const i of [1, 2, 3, 4]) {
      expect(at(events, 'read', i)).toHaveLength(1);
      expect(at(events, 'read', i)[0]).toBeGreaterThanOrEqual(lastSent);
    }
    // 0 is read as soon as it can be: 3 waits for it.
    expect(at(events, 'read', 0)[0]).toBeLessThan(lastSent);
    expect(reads).toBe(5);
    expect(new Set([1, 2, 3, 4].map((i) => at(events, 'read', i)[0])).size).toBe(1);
  });

  it('passes on a failed send', async () => {
    await expect(
      runScheduled([tcp(22), tcp(443)], { add: async () => {}, send: async (i) => { if (i === 1) throw new Error('socat broke'); }, read: async () => new Set() }, 2, { firstMs: 1, lastMs: 2 }),
    ).rejects.toThrow('socat broke');
  });
});
