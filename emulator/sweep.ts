// The device exposure sweep: from every external's and segment's representative address (and
// each BGP-speaking external's session addresses on its links), to every own address of every
// device: a TCP connection on a fixed sample of ports plus the TCP ports `manage` names, a UDP
// datagram on a fixed sample of UDP ports plus those `manage` names, and an ICMP echo request.
// Each device namespace listens on the TCP ports where no daemon already does (bgpd holds 179:
// it answers) and on the UDP ports probed (sweep-udp-icmp.ts), all in one echo process
// (echo-server.ts); each source namespace runs all its probes in one prober process
// (sweep-prober.ts). Open means the handshake completed (TCP), an answer came back (UDP: the
// echo or a port unreachable), the echo reply came back (ICMP); the model's answer is the
// concrete simulator's (verifier/simulate.ts, through the pipeline): the first packet reaches
// the device past its local filter, and its reply gets back to the source. A probe whose result
// differs from the model's is a disagreement.

import type { NetworkModel } from '../compiler/model.js';
import type { Ingress, Packet } from '../verifier/verdict.js';
import type { LabPlan } from './lab.js';
import type { EchoSocket } from './echo-server.js';
import { listeningTcpAddresses, type Listeners } from './probe.js';
import { runProber, type ProberTry } from './sweep-prober.js';
import { heldBy, listeningUdpAddresses, RETRY_WAIT_SECONDS, SWEEP_UDP_PORTS, udpSockets, WAIT_SECONDS } from './sweep-udp-icmp.js';

export type SweepProtocol = 'tcp' | 'udp' | 'icmp';
export const SWEEP_PROTOCOLS: readonly SweepProtocol[] = ['tcp', 'udp', 'icmp'];

/** Ports every device is tried on: remote shells, web and NETCONF management, BGP, FRR's vty. */
export const SWEEP_PORTS = [22, 23, 80, 179, 443, 830, 2601, 2605, 8080];

/**
 * At most this many connections per run beyond those the model opens: every device, source and
 * port once (at one of the device's addresses), then an even sample of the other addresses.
 */
export const MAX_SWEEP = 600;

/** Seconds a connection may take: the lab's round trips are well under a millisecond. */
const CONNECT_TIMEOUT = 0.5;

export interface SweepProbe {
  device: string;
  deviceNs: string;
  /** The endpoint the source belongs to, and where it is sent from. */
  from: string;
  fromNs: string;
  source: string;
  destination: string;
  protocol: SweepProtocol;
  /** The destination port (TCP, UDP); 0 for an ICMP echo. */
  port: number;
  /** Set for a session address on an external's link: it enters by that attachment. */
  ingress?: Ingress;
  /** The model's answer: the device accepts the first packet and its reply returns. */
  expected: boolean;
}

export interface SweepOutcome {
  probe: SweepProbe;
  open: boolean;
}

/** Probes, openings and the model's openings of one protocol. */
export interface ProtocolCounts {
  probes: number;
  open: number;
  expectedOpen: number;
}

export interface DeviceSweep {
  device: string;
  probes: number;
  open: number;
  expectedOpen: number;
  /** The same, per protocol. */
  byProtocol: Record<SweepProtocol, ProtocolCounts>;
  disagreements: SweepOutcome[];
  /** Open connections, as `from source -> destination:port` (the few the model admits). */
  opened: string[];
}

export interface SweepReport {
  /** TCP ports tried. */
  ports: number[];
  /** UDP ports tried (every device is also sent an ICMP echo request). */
  udpPorts: number[];
  /** Probes left out because a daemon of the device holds the UDP port (it answers as it likes). */
  skipped: number;
  /** Connections planned before sampling, and those made. */
  planned: number;
  probes: number;
  millis: number;
  devices: DeviceSweep[];
}

/** The fixed sample plus every TCP port a `manage` statement names (first port of each range). */
export function sweepPorts(model: NetworkModel): number[] {
  return withManaged(model, SWEEP_PORTS, 6);
}

/** The fixed UDP sample plus every UDP port a `manage` statement names (first port of each range). */
export function sweepUdpPorts(model: NetworkModel): number[] {
  return withManaged(model, SWEEP_UDP_PORTS, 17);
}

function withManaged(model: NetworkModel, fixed: readonly number[], protocol: 6 | 17): number[] {
  const ports = new Set(fixed);
  for (const m of model.manage ?? [])
    for (const s of m.services) if (s.protocol === protocol || s.protocol === undefined) for (const r of s.ports ?? []) ports.add(r.from);
  return [...ports].sort((a, b) => a - b);
}

/**
 * The model's answer for one sweep probe: whether this first packet (a TCP SYN, a UDP datagram,
 * an ICMP echo request) from endpoint `from` reaches `device` and its reply comes back (entering
 * at `ingress` when given). The pipeline supplies it (the verifier's concrete simulator,
 * pipeline/sweep-model.ts): the emulator only runs packets.
 */
