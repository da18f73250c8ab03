// When each probe runs (probe.ts sends them and keeps their counters). Probes whose counters
// could count each other's packets form a group and run one after the other, each one's counters
// read before the next is sent; groups run side by side, with no barrier between them: a probe
// that waits seconds (a connection retried with the longer wait, a reach that must fail) holds
// only its own group, not every other probe behind it. Counters are still added and read in
// batches (one `nft` per namespace for whatever is due at that moment): one read and one add at
// a time, the two beside each other.
// Pure but for the hooks it is given.

/** What the scheduler needs to know of a probe: the fields that decide its group and its wait. */
export interface ScheduledProbe {
  kind: 'connect' | 'craft';
  protocol: number;
  source: string;
  destination: string;
  destinationPort?: number;
  /** The packet as it arrives (translations on the way): its fields, where they differ. */
  arrivalSource: string;
  arrivalDestination: string;
  arrivalDestinationPort?: number;
  /** The destination counter counts any source (an isolate through translations). */
  anySource?: boolean;
  /** A reply-shaped packet's own source port (below the ephemeral range), if it has one. */
  ownSourcePort?: number;
  waitSeconds?: number;
  /** A fixed source port in the ephemeral range, counted exactly (a counterexample's). */
  fixedSourcePort?: number;
  /**
   * A connection from a port its kernel picks, where every fixed port of the run is reserved
   * (never picked) and left out of its counters.
   */
  kernelSourcePort?: boolean;
}

/**
 * Groups of probes (indices, in their given order) whose counters can count each other's packets.
 * Every counter matches its packet's addresses and protocol (of any source, at a destination some
 * probe counts from any source), a reply-shaped packet's own source port, and the destination
 * port where the packet has one (the port as sent on a waypoint, as it arrives at the
 * destination), and the source port where it is fixed: probes that differ in any of these, in
 * every form the packet takes, never move each other's counters. Two probes to the same addresses
 * and protocol share a group when either has no destination port, or their ports (sent or
 * arriving) meet and their source ports cannot be told apart (sourcePortsApart).
 */
export function probeGroups(probes: readonly ScheduledProbe[]): number[][] {
  const anySource = new Set(probes.filter((p) => p.anySource).map((p) => p.arrivalDestination));
  const byAddresses = new Map<string, number[]>();
  probes.forEach((p, i) => {
    const own = p.ownSourcePort !== undefined ? `|sport ${p.ownSourcePort}` : '';
    const from = anySource.has(p.arrivalDestination) ? '*' : p.arrivalSource;
    const key = `${from}|${p.arrivalDestination}|${p.protocol}${own}`;
    byAddresses.set(key, [...(byAddresses.get(key) ?? []), i]);
  });
  const groups: number[][] = [];
  for (const members of byAddresses.values()) groups.push(...splitByPorts(probes, members));
  // The order of each group's first probe, so that groups come out as their probes were given.
  return groups.sort((a, b) => a[0]! - b[0]!);
}

function portsOf(p: ScheduledProbe): number[] | undefined {
  const counted = p.protocol === 6 || p.protocol === 17;
  if (!counted || p.destinationPort === undefined || p.arrivalDestinationPort === undefined) return undefined;
  return [p.destinationPort, p.arrivalDestinationPort];
}

/**
 * Counters that match source ports no packet of the other can have: two fixed ports, or a fixed
 * port against a connection whose kernel never picks it (and whose counters leave it out).
 */
function sourcePortsApart(a: ScheduledProbe, b: ScheduledProbe): boolean {
  const fixedApart = (x: ScheduledProbe, y: ScheduledProbe): boolean =>
    x.fixedSourcePort !== undefined && (y.kernelSourcePort === true || (y.fixedSourcePort !== undefined && y.fixedSourcePort !== x.fixedSourcePort));
  return fixedApart(a, b) || fixedApart(b, a);
}

