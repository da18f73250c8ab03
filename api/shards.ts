// Verification spread over CI machines: shard K of N proves the assertions whose index (in
// source order, from 0) is K-1 modulo N, and the N shards' JSON reports join into the report of
// one unsharded run (`plumb verify --shard K/N`, `plumb verify --merge`). Also the sum of the
// reports of several intents proven one after another (`plumb verify --each`). Problems are
// values: the CLI turns them into its usage errors, a library caller gets them as `inputProblem`.

import { compareDiagnostics, type Diagnostic } from '../language/diagnostic.js';
import { visibleText } from '../language/safe-text.js';
import type { FailureStats, VerificationReport, Verdict } from '../verifier/verdict.js';
import type { InputProblem } from './input.js';
import { VERIFY_REPORT_VERSION } from './reports.js';

export interface Shard {
  /** From 1. */
  index: number;
  count: number;
}

/** What a shard's JSON report says about the run it is part of. */
export interface ShardInfo extends Shard {
  /** Assertions of the whole intent (all shards). */
  assertions: number;
}

/** Most shards of one run: more machines than this would each prove a handful of assertions. */
export const MAX_SHARDS = 1000;

/** Whether K/N is a shard: 1 <= K <= N <= MAX_SHARDS, whole numbers. */
export function isShard(s: Shard): boolean {
  return Number.isInteger(s.index) && Number.isInteger(s.count) && s.index >= 1 && s.count >= s.index && s.count <= MAX_SHARDS;
}

/** Whether the assertion at this index (source order, from 0) belongs to the shard. */
export function inShard(shard: Shard, assertionIndex: number): boolean {
  return assertionIndex % shard.count === shard.index - 1;
}

/** One shard's report, named as problems name it (its file, or its place in a list). */
export interface ShardReport {
  name: string;
  shard: ShardInfo;
  report: VerificationReport;
}

const HINT_REPORTS = 'give the JSON reports of `plumb verify --shard K/N --format json`';

/** A parsed JSON value as a shard's report, or why it is not one. */
export function shardReportOf(name: string, data: unknown): ShardReport | { problem: InputProblem } {
  const shown = visibleText(name);
  const r = (typeof data === 'object' && data !== null ? data : {}) as { version?: unknown; shard?: ShardInfo; verdicts?: unknown; diagnostics?: unknown; stats?: unknown };
  if (r.version !== VERIFY_REPORT_VERSION || !Array.isArray(r.verdicts) || !Array.isArray(r.diagnostics) || typeof r.stats !== 'object' || r.stats === null) {
    return { problem: { message: `${shown} is not a plumb verify JSON report of version ${VERIFY_REPORT_VERSION}`, hint: 'write each shard\'s report with --format json or --json FILE, with this version of plumb' } };
  }
  const s = r.shard;
  if (typeof s !== 'object' || s === null || !Number.isInteger(s.index) || !Number.isInteger(s.count) || !Number.isInteger(s.assertions) || s.index < 1 || s.index > s.count) {
    return { problem: { message: `${shown} is not the report of a shard`, hint: 'give the reports of `plumb verify --shard K/N`' } };
  }
  return { name: shown, shard: s, report: { verdicts: r.verdicts as Verdict[], diagnostics: r.diagnostics as Diagnostic[], stats: r.stats as VerificationReport['stats'] } };
}

/**
 * One report from the N shards: every shard present once, of the same run; verdicts back in
 * source order (shard K's j-th verdict is assertion K-1 + j*N); diagnostics once each (every
 * shard lints the whole network); counts summed, times as the slowest shard's (the shards run
 * side by side), failure budgets joined by name.
 */
