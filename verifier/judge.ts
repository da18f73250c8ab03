// Concrete judgement of one packet against an assertion's meaning, with the simulator: does this
// connection get delivered (and its reply back), is this packet kept out, does it pass D?
// Confirms every counterexample the SMT queries find, and is the oracle of the brute-force tests.

import { match } from 'ts-pattern';
import type { NetworkModel } from '../compiler/model.js';
import { parseAddress } from '../language/address.js';
import { contains } from './intervals.js';
import { deliveredTo, natRestoresOf, netIndex, replyOf, simulate, statefulOn } from './simulate.js';
import type { Ingress, Packet, Trace } from './verdict.js';

/** An assertion's endpoints, expanded (no `any`). */
export interface Flow {
  sources: readonly string[];
  destinations: readonly string[];
}

export interface Judgement {
  holds: boolean;
  /** Why it fails (empty when it holds). */
  summary: string;
  traces: Trace[];
  reply?: { packet: Packet; traces: Trace[] };
}

/** Where a packet from `address` enters: the entries of the flow's endpoints that contain it. */
export function entriesOf(model: NetworkModel, endpoints: readonly string[], address: string): Ingress[] {
  const idx = netIndex(model);
  const a = parseAddress(address);
  if (!a) return [];
  const out = new Map<string, Ingress>();
  for (const e of endpoints) {
    if (!contains(idx.addresses(e, a.family), a.value)) continue;
    for (const i of idx.entries(e)) out.set(`${i.device}\u0000${i.interface}`, i);
  }
  return [...out.values()].sort((x, y) => (x.device < y.device ? -1 : x.device > y.device ? 1 : x.interface < y.interface ? -1 : x.interface > y.interface ? 1 : 0));
}

function traceAll(model: NetworkModel, packet: Packet, entries: readonly Ingress[], admittedBy?: readonly string[]): Trace[] {
  return entries.flatMap((ingress) => simulate(model, packet, { ingress, ...(admittedBy ? { admittedBy } : {}) }));
}

export function judgeReach(model: NetworkModel, flow: Flow, packet: Packet, via?: string): Judgement {
  const entries = entriesOf(model, flow.sources, packet.source);
  const traces = traceAll(model, packet, entries);
  if (traces.length === 0) return { holds: false, summary: 'the packet has no place to enter the network', traces };
  for (const t of traces) {
    if (!deliveredTo(model, t, flow.destinations)) return { holds: false, summary: `the packet ${describeOutcome(t)}`, traces };
  }
  if (via !== undefined) {
    const avoiding = traces.find((t) => !t.hops.some((h) => h.device === via));
    if (avoiding) return { holds: false, summary: `the packet is delivered on a path that avoids ${via}`, traces };
  }
  // Each path's reply answers the packet as it arrived (translated on the way), and is translated back where it was.
  let shown: Packet | undefined;
  const replyTraces: Trace[] = [];
  for (const t of traces) {
    const reply = replyOf(t.translated ?? packet);
    if (!reply) continue;
    shown ??= reply;
    const restores = natRestoresOf(model, t);
    const rs = entriesOf(model, flow.destinations, reply.source).flatMap((ingress) =>
      simulate(model, reply, { ingress, admittedBy: statefulOn(model, t), ...(restores.length > 0 ? { restores } : {}) }),
    );
    replyTraces.push(...rs);
    if (rs.length === 0) return { holds: false, summary: 'the reply has no place to enter the network', traces, reply: { packet: reply, traces: rs } };
    const bad = rs.find((r) => !deliveredTo(model, r, flow.sources));
    if (bad) return { holds: false, summary: `the reply ${describeOutcome(bad)}`, traces, reply: { packet: reply, traces: rs } };
  }
  if (!shown) return { holds: true, summary: '', traces };
  return { holds: true, summary: '', traces, reply: { packet: shown, traces: replyTraces } };
}

/** Isolation holds for this packet when no path delivers it to the destinations. */
export function judgeIsolate(model: NetworkModel, flow: Flow, packet: Packet): Judgement {
  const traces = traceAll(model, packet, entriesOf(model, flow.sources, packet.source));
  const leak = traces.find((t) => deliveredTo(model, t, flow.destinations));
  if (leak) {
    const o = leak.outcome;
    const where = o.kind === 'delivered' ? ` by ${o.device} ${o.interface}` : o.kind === 'to-device' ? ` to ${o.device} itself${localRule(leak)}` : ' inside its segment';
    return { holds: false, summary: `the packet is delivered${where}`, traces };
  }
  return { holds: true, summary: '', traces };
}

export function describeOutcome(t: Trace): string {
  return match(t.outcome)
    .with({ kind: 'delivered' }, (o) => `leaves by ${o.device} ${o.interface} to ${o.endpoints.join(', ')}, not to the destination`)
    .with({ kind: 'dropped' }, (o) => {
      const last = t.hops[t.hops.length - 1];
      const dec = last?.decisions[last.decisions.length - 1];
      const rule = dec ? (dec.rule !== undefined ? ` rule ${dec.rule} (${dec.description})` : ` (${dec.description})`) : '';
      if (o.stage === 'urpf') return `is dropped at ${o.device} by uRPF${dec ? ` (${dec.description})` : ''}`;
      if (o.stage === 'state') return `is dropped at ${o.device}: ${dec?.description ?? 'connection state invalid'}`;
      return `is dropped at ${o.device} by its ${STAGE_NAMES[o.stage]}${rule}`;
    })
    .with({ kind: 'no-route' }, (o) => `has no route at ${o.device} (black hole)`)
    .with({ kind: 'discarded' }, (o) => `is discarded at ${o.device}: route ${o.prefix} to nowhere (null route)`)
    .with({ kind: 'to-device' }, (o) => `is delivered to ${o.device} itself${localRule(t)}`)
    .with({ kind: 'lost' }, (o) => `leaves by ${o.device} ${o.interface}, where nothing owns its destination`)
    .with({ kind: 'loop' }, (o) => `loops (arrives twice at ${o.device} ${o.interface})`)
    .with({ kind: 'same-segment' }, (o) => `stays inside segment ${o.endpoint}`)
    .exhaustive();
}

const STAGE_NAMES = { in: 'inbound filter', out: 'outbound filter', security: 'security policy', local: 'local filter' } as const;

/** The local filter's rule that admitted a packet delivered to a device, as ` (local filter `local`, rule 3)`. */
function localRule(t: Trace): string {
  const dec = t.hops[t.hops.length - 1]?.decisions.find((d) => d.stage === 'local');
  if (!dec) return '';
  if (dec.byState) return ` (local filter \`${dec.filter}\`, admitted by connection state)`;
  return ` (local filter \`${dec.filter}\`, ${dec.rule !== undefined ? `rule ${dec.rule}: ${dec.description}` : dec.description})`;
}
