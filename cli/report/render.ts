// One report in any of the formats of `plumb verify` and `plumb check`, from one proof (or from
// the diagnostics alone, for check): every format a run writes is rendered from the same data.

import { match } from 'ts-pattern';
import { hasErrors, type Diagnostic } from '../../language/diagnostic.js';
import { renderText } from '../../language/render.js';
import type { SourceText } from '../../pipeline/sources.js';
import type { VerificationReport } from '../../verifier/verdict.js';
import { configsJson, configsText, type ConfigsReport } from './drift.js';
import { renderGithub, renderJunit, renderSarif, renderVerdictsJson, renderVerdictsText, repositoryRoot, type UnverifiedAssertion } from './verdicts.js';

export const REPORT_FORMATS = ['text', 'json', 'sarif', 'junit', 'github'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface ReportInput {
  report: VerificationReport;
  diagnostics: Diagnostic[];
  sources: readonly SourceText[];
  /** The stated assertions when the intent has errors (nothing was proven). */
  unverified: readonly UnverifiedAssertion[];
  color: boolean;
  cwd: string;
  /** The tool's version, for SARIF. */
  version: string;
  /** The folder SARIF locations are relative to (default: repositoryRoot(cwd)). */
  root?: string;
  /** SARIF: also the proven assertions, as `pass` results. */
  sarifProven?: boolean;
  /** A shard's report (`verify --shard K/N`): the JSON says which, for `--merge`. */
  shard?: { index: number; count: number; assertions: number };
  /** `verify --configs`: what the drift check compared, and the unmanaged lines (cli/report/drift.ts). */
  configs?: ConfigsReport;
  /** Text: list every unmanaged line, not only their count. */
  verbose?: boolean;
}

/** A report of no verdicts: what `check`, and `verify` on an intent with errors, report. */
export const emptyReport = (): VerificationReport => ({
  verdicts: [],
  diagnostics: [],
  stats: { assertions: 0, proven: 0, refuted: 0, unknown: 0, vacuous: 0, queries: 0, startupMillis: 0, totalMillis: 0, workers: 0, restarts: 0 },
});

/** One format of the report; every format is rendered from the same proof. */
export function renderReport(format: ReportFormat, r: ReportInput): string {
  return match(format)
    .with('text', () => {
      const diagText = r.diagnostics.length > 0 ? renderText(r.diagnostics, r.sources, { color: r.color }) : '';
      const verdictText = r.report.verdicts.length > 0 || !hasErrors(r.diagnostics) ? renderVerdictsText(r.report, r.color) : '';
      return diagText + verdictText + failureSummary(r.report) + (r.configs ? configsText(r.configs, r.verbose === true) : '');
    })
    .with('json', () => renderVerdictsJson(r.report, r.diagnostics, r.shard, r.configs ? configsJson(r.configs) : undefined))
    .with('sarif', () => renderSarif(r.report, r.diagnostics, r.version, { root: r.root ?? repositoryRoot(r.cwd), cwd: r.cwd, ...(r.sarifProven ? { proven: true } : {}) }))
    .with('junit', () => renderJunit(r.report, r.diagnostics, r.unverified))
    .with('github', () => renderGithub(r.report, r.diagnostics))
    .exhaustive();
}


/** One line per failure budget: `survives any 1 failure: 12 of 14`. */
function failureSummary(report: VerificationReport): string {
  const lines = (report.stats.failures ?? []).map((f) => `survives ${f.budget}: ${f.survived} of ${f.assertions}`);
  return lines.map((l) => `${l}\n`).join('');
}
