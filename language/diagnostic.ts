// The Diagnostic type: every problem Plumb reports, from any stage, is one of these values.
// Diagnostics are data (never thrown); one renderer turns them into text, JSON, SARIF, JUnit,
// GitHub annotations or LSP messages.

/** A position in a source file. `line` and `column` are 1-based; `offset` is 0-based (UTF-16). */
export interface Position {
  line: number;
  column: number;
  offset: number;
}

/** A half-open range [start, end) in one source file. */
export interface Span {
  file: string;
  start: Position;
  end: Position;
}

export type Severity = 'error' | 'warning' | 'info';

export interface RelatedInformation {
  span: Span;
  message: string;
}

export interface Diagnostic {
  /** A stable code, e.g. `P1001`; every code is explained in docs/diagnostics.md. */
  code: string;
  severity: Severity;
  span: Span;
  /** One sentence: what is wrong. */
  message: string;
  related: RelatedInformation[];
  /** One sentence: what to do about it. */
  hint?: string;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Orders diagnostics by file, then position, then code: reports are deterministic. */
export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  if (a.span.file !== b.span.file) return a.span.file < b.span.file ? -1 : 1;
  if (a.span.start.offset !== b.span.start.offset) return a.span.start.offset - b.span.start.offset;
  if (a.code !== b.code) return a.code < b.code ? -1 : 1;
  return a.message < b.message ? -1 : a.message > b.message ? 1 : 0;
}

/** A span that covers no text, used for diagnostics about a whole file (e.g. an empty intent). */
export function fileSpan(file: string): Span {
  const p = { line: 1, column: 1, offset: 0 };
  return { file, start: p, end: p };
}
