// Probes: real traffic between two endpoint namespaces of the lab.
//  - connect: a TCP connection to a listener on the service port (data echoed back), a UDP
//    request and its reply, an ICMP echo and its reply (ping);
//  - craft: one packet exactly as given (source port, TCP flags, ICMP type), IPv4 or IPv6,
//    written to a raw IP socket by socat (its bytes: probe-packet.ts).
// Whether a packet was delivered is read from an nftables counter in the destination's
// namespace (prerouting, before anything there could drop it); for a device as the destination,
// from a counter on its input hook at a priority after every filter (accepted by the device
// itself, not merely arrived); whether it passed a waypoint, from a counter on the waypoint's
// forward hook. The echo services the connections reach are listeners.ts's.

import { formatAddress, parseAddress } from '../language/address.js';
import { assertSafeWord, execIn, execInOk, nftApply } from './netns.js';
import { EPHEMERAL, fixedEphemeralPort, kernelPicksPort, reserveSourcePorts } from './probe-ports.js';
import { runScheduled, type ScheduledProbe } from './probe-schedule.js';
import { l4Bytes, type ProbePacket } from './probe-packet.js';
import { IsolateProbers, proberConnect, proberTakes } from './isolate-prober.js';

export { l4Bytes, type ProbePacket } from './probe-packet.js';
export { Listeners, listeningAddresses, listeningTcpAddresses } from './listeners.js';

export const PROBE_TABLE = 'plumb_probe';

export { EPHEMERAL } from './probe-ports.js';

/** Counting chains present in every lab namespace; probes add their rules to them. */
export const PROBE_TABLE_RULESET = `table inet ${PROBE_TABLE} {
  chain pre {
    type filter hook prerouting priority -400; policy accept;
  }
  chain transit {
    type filter hook forward priority -400; policy accept;
  }
  chain local {
    type filter hook input priority 400; policy accept;
  }
}
`;

export interface ProbeSpec {
  id: string;
  kind: 'connect' | 'craft';
  fromNs: string;
  toNs: string;
  packet: ProbePacket;
  /** Namespaces of waypoints whose forward counters must see the packet. */
  viaNs?: string[];
  /** Why this probe exists, for the report. */
  note: string;
  /** Seconds to wait for a reply: isolate probes only need the counter, so they wait less. */
  waitSeconds?: number;
  /**
   * A crafted packet from a fixed source port below the ephemeral range (a reply-shaped one): its
   * counter matches that port, so it runs alongside the connections of the same addresses, whose
   * counters match ephemeral source ports only.
   */
  ownPort?: boolean;
  /**
   * The destination is a device's own address: delivered means accepted by the device (its input
   * hook, after its filters), and a TCP connection counts once its handshake completes (the
   * device's own daemon, bgpd on 179, answers without echoing).
   */
  toDevice?: boolean;
  /**
   * The packet as the destination must receive it when translations lie between the two ends
   * (nat-probes.ts): the real destination address and port, the translated source. Its counter
   * and listener are on it. Absent: `packet` arrives as sent.
   */
  arrival?: ProbePacket;
  /** Any source arriving counts (an isolate through translations: a leak whatever its source). */
  anySource?: boolean;
}

export interface ProbeResult {
  spec: ProbeSpec;
  /** connect: the reply came back (TCP data echoed, UDP reply, ICMP echo reply). */
  connected: boolean;
  /** The packet arrived in the destination's namespace (nft counter). */
  delivered: boolean;
  /** Per waypoint namespace: did the packet pass it. */
  viaSeen?: Record<string, boolean>;
  /** The source address the destination's echo listener saw the connection come from. */
  sourceSeen?: string;
  detail: string;
}

function protoWord(p: number): string {
  return String(p);
}

/**
 * The nft match for a probe's packets (forward direction only). `reservedPorts`: ephemeral ports
 * the source's kernel never picks (reserved for other probes' fixed source ports, see
 * reserveSourcePorts), left out of a kernel-picked port's match.
 */
export function counterMatch(p: ProbePacket, exactSourcePort: boolean, anySource = false, reservedPorts: readonly number[] = []): string[] {
  // A connection's source port is the kernel's pick from the ephemeral range.
  const ephemeral = !exactSourcePort || p.sourcePort === undefined;
  const fam = p.source.includes(':') ? 'ip6' : 'ip';
  const m = [
    ...(anySource ? [] : [fam, 'saddr', assertSafeWord(p.source)]),
    fam,
    'daddr',
    assertSafeWord(p.destination),
    'meta',
    'l4proto',
    protoWord(p.protocol),
  ];
  if ((p.protocol === 6 || p.protocol === 17) && p.destinationPort !== undefined) {
    m.push('th', 'dport', String(p.destinationPort));
    if (!ephemeral) m.push('th', 'sport', String(p.sourcePort));
    else m.push('th', 'sport', `${EPHEMERAL.from}-${EPHEMERAL.to}`);
    if (ephemeral && reservedPorts.length > 0) m.push('th', 'sport', '!=', `{ ${reservedPorts.join(', ')} }`);
  }
  if (p.protocol === 1 && p.icmpType !== undefined) m.push('icmp', 'type', String(p.icmpType));
  if (p.protocol === 58 && p.icmpType !== undefined) m.push('icmpv6', 'type', String(p.icmpType));
  return m;
}

