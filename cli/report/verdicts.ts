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
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

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

/**
 * `9 assertions: 9 proven, 0 refuted, 0 unknown in 4.2 s (solver 4.9 s on 2 workers)`: the
 * wall-clock time of the run, then the sum of the assertions' own solver times (the times on
 * their lines), which exceeds the run's when several workers prove side by side.
 */
export function summaryLine(r: VerificationReport): string {
  const s = r.stats;
  const vacuous = s.vacuous > 0 ? `, ${s.vacuous} vacuous` : '';
  const solving = r.verdicts.reduce((n, v) => n + v.millis, 0);
  const solver = solving > 0 ? ` (solver ${seconds(solving)}${s.workers > 1 ? ` on ${s.workers} workers` : ''})` : '';
  return `${s.assertions} assertion${s.assertions === 1 ? '' : 's'}: ${s.proven} proven, ${s.refuted} refuted, ${s.unknown} unknown${vacuous} in ${seconds(s.totalMillis)}${solver}`;
}

/** The assertions' part of the text report (diagnostics are rendered by the caller). */
export function renderVerdictsText(r: VerificationReport, color: boolean): string {
  const out: string[] = [];
  const verdictLines = (v: Verdict): void => {
    out.push(verdictLine(v, color));
    if ((v.status === 'unknown' || v.status === 'vacuous') && v.reason) out.push(`    reason: ${visibleText(v.reason)}`);
    if (v.status === 'proven' && v.reason) out.push(`    note: ${visibleText(v.reason)}`);
    if (v.counterexample) out.push(...formatCounterexample(v.counterexample).map(visibleText));
  };
  // The intent's own assertions, then each contract's guarantees of our side under its line.
  const sides = new Map<string, Verdict[]>();
  for (const v of r.verdicts) {
    const c = v.assertion.contract;
    if (!c) verdictLines(v);
    else {
      const key = `contract ${c.name}, ${c.party}'s side`;
      sides.set(key, [...(sides.get(key) ?? []), v]);
    }
  }
  for (const [side, vs] of sides) {
    const proven = vs.filter((v) => v.status === 'proven').length;
    out.push(visibleText(`${side}: ${proven} of ${vs.length} guarantee${vs.length === 1 ? '' : 's'} proven`));
    vs.forEach(verdictLines);
  }
  out.push(summaryLine(r));
  return `${out.join('\n')}\n`;
}

/** `shard`: the report of one shard of a run (`verify --shard K/N`), which `--merge` joins. */
export function renderVerdictsJson(r: VerificationReport, diagnostics: readonly Diagnostic[], shard?: { index: number; count: number; assertions: number }, configs?: object): string {
  return `${wellFormedJson({ version: REPORT_SCHEMA_VERSION, ...(shard ? { shard } : {}), verdicts: r.verdicts, diagnostics: diagnostics.map(withoutFix), stats: r.stats, ...(configs ? { configs } : {}) })}\n`;
}

// ---- SARIF 2.1.0 ----------------------------------------------------------------------------

const SARIF_LEVEL = { error: 'error', warning: 'warning', info: 'note' } as const;

