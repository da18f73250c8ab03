// Diagnostics as text for a terminal (Rust-style: the source line, a caret under the span, the
// hint, related places as notes) and as JSON with a stable schema (docs/cli.md). The CLI and
// the language server share these. Every piece of text from the input (messages quoting it, file
// names, source lines) goes through safe-text.ts: no escape sequence or bidi control reaches the
// terminal, and a long line shows only a window around the span.

import { OMITTED_CODE, omittedCount, type Diagnostic, type Severity, type Span } from './diagnostic.js';
import { excerpt, visibleText, wellFormedJson } from './safe-text.js';

export interface RenderOptions {
  color: boolean;
}

const ANSI = {
  reset: '\u001b[0m',
  bold: '\u001b[1m',
  red: '\u001b[31m',
  yellow: '\u001b[33m',
  blue: '\u001b[34m',
  cyan: '\u001b[36m',
  green: '\u001b[32m',
};

type Paint = (style: keyof typeof ANSI, text: string) => string;

const SEVERITY_STYLE: Record<Severity, keyof typeof ANSI> = { error: 'red', warning: 'yellow', info: 'cyan' };

export function renderText(
  diags: readonly Diagnostic[],
  sources: readonly { path: string; text: string }[],
  opts: RenderOptions,
): string {
  const paint: Paint = opts.color
    ? (style, text) => `${ANSI.bold}${ANSI[style]}${text}${ANSI.reset}`
    : (_style, text) => text;
  const lines = new Map<string, string[]>();
  const linesOf = (file: string): string[] | undefined => {
    if (!lines.has(file)) {
      const src = sources.find((s) => s.path === file);
      if (!src) return undefined;
      lines.set(file, src.text.split('\n'));
    }
    return lines.get(file);
  };
  const blocks = diags.map((d) => renderOne(d, linesOf, paint));
  const out = blocks.join('\n');
  const summary = summaryLine(diags, paint);
  return out ? `${out}\n${summary}` : summary;
}

function renderOne(d: Diagnostic, linesOf: (file: string) => string[] | undefined, paint: Paint): string {
  const severity = paint(SEVERITY_STYLE[d.severity], `${d.severity}[${d.code}]`);
  const headline = `${severity}${paint('reset', `: ${visibleText(d.message)}`)}`;
  const spans = [d.span, ...d.related.map((r) => r.span)];
  const width = Math.max(...spans.map((s) => String(s.start.line).length));
  const out: string[] = [headline];
  out.push(...snippet(d.span, '^', width, linesOf, paint, SEVERITY_STYLE[d.severity]));
  if (d.hint) out.push(`${' '.repeat(width + 1)}${paint('blue', '=')} ${paint('reset', 'help:')} ${visibleText(d.hint)}`);
  for (const r of d.related) {
    out.push(`${paint('green', 'note')}: ${visibleText(r.message)}`);
    out.push(...snippet(r.span, '-', width, linesOf, paint, 'green'));
  }
  return out.join('\n') + '\n';
}

function snippet(
  span: Span,
  mark: string,
  width: number,
  linesOf: (file: string) => string[] | undefined,
  paint: Paint,
  style: keyof typeof ANSI,
): string[] {
  const pad = ' '.repeat(width);
  const out = [`${pad}${paint('blue', '-->')} ${visibleText(span.file)}:${span.start.line}:${span.start.column}`];
  const lines = linesOf(span.file);
  const raw = lines?.[span.start.line - 1];
  if (raw === undefined) return out;
  const line = raw.replace(/\r$/, '');
  const start = span.start.column - 1;
  const end = span.end.line === span.start.line ? span.end.column - 1 : line.length;
  const shown = excerpt(line, start, end);
  const gutter = paint('blue', `${pad} |`);
  out.push(gutter);
  out.push(`${paint('blue', `${String(span.start.line).padStart(width)} |`)} ${shown.text}`);
  out.push(`${gutter} ${shown.lead}${paint(style, mark.repeat(shown.marks))}`);
  return out;
}

/** Counts by severity of the diagnostics shown (a P119 counts as what it stands for, apart). */
function counts(diags: readonly Diagnostic[]): { errors: number; warnings: number; infos: number; omitted: number } {
  const shown = diags.filter((d) => d.code !== OMITTED_CODE);
  const omitted = diags.reduce((n, d) => n + omittedCount(d), 0);
  const severity = (s: Diagnostic['severity']): number => shown.filter((d) => d.severity === s).length;
  return { errors: severity('error'), warnings: severity('warning'), infos: severity('info'), omitted };
}

function summaryLine(diags: readonly Diagnostic[], paint: Paint): string {
  const { errors, warnings, omitted } = counts(diags);
  const failing = diags.some((d) => d.severity === 'error');
  if (!failing && warnings === 0 && omitted === 0) return `${paint('green', 'ok')}: no problems found\n`;
  const parts: string[] = [];
  if (errors > 0) parts.push(`${errors} error${errors === 1 ? '' : 's'}`);
  if (warnings > 0) parts.push(`${warnings} warning${warnings === 1 ? '' : 's'}`);
  if (omitted > 0) parts.push(`and ${omitted} more not shown`);
  const head = failing ? paint('red', 'error') : paint('yellow', 'warning');
  return `${head}: ${parts.join(', ')}\n`;
}

/** The JSON report's schema version: bump it when a field changes meaning or disappears. */
export const JSON_SCHEMA_VERSION = 1;

export function renderJson(diags: readonly Diagnostic[]): string {
  const report = {
    version: JSON_SCHEMA_VERSION,
    summary: {
      // Every diagnostic in the list by its severity (a P119 too, so errors > 0 whenever the
      // intent fails), and how many diagnostics the P119s stand for.
      errors: diags.filter((d) => d.severity === 'error').length,
      warnings: diags.filter((d) => d.severity === 'warning').length,
      infos: diags.filter((d) => d.severity === 'info').length,
      omitted: counts(diags).omitted,
    },
    diagnostics: diags.map((d) => ({
      code: d.code,
      severity: d.severity,
      message: d.message,
      file: d.span.file,
      start: pos(d.span.start),
      end: pos(d.span.end),
      hint: d.hint ?? null,
      related: d.related.map((r) => ({
        message: r.message,
        file: r.span.file,
        start: pos(r.span.start),
        end: pos(r.span.end),
      })),
    })),
  };
  return `${wellFormedJson(report)}\n`;
}

function pos(p: { line: number; column: number; offset: number }): { line: number; column: number; offset: number } {
  return { line: p.line, column: p.column, offset: p.offset };
}