export type SweepOpens = (model: NetworkModel, packet: Packet, from: string, device: string, ingress?: Ingress) => boolean;

interface Source {
  from: string;
  fromNs: string;
  address: string;
  ingress?: Ingress;
}

function sources(plan: LabPlan): Source[] {
  const out: Source[] = [];
  for (const ep of plan.endpoints) {
    if (ep.kind !== 'external' && ep.kind !== 'segment') continue;
    for (const a of Object.values(ep.representative)) out.push({ from: ep.name, fromNs: ep.ns, address: a });
    if (!ep.bgp) continue;
    const model = plan.model.endpoints.find((e) => e.name === ep.name);
    for (const a of ep.addresses) {
      const k = /^up(\d+)$/.exec(a.ifname);
      const att = k ? model?.attachments[Number(k[1])] : undefined;
      if (att) out.push({ from: ep.name, fromNs: ep.ns, address: a.address.split('/')[0]!, ingress: { device: att.device, interface: att.interface } });
    }
  }
  return out;
}

/** The first packet of a probe, as the model is asked about it. */
function firstPacket(family: 4 | 6, source: string, destination: string, protocol: SweepProtocol, port: number): Packet {
  if (protocol === 'tcp') return { family, source, destination, protocol: 6, sourcePort: 40000, destinationPort: port, tcpFlags: ['syn'] };
  if (protocol === 'udp') return { family, source, destination, protocol: 17, sourcePort: 40000, destinationPort: port };
  return family === 4 ? { family, source, destination, protocol: 1, icmpType: 8 } : { family, source, destination, protocol: 58, icmpType: 128 };
}

export function planSweep(plan: LabPlan, opens: SweepOpens, limit = MAX_SWEEP): { probes: SweepProbe[]; planned: number; ports: number[]; udpPorts: number[] } {
  const ports = sweepPorts(plan.model);
  const udpPorts = sweepUdpPorts(plan.model);
  const tries: [SweepProtocol, number][] = [...ports.map((p): [SweepProtocol, number] => ['tcp', p]), ...udpPorts.map((p): [SweepProtocol, number] => ['udp', p]), ['icmp', 0]];
  const all: SweepProbe[] = [];
  for (const d of plan.devices) {
    const own = d.device.interfaces.flatMap((i) => i.addresses.map((a) => a.split('/')[0]!));
    for (const s of sources(plan)) {
      const family = s.address.includes(':') ? 6 : 4;
      for (const destination of own) {
        if ((destination.includes(':') ? 6 : 4) !== family) continue;
        for (const [protocol, port] of tries) {
          const packet = firstPacket(family, s.address, destination, protocol, port);
          all.push({
            device: d.id,
            deviceNs: d.ns,
            from: s.from,
            fromNs: s.fromNs,
            source: s.address,
            destination,
            protocol,
            port,
            ...(s.ingress ? { ingress: s.ingress } : {}),
            expected: opens(plan.model, packet, s.from, d.id, s.ingress),
          });
        }
      }
    }
  }
  return { probes: sample(all, limit), planned: all.length, ports, udpPorts };
}

/**
 * Every probe the model opens; of the others, each device, source and port once, then an even
 * spread, `limit` in all. Where the once-each set alone passes the limit, an even spread of it.
 */
function sample(all: SweepProbe[], limit: number): SweepProbe[] {
  if (all.length <= limit) return all;
  const keep = new Set<number>();
  const seen = new Set<string>();
  all.forEach((p, i) => {
    const k = `${p.device}|${p.from}|${p.source.includes(':') ? 6 : 4}|${p.protocol}|${p.port}`;
    if (p.expected || !seen.has(k)) keep.add(i);
    if (!p.expected) seen.add(k);
  });
  const expected = [...keep].filter((i) => all[i]!.expected);
  if (keep.size > limit) {
    const others = [...keep].filter((i) => !all[i]!.expected);
    const room = Math.max(0, limit - expected.length);
    const spread = Array.from({ length: Math.min(room, others.length) }, (_, j) => others[Math.floor((j * others.length) / room)]!);
    return [...new Set([...expected, ...spread])].sort((a, b) => a - b).map((i) => all[i]!);
  }
  const rest = all.map((_, i) => i).filter((i) => !keep.has(i));
  const room = Math.max(0, limit - keep.size);
  for (let j = 0; j < Math.min(room, rest.length); j++) keep.add(rest[Math.floor((j * rest.length) / room)]!);
  return [...keep].sort((a, b) => a - b).map((i) => all[i]!);
}

/**
 * The sockets of a device's TCP services on these ports: one on every address where the port is
 * free, none where a daemon holds it on every address (or on the probed one), one per address
 * where it holds only others.
 */
export async function deviceTcpSockets(ns: string, addresses: string[], ports: number[]): Promise<EchoSocket[]> {
  const held = await listeningTcpAddresses(ns);
  const out: EchoSocket[] = [];
  for (const port of new Set(ports)) {
    const by = held.get(port);
    if (!by) out.push({ protocol: 6, address: '*', port });
    else if (!['*', '::', '0.0.0.0'].some((a) => by.has(a))) {
      for (const a of new Set(addresses)) if (!by.has(a)) out.push({ protocol: 6, address: a, port });
    }
  }
  return out;
}

