// Flows that one network delivers and another does not: `diffFlows(old, new)` compares two
// NetworkModels pair of endpoints by pair of endpoints (segments, hosts and externals of either
// side, by name) and address family. For each pair whose delivery formulas differ
// (flow-diff-encode.ts: the verifier's own reading of delivery), Z3 is asked for a packet that
// NEW delivers and OLD does not (a newly allowed flow), and the reverse (a lost flow). Each
// packet found is confirmed by the simulator, made readable, widened to the range of ports (ICMP
// types, protocols) that behaves the same, explained (flow-diff-explain.ts), and blocked; the
// question is asked again, up to a bound. A flow is the first packet of a connection: TCP without
// ACK or RST, no ICMP echo reply, and no connection state on either side.

import type { NetworkModel } from '../compiler/model.js';
import { BITS, type Family } from '../language/address.js';
import {
  admittedBy,
  boundariesOf,
  differs,
  kindOf,
  preferredExample,
  stoppedBy,
  widen,
  type Boundaries,
  type FlowKind,
  type RuleRef,
  type Sides,
  type StopReason,
} from './flow-diff-explain.js';
import { deliveryFormula, isFlowEnd, type DeliveryFormula } from './flow-diff-encode.js';
import { TreeTooLarge } from './forwarding.js';
import { translates } from './nat.js';
import { intersect, isEmpty } from './intervals.js';
import { FAMILIES, type NetIndex } from './netindex.js';
import { blockFormula, cmp, mergeChanges, script } from './flow-diff-query.js';
import { packetFromValues, parseOutput } from './results.js';
import { netIndex } from './simulate.js';
import { and, inSet } from './smt.js';
import { SolverPool } from './solver-pool.js';
import { scopedSolverPool } from './solver-scope.js';
import type { Packet } from './verdict.js';

export type { FlowKind, RuleRef, StopReason } from './flow-diff-explain.js';

export interface FlowDiffOptions {
  /** Per query; default 30 s. */
  timeoutMs?: number;
  /** Most pairs of endpoints (with a family) whose delivery differs that are searched; default 500. */
  maxPairs?: number;
  /** Most changes found per pair, family and direction; default 12. */
  maxChanges?: number;
  /** Most ordered pairs of endpoints compared at all (in name order); default 20,000. */
  maxCompared?: number;
  /** Z3 workers when no pool is given (or scoped); default 2. */
  workers?: number;
  pool?: SolverPool;
}

export interface FlowChange {
  /** `allowed`: NEW delivers it and OLD does not; `blocked`: the reverse. */
  change: 'allowed' | 'blocked';
  source: string;
  destination: string;
  family: Family;
  protocol: FlowKind;
  /** TCP/UDP: destination ports; ICMP: types; other: protocol numbers. Sorted, disjoint. */
  ranges: [number, number][];
  /** One packet of the change, confirmed by the simulator on both sides. */
  example: Packet;
  /** The rules that admit the example on the side that delivers it. */
  admittedBy: RuleRef[];
  /** Where the other side stops the example. */
  stoppedBy: StopReason;
}

export interface FlowDiff {
  changes: FlowChange[];
  /** Pairs (with a family and direction) the solver could not decide. */
  undecided: {
    source: string;
    destination: string;
    family: Family;
    change: 'allowed' | 'blocked';
    reason: string;
  }[];
  /** Why the list may be incomplete (bounds reached), one sentence each; empty when it is complete. */
  truncated: string[];
  /** Ordered pairs of endpoints compared, and of those, pairs (with a family) whose formulas differ. */
  pairs: number;
  differing: number;
  queries: number;
}

export const DEFAULT_MAX_PAIRS = 500;
export const DEFAULT_MAX_CHANGES = 12;
export const DEFAULT_MAX_COMPARED = 20_000;
const DEFAULT_TIMEOUT_MS = 30_000;
const MAX_BATCH = 16;

/** Why a diff of networks that translate addresses lists no flows. */
export const NAT_NOT_COMPARED = 'flows are not compared: a device of one side translates addresses (NAT), which the flow comparison does not model yet';

/** Thrown when the simulator does not confirm a packet Z3 found: a bug in Plumb. */
export class FlowDiffBug extends Error {
  override name = 'FlowDiffBug';
}

interface Job {
  sides: Sides;
  /** `either`: whether the sides differ at all (then a job per direction follows). */
  change: 'allowed' | 'blocked' | 'either';
  family: Family;
  yes: DeliveryFormula;
  no: DeliveryFormula;
  /** The addresses the pair is compared on (commonSpace). */
  space: string;
  blocks: string[];
  found: FlowChange[];
  done: boolean;
}

