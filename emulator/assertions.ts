// From an assertion (and the verifier's verdict) to the packets that test it, and from the
// probes' results back to a verdict of the packets. Pure.
//
// reach A -> B : S — for each pair of endpoints (their representative addresses) and each clause
//   of S, a real connection: a TCP connection to the service port, a UDP request and its reply,
//   an ICMP echo. The packets hold when every one of them gets its reply (and, with `via D`,
//   D's forward counter saw it).
// isolate A -> B : S — the same packets; they hold when none of them arrives at B's namespace.
//   Where a stateless device is on the way (by the model's FIBs), also the packets the verifier quantifies over
//   beyond connection openings: TCP with ACK, TCP with RST and UDP, each from the service's own
//   port and the policy's ports (the shape of a reply, which a stateless device's reply rules
//   admit), crafted byte by byte.
// A refuted assertion's counterexample packet is sent too, as it is: for isolate crafted byte
//   by byte (source port, TCP flags), for reach as a connection from its source port.
// Every pair is probed in each address family both ends have; an assertion whose two ends have
//   no family in common is about no packet at all (vacuous), as the verifier says.

import type { AssertionModel, NetworkModel, RouteModel, ServiceModel } from '../compiler/model.js';
import type { TcpFlag, Verdict, VerdictStatus } from '../verifier/verdict.js';
import {
  addressOf,
  containsAddress,
  formatAddress,
  parseAddress,
  prefixOf,
  type Family,
} from '../language/address.js';
import { endpointOwning, unusable, type EndpointPlan, type LabPlan } from './lab.js';
import { EPHEMERAL, type ProbePacket, type ProbeResult, type ProbeSpec } from './probe.js';
import { modelTranslates, natForms, realAddress, type NatForm } from './nat-probes.js';

export interface ExtraAddress {
  ns: string;
  ifname: string;
  address: string;
}

export interface AssertionProbes {
  index: number;
  assertion: AssertionModel;
  probes: ProbeSpec[];
  /** Addresses the probes need beyond the representatives (a counterexample's). */
  extraAddresses: ExtraAddress[];
  /** What could not be tested, and why. */
  untested: string[];
  /** The two ends have no address family in common: no packet belongs to the assertion. */
  vacuous: boolean;
}

/** `vacuous`: the two ends have no address family in common, so no packet belongs to it. */
export type PacketsVerdict = 'holds' | 'fails' | 'untested' | 'vacuous';

const DEFAULT_PORT: Record<6 | 17, number> = { 6: 80, 17: 53 };

/** Probes per assertion beyond its counterexample (each may wait seconds). */
export const MAX_PROBES = 60;

/** Reply-shaped crafted probes per isolate assertion (each waits under a second). */
export const MAX_REPLY_SHAPED = 12;

/** Ports to try for "any port" of a protocol: the policy's own ports for it, then a default. */
export function portsToTry(model: NetworkModel, protocol: 6 | 17): number[] {
  const seen = new Set<number>();
  for (const rule of model.policy) {
    for (const s of rule.services) {
      if (s.protocol === protocol) for (const r of s.ports ?? []) seen.add(r.from);
    }
  }
  const ports = [...seen].sort((a, b) => a - b).slice(0, 2);
  if (!ports.includes(DEFAULT_PORT[protocol])) ports.push(DEFAULT_PORT[protocol]);
  return ports;
}

interface Shape {
  protocol: number;
  port?: number;
  icmpType?: number;
  kind: 'connect' | 'craft';
}

/** ICMP types with an ICMPv6 counterpart (as the verifier maps them). */
const ICMP4_TO_6: Record<number, number> = { 0: 129, 8: 128, 3: 1, 11: 3 };

