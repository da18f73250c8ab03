// The Diagnostic type: every problem Plumb reports, from any stage, is one of these values.
// Diagnostics are data (never thrown); one renderer turns them into text, JSON, SARIF, JUnit,
// GitHub annotations or LSP messages. `diagnostic()` is the one way to make one: it takes the
// default severity from the catalogue (./diagnostics/), where every code is listed.

import { Codes, diagnosticInfo, type DiagnosticCode } from './diagnostics/index.js';

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

/** One edit of a fix: the text of `replace` becomes `with`. */
export interface Replacement {
  replace: Span;
  with: string;
}

export interface Diagnostic {
  /** A stable code, e.g. `P101`; every code is in the catalogue and explained in docs/diagnostics.md. */
  code: string;
  severity: Severity;
  span: Span;
  /** One sentence: what is wrong. */
  message: string;
  related: RelatedInformation[];
  /** One sentence: what to do about it. */
  hint?: string;
  /**
   * The edits that do what the hint proposes, when it proposes one exact text ("did you mean
   * `web`?"): the language server offers them as a quick fix.
   */
  fix?: Replacement[];
}

export interface DiagnosticOptions {
  hint?: string | undefined;
  related?: RelatedInformation[];
  fix?: Replacement[] | undefined;
  /** When this diagnostic's severity is not its code's default (the catalogue's `severities`). */
  severity?: Severity;
}

/**
 * A diagnostic of a catalogued code, with the code's default severity unless `options` names
 * another. Fields are in one order (code, severity, span, message, related, hint, fix), so that
 * every report that prints them as they are prints them alike.
 */
export function diagnostic(code: DiagnosticCode, span: Span, message: string, options: DiagnosticOptions = {}): Diagnostic {
  const severity = options.severity ?? diagnosticInfo(code)!.severity;
  const d: Diagnostic = { code, severity, span, message, related: options.related ?? [] };
  if (options.hint) d.hint = options.hint;
  if (options.fix && options.fix.length > 0) d.fix = options.fix;
  return d;
}

/**
 * The diagnostic as a report that prints it whole prints it (`verify --format json`): every
 * field but the fix, which is for editors, so that the report's schema stays as documented.
 */
export function withoutFix(d: Diagnostic): Omit<Diagnostic, 'fix'> {
  if (d.fix === undefined) return d;
  const { fix: _fix, ...rest } = d;
  return rest;
}

/** A did-you-mean: the hint that proposes `text` and the fix that writes it over `span`. */
export function proposal(span: Span, text: string, hint = `did you mean \`${text}\`?`): { hint: string; fix: Replacement[] } {
  return { hint, fix: [{ replace: span, with: text }] };
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

/** The code of the one diagnostic per file that says how many more were not shown. */
export const OMITTED_CODE = Codes.moreNotShown;

const OMITTED_MESSAGE = /^(\d+) more (error|warning)s?( and warnings)? not shown/;

/** How many diagnostics a P119 stands for (0 for any other diagnostic). */
export function omittedCount(d: Diagnostic): number {
  const m = d.code === OMITTED_CODE ? OMITTED_MESSAGE.exec(d.message) : null;
  return m ? Number(m[1]) : 0;
}

/**
 * Collects diagnostics up to a limit and counts the rest, so that a stage given hostile input
 * keeps a bounded list; `all()` adds one P119 that says how many were left out, at the first
 * of them. A P119 pushed here (from a stage capped before) adds its count instead. An error
 * among the left-out ones makes the P119 an error, so a capped report still fails.
 */
export class BoundedDiagnostics {
  readonly items: Diagnostic[] = [];
  private omitted = 0;
  private errors = false;
  private others = false;
  private at: Span | undefined;

  constructor(readonly max: number) {}

  push(d: Diagnostic): void {
    const earlier = d.code === OMITTED_CODE ? OMITTED_MESSAGE.exec(d.message) : null;
    if (!earlier && this.items.length < this.max) {
      this.items.push(d);
      return;
    }
    this.omitted += earlier ? Number(earlier[1]) : 1;
    if (earlier ? earlier[2] === 'error' : d.severity === 'error') this.errors = true;
    if (earlier ? earlier[2] === 'warning' || earlier[3] !== undefined : d.severity !== 'error') this.others = true;
    if (!this.at || d.span.start.offset < this.at.start.offset) this.at = d.span;
  }

  /** Whether another diagnostic would be left out (a stage may then skip composing it). */
  get full(): boolean {
    return this.items.length >= this.max;
  }

  all(): Diagnostic[] {
    if (this.omitted === 0) return this.items;
    const plural = this.omitted === 1 ? '' : 's';
    const what = this.errors && this.others ? 'errors and warnings' : this.errors ? `error${plural}` : `warning${plural}`;
    const summary = diagnostic(OMITTED_CODE, this.at!, `${this.omitted} more ${what} not shown (at most ${this.max} are reported per file)`, {
      severity: this.errors ? 'error' : 'warning',
      hint: 'fix the problems shown and check again',
    });
    return [...this.items, summary];
  }
}

/** Keeps the first `max` diagnostics of each file of a list sorted by `compareDiagnostics`. */
export function limitPerFile(sorted: readonly Diagnostic[], max: number): Diagnostic[] {
  const out: Diagnostic[] = [];
  let bounded: BoundedDiagnostics | undefined;
  let file: string | undefined;
  for (const d of sorted) {
    if (d.span.file !== file) {
      if (bounded) out.push(...bounded.all());
      bounded = new BoundedDiagnostics(max);
      file = d.span.file;
    }
    bounded!.push(d);
  }
  if (bounded) out.push(...bounded.all());
  return out;
}
