// The concrete packet simulator: one packet, hop by hop, exactly as docs/architecture.md ("What a
// NetworkModel means") says. It is deliberately simple and independent of the SMT encoding: it
// replays every counterexample, and the differential tests compare the two.

import type { DeviceModel, FilterRule, Match, NetworkModel, RouteModel } from '../compiler/model.js';
import { containsAddress, formatAddress, parseAddress, prefixOf, type Address } from '../language/address.js';
import { dropsUnsolicitedIcmp, isUnplacedIcmp, unplacedIcmpDrop } from './conntrack.js';
import { contains, prefixRange } from './intervals.js';
import { indexModel, ORIGIN, type NetIndex } from './netindex.js';
import { directionFrom, sideOf, viewOf, type NatDirection } from './nat.js';
import { restore, restoresOf, translate, type NatRestore } from './simulate-nat.js';
import type { FilterDecision, FilterStage, Hop, Ingress, Packet, Trace, TraceOutcome } from './verdict.js';

export interface SimulateOptions {
  /**
   * Where the packet enters; default: every entry of every endpoint that contains its source, or
   * the device whose own address it is (ORIGIN: the device sends it).
   */
  ingress?: Ingress;
  /** Stateful devices that admitted the connection this packet is a reply of. */
  admittedBy?: readonly string[];
  /** The translations of the connection this packet is a reply of, undone where they were made. */
  restores?: readonly NatRestore[];
}

const indexes = new WeakMap<NetworkModel, NetIndex>();

export function netIndex(model: NetworkModel): NetIndex {
  let idx = indexes.get(model);
  if (!idx) {
    idx = indexModel(model);
    indexes.set(model, idx);
  }
  return idx;
}

/** Every path (one per ECMP branch and entry) of one packet through the network. */
export function simulate(model: NetworkModel, packet: Packet, options: SimulateOptions = {}): Trace[] {
  const idx = netIndex(model);
  const entries = options.ingress ? [options.ingress] : entriesFor(idx, packet);
  const admitted = new Set(options.admittedBy ?? []);
  const traces: Trace[] = [];
  for (const entry of entries) walkFrom(idx, packet, entry, admitted, options.restores ?? [], traces);
  return traces;
}

function entriesFor(idx: NetIndex, packet: Packet): Ingress[] {
  const src = addr(packet.source);
  const out = new Map<string, Ingress>();
  for (const e of idx.model.endpoints) {
    if (!contains(idx.addresses(e.name, src.family), src.value)) continue;
    for (const i of idx.entries(e.name)) out.set(`${i.device}\u0000${i.interface}`, i);
  }
  // A device's own address: the device originates the packet.
  for (const d of idx.model.devices) if (contains(idx.ownAddresses(d.id, src.family), src.value)) out.set(`${d.id}\u0000${ORIGIN}`, { device: d.id, interface: ORIGIN });
  return [...out.values()].sort((a, b) => cmp(a.device, b.device) || cmp(a.interface, b.interface));
}

