// Verification reports in every output format: text for a terminal, JSON, SARIF 2.1.0, JUnit
// XML and GitHub workflow annotations. Failures point at the `assert` line. Text from the input
// (assertion text, file names, reasons, counterexamples that name config lines) is escaped for
// each format by language/safe-text.ts and ./escape.ts.

import { withoutFix, type Diagnostic } from '../../language/diagnostic.js';
import { diagnosticAnchor, diagnosticInfo } from '../../language/diagnostics/index.js';
import { visibleText, wellFormedJson } from '../../language/safe-text.js';
import type { Verdict, VerificationReport } from '../../verifier/verdict.js';
import { formatCounterexample } from './counterexample.js';
import { githubData, githubProperty, sarifUri, xmlAttribute, xmlText } from './escape.js';

/** 2: a decision's `rule` counts from 1 (as the text), verdicts may be `vacuous` and list their `families`, decisions may carry `config`. */
export const REPORT_SCHEMA_VERSION = 2;

const seconds = (ms: number): string => (ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`);

export function verdictLine(v: Verdict, color: boolean): string {
  const paint = (code: string, s: string): string => (color ? `\u001b[1m\u001b[${code}m${s}\u001b[0m` : s);
  const status =
    v.status === 'proven' ? paint('32', 'proven ') : v.status === 'refuted' ? paint('31', 'REFUTED') : v.status === 'vacuous' ? paint('36', 'vacuous') : paint('33', 'UNKNOWN');
  const where = `${visibleText(v.assertion.origin.file)}:${v.assertion.origin.start.line}`;
  return `${status}  ${visibleText(v.assertion.text)}  (${seconds(v.millis)})  ${where}`;
}

export function summaryLine(r: VerificationReport): string {
  const s = r.stats;
  const vacuous = s.vacuous > 0 ? `, ${s.vacuous} vacuous` : '';
  return `${s.assertions} assertion${s.assertions === 1 ? '' : 's'}: ${s.proven} proven, ${s.refuted} refuted, ${s.unknown} unknown${vacuous} in ${seconds(s.totalMillis)}`;
}

/** The assertions' part of the text report (diagnostics are rendered by the caller). */
export function renderVerdictsText(r: VerificationReport, color: boolean): string {
  const out: string[] = [];
  for (const v of r.verdicts) {
    out.push(verdictLine(v, color));
    if ((v.status === 'unknown' || v.status === 'vacuous') && v.reason) out.push(`    reason: ${visibleText(v.reason)}`);
    if (v.status === 'proven' && v.reason) out.push(`    note: ${visibleText(v.reason)}`);
    if (v.counterexample) out.push(...formatCounterexample(v.counterexample).map(visibleText));
  }
  out.push(summaryLine(r));
  return `${out.join('\n')}\n`;
}

export function renderVerdictsJson(r: VerificationReport, diagnostics: readonly Diagnostic[]): string {
  return `${wellFormedJson({ version: REPORT_SCHEMA_VERSION, verdicts: r.verdicts, diagnostics: diagnostics.map(withoutFix), stats: r.stats })}\n`;
}

// ---- SARIF 2.1.0 ----------------------------------------------------------------------------

const SARIF_LEVEL = { error: 'error', warning: 'warning', info: 'note' } as const;

function region(span: Diagnostic['span']): Record<string, number> {
  return { startLine: span.start.line, startColumn: span.start.column, endLine: span.end.line, endColumn: span.end.column };
}

function location(span: Diagnostic['span']): object {
  return { physicalLocation: { artifactLocation: { uri: sarifUri(span.file) }, region: region(span) } };
}

function verdictMessage(v: Verdict): string {
  if (v.status === 'proven') return `proven: ${v.assertion.text}`;
  if (v.status === 'unknown' || v.status === 'vacuous') return `${v.status}: ${v.assertion.text} — ${v.reason ?? 'no reason given'}`;
  const cx = v.counterexample!;
  return `refuted: ${v.assertion.text} — ${cx.summary}\n${formatCounterexample(cx, '  ').join('\n')}`;
}

const DIAGNOSTICS_DOC = 'https://github.com/plumb-network/plumb/blob/main/docs/diagnostics.md';

/** A diagnostic code's rule: its title and help from the catalogue, a link to its entry in docs/diagnostics.md. */
function sarifRule(code: string): object {
  const info = diagnosticInfo(code);
  if (!info) return { id: code, helpUri: DIAGNOSTICS_DOC };
  return {
    id: code,
    shortDescription: { text: info.title },
    fullDescription: { text: info.help },
    help: { text: info.help },
    helpUri: `${DIAGNOSTICS_DOC}#${diagnosticAnchor(info)}`,
  };
}

export function renderSarif(r: VerificationReport, diagnostics: readonly Diagnostic[], version: string): string {
  const codes = [...new Set(diagnostics.map((d) => d.code))].sort();
  const rules = [
    { id: 'assertion-refuted', shortDescription: { text: 'An assertion is refuted by a counterexample packet' } },
    { id: 'assertion-unknown', shortDescription: { text: 'An assertion could not be decided' } },
    { id: 'assertion-proven', shortDescription: { text: 'An assertion is proven' } },
    { id: 'assertion-vacuous', shortDescription: { text: 'An assertion is about no packet (its ends share no address family)' } },
    ...codes.map(sarifRule),
  ];
  const results = [
    ...r.verdicts.map((v) => ({
      ruleId: `assertion-${v.status}`,
      kind: v.status === 'proven' ? 'pass' : v.status === 'vacuous' ? 'notApplicable' : 'fail',
      level: v.status === 'proven' || v.status === 'vacuous' ? 'none' : 'error',
      message: { text: verdictMessage(v) },
      locations: [location(v.assertion.origin)],
    })),
    ...diagnostics.map((d) => ({
      ruleId: d.code,
      level: SARIF_LEVEL[d.severity],
      message: { text: d.hint ? `${d.message} (${d.hint})` : d.message },
      locations: [location(d.span)],
      ...(d.related.length > 0 ? { relatedLocations: d.related.map((x, i) => ({ id: i, ...location(x.span), message: { text: x.message } })) } : {}),
    })),
  ];
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{ tool: { driver: { name: 'plumb', version, informationUri: 'https://github.com/plumb-network/plumb', rules } }, results }],
  };
  return `${wellFormedJson(sarif)}\n`;
}

