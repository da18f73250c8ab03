// The simulator's NAT: one concrete packet rewritten by a device's rules (verifier/nat.ts), and a
// reply translated back by the connection its first packet opened. Each rewrite is recorded as a
// NatStep, so that a trace shows the addresses before and after.

import type { DeviceModel } from '../compiler/model.js';
import { formatAddress, parseAddress } from '../language/address.js';
import { contains } from './intervals.js';
import { natRules, reverse, rewriteAddress, stageOf, type NatDirection, type NatField } from './nat.js';
import type { NatStage } from '../language/platforms.js';
import type { Hop, NatStep, Packet, Trace } from './verdict.js';

const ADDRESS: Record<NatField, 'source' | 'destination'> = { source: 'source', destination: 'destination' };
const PORT: Record<NatField, 'sourcePort' | 'destinationPort'> = { source: 'sourcePort', destination: 'destinationPort' };

/** What the reply of a translated connection gets back at one device: the steps its first packet got there. */
export interface NatRestore {
  device: string;
  /** The direction the connection's first packet crossed the device in. */
  direction: NatDirection;
  steps: NatStep[];
}

/**
 * Rewrites the packet by the device's rules for a crossing in `dir` at `stage`: per field whose
 * platform stage it is, the first rule that applies. Returns the packet (the same object when
 * nothing applied) and the steps.
 */
export function translate(d: DeviceModel, dir: NatDirection, stage: NatStage, packet: Packet): { packet: Packet; steps: NatStep[] } {
  let p = packet;
  const steps: NatStep[] = [];
  for (const field of ['destination', 'source'] as const) {
    if (stageOf(d, dir, field) !== stage) continue;
    const a = parseAddress(p[ADDRESS[field]]);
    if (!a) continue;
    const port = p[PORT[field]];
    const rule = natRules(d, dir, field, a.family).find(
      (r) => contains(r.from, a.value) && (!r.service || (r.service.protocol === p.protocol && r.service.port === port)),
    );
    if (!rule) continue;
    const after = formatAddress({ family: a.family, value: rewriteAddress(rule, a.value) });
    const newPort = rule.service?.newPort;
    const portChanges = newPort !== undefined && newPort !== port;
    p = { ...p, [ADDRESS[field]]: after, ...(portChanges ? { [PORT[field]]: newPort } : {}) };
    const t = rule.translation;
    steps.push({
      field,
      kind: t.kind,
      before: formatAddress(a),
      after,
      ...(portChanges ? { beforePort: port, afterPort: newPort } : {}),
      description: t.description,
      origin: t.origin,
    });
  }
  return { packet: p, steps };
}

/**
 * Translates a reply back at a device its connection's first packet was translated at: each
 * step undone on the swapped field (the first packet's source is the reply's destination, set
 * back to what it was there), at the stage where the platform rewrites that field of packets
 * crossing the other way.
 */
export function restore(d: DeviceModel, r: NatRestore, stage: NatStage, packet: Packet): { packet: Packet; steps: NatStep[] } {
  let p = packet;
  const steps: NatStep[] = [];
  const dir = reverse(r.direction);
  for (const s of r.steps) {
    const field: NatField = s.field === 'source' ? 'destination' : 'source';
    if (stageOf(d, dir, field) !== stage) continue;
    const was = p[ADDRESS[field]];
    const port = p[PORT[field]];
    const portChanges = s.beforePort !== undefined;
    p = { ...p, [ADDRESS[field]]: s.before, ...(portChanges ? { [PORT[field]]: s.beforePort } : {}) };
    steps.push({
      field,
      kind: 'restore',
      before: was,
      after: s.before,
      ...(portChanges ? { beforePort: port, afterPort: s.beforePort } : {}),
      description: s.description,
      ...(s.origin ? { origin: s.origin } : {}),
    });
  }
  return { packet: p, steps };
}

/** What a reply of the trace's packet gets translated back by: the translations of its hops. */
export function restoresOf(trace: Trace, directionAt: (hop: Hop) => NatDirection | undefined): NatRestore[] {
  const out: NatRestore[] = [];
  for (const h of trace.hops) {
    const steps = (h.translations ?? []).filter((s) => s.kind !== 'restore');
    const direction = directionAt(h);
    if (steps.length > 0 && direction) out.push({ device: h.device, direction, steps });
  }
  return out;
}
