// Verification spread over CI machines: `plumb verify --shard K/N` proves the assertions whose
// index (in source order, from 0) is K-1 modulo N, and `plumb verify --merge REPORT...` joins
// the JSON reports of the N shards into the report and exit code of one unsharded run.

import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { compareDiagnostics, type Diagnostic } from '../../language/diagnostic.js';
import { visibleText } from '../../language/safe-text.js';
import type { FailureStats, VerificationReport, Verdict } from '../../verifier/verdict.js';
import { UsageError } from '../io.js';
import { REPORT_SCHEMA_VERSION } from './verdicts.js';

export interface Shard {
  /** From 1. */
  index: number;
  count: number;
}

/** Most shards of one run: more machines than this would each prove a handful of assertions. */
export const MAX_SHARDS = 1000;

/** `--shard K/N`: 1 <= K <= N <= MAX_SHARDS. */
export function parseShard(text: string): Shard {
  const m = /^([0-9]{1,4})\/([0-9]{1,4})$/.exec(text);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!(index >= 1 && count >= index && count <= MAX_SHARDS)) {
    throw new UsageError(`invalid --shard \`${visibleText(text)}\``, `give K/N with 1 <= K <= N <= ${MAX_SHARDS}, e.g. --shard 2/4 for the second of four machines`);
  }
  return { index, count };
}

/** Whether the assertion at this index (source order, from 0) belongs to the shard. */
export function inShard(shard: Shard, assertionIndex: number): boolean {
  return assertionIndex % shard.count === shard.index - 1;
}

/** What a shard's JSON report says about the run it is part of. */
export interface ShardInfo extends Shard {
  /** Assertions of the whole intent (all shards). */
  assertions: number;
}

interface ShardReport {
  file: string;
  shard: ShardInfo;
  report: VerificationReport;
}

const MAX_REPORT_BYTES = 256 * 1024 * 1024;

/** Reads the shards' JSON reports; every problem is a usage error naming the file. */
export function readShardReports(paths: readonly string[], cwd: string): ShardReport[] {
  return paths.map((p) => {
    const shown = visibleText(p);
    const abs = resolve(cwd, p);
    let data: unknown;
    try {
      const st = statSync(abs);
      if (!st.isFile()) throw new UsageError(`--merge: ${shown} is not a file`, 'give the JSON reports of `plumb verify --shard K/N --format json`');
      if (st.size > MAX_REPORT_BYTES) throw new UsageError(`--merge: ${shown} is larger than ${MAX_REPORT_BYTES / 1024 / 1024} MiB`, 'give the JSON reports of the shards');
      data = JSON.parse(readFileSync(abs, 'utf8'));
    } catch (err) {
      if (err instanceof UsageError) throw err;
      const code = (err as NodeJS.ErrnoException).code;
      throw new UsageError(`--merge: cannot read ${shown}: ${code ?? 'not valid JSON'}`, 'give the JSON reports of `plumb verify --shard K/N --format json`');
    }
    const r = data as { version?: unknown; shard?: ShardInfo; verdicts?: unknown; diagnostics?: unknown; stats?: unknown };
    if (r.version !== REPORT_SCHEMA_VERSION || !Array.isArray(r.verdicts) || !Array.isArray(r.diagnostics) || typeof r.stats !== 'object' || r.stats === null) {
      throw new UsageError(`--merge: ${shown} is not a plumb verify JSON report of version ${REPORT_SCHEMA_VERSION}`, 'write each shard\'s report with --format json or --json FILE, with this version of plumb');
    }
    const s = r.shard;
    if (!s || !Number.isInteger(s.index) || !Number.isInteger(s.count) || !Number.isInteger(s.assertions) || s.index < 1 || s.index > s.count) {
      throw new UsageError(`--merge: ${shown} is not the report of a shard`, 'give the reports of `plumb verify --shard K/N`');
    }
    return { file: shown, shard: s, report: { verdicts: r.verdicts as Verdict[], diagnostics: r.diagnostics as Diagnostic[], stats: r.stats as VerificationReport['stats'] } };
  });
}

/**
 * One report from the N shards: every shard present once, of the same run; verdicts back in
 * source order (shard K's j-th verdict is assertion K-1 + j*N); diagnostics once each (every
 * shard lints the whole network); counts summed, times as the slowest shard's (the shards run
 * side by side), failure budgets joined by name.
 */
export function mergeShards(shards: readonly ShardReport[]): VerificationReport {
  if (shards.length === 0) throw new UsageError('--merge needs the reports of the shards', 'e.g. plumb verify --merge shard-1.json shard-2.json');
  const { count, assertions } = shards[0]!.shard;
  const byIndex = new Map<number, ShardReport>();
  for (const s of shards) {
    if (s.shard.count !== count || s.shard.assertions !== assertions) {
      throw new UsageError(`--merge: ${s.file} is shard ${s.shard.index}/${s.shard.count} of ${s.shard.assertions} assertions, ${shards[0]!.file} ${shards[0]!.shard.index}/${count} of ${assertions}`, 'merge the shards of one run');
    }
    const twin = byIndex.get(s.shard.index);
    if (twin) throw new UsageError(`--merge: ${twin.file} and ${s.file} are both shard ${s.shard.index}/${count}`, 'give each shard once');
    byIndex.set(s.shard.index, s);
  }
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((k) => !byIndex.has(k));
  if (missing.length > 0) throw new UsageError(`--merge: shard${missing.length > 1 ? 's' : ''} ${missing.map((k) => `${k}/${count}`).join(', ')} missing`, 'a merged report must cover every assertion: give every shard\'s report');
  const verdicts: Verdict[] = new Array<Verdict>(assertions);
  for (const [k, s] of byIndex) {
    s.report.verdicts.forEach((v, j) => {
      const at = k - 1 + j * count;
      if (at >= assertions) throw new UsageError(`--merge: ${s.file} has more verdicts than shard ${k}/${count} of ${assertions} assertions`, 'merge the unedited reports of one run');
      verdicts[at] = v;
    });
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
