// The JSON reports the library returns: the objects the CLI prints with `--format json`
// (docs/cli.md), as plain data. Every result goes through `asJson`, the same well-formed JSON
// text the CLI writes read back, so that what a caller holds is exactly what the CLI prints and
// survives JSON.stringify/JSON.parse unchanged (no undefined fields, no lone surrogates).

import { withoutFix, type Diagnostic } from '../language/diagnostic.js';
import { renderJson } from '../language/render.js';
import { wellFormedJson } from '../language/safe-text.js';
import type { VerificationReport } from '../verifier/verdict.js';

export type { Counterexample, Verdict, VerificationReport } from '../verifier/verdict.js';
export type { Diagnostic, Span } from '../language/diagnostic.js';

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
  verdicts: VerificationReport['verdicts'];
  diagnostics: Omit<Diagnostic, 'fix'>[];
  stats: VerificationReport['stats'];
}

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

export function verifyReport(report: VerificationReport, diagnostics: readonly Diagnostic[]): VerifyReport {
  return asJson({ version: VERIFY_REPORT_VERSION, verdicts: report.verdicts, diagnostics: diagnostics.map(withoutFix), stats: report.stats });
}