function region(span: Diagnostic['span']): Record<string, number> {
  return { startLine: span.start.line, startColumn: span.start.column, endLine: span.end.line, endColumn: span.end.column };
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

/** The verdicts' own rules (the diagnostics' come from the catalogue). */
const ASSERTION_RULES = [
  {
    id: 'assertion-refuted',
    short: 'An assertion is refuted by a counterexample packet',
    full: 'The verifier found a packet of the asserted flow that the compiled network treats otherwise than the assertion says: a reach assertion\'s packet (or its reply) is dropped, or an isolate assertion\'s packet is delivered.',
    help: 'The message shows the packet and its hop-by-hop path with the rule (intent line and configuration line) that decided it. Change the policy, the routing or the assertion.',
    anchor: 'verify-results',
  },
  {
    id: 'assertion-unknown',
    short: 'An assertion could not be decided',
    full: 'The solver did not decide the assertion within the time limit, or the paths of the flow are too many to enumerate.',
    help: 'Raise --timeout, or split the assertion into smaller flows.',
    anchor: 'verify-results',
  },
  {
    id: 'assertion-proven',
    short: 'An assertion is proven',
    full: 'No packet of the asserted flow is treated otherwise than the assertion says, on every path, in every address family both ends have. Written as a result (kind pass) only with --sarif-proven.',
    help: 'Nothing to do: the result records the proof.',
    anchor: 'verify-results',
  },
  {
    id: 'assertion-vacuous',
    short: 'An assertion is about no packet',
    full: 'The two ends of the assertion share no address family, so no packet belongs to the flow and nothing is proven.',
    help: 'Give both ends an address of the same family, or remove the assertion.',
    anchor: 'verify-results',
  },
] as const;

const CLI_DOC = 'https://github.com/plumb-network/plumb/blob/main/docs/cli.md';

export interface SarifOptions {
  /**
   * The folder that result locations are relative to (the repository's root, so that code
   * scanning finds the files whatever folder plumb ran in), and the folder the diagnostics'
   * file names are relative to.
   */
  root: string;
  cwd: string;
  /** Also write proven assertions, as results of kind `pass` and level `none` (`--sarif-proven`). */
  proven?: boolean;
}

/**
 * GitHub code scanning's hard limits on a SARIF upload (docs.github.com, "SARIF results exceed
 * limits"): a file over them is rejected whole, so a run never exceeds them.
 */
export const SARIF_LIMITS = { runs: 20, resultsPerRun: 25_000, rulesPerRun: 25_000, locationsPerResult: 1_000 } as const;

/**
 * SARIF 2.1.0 that code scanning takes as it is: every rule with short and full descriptions,
 * help and a link that exists; locations relative to the repository's root (`%SRCROOT%`);
 * only what needs attention as results (refuted, unknown and vacuous assertions, diagnostics):
 * proven assertions are not results, since some consumers show every result as an alert.
 */
export function renderSarif(r: VerificationReport, diagnostics: readonly Diagnostic[], version: string, options: SarifOptions): string {
  const codes = [...new Set(diagnostics.map((d) => d.code))].sort();
  const rules = [
    ...ASSERTION_RULES.map((a) => ({
      id: a.id,
      shortDescription: { text: a.short },
      fullDescription: { text: a.full },
      help: { text: a.help },
      helpUri: `${CLI_DOC}#${a.anchor}`,
    })),
    ...codes.map(sarifRule),
  ];
  const at = (span: Diagnostic['span']): object => sarifLocation(span, options);
  const all = [
    ...r.verdicts
      .filter((v) => v.status !== 'proven' || options.proven)
      .map((v) => ({
        ruleId: `assertion-${v.status}`,
        kind: v.status === 'proven' ? 'pass' : v.status === 'vacuous' ? 'review' : 'fail',
        level: v.status === 'proven' ? 'none' : v.status === 'vacuous' ? 'note' : 'error',
        message: { text: verdictMessage(v) },
        locations: [at(v.assertion.origin)],
      })),
    ...diagnostics.map((d) => ({
      ruleId: d.code,
      level: SARIF_LEVEL[d.severity],
      message: { text: d.hint ? `${d.message} (${d.hint})` : d.message },
      locations: [at(d.span)],
      ...(d.related.length > 0 ? { relatedLocations: d.related.slice(0, SARIF_LIMITS.locationsPerResult).map((x, i) => ({ id: i, ...(at(x.span) as Record<string, unknown>), message: { text: x.message } })) } : {}),
    })),
  ];
  // Over GitHub's limit the file would be rejected: the errors first, and the run says so.
  const rank = { error: 0, warning: 1, note: 2, none: 3 } as const;
  const results = all.length <= SARIF_LIMITS.resultsPerRun ? all : [...all].sort((a, b) => rank[a.level as keyof typeof rank] - rank[b.level as keyof typeof rank]).slice(0, SARIF_LIMITS.resultsPerRun);
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'plumb', version, informationUri: 'https://github.com/plumb-network/plumb', rules } },
        originalUriBaseIds: { '%SRCROOT%': { uri: directoryUri(options.root) } },
        results,
        properties: {
          assertions: r.stats.assertions,
          proven: r.stats.proven,
          refuted: r.stats.refuted,
          unknown: r.stats.unknown,
          vacuous: r.stats.vacuous,
          ...(results.length < all.length ? { resultsLeftOut: all.length - results.length } : {}),
        },
      },
    ],
  };
  return `${wellFormedJson(sarif)}\n`;
}

