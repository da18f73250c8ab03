// The text of flow-diff.ts's questions to Z3 (one self-contained section each, as the verifier's
// queries are), the exclusion of a change already found, and the merge of the changes found into
// the sorted summary.

import type { Family } from '../language/address.js';
import type { FlowKind } from './flow-diff-explain.js';
import type { DeliveryFormula } from './flow-diff-encode.js';
import type { FlowChange } from './flow-diff.js';
import { VALUE_NAMES } from './queries.js';
import type { RuleRef } from './flow-diff-explain.js';
import { bv, packetDeclarations } from './smt.js';
import type { Packet } from './verdict.js';

/** What a section needs of a job. */
export interface QueryJob {
  change: 'allowed' | 'blocked' | 'either';
  family: Family;
  yes: DeliveryFormula;
  no: DeliveryFormula;
  space: string;
  blocks: readonly string[];
}

/** "Not this change again": its protocol and range. */
export function blockFormula(c: FlowChange): string {
  const [lo, hi] = c.ranges[0]!;
  const range = (v: string, width: number): string =>
    `(and (bvuge ${v} ${bv(lo, width)}) (bvule ${v} ${bv(hi, width)}))`;
  if (c.protocol === 'other') return range('proto', 8);
  const proto = `(= proto ${bv(c.example.protocol, 8)})`;
  return c.protocol === 'tcp' || c.protocol === 'udp'
    ? `(and ${proto} ${range('dport', 16)})`
    : `(and ${proto} ${range('icmp', 8)})`;
}

/** One self-contained section: the question of a job (flow-diff.ts) with its exclusions. */
export function script(j: QueryJob, timeoutMs: number): string {
  const noProto = j.family === 4 ? '#x3a' : '#x01';
  return [
    '(reset)',
    '(set-option :random-seed 0)',
    `(set-option :timeout ${timeoutMs})`,
    '(set-option :produce-models true)',
    ...packetDeclarations(j.family),
    ...j.yes.definitions,
    ...j.no.definitions,
    // The first packet of a connection: no ACK or RST, no echo reply, no other family's ICMP.
    '(assert (not est))',
    '(assert (not (or (and (= proto #x01) (= icmp #x00)) (and (= proto #x3a) (= icmp #x81)))))',
    `(assert (not (= proto ${noProto})))`,
    `(assert ${j.space})`,
    ...(j.change === 'either'
      ? [`(assert (distinct ${j.yes.formula} ${j.no.formula}))`]
      : [`(assert ${j.yes.formula})`, `(assert (not ${j.no.formula}))`]),
    ...j.blocks.map((b) => `(assert (not ${b}))`),
    '(check-sat)',
    '(echo "@reason")',
    '(get-info :reason-unknown)',
    '(echo "@values")',
    `(get-value (${VALUE_NAMES.join(' ')}))`,
    '(echo "@end")',
  ].join('\n');
}

const KINDS: FlowKind[] = ['tcp', 'udp', 'icmp', 'icmpv6', 'other'];

/** Changes of one pair, family, protocol and explanation become one, their ranges joined; sorted. */
export function mergeChanges(changes: FlowChange[]): FlowChange[] {
  const groups = new Map<string, FlowChange>();
  for (const c of changes) {
    // Rules count by where they are and the intent line they enforce, not by their index.
    const rule = (r: RuleRef | undefined): unknown =>
      r && [r.device, r.stage, r.filter, r.description, r.origin?.file, r.origin?.start.line];
    const key = JSON.stringify([
      c.change,
      c.source,
      c.destination,
      c.family,
      c.protocol,
      c.admittedBy.map(rule),
      c.stoppedBy.kind,
      c.stoppedBy.device,
      rule(c.stoppedBy.rule),
    ]);
    const known = groups.get(key);
    if (!known) {
      groups.set(key, { ...c, ranges: [...c.ranges] });
      continue;
    }
    known.ranges = joinRanges([...known.ranges, ...c.ranges]);
    if (c.ranges[0]![0] < rangeOf(known.example, known.protocol)) known.example = c.example;
  }
  return [...groups.values()].sort(
    (x, y) =>
      cmp(x.change, y.change) ||
      cmp(x.source, y.source) ||
      cmp(x.destination, y.destination) ||
      x.family - y.family ||
      KINDS.indexOf(x.protocol) - KINDS.indexOf(y.protocol) ||
      x.ranges[0]![0] - y.ranges[0]![0],
  );
}

function rangeOf(p: Packet, kind: FlowKind): number {
  return (
    (kind === 'tcp' || kind === 'udp' ? p.destinationPort : kind === 'other' ? p.protocol : p.icmpType) ?? 0
  );
}

function joinRanges(ranges: [number, number][]): [number, number][] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [lo, hi] of sorted) {
    const last = out[out.length - 1];
    if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}

export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
