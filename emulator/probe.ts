// Probes: real traffic between two endpoint namespaces of the lab.
//  - connect: a TCP connection to a listener on the service port (data echoed back), a UDP
//    request and its reply, an ICMP echo and its reply (ping);
//  - craft: one packet exactly as given (source port, TCP flags, ICMP type), IPv4 or IPv6,
//    written to a raw IP socket by socat; the packet's L4 header and checksum are built here.
// Whether a packet was delivered is read from an nftables counter in the destination's
// namespace (prerouting, before anything there could drop it); for a device as the destination,
// from a counter on its input hook at a priority after every filter (accepted by the device
// itself, not merely arrived); whether it passed a waypoint, from a counter on the waypoint's
// forward hook.

import type { ChildProcess } from 'node:child_process';
import type { TcpFlag } from '../verifier/verdict.js';
import { addressOf } from '../language/address.js';
import { assertSafeWord, execIn, execInOk, spawnIn, sleep } from './netns.js';

export const PROBE_TABLE = 'plumb_probe';

/** Linux's ephemeral source ports (`net.ipv4.ip_local_port_range` of a fresh namespace). */
export const EPHEMERAL = { from: 32768, to: 60999 };

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

export interface ProbePacket {
  source: string;
  destination: string;
  protocol: number;
  sourcePort?: number;
  destinationPort?: number;
  icmpType?: number;
  tcpFlags?: TcpFlag[];
}

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
}

export interface ProbeResult {
  spec: ProbeSpec;
  /** connect: the reply came back (TCP data echoed, UDP reply, ICMP echo reply). */
  connected: boolean;
  /** The packet arrived in the destination's namespace (nft counter). */
  delivered: boolean;
  /** Per waypoint namespace: did the packet pass it. */
  viaSeen?: Record<string, boolean>;
  detail: string;
}

function protoWord(p: number): string {
  return String(p);
}

/** The nft match for a probe's packets (forward direction only). */
export function counterMatch(p: ProbePacket, exactSourcePort: boolean): string[] {
  // A connection's source port is the kernel's pick from the ephemeral range.
  const ephemeral = !exactSourcePort || p.sourcePort === undefined;
  const fam = p.source.includes(':') ? 'ip6' : 'ip';
  const m = [
    fam,
    'saddr',
    assertSafeWord(p.source),
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
  }
  if (p.protocol === 1 && p.icmpType !== undefined) m.push('icmp', 'type', String(p.icmpType));
  if (p.protocol === 58 && p.icmpType !== undefined) m.push('icmpv6', 'type', String(p.icmpType));
  return m;
}

type CounterChain = 'pre' | 'transit' | 'local';

async function addCounter(ns: string, chain: CounterChain, match: string[], id: string): Promise<void> {
  await execInOk(ns, 'nft', [
    'add',
    'rule',
    'inet',
    PROBE_TABLE,
    chain,
    ...match,
    'counter',
    'comment',
    `"${id}"`,
  ]);
}

async function readCounter(ns: string, chain: CounterChain, id: string): Promise<number> {
  const out = await execInOk(ns, 'nft', ['-j', 'list', 'chain', 'inet', PROBE_TABLE, chain]);
  const j = JSON.parse(out) as {
    nftables: { rule?: { comment?: string; expr: Record<string, unknown>[] } }[];
  };
  for (const item of j.nftables) {
    if (item.rule?.comment !== id) continue;
    for (const e of item.rule.expr) {
      const c = e.counter as { packets?: number } | undefined;
      if (c) return c.packets ?? 0;
    }
  }
  return 0;
}

// ---- packet bytes ----------------------------------------------------------------------