function shapes(model: NetworkModel, s: ServiceModel, family: 4 | 6): Shape[] {
  const tcpUdp = (p: 6 | 17): Shape[] => {
    const ports =
      s.ports && s.ports.length > 0 ? s.ports.slice(0, 3).map((r) => r.from) : portsToTry(model, p);
    return ports.map((port) => ({ protocol: p, port, kind: 'connect' as const }));
  };
  const echo: Shape =
    family === 4
      ? { protocol: 1, icmpType: 8, kind: 'connect' }
      : { protocol: 58, icmpType: 128, kind: 'connect' };
  if (s.protocol === undefined) return [...tcpUdp(6), ...tcpUdp(17), echo];
  if (s.protocol === 6 || s.protocol === 17) return tcpUdp(s.protocol);
  if (s.protocol === 1 || s.protocol === 58) {
    // `icmp` means ICMPv6 for IPv6 traffic; protocol 58 never matches an IPv4 packet.
    if (s.protocol === 58 && family === 4) return [];
    const t4 = s.icmpType ?? 8;
    if (family === 4) return [{ protocol: 1, icmpType: t4, kind: t4 === 8 ? 'connect' : 'craft' }];
    const t6 = s.protocol === 58 ? (s.icmpType ?? 128) : (ICMP4_TO_6[t4] ?? t4);
    return [{ protocol: 58, icmpType: t6, kind: t6 === 128 ? 'connect' : 'craft' }];
  }
  return [{ protocol: s.protocol, kind: 'craft' }];
}

/**
 * A device as an assertion's end ("site.device"): its namespace, and its representative own
 * address per family, the loopback's first, else the first interface's that has one.
 */
export function deviceEnd(plan: LabPlan, id: string): EndpointPlan | undefined {
  const d = plan.devices.find((x) => x.id === id);
  if (!d) return undefined;
  const representative: Partial<Record<Family, string>> = {};
  const order = [...d.device.interfaces].sort((a, b) => Number(b.role === 'loopback') - Number(a.role === 'loopback'));
  for (const itf of order) {
    for (const a of itf.addresses) {
      const text = a.split('/')[0]!;
      representative[text.includes(':') ? 6 : 4] ??= text;
    }
  }
  return {
    name: id,
    kind: 'external',
    device: true,
    ns: d.ns,
    addresses: [],
    routes: [],
    representative,
    hostInterface: { ifname: 'lo', lengths: {} },
  };
}

/** The address families an endpoint has in the model (`any`: both); a device's: its own addresses'. */
export function endpointFamilies(plan: LabPlan, name: string): Family[] {
  if (name === 'any') return [4, 6];
  const dev = plan.devices.find((x) => x.id === name);
  if (dev)
    return ([4, 6] as const).filter((f) =>
      dev.device.interfaces.some((i) => i.addresses.some((a) => (a.includes(':') ? 6 : 4) === f)),
    );
  const ep = plan.model.endpoints.find((e) => e.name === name);
  return ([4, 6] as const).filter((f) => (ep?.include ?? []).some((p) => (p.includes(':') ? 6 : 4) === f));
}

/**
 * The families an assertion's two ends have in common, as the verifier counts them: some
 * source and some destination of that family. None: the assertion is vacuous.
 */
export function sharedFamilies(plan: LabPlan, assertion: AssertionModel): Family[] {
  const of = (names: string[]): Set<Family> => new Set(names.flatMap((n) => endpointFamilies(plan, n)));
  const s = of(assertion.sources);
  const d = of(assertion.destinations);
  return ([4, 6] as const).filter((f) => s.has(f) && d.has(f));
}

/**
 * Whether a packet from an endpoint to an address may cross a stateless device (reply rules,
 * no connection tracking): the devices its forwarding reaches from the endpoint's attachments,
 * by longest prefix match in each FIB, every equal-cost next hop followed.
 */
export function crossesStateless(plan: LabPlan, from: string, destination: string): boolean {
  const ep = plan.model.endpoints.find((e) => e.name === from);
  const dst = parseAddress(destination);
  if (!ep || !dst) return false;
  const byId = new Map(plan.devices.map((d) => [d.id, d.device]));
  const queue = [...new Set(ep.attachments.map((a) => a.device))];
  const seen = new Set(queue);
  for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
    const device = byId.get(id);
    if (!device) continue;
    if (!device.stateful) return true;
    let best: RouteModel | undefined;
    for (const r of device.fib) {
      const p = prefixOf(r.prefix);
      if (containsAddress(p, dst) && (!best || p.length > prefixOf(best.prefix).length)) best = r;
    }
    for (const h of best?.nextHops ?? []) {
      if (h.device && !seen.has(h.device)) {
        seen.add(h.device);
        queue.push(h.device);
      }
    }
  }
  return false;
}

