// Translation validation: are two DeviceModels of one device (the compiler's, and the one read
// back from the rendered or deployed configuration files) the same device? Every rule list in
// force — each interface's inbound and outbound filter, the local filter (packets to the device
// itself), and a firewall's zone policy for every pair of zones — is proven with Z3 to decide every packet alike, and everything else
// (interfaces, addresses, static routes, OSPF, BGP) is compared exactly (equivalence-config.ts).
// A difference comes as a concrete packet with the rule that decided it on each side (a realistic
// one: equivalence-example.ts), or as a concrete configuration item.

import type { DeviceModel, FilterModel } from '../compiler/model.js';
import type { Family } from '../language/address.js';
import type { Span } from '../language/diagnostic.js';
import { compareConfiguration, type ItemDifference } from './equivalence-config.js';
import {
  differenceQuery,
  identicalLists,
  ListMemo,
  outcomeOf,
  PASS_ALL,
  type FilterScope,
  type ListPair,
  type RuleDecision,
  type RuleList,
} from './equivalence-filters.js';
import { deviceHints, realisticExample, type PacketHints } from './equivalence-example.js';
import { FAMILIES } from './netindex.js';
import { parseOutput } from './results.js';
import { SolverPool } from './solver-pool.js';
import { scopedSolverPool } from './solver-scope.js';
import type { Packet } from './verdict.js';

export { EquivalenceBug, type FilterScope, type RuleDecision } from './equivalence-filters.js';
export type { ItemDifference } from './equivalence-config.js';

/** A packet that the two sides decide differently at one place of the device. */
export interface PacketDifference {
  kind: 'packet';
  scope: FilterScope;
  packet: Packet;
  expected: RuleDecision;
  actual: RuleDecision;
}

export type Difference = PacketDifference | ItemDifference;

export interface EquivalenceResult {
  device: string;
  /** True when no difference was found and every query was decided. */
  equivalent: boolean;
  /** Sorted: configuration items first, then packets by place. */
  differences: Difference[];
  /** Rule lists the solver could not decide (timeout, crash): neither proven nor refuted. */
  undecided: { scope: FilterScope; reason: string }[];
  stats: {
    /** Rule lists in force compared (per interface and direction, per zone pair). */
    lists: number;
    /** Of those, lists equal rule for rule (no query needed). */
    identical: number;
    /** SMT queries (one per list and address family; lists whose formulas coincide share one). */
    queries: number;
  };
}

export interface EquivalenceOptions {
  /** Per query; default 20 s. */
  timeoutMs?: number;
  /** Z3 workers when no pool is given; default 1. */
  workers?: number;
  /** A started pool to reuse (the caller closes it). */
  pool?: SolverPool;
  /**
   * Gives a started pool when some list needs the solver (the caller closes it): a caller that
   * checks devices a few at a time starts Z3 once, and not at all when every list is equal rule
   * for rule. Called with the number of queries of this call.
   */
  poolWhenNeeded?: (queries: number) => Promise<SolverPool>;
  /** Skip the solver for lists that are equal rule for rule (default true). */
  skipIdentical?: boolean;
  /** Where example packets come from (equivalence-example.ts); default: the expected device's own rules. */
  hints?: PacketHints;
}

const DEFAULT_TIMEOUT_MS = 20_000;
/** Most queries per call into Z3 (each call has a fixed cost). */
const BATCH = 24;

/** Z3 workers worth starting for `queries` queries, at most `workers`: one per batch of queries. */
export function poolSizeFor(queries: number, workers: number): number {
  return Math.max(1, Math.min(workers, Math.ceil(queries / BATCH)));
}

/** Proves or refutes that `actual` behaves exactly as `expected`. */
export async function checkEquivalence(expected: DeviceModel, actual: DeviceModel, opts: EquivalenceOptions = {}): Promise<EquivalenceResult> {
  const [result] = await checkEquivalences([{ expected, actual }], opts);
  return result!;
}