/** One address group split where destination ports keep counters apart (connected components). */
function splitByPorts(probes: readonly ScheduledProbe[], members: readonly number[]): number[][] {
  const parent = members.map((_, k) => k);
  const root = (k: number): number => (parent[k] === k ? k : (parent[k] = root(parent[k]!)));
  const ports = members.map((i) => portsOf(probes[i]!));
  for (let a = 0; a < members.length; a++) {
    for (let b = a + 1; b < members.length; b++) {
      const pa = ports[a];
      const pb = ports[b];
      const apart = pa !== undefined && pb !== undefined && (!pa.some((x) => pb.includes(x)) || sourcePortsApart(probes[members[a]!]!, probes[members[b]!]!));
      if (!apart) parent[root(b)] = root(a);
    }
  }
  const out = new Map<number, number[]>();
  members.forEach((i, k) => out.set(root(k), [...(out.get(root(k)) ?? []), i]));
  return [...out.values()];
}

/** Seconds a probe is expected to hold its group: its wait, or a reach connection's first try. */
export function expectedSeconds(p: ScheduledProbe): number {
  if (p.kind === 'craft') return 0.4;
  return p.waitSeconds ?? 3;
}

/** How long after a crafted packet is sent its counter is first read, and when again if unseen. */
export interface CraftLooks {
  firstMs: number;
  lastMs: number;
}

export interface ScheduleHooks {
  /** Adds the counters of these probes (one `nft -f` per namespace). */
  add(batch: readonly number[]): Promise<void>;
  /** Sends one probe; resolves once its packets are sent and its tool has ended. */
  send(i: number): Promise<void>;
  /**
   * Reads the counters of these probes (one `nft` list per namespace) and keeps each probe's
   * counts; returns those whose destination counter is still at zero.
   */
  read(batch: readonly number[]): Promise<ReadonlySet<number>>;
  now?: () => number;
}

/**
 * Runs every probe once. The counters of every group's first probe are added before anything is
 * sent, a later probe's when it is due; every group's last probe is read at the end (see
 * lastOfGroup). At most `parallel` probes are being sent at once; a group's next probe is added
 * and sent only after the one before it has been read for good: a connection once its tool ended
 * (its packets were counted by then), a crafted packet once counted or, not counted at its first
 * look (`looks.firstMs` after it was sent), read again once `looks.lastMs` have passed since it
 * was sent (absence cannot be polled). Groups with the most expected waiting left start first.
 */