// ---- JUnit XML ------------------------------------------------------------------------------

export function renderJunit(r: VerificationReport, diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === 'error');
  const cases = r.verdicts.map((v) => {
    const head = `    <testcase classname="${xmlAttribute(v.assertion.origin.file)}" name="${xmlAttribute(v.assertion.text)}" time="${(v.millis / 1000).toFixed(3)}"`;
    if (v.status === 'proven') return `${head}/>`;
    if (v.status === 'vacuous') return `${head}>\n      <skipped message="${xmlAttribute(`vacuous: ${v.reason ?? ''}`)}"/>\n    </testcase>`;
    const tag = v.status === 'refuted' ? 'failure' : 'error';
    const msg = v.status === 'refuted' ? v.counterexample!.summary : (v.reason ?? 'unknown');
    return `${head}>\n      <${tag} message="${xmlAttribute(msg)}" type="${v.status}">${xmlText(verdictMessage(v))}</${tag}>\n    </testcase>`;
  });
  const lint = errors.map(
    (d) =>
      `    <testcase classname="${xmlAttribute(d.span.file)}" name="${xmlAttribute(`${d.code} line ${d.span.start.line}`)}" time="0">\n      <failure message="${xmlAttribute(d.message)}" type="${d.code}"/>\n    </testcase>`,
  );
  const tests = cases.length + lint.length;
  const failures = r.stats.refuted + lint.length;
  const skipped = r.stats.vacuous > 0 ? ` skipped="${r.stats.vacuous}"` : '';
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="plumb verify" tests="${tests}" failures="${failures}" errors="${r.stats.unknown}"${skipped} time="${(r.stats.totalMillis / 1000).toFixed(3)}">`,
    `  <testsuite name="assertions" tests="${tests}" failures="${failures}" errors="${r.stats.unknown}"${skipped} time="${(r.stats.totalMillis / 1000).toFixed(3)}">`,
    ...cases,
    ...lint,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

// ---- GitHub workflow annotations ------------------------------------------------------------

function annotation(kind: 'error' | 'warning' | 'notice', span: Diagnostic['span'], title: string, message: string): string {
  const props = [`file=${githubProperty(span.file)}`, `line=${span.start.line}`, `col=${span.start.column}`, `endLine=${span.end.line}`, `endColumn=${span.end.column}`, `title=${githubProperty(title)}`];
  return `::${kind} ${props.join(',')}::${githubData(message)}`;
}

export function renderGithub(r: VerificationReport, diagnostics: readonly Diagnostic[]): string {
  const lines: string[] = [];
  for (const v of r.verdicts) {
    if (v.status === 'proven') continue;
    lines.push(annotation(v.status === 'vacuous' ? 'notice' : 'error', v.assertion.origin, `assertion ${v.status}`, verdictMessage(v)));
  }
  for (const d of diagnostics) {
    const kind = d.severity === 'error' ? 'error' : d.severity === 'warning' ? 'warning' : 'notice';
    lines.push(annotation(kind, d.span, d.code, d.hint ? `${d.message} (${d.hint})` : d.message));
  }
  lines.push(summaryLine(r));
  return `${lines.join('\n')}\n`;
}