/** Several devices at once, sharing one pool of Z3 workers; results in the order given. */
export async function checkEquivalences(
  devices: readonly { expected: DeviceModel; actual: DeviceModel }[],
  opts: EquivalenceOptions = {},
): Promise<EquivalenceResult[]> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const skip = opts.skipIdentical ?? true;
  interface Query {
    device: number;
    pair: ListPair;
    family: Family;
    text: string;
  }
  const results: EquivalenceResult[] = [];
  const queries: Query[] = [];
  const asked = new Set<string>();
  const memo = new ListMemo();
  devices.forEach(({ expected, actual }, device) => {
    const pairs = listPairs(expected, actual);
    const queriesBefore = queries.length;
    let identical = 0;
    for (const pair of pairs) {
      if (skip && identicalLists(pair.expected, pair.actual, memo)) {
        identical++;
        continue;
      }
      for (const family of FAMILIES) {
        const text = differenceQuery(pair, family, timeoutMs);
        // Zone pairs whose rules resolve alike give the same formulas: one query answers them all.
        const key = `${device}\u0000${text}`;
        if (asked.has(key)) continue;
        asked.add(key);
        queries.push({ device, pair, family, text });
      }
    }
    results.push({
      device: expected.id,
      equivalent: true,
      differences: compareConfiguration(expected, actual),
      undecided: [],
      stats: { lists: pairs.length, identical, queries: queries.length - queriesBefore },
    });
  });
  if (queries.length > 0) {
    const hints = devices.map(({ expected }) => opts.hints ?? deviceHints(expected));
    const shared = opts.pool ?? scopedSolverPool() ?? (await opts.poolWhenNeeded?.(queries.length));
    const own = shared === undefined;
    const pool = shared ?? new SolverPool(poolSizeFor(queries.length, opts.workers ?? 1));
    try {
      if (own) await pool.start();
      const batches: Query[][] = [];
      for (let i = 0; i < queries.length; i += BATCH) batches.push(queries.slice(i, i + BATCH));
      // A pair refuted in one family needs no second packet: the first is reported.
      const reported = new Set<ListPair>();
      const answers = await Promise.all(batches.map((b) => pool.solve(b.map((q) => q.text).join('\n'), timeoutMs * b.length + 10_000)));
      batches.forEach((batch, i) => {
        const answer = answers[i]!;
        const sections = answer.ok ? parseOutput(answer.output, batch.length) : [];
        batch.forEach((q, j) => {
          const r = results[q.device]!;
          const outcome = answer.ok ? outcomeOf(q.pair, q.family, sections[j]) : { status: 'unknown' as const, reason: answer.reason };
          if (outcome.status === 'different' && !reported.has(q.pair)) {
            reported.add(q.pair);
            const shown = realisticExample(q.pair, outcome.packet, hints[q.device]!);
            r.differences.push({ kind: 'packet', scope: q.pair.scope, packet: shown.packet, expected: shown.expected, actual: shown.actual });
          } else if (outcome.status === 'unknown') {
            r.undecided.push({ scope: q.pair.scope, reason: outcome.reason });
          }
        });
      });
    } finally {
      if (own) await pool.close();
    }
  }
  for (const r of results) {
    r.differences.sort((a, b) => differenceOrder(a) - differenceOrder(b) || cmp(differenceKey(a), differenceKey(b)));
    r.equivalent = r.differences.length === 0 && r.undecided.length === 0;
  }
  return results;
}

const differenceOrder = (d: Difference): number => (d.kind === 'item' ? 0 : 1);
const differenceKey = (d: Difference): string => (d.kind === 'item' ? d.item : scopeText(d.scope));
const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Every rule list in force on the device, paired with its counterpart on the other side. */
export function listPairs(expected: DeviceModel, actual: DeviceModel): ListPair[] {
  const pairs: ListPair[] = [];
  const actualIfaces = new Map(actual.interfaces.map((i) => [i.name, i]));
  for (const e of expected.interfaces) {
    const a = actualIfaces.get(e.name);
    // An interface on one side only is a configuration difference (reported as an item).
    if (!a) continue;
    for (const direction of ['in', 'out'] as const) {
      const en = direction === 'in' ? e.filterIn : e.filterOut;
      const an = direction === 'in' ? a.filterIn : a.filterOut;
      if (en === undefined && an === undefined) continue;
      pairs.push({ scope: { kind: 'filter', interface: e.name, direction }, expected: boundList(expected.filters, en), actual: boundList(actual.filters, an) });
    }
  }
  if (expected.localFilter !== undefined || actual.localFilter !== undefined) {
    pairs.push({ scope: { kind: 'local' }, expected: boundList(expected.filters, expected.localFilter), actual: boundList(actual.filters, actual.localFilter) });
  }
  if (expected.zones.length > 0 || actual.zones.length > 0) {
    const zones = [...new Set([...zoneNames(expected), ...zoneNames(actual)])].sort();
    const policy = (d: DeviceModel): RuleList => (d.zones.length > 0 ? { name: 'security', rules: d.securityRules, defaultAction: 'deny' } : PASS_ALL);
    for (const fromZone of zones) {
      for (const toZone of zones) pairs.push({ scope: { kind: 'security', fromZone, toZone }, expected: policy(expected), actual: policy(actual) });
    }
  }
  return pairs;
}