export async function diffFlows(
  oldModel: NetworkModel,
  newModel: NetworkModel,
  options: FlowDiffOptions = {},
): Promise<FlowDiff> {
  const maxPairs = options.maxPairs ?? DEFAULT_MAX_PAIRS;
  const maxChanges = options.maxChanges ?? DEFAULT_MAX_CHANGES;
  const maxCompared = options.maxCompared ?? DEFAULT_MAX_COMPARED;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  // The delivery formulas (flow-diff-encode.ts) know no translation yet: no answer rather than a wrong one.
  if (translates(oldModel.devices) || translates(newModel.devices)) {
    return { changes: [], undecided: [], truncated: [NAT_NOT_COMPARED], pairs: 0, differing: 0, queries: 0 };
  }
  const oldIdx = netIndex(oldModel);
  const newIdx = netIndex(newModel);
  // From endpoints, to endpoints and devices: who may reach a device (`manage`, routing
  // sessions) changes too. What devices originate is the routing's own traffic, not listed.
  const sources = [...new Set([...oldModel.endpoints, ...newModel.endpoints].map((e) => e.name))].sort();
  const names = [...new Set([...sources, ...[...oldModel.devices, ...newModel.devices].map((d) => d.id)])].sort();
  const result: FlowDiff = { changes: [], undecided: [], truncated: [], pairs: 0, differing: 0, queries: 0 };
  const jobs: Job[] = [];
  let skipped = 0;
  let uncompared = 0;
  for (const a of sources) {
    for (const b of names) {
      if (a === b) continue;
      if (result.pairs >= maxCompared) {
        uncompared++;
        continue;
      }
      result.pairs++;
      for (const family of FAMILIES) {
        const common = commonSpace(oldIdx, newIdx, family, a, b);
        if (common === undefined) continue;
        const [space, sets] = common;
        let o: DeliveryFormula;
        let n: DeliveryFormula;
        try {
          o = deliveryFormula(oldIdx, family, a, b, 'o_', sets);
          n = deliveryFormula(newIdx, family, a, b, 'n_', sets);
        } catch (err) {
          if (!(err instanceof TreeTooLarge)) throw err;
          for (const change of ['allowed', 'blocked'] as const)
            result.undecided.push({ source: a, destination: b, family, change, reason: err.message });
          continue;
        }
        if (sameFormula(o, 'o_', n, 'n_')) continue;
        result.differing++;
        if (result.differing > maxPairs) {
          skipped++;
          continue;
        }
        // First one question for both directions; only a pair that differs asks each.
        jobs.push(
          job(
            { delivers: newModel, other: oldModel, source: a, destination: b, space: sets },
            family,
            'either',
            n,
            o,
            space,
          ),
        );
      }
    }
  }
  if (uncompared > 0) {
    result.truncated.push(
      `${uncompared} ordered pair(s) of endpoints were not compared (the bound is ${maxCompared} pairs)`,
    );
  }
  if (skipped > 0)
    result.truncated.push(
      `${skipped} pair(s) of endpoints whose reachability differs were not searched (the bound is ${maxPairs} pairs)`,
    );
  if (jobs.length === 0) return result;

  const bounds = boundariesOf([oldModel, newModel]);
  const shared = options.pool ?? scopedSolverPool();
  const pool = shared ?? new SolverPool(Math.max(1, Math.min(options.workers ?? 2, jobs.length)));
  const queriesBefore = pool.queries;
  try {
    if (!shared) await pool.start();
    for (let active = jobs; active.length > 0; active = jobs.filter((j) => !j.done)) {
      const batches: Job[][] = [];
      for (let i = 0; i < active.length; i += MAX_BATCH) batches.push(active.slice(i, i + MAX_BATCH));
      await Promise.all(
        batches.map((batch) =>
          solveRound(pool, batch, timeoutMs, bounds, maxChanges, result, (j) => jobs.push(j)),
        ),
      );
    }
  } finally {
    if (!shared) await pool.close();
  }
  result.queries = pool.queries - queriesBefore;
  result.changes = mergeChanges(jobs.flatMap((j) => j.found));
  result.undecided.sort(
    (x, y) =>
      cmp(x.source, y.source) ||
      cmp(x.destination, y.destination) ||
      x.family - y.family ||
      cmp(x.change, y.change),
  );
  result.truncated.sort();
  return result;
}

function job(
  sides: Sides,
  family: Family,
  change: Job['change'],
  yes: DeliveryFormula,
  no: DeliveryFormula,
  space: string,
): Job {
  return { sides, change, family, yes, no, space, blocks: [], found: [], done: false };
}