/**
 * Source ports of reply-shaped packets: the service's own port, then the source ports that the
 * stateless devices' rules admit for the protocol (their reply rules), then the policy's ports.
 */
export function replyPorts(plan: LabPlan, protocol: 6 | 17, own: number): number[] {
  const ports = [own];
  const add = (p: number): void => {
    if (!ports.includes(p)) ports.push(p);
  };
  for (const d of plan.devices) {
    if (d.device.stateful) continue;
    for (const f of d.device.filters) {
      for (const r of f.rules) {
        const m = r.match;
        if (r.action === 'permit' && (m.protocol === undefined || m.protocol === protocol))
          for (const range of m.sourcePorts ?? []) add(range.from);
      }
    }
  }
  for (const p of portsToTry(plan.model, protocol)) add(p);
  return ports.slice(0, 4);
}

function endpointsOf(plan: LabPlan, names: string[]): EndpointPlan[] {
  const devices = names.map((n) => deviceEnd(plan, n)).filter((e): e is EndpointPlan => e !== undefined);
  if (names.includes('any')) return [...plan.endpoints, ...devices];
  return [...plan.endpoints.filter((e) => names.includes(e.name)), ...devices];
}

/** Two endpoints on the same LAN: their traffic crosses no device of ours. */
function sameSegment(plan: LabPlan, a: EndpointPlan, b: EndpointPlan): boolean {
  if (a.name === b.name) return true;
  const seg = (e: EndpointPlan): string | undefined =>
    e.kind === 'segment'
      ? e.name
      : e.kind === 'host'
        ? plan.model.endpoints.find((m) => m.name === e.name)?.segment
        : undefined;
  const sa = seg(a);
  return sa !== undefined && sa === seg(b);
}

function wayNs(plan: LabPlan, via: string | undefined): string[] | undefined {
  if (!via) return undefined;
  const d = plan.devices.find((x) => x.id === via);
  return d ? [d.ns] : undefined;
}

/** Where an address outside the representatives is added so that probes can use it. */
function placeAddress(
  plan: LabPlan,
  address: string,
): { ep?: EndpointPlan; extra?: ExtraAddress; why?: string } {
  const a = parseAddress(address);
  if (!a) return { why: `bad address ${address}` };
  const text = formatAddress(a);
  if (unusable(a))
    return { why: `${text} cannot be a host's address (unspecified, loopback, multicast or reserved)` };
  const ep = endpointOwning(plan, text);
  if (!ep) return { why: `${text} belongs to no endpoint` };
  if (Object.values(ep.representative).includes(text)) return { ep };
  // Every device of the lab, both parties' in a joint lab (plan.model is one party's): an
  // address of a device added to an endpoint would take the device's place, e.g. a gateway's.
  for (const { device: d } of plan.devices) {
    for (const i of d.interfaces) {
      if (i.addresses.some((x) => x.split('/')[0] === text))
        return { why: `${text} is ${d.id}'s own address` };
    }
  }
  const len = ep.hostInterface.lengths[a.family];
  if (ep.kind === 'host' || len === undefined) return { why: `${text} cannot be placed in ${ep.name}` };
  return { ep, extra: { ns: ep.ns, ifname: ep.hostInterface.ifname, address: `${text}/${len}` } };
}

