// The JSON reports the library returns: the objects the CLI prints with `--format json`
// (docs/cli.md), as plain data. Every result goes through `asJson`, the same well-formed JSON
// text the CLI writes read back, so that what a caller holds is exactly what the CLI prints and
// survives JSON.stringify/JSON.parse unchanged (no undefined fields, no lone surrogates).

import { withoutFix, type Diagnostic } from '../language/diagnostic.js';
import { renderJson } from '../language/render.js';
import { wellFormedJson } from '../language/safe-text.js';
import type { VerificationReport } from '../verifier/verdict.js';
import type { DeployedNetwork } from '../pipeline/deployed.js';
import type { ShardInfo } from './shards.js';

export type { Counterexample, Verdict, VerificationReport } from '../verifier/verdict.js';
export type { Diagnostic, Span } from '../language/diagnostic.js';
export type { ConfigLineRef } from '../backends/backend.js';
export type { KeyCheck } from '../pipeline/key-drift.js';

/** A position in a file: 1-based line and column, 0-based offset (UTF-16 code units). */
export interface JsonPosition {
  line: number;
  column: number;
  offset: number;
}

/** One diagnostic of `plumb check --format json` (and of `compile` and `render` results). */
export interface JsonDiagnostic {
  code: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
  file: string;
  start: JsonPosition;
  end: JsonPosition;
  hint: string | null;
  related: { message: string; file: string; start: JsonPosition; end: JsonPosition }[];
}

/** `plumb check --format json`: `version` 1. */
export interface CheckReport {
  version: number;
  summary: { errors: number; warnings: number; infos: number; omitted: number };
  diagnostics: JsonDiagnostic[];
}

/** `plumb verify --format json`: `version` 2; diagnostics as the verifier makes them (span, no fix). */
export interface VerifyReport {
  version: number;
  /** A shard's report (`shard` option, `--shard K/N`): which shard of how many assertions. */
  shard?: ShardInfo;
  verdicts: VerificationReport['verdicts'];
  diagnostics: Omit<Diagnostic, 'fix'>[];
  stats: VerificationReport['stats'];
  /** The drift check (`configs` option, `--configs`): what was compared, and the lines outside Plumb's scope. */
  configs?: DriftJson;
}

/** What the drift check compared and what it left alone: the data of the report's `configs`. */
export interface DriftReport {
  /** Absent when no deployed network was built (the diagnostics say why). */
  summary?: NonNullable<DeployedNetwork['summary']>;
  unmanaged: DeployedNetwork['unmanaged'];
}

/**
 * `configs` of `plumb verify --configs --format json`: devices read back, differences found,
 * how many devices from running configurations and the keys compared (absent when no deployed
 * network was built), and per device read from running configuration the lines not compared.
 */
export type DriftJson = Partial<NonNullable<DeployedNetwork['summary']>> & Pick<DriftReport, 'unmanaged'>;

/** The schema version of `plumb verify --format json` (docs/cli.md). */
export const VERIFY_REPORT_VERSION = 2;

/** The report of no verdicts: what an intent with errors, which proves nothing, reports. */
export function emptyVerificationReport(): VerificationReport {
  return {
    verdicts: [],
    diagnostics: [],
    stats: { assertions: 0, proven: 0, refuted: 0, unknown: 0, vacuous: 0, queries: 0, startupMillis: 0, totalMillis: 0, workers: 0, restarts: 0 },
  };
}

/** `value` as the CLI's JSON text gives it back. */
export function asJson<T>(value: T): T {
  return JSON.parse(wellFormedJson(value)) as T;
}

/** The check report of these diagnostics: language/render.ts is the one writer of its schema. */
export function checkReport(diagnostics: readonly Diagnostic[]): CheckReport {
  return JSON.parse(renderJson(diagnostics)) as CheckReport;
}

/** The diagnostics of a check report, for results that carry only diagnostics. */
export function jsonDiagnostics(diagnostics: readonly Diagnostic[]): JsonDiagnostic[] {
  return checkReport(diagnostics).diagnostics;
}

/** The JSON report of a proof, with the shard it was and the drift check's findings when there are. */
export function verifyReport(report: VerificationReport, diagnostics: readonly Diagnostic[], extra: { shard?: ShardInfo; configs?: DriftReport } = {}): VerifyReport {
  const { shard, configs } = extra;
  return asJson({
    version: VERIFY_REPORT_VERSION,
    ...(shard ? { shard } : {}),
    verdicts: report.verdicts,
    diagnostics: diagnostics.map(withoutFix),
    stats: report.stats,
    ...(configs ? { configs: { ...configs.summary, unmanaged: configs.unmanaged } } : {}),
  });
}