type CounterChain = 'pre' | 'transit' | 'local';

/** One nftables counter of a probe: in its destination's namespace, or on a waypoint. */
interface Counter {
  ns: string;
  chain: CounterChain;
  match: string[];
  /** The rule's comment: unique to the probe and its wave (see runProbes). */
  tag: string;
}

/** The counters a probe reads: its destination's, then one per waypoint. */
function countersOf(spec: ProbeSpec, tag: string, reservedPorts: readonly number[] = []): Counter[] {
  const exactSport = spec.kind === 'craft' || spec.packet.sourcePort !== undefined;
  const match = counterMatch(spec.packet, exactSport, false, reservedPorts);
  // At the destination, the packet as it must arrive there (translated on the way).
  const arrival = spec.arrival ? counterMatch(spec.arrival, exactSport, spec.anySource, reservedPorts) : match;
  const at: CounterChain = spec.toDevice ? 'local' : 'pre';
  return [
    { ns: spec.toNs, chain: at, match: arrival, tag },
    ...(spec.viaNs ?? []).map((v) => ({ ns: v, chain: 'transit' as const, match, tag })),
  ];
}

function byNamespace(counters: readonly Counter[]): Map<string, Counter[]> {
  const out = new Map<string, Counter[]>();
  for (const c of counters) out.set(c.ns, [...(out.get(c.ns) ?? []), c]);
  return out;
}

/** Adds counters: one `nft -f` per namespace for all of its rules. */
async function addCounters(counters: readonly Counter[]): Promise<void> {
  await Promise.all(
    [...byNamespace(counters)].map(([ns, list]) =>
      nftApply(
        ns,
        list
          .map((c) => `add rule inet ${PROBE_TABLE} ${c.chain} ${c.match.join(' ')} counter comment "${c.tag}"\n`)
          .join(''),
      ),
    ),
  );
}

/** Tries of a listing that comes back empty: `nft -j list` once printed nothing and exited 0 at load 40. */
const LISTING_TRIES = 3;

/** A table's listing, asked again while it comes back empty (the table is never empty of JSON). */
export async function nonEmptyListing(list: () => Promise<string>, tries = LISTING_TRIES): Promise<string> {
  for (let k = 1; ; k++) {
    const out = await list();
    if (out.trim() !== '' || k >= tries) return out;
  }
}

/** Every probe counter of the namespaces, by tag: one `nft -j list table` per namespace. */
async function readCounters(namespaces: Iterable<string>): Promise<Map<string, number>> {
  const packets = new Map<string, number>();
  await Promise.all(
    [...new Set(namespaces)].map(async (ns) => {
      const out = await nonEmptyListing(() => execInOk(ns, 'nft', ['-j', 'list', 'table', 'inet', PROBE_TABLE]));
      const j = JSON.parse(out) as {
        nftables: { rule?: { chain?: string; comment?: string; expr: Record<string, unknown>[] } }[];
      };
      for (const item of j.nftables) {
        const rule = item.rule;
        if (rule?.comment === undefined) continue;
        for (const e of rule.expr) {
          const c = e.counter as { packets?: number } | undefined;
          if (c) packets.set(`${ns}|${rule.chain}|${rule.comment}`, c.packets ?? 0);
        }
      }
    }),
  );
  return packets;
}

function counted(packets: ReadonlyMap<string, number>, c: Counter): boolean {
  return (packets.get(`${c.ns}|${c.chain}|${c.tag}`) ?? 0) > 0;
}

// ---- running probes ----------------------------------------------------------------------

const MESSAGE = 'plumb-probe\n';

/** The source address an echo listener says it saw (listeners.ts: `seen ADDRESS`; IPv6 written out in full, in brackets). */
export function sourceSeenIn(reply: string): string | undefined {
  const m = /\bseen \[?([0-9A-Fa-f.:]+)\]?/.exec(reply);
  const a = m ? parseAddress(m[1]!) : undefined;
  return a ? formatAddress(a) : undefined;
}

interface Sent {
  ok: boolean;
  detail: string;
  sourceSeen?: string;
}