export async function runScheduled(
  probes: readonly ScheduledProbe[],
  hooks: ScheduleHooks,
  parallel: number,
  looks: CraftLooks,
): Promise<void> {
  const now = hooks.now ?? Date.now;
  const queues = probeGroups(probes);
  const left = queues.map((q) => q.reduce((s, i) => s + expectedSeconds(probes[i]!), 0));
  const busy = queues.map(() => false);
  const groupOf = new Map<number, number>();
  queues.forEach((q, g) => q.forEach((i) => groupOf.set(i, g)));
  /**
   * Each group's last probe: nothing waits for its counters, so they are read once, with every
   * other last probe's, after the last send (a crafted packet's once its whole wait has passed).
   * A counter only grows and no later probe can move it, so the later read says what an early
   * one would, or sees a late packet an early one would miss; the reads left are the ones a
   * group's next probe waits for (the joint lab: 63 of 224 probes).
   */
  const lastOfGroup = new Set(queues.map((q) => q.at(-1)!));
  const deferred: { i: number; at: number }[] = [];
  let sending = 0;
  let remaining = probes.length;
  /** Probes sent and waiting for their counters to be read: not before `at`, `last` at their last look. */
  const due: { i: number; at: number; last: boolean; sentAt: number }[] = [];
  let failure: unknown;
  let wake: (() => void) | undefined;
  /** Something happened since the loop last looked (a send ended or failed): look again before waiting. */
  let dirty = false;
  const poke = (): void => {
    dirty = true;
    wake?.();
    wake = undefined;
  };

  const done = (i: number): void => {
    const g = groupOf.get(i)!;
    busy[g] = false;
    remaining--;
  };
  /** The next probes to send, their groups marked busy: one per free group, within the free slots. */
  const pickBatch = (): number[] => {
    const free = queues
      .map((q, g) => g)
      .filter((g) => !busy[g] && queues[g]!.length > 0)
      .sort((a, b) => left[b]! - left[a]! || a - b)
      .slice(0, Math.max(0, parallel - sending));
    return free.map((g) => {
      busy[g] = true;
      const i = queues[g]!.shift()!;
      left[g] = left[g]! - expectedSeconds(probes[i]!);
      return i;
    });
  };
  const launch = async (batch: readonly number[]): Promise<void> => {
    const toAdd = batch.filter((i) => !added.has(i));
    if (toAdd.length > 0) await hooks.add(toAdd);
    for (const i of batch) {
      sending++;
      hooks.send(i).then(
        () => {
          sending--;
          const sentAt = now();
          const craft = probes[i]!.kind === 'craft';
          if (lastOfGroup.has(i)) {
            deferred.push({ i, at: craft ? sentAt + looks.lastMs : sentAt });
            done(i);
          } else due.push({ i, at: craft ? sentAt + looks.firstMs : sentAt, last: !craft, sentAt });
          poke();
        },
        (e: unknown) => {
          sending--;
          failure ??= e;
          poke();
        },
      );
    }
  };
  /** The probes whose counters are due now, taken off the list. */
  const pickDue = (): (typeof due)[number][] => {
    const t = now();
    const ready = due.filter((d) => d.at <= t);
    for (const d of ready) due.splice(due.indexOf(d), 1);
    return ready;
  };
  const readDue = async (ready: readonly (typeof due)[number][]): Promise<void> => {
    const unseen = await hooks.read(ready.map((d) => d.i));
    for (const d of ready) {
      if (!d.last && unseen.has(d.i)) due.push({ ...d, at: d.sentAt + looks.lastMs, last: true });
      else done(d.i);
    }
  };

  /**
   * Reading and adding are two lanes, each one operation at a time, that do not wait for each
   * other: a slot freed by a probe whose tool ended is filled once the next batch's counters are
   * added, not after every read that came due meanwhile (with reads first, the joint lab's 220
   * isolate probes kept 16 of 24 slots busy on average, the loop reading one or two at a time).
   */
  let reading = false;
  let adding = false;
  // Every group's first probe has its counters from the start (one add for them all): nothing
  // it could count is sent before it, since its group's other probes follow it and no other
  // group's packets match them. Only a group's later probes wait for an add of their own.
  const added = new Set(queues.map((q) => q[0]!));
  if (added.size > 0) await hooks.add([...added]);
  const lane = (op: Promise<void>, end: () => void): void => {
    op.then(
      () => {
        end();
        poke();
      },
      (e: unknown) => {
        end();
        failure ??= e;
        poke();
      },
    );
  };

  while (remaining > 0 && failure === undefined) {
    dirty = false;
    if (!reading) {
      const ready = pickDue();
      if (ready.length > 0) {
        reading = true;
        lane(readDue(ready), () => (reading = false));
      }
    }
    if (!adding) {
      const batch = pickBatch();
      if (batch.length > 0) {
        adding = true;
        lane(launch(batch), () => (adding = false));
      }
    }
    if (dirty) continue;
    // A read under way pokes when it ends; otherwise the next probe to come due does.
    const next = !reading && due.length > 0 ? Math.max(0, Math.min(...due.map((d) => d.at)) - now()) : undefined;
    await new Promise<void>((resolve) => {
      wake = resolve;
      if (next !== undefined) setTimeout(poke, next);
    });
  }
  // A lane still under way when a failure ends the loop ends before the caller tears the lab down.
  while (reading || adding) await new Promise<void>((resolve) => (wake = resolve));
  if (failure !== undefined) throw failure;
  if (deferred.length === 0) return;
  const wait = Math.max(...deferred.map((d) => d.at)) - now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  await hooks.read(deferred.map((d) => d.i));
}
