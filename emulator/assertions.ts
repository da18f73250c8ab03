// From an assertion (and the verifier's verdict) to the packets that test it. Pure. The
// assertion's ends in the lab are assertion-ends.ts's; the packets' verdict from the probes'
// results is packets-verdict.ts's.
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

import type { AssertionModel, NetworkModel, ServiceModel } from '../compiler/model.js';
import type { TcpFlag, Verdict } from '../verifier/verdict.js';
import { addressOf, formatAddress } from '../language/address.js';
import type { LabPlan } from './lab.js';
import { EPHEMERAL, type ProbePacket, type ProbeSpec } from './probe.js';
import { modelTranslates, natForms, realAddress, type NatForm } from './nat-probes.js';
import {
  crossesStateless,
  endpointFamilies,
  endpointsOf,
  placeAddress,
  sameSegment,
  sharedFamilies,
  wayNs,
  type ExtraAddress,
} from './assertion-ends.js';

export { crossesStateless, deviceEnd, endpointFamilies, sharedFamilies, type ExtraAddress } from './assertion-ends.js';
export { judge, packetsAgree, sawExpectedSource, type PacketsVerdict } from './packets-verdict.js';

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