async function connect(spec: ProbeSpec, probers?: IsolateProbers): Promise<Sent> {
  const p = spec.packet;
  const fam = p.source.includes(':') ? '6' : '4';
  const src = assertSafeWord(p.source);
  const dst = assertSafeWord(p.destination);
  const bind = fam === '6' ? `[${src}]` : src;
  const dstText = fam === '6' ? `[${dst}]` : dst;
  const bindSpec = p.sourcePort !== undefined ? `${bind}:${p.sourcePort}` : bind;
  const wait = String(spec.waitSeconds ?? 3);
  const byProber = probers !== undefined && proberTakes(spec);
  if (p.protocol === 6 || p.protocol === 17) {
    const addr =
      p.protocol === 6
        ? `TCP${fam}:${dstText}:${p.destinationPort},bind=${bindSpec},connect-timeout=${wait}`
        : `UDP${fam}:${dstText}:${p.destinationPort},bind=${bindSpec}`;
    // `-t`: after the probe's line is sent (its input ends), socat waits only half a second for
    // the reply by default, and a listener forking on a loaded machine can take longer. A TCP
    // connection made waits the whole wait for its echo (one never made ends at its connect
    // timeout); UDP, where silence is the answer of a dropped datagram, keeps the half second
    // at its first try and waits the whole wait at its retry.
    const halfClose = p.protocol === 6 || spec.waitSeconds !== undefined ? ['-t', wait] : [];
    const r = byProber
      ? await proberConnect(spec, probers)
      : await execIn(spec.fromNs, 'socat', ['-T', wait, ...halfClose, '-', addr], {
          input: MESSAGE,
          timeoutMs: (Number(wait) + 5) * 1000,
        });
    const ok = r.stdout.includes('plumb-probe') || (spec.toDevice === true && p.protocol === 6 && r.code === 0);
    const seen = ok ? sourceSeenIn(r.stdout) : undefined;
    return {
      ok,
      ...(seen ? { sourceSeen: seen } : {}),
      detail: ok
        ? `reply received${seen ? `, far end saw source ${seen}` : ''}`
        : (r.stderr.trim().split('\n').pop() ?? '').replace(/^.*socat\[\d+\] /, '') || 'no reply',
    };
  }
  const echo4 = p.protocol === 1 && (p.icmpType === undefined || p.icmpType === 8);
  const echo6 = p.protocol === 58 && (p.icmpType === undefined || p.icmpType === 128);
  if (echo4 || echo6) {
    const r = byProber
      ? await proberConnect(spec, probers)
      : await execIn(spec.fromNs, 'ping', ['-n', '-q', '-c', '2', '-i', '0.3', '-w', wait, '-I', src, dst], {
          timeoutMs: (Number(wait) + 5) * 1000,
        });
    return { ok: r.code === 0, detail: r.code === 0 ? 'echo reply received' : 'no echo reply' };
  }
  return { ok: false, detail: `no connection probe for protocol ${p.protocol}` };
}

/** The longer wait of a connection that got no reply at its first try. */
const RETRY_WAIT_SECONDS = 8;

/**
 * A connection that must get through (a reach probe: no shorter wait of its own) and got no reply
 * is tried once more with a longer wait: on a loaded machine the first SYN and its retransmission
 * can both miss the three seconds. A reply at the second try is a real delivery; a failure counts
 * only after both.
 */
async function connectOrRetry(spec: ProbeSpec, probers: IsolateProbers): Promise<Sent> {
  const first = await connect(spec, probers);
  if (first.ok || spec.waitSeconds !== undefined) return first;
  return connect({ ...spec, waitSeconds: RETRY_WAIT_SECONDS });
}

async function craft(spec: ProbeSpec): Promise<Sent> {
  const p = spec.packet;
  const target = p.source.includes(':')
    ? `IP6-SENDTO:[${assertSafeWord(p.destination)}]:${p.protocol},bind=[${assertSafeWord(p.source)}]`
    : `IP4-SENDTO:${assertSafeWord(p.destination)}:${p.protocol},bind=${assertSafeWord(p.source)}`;
  const r = await execIn(spec.fromNs, 'socat', ['-u', 'STDIN', target], {
    input: l4Bytes(p),
    timeoutMs: 5_000,
  });
  return { ok: r.code === 0, detail: r.code === 0 ? 'packet sent' : `send failed: ${r.stderr.trim()}` };
}

/**
 * How long a crafted packet has to reach its counter before it counts as not delivered: the
 * second of an isolate connection's wait. Waves of probes used to read it 400 ms after the
 * wave's last crafted packet, in practice a second or more after most, behind the wave's
 * connections; read per probe, it gets that second of its own, which holds only its group.
 */
const CRAFT_WAIT_MS = 1000;
/** The first look at a crafted packet's counter: a packet between namespaces arrives well within it. */
const CRAFT_FIRST_LOOK_MS = 50;