function walkFrom(idx: NetIndex, packet: Packet, entry: Ingress, admitted: ReadonlySet<string>, restores: readonly NatRestore[], out: Trace[]): void {
  const src = addr(packet.source);
  const dst = addr(packet.destination);
  // Traffic inside one segment never crosses a device.
  for (const e of idx.attachedAt(entry.device, entry.interface)) {
    if (e.kind !== 'segment') continue;
    const set = idx.addresses(e.name, src.family);
    if (contains(set, src.value) && contains(set, dst.value)) {
      out.push({ packet, entry, hops: [], outcome: { kind: 'same-segment', endpoint: e.name } });
      return;
    }
  }
  // `arrived`: the packet as it arrives at the device (translated by the devices before it).
  const step = (device: string, ingress: string, hops: Hop[], seen: ReadonlySet<string>, arrived: Packet): void => {
    const finish = (hop: Hop | undefined, outcome: TraceOutcome, last: Packet = arrived): void => {
      out.push({ packet, entry, hops: hop ? [...hops, hop] : hops, outcome, ...(last !== packet ? { translated: last } : {}) });
    };
    const here = `${device}\u0000${ingress}`;
    if (seen.has(here)) return finish(undefined, { kind: 'loop', device, interface: ingress });
    const d = idx.device(device);
    const hop: Hop = { device, ingress, decisions: [] };
    if (!d) return finish(hop, { kind: 'lost', device, interface: ingress });
    const stateful = d.stateful && admitted.has(device);
    // A packet the device originates passes none of its own filters.
    const origin = ingress === ORIGIN;
    const arrivedSrc = addr(arrived.source);
    // uRPF, read from the FIB directly (not from the verifier's interval sets).
    const urpf = origin ? undefined : idx.iface(device, ingress)?.urpf;
    const back = urpf !== undefined ? longestMatch(d.fib, arrivedSrc) : undefined;
    if (urpf !== undefined && !back?.nextHops.some((h) => urpf === 'loose' || h.interface === ingress)) {
      hop.decisions.push(urpfDrop(idx, d, ingress, arrivedSrc));
      return finish(hop, { kind: 'dropped', device, stage: 'urpf' });
    }
    // ICMP of no connection this device tracks (an unsolicited error or reply): conntrack calls it
    // invalid, and the device drops it before any rule (forwarded or to itself; verifier/conntrack.ts).
    if (!origin && !stateful && dropsUnsolicitedIcmp(d) && isUnplacedIcmp(arrived)) {
      hop.decisions.push(unplacedIcmpDrop());
      return finish(hop, { kind: 'dropped', device, stage: 'state' });
    }
    // Translations before routing (docs/architecture.md, "NAT"): a reply of a connection translated
    // here is translated back; any other packet by the rules of the side it arrives from.
    const restoring = restores.find((r) => r.device === device);
    const inSide = origin ? undefined : sideOf(d, ingress);
    const pre = restoring
      ? restore(d, restoring, 'before-routing', arrived)
      : inSide
        ? translate(d, directionFrom(inSide), 'before-routing', arrived)
        : { packet: arrived, steps: [] };
    if (pre.steps.length > 0) hop.translations = pre.steps;
    const routed = pre.packet;
    const routedDst = addr(routed.destination);
    const view = (stage: 'in' | 'out' | 'security' | 'local', leaving: Packet): Packet => {
      const v = viewOf(d, stage);
      return v === 'arrival' ? arrived : v === 'routed' ? routed : leaving;
    };
    if (contains(idx.ownAddresses(device, routedDst.family), routedDst.value)) {
      if (!origin && d.localFilter !== undefined) {
        const dec = decideFilter(idx, d, 'local', d.localFilter, view('local', routed), stateful && d.ownConnectionsUntracked !== true);
        hop.decisions.push(dec);
        if (dec.action === 'deny') return finish(hop, { kind: 'dropped', device, stage: 'local' }, routed);
      }
      return finish(hop, { kind: 'to-device', device }, routed);
    }
    const inName = origin ? undefined : idx.iface(device, ingress)?.filterIn;
    if (inName !== undefined) {
      const dec = decideFilter(idx, d, 'in', inName, view('in', routed), stateful);
      hop.decisions.push(dec);
      if (dec.action === 'deny') return finish(hop, { kind: 'dropped', device, stage: 'in' }, routed);
    }
    const route = longestMatch(d.fib, routedDst);
    if (!route) return finish(hop, { kind: 'no-route', device }, routed);
    if (route.nextHops.length === 0) return finish(hop, { kind: 'discarded', device, prefix: route.prefix }, routed);
    const nextSeen = new Set(seen).add(here);
    for (const nh of route.nextHops) {
      const h: Hop = { ...hop, egress: nh.interface, decisions: [...hop.decisions], route: { prefix: route.prefix, protocol: route.protocol, nextHop: nh } };
      // Translations after routing: of a reply translated here, or of a packet crossing sides.
      const outSide = sideOf(d, nh.interface);
      const post = restoring
        ? restore(d, restoring, 'after-routing', routed)
        : inSide && outSide && inSide !== outSide
          ? translate(d, directionFrom(inSide), 'after-routing', routed)
          : { packet: routed, steps: [] };
      const leaving = post.packet;
      // The trace shows the rewrite once it has happened: before a filter that sees it, or as the packet leaves.
      const rewritten = (): void => {
        if (post.steps.length > 0 && h.translations?.at(-1) !== post.steps.at(-1)) h.translations = [...(hop.translations ?? []), ...post.steps];
      };
      if (d.zones.length > 0 && !origin) {
        if (viewOf(d, 'security') === 'leaving') rewritten();
        const dec = decideSecurity(idx, d, ingress, nh.interface, view('security', leaving), stateful);
        h.decisions.push(dec);
        if (dec.action === 'deny') {
          finish(h, { kind: 'dropped', device, stage: 'security' }, h.translations?.at(-1) === post.steps.at(-1) ? leaving : routed);
          continue;
        }
      }
      const egress = idx.iface(device, nh.interface);
      if (egress?.filterOut !== undefined && !origin) {
        if (viewOf(d, 'out') === 'leaving') rewritten();
        const dec = decideFilter(idx, d, 'out', egress.filterOut, view('out', leaving), stateful);
        h.decisions.push(dec);
        if (dec.action === 'deny') {
          finish(h, { kind: 'dropped', device, stage: 'out' }, h.translations?.at(-1) === post.steps.at(-1) ? leaving : routed);
          continue;
        }
      }
      rewritten();
      const leavingDst = addr(leaving.destination);
      const peer = egress?.peer;
      // A connected route on a link delivers the other end's own addresses to it.
      if (nh.device !== undefined || (peer && contains(idx.ownAddresses(peer.device, leavingDst.family), leavingDst.value))) {
        if (peer) step(peer.device, peer.interface, [...hops, h], nextSeen, leaving);
        else finish(h, { kind: 'lost', device, interface: nh.interface }, leaving);
        continue;
      }
      const endpoints = idx
        .attachedAt(device, nh.interface)
        .filter((e) => contains(idx.addresses(e.name, leavingDst.family), leavingDst.value))
        .map((e) => e.name)
        .sort();
      if (endpoints.length > 0) finish(h, { kind: 'delivered', device, interface: nh.interface, endpoints }, leaving);
      else finish(h, { kind: 'lost', device, interface: nh.interface }, leaving);
    }
  };
  step(entry.device, entry.interface, [], new Set(), packet);
}

