// A counterexample as text: the packet, why it fails, and each path hop by hop (devices,
// interfaces, the FIB entry, each filter's decision with the intent line behind it).

import { match } from 'ts-pattern';
import type { Counterexample, FilterDecision, Hop, NatStep, Packet, Trace } from '../../verifier/verdict.js';

const PROTOCOLS: Record<number, string> = { 1: 'icmp', 6: 'tcp', 17: 'udp', 58: 'icmpv6' };

/** A protocol as the reports name it (`tcp`, `udp`, `icmp`, `icmpv6`, else `proto N`): verify and emulate alike. */
export function protocolName(protocol: number): string {
  return PROTOCOLS[protocol] ?? `proto ${protocol}`;
}

export function formatPacket(p: Packet): string {
  const proto = protocolName(p.protocol);
  const host = (a: string): string => (p.family === 6 ? `[${a}]` : a);
  if (p.protocol === 6 || p.protocol === 17) {
    const flags = p.tcpFlags ? ` [${p.tcpFlags.join(',')}]` : '';
    return `${proto} ${host(p.source)}:${p.sourcePort ?? 0} -> ${host(p.destination)}:${p.destinationPort ?? 0}${flags}`;
  }
  const icmp = p.icmpType !== undefined ? ` type ${p.icmpType}` : '';
  return `${proto}${icmp} ${p.source} -> ${p.destination}`;
}

/** The longest text of a device's config line a trace shows. */
const CONFIG_TEXT_MAX = 72;

/**
 * A filter's decision: the rule by its number in the list (as the JSON's `rule`), its
 * description, the intent line once (descriptions end with it already, `allow a -> b : ssh
 * (t.plumb:15)`), and, under it, the rule's line in the device's configuration, whose text starts
 * with the device's own sequence number or name for the rule.
 */
function formatDecision(d: FilterDecision): string[] {
  const where = stageText(d);
  const line = d.origin ? `${d.origin.file}:${d.origin.start.line}` : undefined;
  const description = line !== undefined && d.description.endsWith(` (${line})`) ? d.description.slice(0, -` (${line})`.length) : d.description;
  const rule = d.byState ? 'admitted by connection state' : d.rule !== undefined ? `rule ${d.rule} ${d.action}s: ${description}` : description;
  const out = [`${where}: ${rule}${line !== undefined ? `  (${line})` : ''}`];
  if (d.config && !d.byState) {
    const text = d.config.text.length > CONFIG_TEXT_MAX ? `${d.config.text.slice(0, CONFIG_TEXT_MAX - 1)}…` : d.config.text;
    out.push(`  config ${d.config.file}:${d.config.line}: ${text}`);
  }
  return out;
}

/** Where a decision was taken, as the traces name it. */
function stageText(d: FilterDecision): string {
  return match(d.stage)
    .with('security', () => 'security policy')
    .with('in', () => `inbound filter ${d.filter}`)
    .with('out', () => `outbound filter ${d.filter}`)
    .with('local', () => `local filter ${d.filter}`)
    .with('urpf', () => `uRPF ${d.filter}`)
    .with('state', () => 'connection state')
    .exhaustive();
}

const DROP_STAGES = { security: 'security policy', in: 'inbound filter', out: 'outbound filter', local: 'local filter', urpf: 'uRPF', state: 'unsolicited ICMP error, conntrack state invalid' } as const;

/** The local filter's rule that admitted a packet to the device, as `local filter \`local\`, rule 3`. */
function localAdmission(t: Trace): string {
  const d = t.hops[t.hops.length - 1]?.decisions.find((x) => x.stage === 'local');
  if (!d) return '';
  return ` (local filter \`${d.filter}\`, ${d.byState ? 'admitted by connection state' : d.rule !== undefined ? `rule ${d.rule}` : d.description})`;
}

function formatHop(h: Hop): string[] {
  const route = h.route
    ? `  route ${h.route.prefix} (${h.route.protocol})${h.route.nextHop.address ? ` next hop ${h.route.nextHop.address}` : ''}${h.route.nextHop.device ? ` [${h.route.nextHop.device}]` : ''}`
    : '';
  const head = `${h.device}  in ${h.ingress || '-'}${h.egress ? `  out ${h.egress}` : ''}${route}`;
  const nat = (h.translations ?? []).map((s) => `    ${formatNatStep(h.device, s)}`);
  return [head, ...nat, ...h.decisions.flatMap((d) => formatDecision(d).map((l) => `    ${l}`))];
}

/** One translation at a hop: `nat source 10.20.1.5 -> 100.64.20.5 (static, edge1: DESCRIPTION)  (file:line)`. */
export function formatNatStep(device: string, s: NatStep): string {
  const port = (p: number | undefined): string => (p !== undefined ? `:${p}` : '');
  const line = s.origin ? `  (${s.origin.file}:${s.origin.start.line})` : '';
  const kind = s.kind === 'restore' ? 'reply translated back' : s.kind;
  return `nat ${s.field} ${s.before}${port(s.beforePort)} -> ${s.after}${port(s.afterPort)} (${kind}, ${device}: ${s.description})${line}`;
}

export function formatOutcome(t: Trace): string {
  return match(t.outcome)
    .with({ kind: 'delivered' }, (o) => `delivered to ${o.endpoints.join(', ')} by ${o.device} ${o.interface}`)
    .with({ kind: 'dropped' }, (o) => `DROPPED at ${o.device} (${DROP_STAGES[o.stage]})`)
    .with({ kind: 'no-route' }, (o) => `NO ROUTE at ${o.device} (black hole)`)
    .with({ kind: 'discarded' }, (o) => `DISCARDED at ${o.device}: route ${o.prefix} to nowhere (null route)`)
    .with({ kind: 'to-device' }, (o) => `delivered to ${o.device} itself${localAdmission(t)}`)
    .with({ kind: 'lost' }, (o) => `LOST: leaves by ${o.device} ${o.interface}, where nothing owns the destination`)
    .with({ kind: 'loop' }, (o) => `LOOP: arrives again at ${o.device} ${o.interface}`)
    .with({ kind: 'same-segment' }, (o) => `delivered inside segment ${o.endpoint}`)
    .exhaustive();
}

function formatTraces(traces: readonly Trace[], indent: string): string[] {
  const out: string[] = [];
  traces.forEach((t, i) => {
    out.push(`${indent}path ${i + 1} of ${traces.length}, entering at ${t.entry.device} ${t.entry.interface || '-'}:`);
    for (const h of t.hops) out.push(...formatHop(h).map((l) => `${indent}  ${l}`));
    out.push(`${indent}  => ${formatOutcome(t)}`);
  });
  return out;
}

/** The counterexample's lines, each indented by `indent`. */
export function formatCounterexample(cx: Counterexample, indent = '    '): string[] {
  const out = [`${indent}packet: ${formatPacket(cx.packet)}`, `${indent}why: ${cx.summary}`, ...formatTraces(cx.traces, indent)];
  if (cx.reply) {
    out.push(`${indent}reply: ${formatPacket(cx.reply.packet)}`);
    out.push(...formatTraces(cx.reply.traces, indent));
  }
  return out;
}