/** A location relative to the root; a file outside the root keeps an absolute file URI. */
function sarifLocation(span: Diagnostic['span'], options: SarifOptions): object {
  const abs = resolve(options.cwd, span.file);
  const rel = relative(options.root, abs);
  const inside = rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
  const artifactLocation = inside ? { uri: sarifUri(rel.split(sep).join('/')), uriBaseId: '%SRCROOT%' } : { uri: `file://${sarifUri(abs.split(sep).join('/'))}` };
  return { physicalLocation: { artifactLocation, region: region(span) } };
}

function directoryUri(dir: string): string {
  const path = dir.split(sep).join('/');
  return `file://${sarifUri(path.endsWith('/') ? path : `${path}/`)}`;
}

/** The repository's root: the nearest folder up from `cwd` that holds `.git`; else `cwd`. */
export function repositoryRoot(cwd: string): string {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    if (existsSync(join(dir, '.git'))) return dir;
    if (dirname(dir) === dir) return resolve(cwd);
  }
}

// ---- JUnit XML ------------------------------------------------------------------------------

/** An assertion of an intent that could not be compiled: its text and line, from the syntax tree. */
export interface UnverifiedAssertion {
  text: string;
  origin: Diagnostic['span'];
}

/**
 * JUnit XML: one test case per assertion, plus one failing case per error diagnostic. When the
 * intent has errors, the assertions it states (`unverified`) are error cases ("not verified"),
 * so that a CI dashboard shows every assertion failing rather than none.
 */
export function renderJunit(r: VerificationReport, diagnostics: readonly Diagnostic[], unverified: readonly UnverifiedAssertion[] = []): string {
  const errors = diagnostics.filter((d) => d.severity === 'error');
  const cases = r.verdicts.map((v) => {
    const head = `    <testcase classname="${xmlAttribute(v.assertion.origin.file)}" name="${xmlAttribute(v.assertion.text)}" time="${(v.millis / 1000).toFixed(3)}"`;
    if (v.status === 'proven') return `${head}/>`;
    if (v.status === 'vacuous') return `${head}>\n      <skipped message="${xmlAttribute(`vacuous: ${v.reason ?? ''}`)}"/>\n    </testcase>`;
    const tag = v.status === 'refuted' ? 'failure' : 'error';
    const msg = v.status === 'refuted' ? v.counterexample!.summary : (v.reason ?? 'unknown');
    return `${head}>\n      <${tag} message="${xmlAttribute(msg)}" type="${v.status}">${xmlText(verdictMessage(v))}</${tag}>\n    </testcase>`;
  });
  const notVerified = r.verdicts.length > 0 ? [] : unverified.map(
    (a) =>
      `    <testcase classname="${xmlAttribute(a.origin.file)}" name="${xmlAttribute(a.text)}" time="0">\n      <error message="not verified: the intent has errors" type="not-verified">${xmlText(`${a.origin.file}:${a.origin.start.line}: not verified, because the intent has ${errors.length} error(s); fix them and verify again`)}</error>\n    </testcase>`,
  );
  const lint = errors.map(
    (d) =>
      `    <testcase classname="${xmlAttribute(d.span.file)}" name="${xmlAttribute(`${d.code} line ${d.span.start.line}`)}" time="0">\n      <failure message="${xmlAttribute(d.message)}" type="${d.code}"/>\n    </testcase>`,
  );
  const tests = cases.length + notVerified.length + lint.length;
  const failures = r.stats.refuted + lint.length;
  const errorCount = r.stats.unknown + notVerified.length;
  const skipped = r.stats.vacuous > 0 ? ` skipped="${r.stats.vacuous}"` : '';
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="plumb verify" tests="${tests}" failures="${failures}" errors="${errorCount}"${skipped} time="${(r.stats.totalMillis / 1000).toFixed(3)}">`,
    `  <testsuite name="assertions" tests="${tests}" failures="${failures}" errors="${errorCount}"${skipped} time="${(r.stats.totalMillis / 1000).toFixed(3)}">`,
    ...cases,
    ...notVerified,
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
  // `check` (and an intent with errors) proves nothing: no summary of zero assertions.
  if (r.stats.assertions > 0) lines.push(summaryLine(r));
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}