/** Listeners on a device's ports (`deviceTcpSockets`), in one process. */
export async function listenOnDevice(listeners: Listeners, ns: string, addresses: string[], ports: number[]): Promise<void> {
  listeners.serve(ns, await deviceTcpSockets(ns, addresses, ports));
}

/**
 * A probe as its source namespace's prober runs it: a second, longer try for one the model opens.
 * A TCP one too: a device's listener whose accept queue is full (its echo process kept waiting by
 * the machine's load) drops the SYN, and the kernel sends it again only after a second, past the
 * first try's wait.
 */
export function proberTry(p: SweepProbe): ProberTry {
  return {
    protocol: p.protocol,
    source: p.source,
    destination: p.destination,
    port: p.port,
    wait: p.protocol === 'tcp' ? CONNECT_TIMEOUT : WAIT_SECONDS,
    retryWait: p.expected ? RETRY_WAIT_SECONDS : 0,
  };
}

/** Every probe run, each source namespace's in one prober, the namespaces at once. */
async function runProbers(probes: readonly SweepProbe[]): Promise<boolean[]> {
  const byNs = new Map<string, number[]>();
  probes.forEach((p, i) => byNs.set(p.fromNs, [...(byNs.get(p.fromNs) ?? []), i]));
  const open: boolean[] = new Array(probes.length).fill(false);
  await Promise.all(
    [...byNs].map(async ([ns, indices]) => {
      const results = await runProber(ns, indices.map((i) => proberTry(probes[i]!)));
      indices.forEach((i, k) => (open[i] = results[k]!));
    }),
  );
  return open;
}

export async function runSweep(plan: LabPlan, listeners: Listeners, opens: SweepOpens, limit = MAX_SWEEP): Promise<SweepReport> {
  const t0 = Date.now();
  const planned0 = planSweep(plan, opens, limit);
  const { planned, ports, udpPorts } = planned0;
  // UDP: a listener on each address and port probed, except where a daemon holds the port.
  const heldUdp = new Map(await Promise.all(plan.devices.map(async (d) => [d.ns, await listeningUdpAddresses(d.ns)] as const)));
  const probes = planned0.probes.filter((p) => p.protocol !== 'udp' || !heldBy(heldUdp.get(p.deviceNs)!, p.destination, p.port));
  // Each device's TCP and UDP listeners in one process.
  await Promise.all(
    plan.devices.map(async (d) => {
      const own = d.device.interfaces.flatMap((i) => i.addresses.map((a) => a.split('/')[0]!));
      const udp = udpSockets(probes.filter((p) => p.protocol === 'udp' && p.deviceNs === d.ns).map((p) => ({ address: p.destination, port: p.port })));
      listeners.serve(d.ns, [...(await deviceTcpSockets(d.ns, own, ports)), ...udp]);
    }),
  );
  // Several hundred sockets on a loaded machine: more time than the assertions' ten seconds.
  await listeners.settle(30_000);
  const open = await runProbers(probes);
  const outcomes: SweepOutcome[] = probes.map((probe, i) => ({ probe, open: open[i]! }));
  const devices: DeviceSweep[] = plan.devices.map((d) => {
    const mine = outcomes.filter((o) => o.probe.device === d.id);
    const counts = (os: SweepOutcome[]): ProtocolCounts => ({
      probes: os.length,
      open: os.filter((o) => o.open).length,
      expectedOpen: os.filter((o) => o.probe.expected).length,
    });
    return {
      device: d.id,
      ...counts(mine),
      byProtocol: {
        tcp: counts(mine.filter((o) => o.probe.protocol === 'tcp')),
        udp: counts(mine.filter((o) => o.probe.protocol === 'udp')),
        icmp: counts(mine.filter((o) => o.probe.protocol === 'icmp')),
      },
      disagreements: mine.filter((o) => o.open !== o.probe.expected),
      opened: mine.filter((o) => o.open).map((o) => sweepProbeText(o.probe)),
    };
  });
  return { ports, udpPorts, skipped: planned0.probes.length - probes.length, planned, probes: probes.length, millis: Date.now() - t0, devices };
}

/** `noc 10.9.0.10 -> 10.255.0.1:22` (TCP), `... -> 10.255.0.1 udp 161`, `... -> 10.255.0.1 icmp echo`. */
export function sweepProbeText(p: SweepProbe): string {
  if (p.protocol === 'icmp') return `${p.from} ${p.source} -> ${p.destination} icmp echo`;
  if (p.protocol === 'udp') return `${p.from} ${p.source} -> ${p.destination} udp ${p.port}`;
  const dst = p.destination.includes(':') ? `[${p.destination}]` : p.destination;
  return `${p.from} ${p.source} -> ${dst}:${p.port}`;
}