function zoneNames(d: DeviceModel): string[] {
  return [...d.zones.map((z) => z.name), ...d.interfaces.flatMap((i) => (i.zone !== undefined ? [i.zone] : []))];
}

/** The list a bound name stands for; a name bound to no filter drops everything (as the simulator does). */
function boundList(filters: readonly FilterModel[], name: string | undefined): RuleList {
  if (name === undefined) return PASS_ALL;
  const f = filters.find((x) => x.name === name);
  return f ? { name, rules: f.rules, defaultAction: f.defaultAction } : { name, rules: [], defaultAction: 'deny' };
}

/** The config lines of rules, per list name (`security` for the zone policy), by rule index. */
export type RuleLines = Record<string, readonly (Span | undefined)[]>;

/** Adds the config line of the actual side's deciding rule to a packet difference, when known. */
export function withConfigLine(d: Difference, lines: RuleLines | undefined): Difference {
  if (d.kind !== 'packet' || !lines || d.actual.rule === undefined || d.actual.list === undefined) return d;
  const line = lines[d.actual.list]?.[d.actual.rule];
  return line ? { ...d, actual: { ...d.actual, configLine: line } } : d;
}

// ---- text ---------------------------------------------------------------------------------

export interface SideLabels {
  expected: string;
  actual: string;
}

export const MODEL_VS_CONFIG: SideLabels = { expected: 'the model', actual: 'the config' };

const PROTOCOLS: Record<number, string> = { 1: 'icmp', 6: 'tcp', 17: 'udp', 58: 'icmpv6' };

export function packetText(p: Packet): string {
  const proto = PROTOCOLS[p.protocol] ?? `proto ${p.protocol}`;
  const host = (a: string): string => (p.family === 6 ? `[${a}]` : a);
  if (p.protocol === 6 || p.protocol === 17) {
    const flags = p.tcpFlags ? ` [${p.tcpFlags.join(',')}]` : '';
    return `${proto} ${host(p.source)}:${p.sourcePort ?? 0} -> ${host(p.destination)}:${p.destinationPort ?? 0}${flags}`;
  }
  return `${proto}${p.icmpType !== undefined ? ` type ${p.icmpType}` : ''} ${p.source} -> ${p.destination}`;
}

export function scopeText(s: FilterScope): string {
  if (s.kind === 'local') return 'addressed to the device itself';
  return s.kind === 'filter'
    ? `${s.direction === 'in' ? 'entering by' : 'leaving by'} ${s.interface}`
    : `forwarded from zone ${s.fromZone} to zone ${s.toZone}`;
}

const spanText = (s: Span): string => `${s.file}:${s.start.line}`;

export function decisionText(d: RuleDecision): string {
  const verb = d.action === 'permit' ? 'admitted' : 'dropped';
  if (d.rule === undefined) return `${verb} (${d.description}${d.list !== undefined ? ` of ${d.list}` : ''})`;
  const line = d.configLine && (!d.origin || spanText(d.configLine) !== spanText(d.origin)) ? `, line ${d.configLine.start.line} of ${d.configLine.file}` : '';
  // Descriptions usually end with the intent line already: `allow a -> b : https (x.plumb:31)`.
  const origin = d.origin && !d.description.includes(spanText(d.origin)) ? `, ${spanText(d.origin)}${line}` : line;
  const what = d.description ? `: ${d.description}` : '';
  return `${verb} at rule ${d.rule + 1} of ${d.list ?? 'the list'}${what}${origin}`;
}

/** One sentence per difference, e.g. "this packet is admitted by the config but dropped by the model". */
export function differenceText(d: Difference, labels: SideLabels = MODEL_VS_CONFIG): string {
  if (d.kind === 'item') {
    const where = d.actualOrigin ? ` (${spanText(d.actualOrigin)})` : d.expectedOrigin ? ` (${spanText(d.expectedOrigin)})` : '';
    if (d.expected === undefined) return `${d.item} is in ${labels.actual} but not in ${labels.expected}${where}`;
    if (d.actual === undefined) return `${d.item} is in ${labels.expected} but not in ${labels.actual}${where}`;
    return `${d.item}: ${labels.actual} has ${d.actual}, ${labels.expected} has ${d.expected}${where}`;
  }
  const verb = (a: 'permit' | 'deny'): string => (a === 'permit' ? 'admitted' : 'dropped');
  return (
    `packet ${packetText(d.packet)} ${scopeText(d.scope)} is ${verb(d.actual.action)} by ${labels.actual} but ${verb(d.expected.action)} by ${labels.expected}: ` +
    `${labels.actual} ${decisionText(d.actual)}; ${labels.expected} ${decisionText(d.expected)}`
  );
}
