// Small helpers shared by the resolver and the checks: building diagnostics, reading numbers.

import type { Diagnostic, RelatedInformation, Severity, Span } from './diagnostic.js';

export interface DiagnosticExtras {
  related?: RelatedInformation[];
  hint?: string | undefined;
}

export function diagnostic(
  code: string,
  severity: Severity,
  span: Span,
  message: string,
  extras: DiagnosticExtras = {},
): Diagnostic {
  const d: Diagnostic = { code, severity, span, message, related: extras.related ?? [] };
  if (extras.hint !== undefined) d.hint = extras.hint;
  return d;
}

/** Collects diagnostics for one analysis run. */
export class DiagnosticSink {
  readonly items: Diagnostic[] = [];

  error(code: string, span: Span, message: string, extras?: DiagnosticExtras): void {
    this.items.push(diagnostic(code, 'error', span, message, extras));
  }

  warning(code: string, span: Span, message: string, extras?: DiagnosticExtras): void {
    this.items.push(diagnostic(code, 'warning', span, message, extras));
  }
}

/** A decimal integer as written (`0`, `65010`), or undefined when it is not one or is too big. */
export function parseInteger(text: string): number | undefined {
  if (!/^[0-9]{1,15}$/.test(text)) return undefined;
  return Number(text);
}

/** A port or a port range as written: `80`, `8000-8080`. */
export function parsePortText(text: string): { from: number | undefined; to: number | undefined } | undefined {
  const m = /^([0-9]+)(?:-([0-9]+))?$/.exec(text);
  if (!m) return undefined;
  const from = parseInteger(m[1]!);
  const to = m[2] === undefined ? from : parseInteger(m[2]);
  return { from, to };
}

/** `file:line:col`, for messages that mention another place. */
export function whereText(span: Span): string {
  return `${span.file}:${span.start.line}:${span.start.column}`;
}
