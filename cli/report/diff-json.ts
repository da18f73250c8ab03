// `plumb diff --format json`: the report as data. Spans become `{ file, line }`; everything else
// is as pipeline/diff.ts returns it (sorted, no timestamps, no timings).

import type { Diagnostic, Span } from '../../language/diagnostic.js';
import { wellFormedJson } from '../../language/safe-text.js';
import type { DiffReport } from '../../pipeline/diff.js';
import type { RuleRef } from '../../verifier/flow-diff.js';

export const DIFF_SCHEMA_VERSION = 1;

const at = (s: Span | undefined): { file: string; line: number } | undefined =>
  s ? { file: s.file, line: s.start.line } : undefined;

const rule = (r: RuleRef): unknown => ({ ...r, origin: at(r.origin) });

export function renderDiffJson(r: DiffReport, labels: { old: string; new: string }): string {
  return `${wellFormedJson({
    version: DIFF_SCHEMA_VERSION,
    old: labels.old,
    new: labels.new,
    flows: {
      changes: r.flows.changes.map((c) => ({
        ...c,
        admittedBy: c.admittedBy.map(rule),
        stoppedBy: { ...c.stoppedBy, ...(c.stoppedBy.rule ? { rule: rule(c.stoppedBy.rule) } : {}) },
      })),
      undecided: r.flows.undecided,
      truncated: r.flows.truncated,
      pairs: r.flows.pairs,
    },
    assertions: r.assertions,
    routes: r.routes,
    configs: r.configs,
    diagnostics: { old: r.oldDiagnostics.map(diag), new: r.newDiagnostics.map(diag) },
  })}\n`;
}

/** Either side's errors: what stopped the comparison. */
export function renderDiffErrorsJson(
  old: readonly Diagnostic[],
  now: readonly Diagnostic[],
  labels: { old: string; new: string },
): string {
  return `${wellFormedJson({ version: DIFF_SCHEMA_VERSION, old: labels.old, new: labels.new, errors: true, diagnostics: { old: old.map(diag), new: now.map(diag) } })}\n`;
}

function diag(d: Diagnostic): unknown {
  return {
    code: d.code,
    severity: d.severity,
    message: d.message,
    file: d.span.file,
    line: d.span.start.line,
    column: d.span.start.column,
  };
}