function checksum(buf: Buffer): number {
  let sum = 0;
  for (let i = 0; i < buf.length; i += 2) sum += (buf[i]! << 8) + (i + 1 < buf.length ? buf[i + 1]! : 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/** An address's bytes in network order (4 for IPv4, 16 for IPv6). */
function addressBytes(text: string): Buffer {
  const a = addressOf(text);
  const n = a.family === 4 ? 4 : 16;
  const b = Buffer.alloc(n);
  let v = a.value;
  for (let i = n - 1; i >= 0; i--) {
    b[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return b;
}

/** The pseudo-header of the L4 checksum: IPv4's (RFC 793) or IPv6's (RFC 8200, 8.1). */
function pseudoHeader(p: ProbePacket, length: number): Buffer {
  if (p.source.includes(':')) {
    const h = Buffer.alloc(40);
    addressBytes(p.source).copy(h, 0);
    addressBytes(p.destination).copy(h, 16);
    h.writeUInt32BE(length, 32);
    h[39] = p.protocol;
    return h;
  }
  const h = Buffer.alloc(12);
  addressBytes(p.source).copy(h, 0);
  addressBytes(p.destination).copy(h, 4);
  h[9] = p.protocol;
  h.writeUInt16BE(length, 10);
  return h;
}

const FLAG_BITS: Record<TcpFlag, number> = { fin: 0x01, syn: 0x02, rst: 0x04, ack: 0x10 };

/** The L4 part of a packet of either family (the kernel writes the IP header). */
export function l4Bytes(p: ProbePacket): Buffer {
  const payload = Buffer.from('plumb-probe\n');
  if (p.protocol === 6) {
    const h = Buffer.alloc(20);
    h.writeUInt16BE(p.sourcePort ?? 40000, 0);
    h.writeUInt16BE(p.destinationPort ?? 80, 2);
    h.writeUInt32BE(0x504c4d42, 4); // sequence number
    const flags = (p.tcpFlags ?? ['syn']).reduce((acc, f) => acc | FLAG_BITS[f], 0);
    h.writeUInt32BE(flags & FLAG_BITS.ack ? 1 : 0, 8);
    h[12] = 5 << 4;
    h[13] = flags;
    h.writeUInt16BE(65535, 14);
    h.writeUInt16BE(checksum(Buffer.concat([pseudoHeader(p, 20), h])), 16);
    return h;
  }
  if (p.protocol === 17) {
    const h = Buffer.alloc(8);
    h.writeUInt16BE(p.sourcePort ?? 40000, 0);
    h.writeUInt16BE(p.destinationPort ?? 53, 2);
    h.writeUInt16BE(8 + payload.length, 4);
    const seg = Buffer.concat([h, payload]);
    const c = checksum(Buffer.concat([pseudoHeader(p, seg.length), seg]));
    seg.writeUInt16BE(c === 0 ? 0xffff : c, 6);
    return seg;
  }
  if (p.protocol === 1 || p.protocol === 58) {
    const h = Buffer.alloc(8);
    h[0] = p.icmpType ?? (p.protocol === 1 ? 8 : 128);
    h.writeUInt16BE(0x504c, 4);
    h.writeUInt16BE(1, 6);
    const msg = Buffer.concat([h, payload]);
    // ICMPv6's checksum covers the pseudo-header too; ICMP's only the message.
    const covered = p.protocol === 58 ? Buffer.concat([pseudoHeader(p, msg.length), msg]) : msg;
    msg.writeUInt16BE(checksum(covered), 2);
    return msg;
  }
  return payload;
}

// ---- listeners ---------------------------------------------------------------------------

export class Listeners {
  private readonly running = new Map<string, ChildProcess>();

  /** A TCP or UDP echo service on address:port inside a namespace (idempotent). */
  async ensure(ns: string, protocol: 6 | 17, address: string, port: number): Promise<void> {
    const key = `${ns}|${protocol}|${address}|${port}`;
    if (this.running.has(key)) return;
    const fam = address.includes(':') ? '6' : '4';
    const bind = fam === '6' ? `[${assertSafeWord(address)}]` : assertSafeWord(address);
    const spec =
      protocol === 6
        ? `TCP${fam}-LISTEN:${port},bind=${bind},reuseaddr,fork`
        : `UDP${fam}-RECVFROM:${port},bind=${bind},fork`;
    this.running.set(key, spawnIn(ns, 'socat', [spec, 'PIPE']));
  }

  /**
   * A TCP echo service on every address of a namespace (IPv6 and IPv4 alike) on a port: a
   * device's own services for the probes to it. Idempotent; the caller leaves out ports a
   * daemon already holds (`listeningTcpPorts`), where the daemon answers instead.
   */
  ensureAnyTcp(ns: string, port: number): void {
    const key = `${ns}|6|*|${port}`;
    if (this.running.has(key)) return;
    this.running.set(key, spawnIn(ns, 'socat', [`TCP6-LISTEN:${port},ipv6only=0,reuseaddr,fork`, 'PIPE']));
  }

  /** Waits until every listener is bound (`ss` in its namespace), at most `limitMs`. */
  async settle(limitMs = 10_000): Promise<void> {
    const pending = new Set(this.running.keys());
    const t0 = Date.now();
    while (pending.size > 0 && Date.now() - t0 < limitMs) {
      await sleep(100);
      const byNs = new Map<string, string[]>();
      for (const key of pending) byNs.set(key.split('|')[0]!, [...(byNs.get(key.split('|')[0]!) ?? []), key]);
      for (const [ns, keys] of byNs) {
        const r = await execIn(ns, 'ss', ['-H', '-l', '-n', '-t', '-u']);
        const bound = new Set(
          r.stdout
            .split('\n')
            .map((l) => l.trim().split(/\s+/))
            .filter((t) => t.length >= 5)
            .map((t) => `${t[0] === 'tcp' ? 6 : 17}|${t[4]!.replace(/^\[|\](?=:\d+$)/g, '')}`),
        );
        for (const key of keys) {
          const [, proto, address, port] = key.split('|');
          const any = address === '*' && ['*', '::', '0.0.0.0'].some((a) => bound.has(`${proto}|${a}:${port}`));
          if (any || bound.has(`${proto}|${address}:${port}`)) pending.delete(key);
        }
      }
    }
  }

  stop(): void {
    for (const c of this.running.values()) c.kill('SIGKILL');
    this.running.clear();
  }
}

/** Per TCP port something listens on in a namespace, the addresses it is bound to (`*`: all). */
export function listeningTcpAddresses(ns: string): Promise<Map<number, Set<string>>> {
  return listeningAddresses(ns, 'tcp');
}

/** Per port of `protocol` something listens on in a namespace (`ss`), the addresses it is bound to (`*`: all). */
export async function listeningAddresses(ns: string, protocol: 'tcp' | 'udp'): Promise<Map<number, Set<string>>> {
  const r = await execIn(ns, 'ss', ['-H', '-l', '-n', protocol === 'tcp' ? '-t' : '-u']);
  const held = new Map<number, Set<string>>();
  for (const line of r.stdout.split('\n')) {
    const local = line.trim().split(/\s+/)[3];
    const m = local ? /^\[?(.*?)\]?(?:%[^:]*)?:(\d+)$/.exec(local) : null;
    if (!m) continue;
    const port = Number(m[2]);
    held.set(port, (held.get(port) ?? new Set()).add(m[1]!));
  }
  return held;
}

// ---- running probes ----------------------------------------------------------------------

const MESSAGE = 'plumb-probe\n';

async function connect(spec: ProbeSpec): Promise<{ ok: boolean; detail: string }> {
  const p = spec.packet;
  const fam = p.source.includes(':') ? '6' : '4';
  const src = assertSafeWord(p.source);
  const dst = assertSafeWord(p.destination);
  const bind = fam === '6' ? `[${src}]` : src;
  const dstText = fam === '6' ? `[${dst}]` : dst;
  const bindSpec = p.sourcePort !== undefined ? `${bind}:${p.sourcePort}` : bind;
  const wait = String(spec.waitSeconds ?? 3);
  if (p.protocol === 6 || p.protocol === 17) {
    const addr =
      p.protocol === 6
        ? `TCP${fam}:${dstText}:${p.destinationPort},bind=${bindSpec},connect-timeout=${wait}`
        : `UDP${fam}:${dstText}:${p.destinationPort},bind=${bindSpec}`;
    const r = await execIn(spec.fromNs, 'socat', ['-T', wait, '-', addr], {
      input: MESSAGE,
      timeoutMs: 8_000,
    });
    const ok = r.stdout.includes('plumb-probe') || (spec.toDevice === true && p.protocol === 6 && r.code === 0);
    return {
      ok,
      detail: ok
        ? 'reply received'
        : (r.stderr.trim().split('\n').pop() ?? '').replace(/^.*socat\[\d+\] /, '') || 'no reply',
    };
  }
  const echo4 = p.protocol === 1 && (p.icmpType === undefined || p.icmpType === 8);
  const echo6 = p.protocol === 58 && (p.icmpType === undefined || p.icmpType === 128);
  if (echo4 || echo6) {
    const r = await execIn(
      spec.fromNs,
      'ping',
      ['-n', '-q', '-c', '2', '-i', '0.3', '-w', wait, '-I', src, dst],
      { timeoutMs: 8_000 },
    );
    return { ok: r.code === 0, detail: r.code === 0 ? 'echo reply received' : 'no echo reply' };
  }
  return { ok: false, detail: `no connection probe for protocol ${p.protocol}` };
}

async function craft(spec: ProbeSpec): Promise<{ ok: boolean; detail: string }> {
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

/** How long a crafted packet has to reach its counter before it counts as not delivered. */
const CRAFT_WAIT_MS = 400;
/** The first look at a crafted packet's counter: a packet between namespaces arrives well within it. */
const CRAFT_FIRST_LOOK_MS = 50;

/**
 * Whether a crafted packet reached its counter. A counter only grows, so a packet already
 * counted at the first look is delivered for good (and any waypoint it crossed on the way has
 * counted it before); one not yet counted gets the whole wait, as absence cannot be polled.
 */
async function craftDelivered(ns: string, at: CounterChain, id: string): Promise<boolean> {
  const t0 = Date.now();
  await sleep(CRAFT_FIRST_LOOK_MS);
  if ((await readCounter(ns, at, id)) > 0) return true;
  await sleep(Math.max(0, CRAFT_WAIT_MS - (Date.now() - t0)));
  return (await readCounter(ns, at, id)) > 0;
}

export async function runProbe(spec: ProbeSpec): Promise<ProbeResult> {
  const exactSport = spec.kind === 'craft' || spec.packet.sourcePort !== undefined;
  const match = counterMatch(spec.packet, exactSport);
  const at: CounterChain = spec.toDevice ? 'local' : 'pre';
  await addCounter(spec.toNs, at, match, spec.id);
  for (const v of spec.viaNs ?? []) await addCounter(v, 'transit', match, spec.id);
  const r = spec.kind === 'connect' ? await connect(spec) : await craft(spec);
  const delivered =
    spec.kind === 'craft'
      ? await craftDelivered(spec.toNs, at, spec.id)
      : (await readCounter(spec.toNs, at, spec.id)) > 0;
  let viaSeen: Record<string, boolean> | undefined;
  if (spec.viaNs) {
    viaSeen = {};
    for (const v of spec.viaNs) viaSeen[v] = (await readCounter(v, 'transit', spec.id)) > 0;
  }
  return {
    spec,
    connected: spec.kind === 'connect' && r.ok,
    delivered,
    ...(viaSeen ? { viaSeen } : {}),
    detail: r.detail,
  };
}

/**
 * Runs probes with a bounded number in flight (each may wait seconds for a timeout). Probes
 * between the same two addresses with the same protocol run one after the other, so that one's
 * packets never move another's counters (reply-shaped ones: per source port, see `ownPort`).
 */
export async function runProbes(specs: ProbeSpec[], parallel = 10): Promise<ProbeResult[]> {
  const results: ProbeResult[] = new Array(specs.length);
  const groups = new Map<string, number[]>();
  specs.forEach((s, i) => {
    // Reply-shaped packets have counters of their own source port: only those of one port share.
    const own = s.ownPort && s.packet.sourcePort !== undefined ? `|sport ${s.packet.sourcePort}` : '';
    const key = `${s.packet.source}|${s.packet.destination}|${s.packet.protocol}${own}`;
    groups.set(key, [...(groups.get(key) ?? []), i]);
  });
  const queue = [...groups.values()];
  const worker = async (): Promise<void> => {
    for (let g = queue.shift(); g; g = queue.shift()) {
      for (const i of g) results[i] = await runProbe(specs[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, queue.length) }, worker));
  return results;
}