/**
 * The packets a pair is compared on: an endpoint on both sides counts only with the addresses
 * it has on both (an address that moved to another endpoint is that endpoint's flow, not a
 * change of this pair's); one on one side only, with its addresses there. Undefined when an
 * endpoint on both sides has no address of the family left on both.
 */
function commonSpace(
  oldIdx: NetIndex,
  newIdx: NetIndex,
  family: Family,
  a: string,
  b: string,
): [string, Sides['space']] | undefined {
  const w = BITS[family];
  const parts: string[] = [];
  const sets: Sides['space'] = {};
  for (const [name, field] of [
    [a, 'src'],
    [b, 'dst'],
  ] as const) {
    if (!isFlowEnd(oldIdx, name) || !isFlowEnd(newIdx, name)) continue;
    const both = intersect(oldIdx.addresses(name, family), newIdx.addresses(name, family));
    if (isEmpty(both)) return undefined;
    parts.push(inSet(field, both, w));
    sets[field] = both;
  }
  return [and(parts), sets];
}

/** The two sides' formulas are the same text up to their functions' prefixes: nothing differs. */
function sameFormula(a: DeliveryFormula, pa: string, b: DeliveryFormula, pb: string): boolean {
  const plain = (f: DeliveryFormula, p: string): string =>
    [...f.definitions, f.formula].join('\n').replaceAll(`${p}g`, 'g');
  return plain(a, pa) === plain(b, pb);
}

async function solveRound(
  pool: SolverPool,
  batch: Job[],
  timeoutMs: number,
  bounds: Boundaries,
  maxChanges: number,
  result: FlowDiff,
  spawn: (j: Job) => void,
): Promise<void> {
  const text = batch.map((j) => script(j, timeoutMs)).join('\n');
  const answer = await pool.solve(text, timeoutMs * batch.length + 10_000);
  const sections = answer.ok ? parseOutput(answer.output, batch.length) : [];
  batch.forEach((j, i) => {
    const s = sections[i];
    const undecided = (reason: string): void => {
      j.done = true;
      for (const change of j.change === 'either' ? (['allowed', 'blocked'] as const) : [j.change]) {
        result.undecided.push({
          source: j.sides.source,
          destination: j.sides.destination,
          family: j.family,
          change,
          reason,
        });
      }
    };
    if (!answer.ok) return undecided(answer.reason);
    if (!s) return undecided('the solver gave no answer');
    if (s.status === 'error') throw new FlowDiffBug(`the solver rejected a query: ${s.reason}`);
    if (s.status === 'unknown') return undecided(`the solver could not decide: ${s.reason}`);
    if (s.status === 'unsat') {
      j.done = true;
      return;
    }
    if (j.change === 'either') {
      j.done = true;
      const { delivers, other } = j.sides;
      spawn({ ...j, change: 'allowed', blocks: [], found: [], done: false });
      spawn({
        ...j,
        sides: { ...j.sides, delivers: other, other: delivers },
        change: 'blocked',
        yes: j.no,
        no: j.yes,
        blocks: [],
        found: [],
        done: false,
      });
      return;
    }
    const change = j.change;
    const found = packetFromValues(s.values, j.family, 'reach');
    if (!differs(j.sides, found)) {
      throw new FlowDiffBug(
        `the simulator does not confirm that ${j.sides.source} -> ${j.sides.destination} ${change === 'allowed' ? 'is newly allowed' : 'is lost'}: ${JSON.stringify(found)}`,
      );
    }
    j.found.push(explain(j, change, preferredExample(j.sides, found), bounds));
    j.blocks.push(blockFormula(j.found[j.found.length - 1]!));
    if (j.found.length >= maxChanges) {
      j.done = true;
      result.truncated.push(
        `${j.sides.source} -> ${j.sides.destination} (IPv${j.family}): more ${change === 'allowed' ? 'newly allowed' : 'lost'} flows may exist beyond the ${maxChanges} listed`,
      );
    }
  });
}

function explain(j: Job, change: FlowChange['change'], example: Packet, bounds: Boundaries): FlowChange {
  const protocol = kindOf(example.protocol, j.family);
  const [lo, hi] = widen(j.sides, example, protocol, bounds);
  // The example is the first packet of its range when that one differs too.
  const field =
    protocol === 'tcp' || protocol === 'udp'
      ? 'destinationPort'
      : protocol === 'other'
        ? 'protocol'
        : 'icmpType';
  const first = { ...example, [field]: lo };
  const shown = differs(j.sides, first) ? first : example;
  return {
    change,
    source: j.sides.source,
    destination: j.sides.destination,
    family: j.family,
    protocol,
    ranges: [[lo, hi]],
    example: shown,
    admittedBy: admittedBy(j.sides, shown),
    stoppedBy: stoppedBy(j.sides, shown),
  };
}