export function planAssertionProbes(
  plan: LabPlan,
  index: number,
  verdict: Verdict | undefined,
): AssertionProbes {
  const assertion = plan.model.assertions[index]!;
  const probes: ProbeSpec[] = [];
  const untested: string[] = [];
  const extraAddresses: ExtraAddress[] = [];
  const via = wayNs(plan, assertion.via);
  if (assertion.via && !via) untested.push(`waypoint ${assertion.via} is not in the lab`);
  let n = 0;
  const id = (): string => `a${index}p${n++}`;
  const sources = endpointsOf(plan, assertion.sources);
  const destinations = endpointsOf(plan, assertion.destinations);
  const vacuous = sharedFamilies(plan, assertion).length === 0;
  const replyShaped: ProbeSpec[] = [];
  const isolate = assertion.property === 'isolate';
  const translating = modelTranslates(plan.model);
  for (const s of sources) {
    for (const d of destinations) {
      if (vacuous || sameSegment(plan, s, d)) continue;
      const common = ([4, 6] as const).filter(
        (f) => endpointFamilies(plan, s.name).includes(f) && endpointFamilies(plan, d.name).includes(f),
      );
      const families = common.filter((f) => s.representative[f] && d.representative[f]);
      for (const f of common.filter((x) => !families.includes(x)))
        untested.push(`${s.name} -> ${d.name}: no IPv${f} address to probe from or to`);
      for (const family of families) {
        for (const svc of assertion.services) {
          for (const sh of shapes(plan.model, svc, family)) {
            const base: ProbePacket = {
              source: s.representative[family]!,
              destination: d.representative[family]!,
              protocol: sh.protocol,
            };
            if (sh.port !== undefined) base.destinationPort = sh.port;
            if (sh.icmpType !== undefined) base.icmpType = sh.icmpType;
            // Through translations: to the address as the source sees it (isolate: every form).
            const forms: NatForm[] = translating
              ? natForms(plan.model, assertion, s.name, d.name, family, base)
              : [{ packet: base, arrival: base, anySource: false, note: '' }];
            for (const form of forms) {
            const packet = form.packet;
            const arrival = translating ? { arrival: form.arrival, ...(form.anySource ? { anySource: true } : {}) } : {};
            probes.push({
              id: id(),
              kind: sh.kind,
              fromNs: s.ns,
              toNs: d.ns,
              packet,
              ...arrival,
              ...(via ? { viaNs: via } : {}),
              ...(assertion.property === 'isolate' ? { waitSeconds: 1 } : {}),
              ...(d.device ? { toDevice: true } : {}),
              note: `${s.name} -> ${d.name}${form.note}`,
            });
            if (!isolate || (sh.protocol !== 6 && sh.protocol !== 17) || sh.port === undefined) continue;
            if (!crossesStateless(plan, s.name, packet.destination)) continue;
            for (const sport of replyPorts(plan, sh.protocol, sh.port)) {
              const flagSets: (TcpFlag[] | undefined)[] =
                sh.protocol === 6 ? [['ack'], ['rst']] : [undefined];
              for (const flags of flagSets) {
                const shape = { sourcePort: sport, ...(flags ? { tcpFlags: flags } : {}) };
                replyShaped.push({
                  id: '',
                  kind: 'craft',
                  ...(sport < EPHEMERAL.from ? { ownPort: true } : {}),
                  fromNs: s.ns,
                  toNs: d.ns,
                  packet: { ...packet, ...shape },
                  ...(translating ? { arrival: { ...form.arrival, ...shape }, anySource: true } : {}),
                  ...(via ? { viaNs: via } : {}),
                  ...(d.device ? { toDevice: true } : {}),
                  note: `${s.name} -> ${d.name}, reply-shaped${form.note}`,
                });
              }
            }
            }
          }
        }
      }
    }
  }
  if (probes.length > MAX_PROBES) {
    // `any` on both sides multiplies quickly: keep an even spread (deterministic), say so.
    const total = probes.length;
    const kept = Array.from({ length: MAX_PROBES }, (_, i) => probes[Math.floor((i * total) / MAX_PROBES)]!);
    probes.splice(0, probes.length, ...kept);
    untested.push(`${MAX_PROBES} of ${total} endpoint/service combinations probed (an even sample)`);
  }
  const shaped = evenSample(replyShaped, MAX_REPLY_SHAPED);
  if (shaped.length < replyShaped.length)
    untested.push(`${shaped.length} of ${replyShaped.length} reply-shaped packets sent (an even sample)`);
  for (const p of shaped) probes.push({ ...p, id: id() });
  const ce = verdict?.status === 'refuted' ? verdict.counterexample : undefined;
  if (ce) {
    const p = ce.packet;
    const from = placeAddress(plan, p.source);
    // Through a translation the counterexample may go to a mapped address: what arrives is
    // judged at the real one behind it.
    const real = translating ? realAddress(plan.model, formatAddress(addressOf(p.destination))) : undefined;
    const direct = placeAddress(plan, p.destination);
    const to = direct.ep || !real ? direct : placeAddress(plan, real.address);
    if (!from.ep || !to.ep) {
      untested.push(`counterexample: ${from.why ?? to.why}`);
    } else {
      for (const x of [from.extra, to.extra]) if (x) extraAddresses.push(x);
      const packet: ProbePacket = {
        source: formatAddress(addressOf(p.source)),
        destination: formatAddress(addressOf(p.destination)),
        protocol: p.protocol,
      };
      if (p.sourcePort !== undefined) packet.sourcePort = p.sourcePort;
      if (p.destinationPort !== undefined) packet.destinationPort = p.destinationPort;
      if (p.icmpType !== undefined) packet.icmpType = p.icmpType;
      if (p.tcpFlags) packet.tcpFlags = [...p.tcpFlags];
      const connectable =
        p.protocol === 6 ||
        p.protocol === 17 ||
        (p.protocol === 1 && (p.icmpType === undefined || p.icmpType === 8)) ||
        (p.protocol === 58 && (p.icmpType === undefined || p.icmpType === 128));
      const kind = assertion.property === 'reach' && connectable ? 'connect' : 'craft';
      // A reach counterexample about a packet that does arrive (its reply fails, or it
      // misses the waypoint) is tested as a connection, which sees both.
      const arrival: ProbePacket = { ...packet };
      if (!direct.ep && real) {
        arrival.destination = real.address;
        const svc = real.service;
        if (svc && p.protocol === svc.protocol && p.destinationPort === svc.port) arrival.destinationPort = svc.realPort;
      }
      probes.push({
        id: id(),
        kind,
        fromNs: from.ep.ns,
        toNs: to.ep.ns,
        packet,
        ...(translating ? { arrival, anySource: true } : {}),
        ...(via ? { viaNs: via } : {}),
        note: `the verifier's counterexample (${ce.summary})`,
      });
    }
  }
  return { index, assertion, probes, extraAddresses, untested, vacuous };
}

