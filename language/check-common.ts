// Small helpers shared by the resolver and the checks: collecting diagnostics, reading numbers.

import { diagnostic, type Diagnostic, type DiagnosticOptions, type Span } from './diagnostic.js';
import type { DiagnosticCode } from './diagnostics/index.js';

/** Collects diagnostics for one analysis run. */
export class DiagnosticSink {
  readonly items: Diagnostic[] = [];

  /** A diagnostic of `code`, with the catalogue's severity for it unless `options` names one. */
  report(code: DiagnosticCode, span: Span, message: string, options?: DiagnosticOptions): void {
    this.items.push(diagnostic(code, span, message, options));
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
