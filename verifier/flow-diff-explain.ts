// Explaining one packet that one side of a flow comparison delivers and the other does not: a
// preferred example (host addresses, a client port), the widest range of destination ports (ICMP
// types, protocol numbers) around it that behaves the same, the rules that admit it on the side
// that delivers it, and where the other side stops it. All concrete: the simulator decides.

import type { DeviceModel, FilterRule, NetworkModel } from '../compiler/model.js';
import type { Span } from '../language/diagnostic.js';
import { formatAddress, parseAddress, type Family } from '../language/address.js';
import { CLIENT_PORT } from './canonical.js';
import { deliversConcretely, isFlowEnd } from './flow-diff-encode.js';
import { contains, intersect, type IntervalSet } from './intervals.js';
import { netIndex, simulate } from './simulate.js';
import type { FilterStage, Packet, Trace } from './verdict.js';

/** What a summary line is about: TCP or UDP destination ports, ICMP types, or other protocols. */
export type FlowKind = 'tcp' | 'udp' | 'icmp' | 'icmpv6' | 'other';

export function kindOf(protocol: number, family: Family): FlowKind {
  if (protocol === 6) return 'tcp';
  if (protocol === 17) return 'udp';
  if (protocol === 1 && family === 4) return 'icmp';
  if (protocol === 58 && family === 6) return 'icmpv6';
  return 'other';
}

/** A rule (or a filter's default) that decided about the example packet. */
export interface RuleRef {
  device: string;
  stage: FilterStage;
  /** The filter's name, or `security` for a firewall's zone policy. */
  filter: string;
  /** Its number in its list, counted from 1 as in every report (FilterDecision.rule); absent for the filter's default action. */
  rule?: number;
  description: string;
  /** The intent line the rule enforces. */
  origin?: Span;
}

/** Why the other side does not deliver the example. */
export interface StopReason {
  kind:
    | 'dropped'
    | 'no-route'
    | 'discarded'
    | 'to-device'
    | 'lost'
    | 'loop'
    | 'not-delivered'
    | 'no-such-endpoint'
    | 'not-in-source';
  device?: string;
  /** The rule (or default) that dropped it. */
  rule?: RuleRef;
}

/** Both sides and the pair, as the explanation needs them. */
export interface Sides {
  /** The side that delivers the packets (NEW for a newly allowed flow, OLD for a lost one). */
  delivers: NetworkModel;
  other: NetworkModel;
  source: string;
  destination: string;
  /** The addresses the pair is compared on, when narrower than the endpoints' (flow-diff.ts). */
  space: { src?: IntervalSet; dst?: IntervalSet };
}

export function differs(s: Sides, p: Packet): boolean {
  const within = (set: IntervalSet | undefined, text: string): boolean => {
    const a = parseAddress(text);
    return set === undefined || (a ? contains(set, a.value) : false);
  };
  if (!within(s.space.src, p.source) || !within(s.space.dst, p.destination)) return false;
  return (
    deliversConcretely(s.delivers, s.source, s.destination, p) &&
    !deliversConcretely(s.other, s.source, s.destination, p)
  );
}

/** The example with host addresses and a client port wherever the difference stays. */
export function preferredExample(s: Sides, packet: Packet): Packet {
  const steps: ((p: Packet) => Packet | undefined)[] = [
    (p) => withField(p, 'source', hostOf(s, s.source, p.family, s.space.src)),
    (p) => withField(p, 'destination', hostOf(s, s.destination, p.family, s.space.dst)),
    (p) =>
      p.sourcePort !== undefined && p.sourcePort !== CLIENT_PORT
        ? { ...p, sourcePort: CLIENT_PORT }
        : undefined,
  ];
  let current = packet;
  for (const step of steps) {
    const next = step(current);
    if (next && differs(s, next)) current = next;
  }
  return current;
}

function withField(
  p: Packet,
  field: 'source' | 'destination',
  value: string | undefined,
): Packet | undefined {
  return value === undefined || value === p[field] ? undefined : { ...p, [field]: value };
}

/** The endpoint's lowest host-like address on the delivering side (last octet or 16 bits neither 0 nor all ones). */
function hostOf(
  s: Sides,
  endpoint: string,
  family: Family,
  space: IntervalSet | undefined,
): string | undefined {
  const all = netIndex(s.delivers).addresses(endpoint, family);
  const set = space ? intersect(all, space) : all;
  const low = family === 4 ? 0xffn : 0xffffn;
  for (const [lo, hi] of set) {
    for (let v = lo; v <= hi && v < lo + 3n; v++) {
      const tail = v & low;
      if (tail !== 0n && tail !== low) return formatAddress({ family, value: v });
    }
  }
  return set[0] ? formatAddress({ family, value: set[0][0] }) : undefined;
}

/** The values at which some rule of either side starts or stops matching, per field. */
export interface Boundaries {
  ports: number[];
  icmpTypes: number[];
  protocols: number[];
}