function evenSample<T>(items: T[], max: number): T[] {
  if (items.length <= max) return items;
  return Array.from({ length: max }, (_, i) => items[Math.floor((i * items.length) / max)]!);
}

/** Whether the far end saw the source it should (the translated one), where its listener said. */
export function sawExpectedSource(r: ProbeResult): boolean {
  if (r.sourceSeen === undefined || r.spec.anySource) return true;
  return r.sourceSeen === (r.spec.arrival ?? r.spec.packet).source;
}

/** The packets' verdict on an assertion from its probes' results. */
export function judge(assertion: AssertionModel, results: ProbeResult[], vacuous = false): PacketsVerdict {
  if (vacuous) return 'vacuous';
  if (results.length === 0) return 'untested';
  if (assertion.property === 'reach') {
    // Through a translation the far end must also have seen the source the model says.
    const ok = results.every(
      (r) =>
        (r.spec.kind === 'connect' ? r.connected : r.delivered) &&
        sawExpectedSource(r) &&
        (r.viaSeen === undefined || Object.values(r.viaSeen).every(Boolean)),
    );
    return ok ? 'holds' : 'fails';
  }
  return results.some((r) => r.delivered) ? 'fails' : 'holds';
}

/**
 * Whether the packets say what the proof says. A vacuous assertion (no address family in common)
 * is about no packet: the proof says so too (vacuous, or proven/unknown with that reason), and
 * that is no disagreement; an unknown proof, or nothing probed, never agrees.
 */
export function packetsAgree(proof: VerdictStatus | 'none', packets: PacketsVerdict): boolean {
  return (proof === 'proven' && packets === 'holds') || (proof === 'refuted' && packets === 'fails') || (packets === 'vacuous' && proof !== 'refuted' && proof !== 'none');
}