export function mergeShards(shards: readonly ShardReport[]): VerificationReport | { problem: InputProblem } {
  const first = shards[0];
  if (!first) return { problem: { message: 'no shard reports to merge', hint: HINT_REPORTS } };
  const { count, assertions } = first.shard;
  const byIndex = new Map<number, ShardReport>();
  for (const s of shards) {
    if (s.shard.count !== count || s.shard.assertions !== assertions) {
      return { problem: { message: `${s.name} is shard ${s.shard.index}/${s.shard.count} of ${s.shard.assertions} assertions, ${first.name} ${first.shard.index}/${count} of ${assertions}`, hint: 'merge the shards of one run' } };
    }
    const twin = byIndex.get(s.shard.index);
    if (twin) return { problem: { message: `${twin.name} and ${s.name} are both shard ${s.shard.index}/${count}`, hint: 'give each shard once' } };
    byIndex.set(s.shard.index, s);
  }
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((k) => !byIndex.has(k));
  if (missing.length > 0) {
    return { problem: { message: `shard${missing.length > 1 ? 's' : ''} ${missing.map((k) => `${k}/${count}`).join(', ')} missing`, hint: 'a merged report must cover every assertion: give every shard\'s report' } };
  }
  const verdicts: Verdict[] = new Array<Verdict>(assertions);
  for (const [k, s] of byIndex) {
    for (const [j, v] of s.report.verdicts.entries()) {
      const at = k - 1 + j * count;
      if (at >= assertions) return { problem: { message: `${s.name} has more verdicts than shard ${k}/${count} of ${assertions} assertions`, hint: 'merge the unedited reports of one run' } };
      verdicts[at] = v;
    }
  }
  const present = verdicts.filter((v) => v !== undefined);
  const seen = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  for (const s of shards) {
    for (const d of s.report.diagnostics) {
      const key = JSON.stringify(d);
      if (!seen.has(key)) {
        seen.add(key);
        diagnostics.push(d);
      }
    }
  }
  diagnostics.sort(compareDiagnostics);
  return { verdicts: present, diagnostics, stats: sumStats(shards.map((s) => s.report.stats), 'max') };
}

/**
 * Reports of several runs as one: verdicts and diagnostics in the given order, counts summed,
 * times summed (`sum`: the runs came one after another) or the longest (`max`: side by side),
 * failure budgets joined by name.
 */
export function sumReports(reports: readonly VerificationReport[], times: 'sum' | 'max' = 'sum'): VerificationReport {
  return { verdicts: reports.flatMap((r) => r.verdicts), diagnostics: reports.flatMap((r) => r.diagnostics), stats: sumStats(reports.map((r) => r.stats), times) };
}

function sumStats(stats: readonly VerificationReport['stats'][], times: 'sum' | 'max'): VerificationReport['stats'] {
  const sum = (f: (x: VerificationReport['stats']) => number): number => stats.reduce((a, x) => a + f(x), 0);
  const max = (f: (x: VerificationReport['stats']) => number): number => stats.reduce((a, x) => Math.max(a, f(x)), 0);
  const time = times === 'sum' ? sum : max;
  const budgets = new Map<string, FailureStats>();
  for (const x of stats) {
    for (const b of x.failures ?? []) {
      const e = budgets.get(b.budget) ?? { budget: b.budget, survived: 0, assertions: 0 };
      e.survived += b.survived;
      e.assertions += b.assertions;
      budgets.set(b.budget, e);
    }
  }
  const anyFailures = stats.some((x) => x.failures !== undefined);
  return {
    assertions: sum((x) => x.assertions),
    proven: sum((x) => x.proven),
    refuted: sum((x) => x.refuted),
    unknown: sum((x) => x.unknown),
    vacuous: sum((x) => x.vacuous),
    queries: sum((x) => x.queries),
    startupMillis: time((x) => x.startupMillis),
    totalMillis: time((x) => x.totalMillis),
    workers: max((x) => x.workers),
    restarts: sum((x) => x.restarts),
    ...(anyFailures ? { failures: [...budgets.values()].sort((a, b) => (a.budget < b.budget ? -1 : a.budget > b.budget ? 1 : 0)), failedNetworks: time((x) => x.failedNetworks ?? 0) } : {}),
  };
}