function longestMatch(fib: readonly RouteModel[], dst: Address): RouteModel | undefined {
  let best: RouteModel | undefined;
  let bestLen = -1;
  for (const r of fib) {
    const p = prefixOf(r.prefix);
    if (p.length > bestLen && containsAddress(p, dst)) {
      best = r;
      bestLen = p.length;
    }
  }
  return best;
}

/** The decision of a uRPF check that drops the packet: where the route back to its source leaves, if any. */
function urpfDrop(idx: NetIndex, d: DeviceModel, ingress: string, src: Address): FilterDecision {
  const mode = idx.iface(d.id, ingress)?.urpf ?? 'strict';
  const back = longestMatch(d.fib, src);
  const by = back && back.nextHops.length > 0 ? `leaves by ${[...new Set(back.nextHops.map((h) => h.interface))].join(', ')}` : 'does not exist';
  const description =
    mode === 'strict'
      ? `uRPF strict on ${ingress}: the route back to ${formatAddress(src)} ${by}`
      : `uRPF loose on ${ingress}: no route back to ${formatAddress(src)}`;
  return { stage: 'urpf', filter: mode, action: 'deny', description };
}

function decideFilter(idx: NetIndex, d: DeviceModel, stage: FilterStage, name: string, packet: Packet, byState: boolean): FilterDecision {
  if (byState) return { stage, filter: name, action: 'permit', byState: true, description: 'reply of an admitted connection' };
  const f = idx.filter(d.id, name);
  if (!f) return { stage, filter: name, action: 'deny', description: `filter ${name} does not exist` };
  return firstMatch(stage, name, f.rules, f.defaultAction, packet, undefined, undefined);
}

function decideSecurity(idx: NetIndex, d: DeviceModel, ingress: string, egress: string, packet: Packet, byState: boolean): FilterDecision {
  if (byState) return { stage: 'security', filter: 'security', action: 'permit', byState: true, description: 'reply of an admitted connection' };
  return firstMatch('security', 'security', d.securityRules, 'deny', packet, idx.zoneOf(d.id, ingress), idx.zoneOf(d.id, egress));
}

function firstMatch(
  stage: FilterStage,
  filter: string,
  rules: readonly FilterRule[],
  defaultAction: 'permit' | 'deny',
  packet: Packet,
  fromZone: string | undefined,
  toZone: string | undefined,
): FilterDecision {
  for (let i = 0; i < rules.length; i++) {
    const r = rules[i]!;
    if (matches(r.match, packet, fromZone, toZone)) {
      return { stage, filter, rule: i + 1, action: r.action, description: r.description, origin: r.origin };
    }
  }
  return { stage, filter, action: defaultAction, description: `no rule matched: default ${defaultAction}` };
}

const parsedAddresses = new WeakMap<Packet, readonly [Address, Address]>();