export function boundariesOf(models: readonly NetworkModel[]): Boundaries {
  const ports = new Set([0, 65536]);
  // Echo replies (0, ICMPv6 129) are pieces of their own: they are never flows.
  const icmp = new Set([0, 1, 129, 130, 256]);
  // ICMP, TCP, UDP and ICMPv6 are never widened into "other protocols".
  const protocols = new Set([0, 256, 1, 2, 6, 7, 17, 18, 58, 59]);
  const rules = (d: DeviceModel): FilterRule[] => [...d.filters.flatMap((f) => f.rules), ...d.securityRules];
  for (const m of models) {
    for (const d of m.devices) {
      for (const r of rules(d)) {
        for (const range of r.match.destinationPorts ?? []) ports.add(range.from).add(range.to + 1);
        if (r.match.icmpType !== undefined) icmp.add(r.match.icmpType).add(r.match.icmpType + 1);
        if (r.match.protocol !== undefined) protocols.add(r.match.protocol).add(r.match.protocol + 1);
      }
    }
  }
  const sorted = (s: Set<number>): number[] => [...s].sort((a, b) => a - b);
  return { ports: sorted(ports), icmpTypes: sorted(icmp), protocols: sorted(protocols) };
}

const SPECIAL = new Set([1, 6, 17, 58]);

/**
 * The widest range [lo, hi] of the example's destination port (TCP, UDP), ICMP type (ICMP) or
 * protocol number (others) around its value in which every piece between two boundaries
 * still differs, the other fields kept.
 */
export function widen(s: Sides, p: Packet, kind: FlowKind, b: Boundaries): [number, number] {
  const field =
    kind === 'tcp' || kind === 'udp' ? 'destinationPort' : kind === 'other' ? 'protocol' : 'icmpType';
  const cuts = field === 'destinationPort' ? b.ports : field === 'icmpType' ? b.icmpTypes : b.protocols;
  const value = p[field] ?? 0;
  const i = cuts.findIndex((c, k) => c <= value && value < cuts[k + 1]!);
  if (i < 0) return [value, value];
  const ok = (k: number): boolean => {
    const rep = cuts[k]!;
    if (field === 'protocol' && SPECIAL.has(rep)) return false;
    if (field === 'icmpType' && rep === (p.family === 4 ? 0 : 129)) return false; // echo replies are not flows
    return differs(s, { ...p, [field]: rep });
  };
  let lo = i;
  while (lo > 0 && ok(lo - 1)) lo--;
  let hi = i;
  while (hi + 2 < cuts.length && ok(hi + 1)) hi++;
  return [cuts[lo]!, cuts[hi + 1]! - 1];
}

/** The permits on the first path that delivers the packet (by state never: flows open connections). */
export function admittedBy(s: Sides, p: Packet): RuleRef[] {
  const toDevice = netIndex(s.delivers).isDevice(s.destination);
  const trace = tracesFrom(s.delivers, s.source, p).find((t) =>
    toDevice ? t.outcome.kind === 'to-device' && t.outcome.device === s.destination : t.outcome.kind === 'delivered' || t.outcome.kind === 'same-segment',
  );
  if (!trace) return [];
  return trace.hops.flatMap((h) =>
    h.decisions
      .filter((d) => d.action === 'permit')
      .map((d) => ({
        device: h.device,
        stage: d.stage,
        filter: d.filter,
        ...(d.rule !== undefined ? { rule: d.rule } : {}),
        description: d.description,
        ...(d.origin ? { origin: d.origin } : {}),
      })),
  );
}

/** Where the other side stops the packet: its first path's end. */
export function stoppedBy(s: Sides, p: Packet): StopReason {
  const idx = netIndex(s.other);
  if (!isFlowEnd(idx, s.source) || !isFlowEnd(idx, s.destination)) return { kind: 'no-such-endpoint' };
  const src = parseAddress(p.source);
  if (!src || !idx.addresses(s.source, src.family).some(([lo, hi]) => lo <= src.value && src.value <= hi))
    return { kind: 'not-in-source' };
  const traces = tracesFrom(s.other, s.source, p);
  const t = traces.find((x) => x.outcome.kind === 'dropped') ?? traces[0];
  if (!t) return { kind: 'not-delivered' };
  const o = t.outcome;
  if (o.kind === 'dropped') {
    const hop = t.hops[t.hops.length - 1]!;
    const d = hop.decisions[hop.decisions.length - 1]!;
    const rule: RuleRef = {
      device: hop.device,
      stage: d.stage,
      filter: d.filter,
      ...(d.rule !== undefined ? { rule: d.rule } : {}),
      description: d.description,
      ...(d.origin ? { origin: d.origin } : {}),
    };
    return { kind: 'dropped', device: o.device, rule };
  }
  if (o.kind === 'no-route' || o.kind === 'discarded' || o.kind === 'to-device' || o.kind === 'lost' || o.kind === 'loop')
    return { kind: o.kind, device: o.device };
  return { kind: 'not-delivered' };
}

function tracesFrom(model: NetworkModel, source: string, p: Packet): Trace[] {
  const idx = netIndex(model);
  return idx.entries(source).flatMap((ingress) => simulate(model, p, { ingress }));
}