/** Numbers the runs of this process, so that no counter's tag is an earlier run's. */
let runCount = 0;

/** The fields of a probe that decide when it may run (probe-schedule.ts). */
function scheduled(s: ProbeSpec, reservedIn: ReadonlySet<string>): ScheduledProbe {
  const fixed = fixedEphemeralPort(s);
  const arrives = s.arrival ?? s.packet;
  return {
    kind: s.kind,
    protocol: s.packet.protocol,
    source: s.packet.source,
    destination: s.packet.destination,
    ...(s.packet.destinationPort !== undefined ? { destinationPort: s.packet.destinationPort } : {}),
    arrivalSource: arrives.source,
    arrivalDestination: arrives.destination,
    ...(arrives.destinationPort !== undefined ? { arrivalDestinationPort: arrives.destinationPort } : {}),
    ...(s.anySource ? { anySource: true } : {}),
    // Reply-shaped packets have counters of their own source port: only those of one port share.
    ...(s.ownPort && s.packet.sourcePort !== undefined ? { ownSourcePort: s.packet.sourcePort } : {}),
    ...(s.waitSeconds !== undefined ? { waitSeconds: s.waitSeconds } : {}),
    ...(fixed !== undefined ? { fixedSourcePort: fixed } : {}),
    ...(kernelPicksPort(s) && reservedIn.has(s.fromNs) ? { kernelSourcePort: true } : {}),
  };
}

/**
 * Runs probes with a bounded number in flight (each may wait seconds for a timeout). Probes that
 * could move each other's counters (the same addresses and protocol, and destination ports that
 * meet; reply-shaped ones: per source port, see `ownPort`) run one after the other, each one's
 * counters read before the next is sent; the others run side by side (probe-schedule.ts). A
 * connection's packets were counted before its tool ended. A counter only grows, so a crafted
 * packet counted at the first look (CRAFT_FIRST_LOOK_MS after it was sent) is delivered for
 * good, and any waypoint it crossed on the way counted it before; the counters of one not yet
 * counted are read again once the whole wait has passed since it was sent.
 */
/**
 * Probes sent at once: most wait out a timeout (an isolate's second, a connection's retry) with
 * their process asleep, so more at once shortens the phase; 24 against 10 took campus's probes
 * from 20.9 to 11.7-13.1 s at load 24-34 (docs/performance/test-loop.md).
 */
const PARALLEL_PROBES = 24;

export async function runProbes(specs: ProbeSpec[], parallel = PARALLEL_PROBES): Promise<ProbeResult[]> {
  const run = runCount++;
  const fixedPorts = [...new Set(specs.map(fixedEphemeralPort).filter((p) => p !== undefined))].sort((a, b) => a - b);
  const reservedIn = await reserveSourcePorts(specs, fixedPorts);
  const counters = specs.map((s) =>
    countersOf(s, assertSafeWord(`w${run}.${s.id}`), kernelPicksPort(s) && reservedIn.has(s.fromNs) ? fixedPorts : []),
  );
  const sent: Sent[] = new Array(specs.length);
  /** Per probe, per counter (destination first): whether it counted the probe's packets when read. */
  const seen: boolean[][] = specs.map(() => []);
  const probers = new IsolateProbers();
  try {
    await runScheduled(
      specs.map((s) => scheduled(s, reservedIn)),
      {
        add: (batch) => addCounters(batch.flatMap((i) => counters[i]!)),
        send: async (i) => {
          const spec = specs[i]!;
          sent[i] = spec.kind === 'connect' ? await connectOrRetry(spec, probers) : await craft(spec);
        },
        read: async (batch) => {
          const packets = await readCounters(batch.flatMap((i) => counters[i]!.map((c) => c.ns)));
          const unseen = new Set<number>();
          for (const i of batch) {
            seen[i] = counters[i]!.map((c) => counted(packets, c));
            if (!seen[i][0]) unseen.add(i);
          }
          return unseen;
        },
      },
      parallel,
      { firstMs: CRAFT_FIRST_LOOK_MS, lastMs: CRAFT_WAIT_MS },
    );
  } finally {
    probers.close();
  }
  return specs.map((spec, i) => {
    const [destination, ...via] = seen[i]!;
    return {
      spec,
      connected: spec.kind === 'connect' && sent[i]!.ok,
      delivered: destination === true,
      ...(spec.viaNs ? { viaSeen: Object.fromEntries(spec.viaNs.map((ns, k) => [ns, via[k] === true])) } : {}),
      ...(sent[i]!.sourceSeen ? { sourceSeen: sent[i]!.sourceSeen } : {}),
      detail: sent[i]!.detail,
    };
  });
}