/** Whether a packet matches a filter rule's match (docs/architecture.md, "Filters"). */
export function matches(m: Match, packet: Packet, fromZone?: string, toZone?: string): boolean {
  let parsed = parsedAddresses.get(packet);
  if (!parsed) {
    parsed = [addr(packet.source), addr(packet.destination)];
    parsedAddresses.set(packet, parsed);
  }
  const [src, dst] = parsed;
  const inPrefix = (text: string, a: Address): boolean => {
    const [family, lo, hi] = prefixRange(text);
    return family === a.family && lo <= a.value && a.value <= hi;
  };
  if (m.sources && !m.sources.some((p) => inPrefix(p, src))) return false;
  if (m.destinations && !m.destinations.some((p) => inPrefix(p, dst))) return false;
  if (m.protocol !== undefined && m.protocol !== packet.protocol) return false;
  const ported = packet.protocol === 6 || packet.protocol === 17;
  if (m.sourcePorts && !(ported && m.sourcePorts.some((r) => r.from <= (packet.sourcePort ?? 0) && (packet.sourcePort ?? 0) <= r.to))) return false;
  if (m.destinationPorts && !(ported && m.destinationPorts.some((r) => r.from <= (packet.destinationPort ?? 0) && (packet.destinationPort ?? 0) <= r.to))) return false;
  if (m.icmpType !== undefined && !((packet.protocol === 1 || packet.protocol === 58) && packet.icmpType === m.icmpType)) return false;
  if (m.tcpEstablished && !(packet.protocol === 6 && (packet.tcpFlags ?? []).some((f) => f === 'ack' || f === 'rst'))) return false;
  if (m.fromZones && !(fromZone !== undefined && m.fromZones.includes(fromZone))) return false;
  if (m.toZones && !(toZone !== undefined && m.toZones.includes(toZone))) return false;
  return true;
}

/** The reply a connection's first packet gets, or undefined when none is expected. */
export function replyOf(packet: Packet): Packet | undefined {
  const base = { family: packet.family, source: packet.destination, destination: packet.source, protocol: packet.protocol };
  if (packet.protocol === 6) {
    return { ...base, sourcePort: packet.destinationPort ?? 0, destinationPort: packet.sourcePort ?? 0, tcpFlags: ['ack', 'syn'] };
  }
  if (packet.protocol === 17) return { ...base, sourcePort: packet.destinationPort ?? 0, destinationPort: packet.sourcePort ?? 0 };
  if (packet.protocol === 1 || packet.protocol === 58) {
    const request = packet.protocol === 1 ? 8 : 128;
    return packet.icmpType === request ? { ...base, icmpType: packet.protocol === 1 ? 0 : 129 } : undefined;
  }
  return base;
}

/** The stateful devices a delivered trace passed (they admit its replies). */
export function statefulOn(model: NetworkModel, trace: Trace): string[] {
  const idx = netIndex(model);
  return [...new Set(trace.hops.map((h) => h.device).filter((d) => idx.device(d)?.stateful))].sort();
}

/** What a reply of the trace's packet is translated back by at the devices that translated it. */
export function natRestoresOf(model: NetworkModel, trace: Trace): NatRestore[] {
  const idx = netIndex(model);
  return restoresOf(trace, (h): NatDirection | undefined => {
    const d = idx.device(h.device);
    const side = d ? sideOf(d, h.ingress) : undefined;
    return side ? directionFrom(side) : undefined;
  });
}

/**
 * Whether the trace delivers its packet to one of `endpoints`: out of one of an endpoint's
 * attachments with a destination of it, inside a segment, or to a device (a device id among the
 * endpoints) past its local filter.
 */
export function deliveredTo(model: NetworkModel, trace: Trace, endpoints: readonly string[]): boolean {
  const idx = netIndex(model);
  const dst = addr((trace.translated ?? trace.packet).destination);
  const o = trace.outcome;
  if (o.kind === 'to-device') return endpoints.includes(o.device) && idx.isDevice(o.device) && contains(idx.ownAddresses(o.device, dst.family), dst.value);
  if (o.kind === 'same-segment') {
    return endpoints.some((e) => contains(idx.addresses(e, dst.family), dst.value));
  }
  if (o.kind !== 'delivered') return false;
  return endpoints.some(
    (e) => contains(idx.addresses(e, dst.family), dst.value) && idx.entries(e).some((a) => a.device === o.device && a.interface === o.interface),
  );
}

function addr(text: string): Address {
  const a = parseAddress(text);
  if (!a) throw new Error(`internal: packet address ${JSON.stringify(text)} is not an address`);
  return a;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
