// The text form of a Span that the IOS-XE and PAN-OS backends write into configs (in remarks,
// comments and annotations) so that a config read back points at the same intent line:
//   FILE:LINE:COL-LINE:COL#OFFSET-OFFSET     e.g. acme.plumb:31:3-31:40#812-849
// Offsets are carried because a reader has no access to the intent text to recompute them.

import type { Span } from '../../language/diagnostic.js';

export function spanText(span: Span): string {
  const { start: s, end: e } = span;
  return `${span.file}:${s.line}:${s.column}-${e.line}:${e.column}#${s.offset}-${e.offset}`;
}

const SPAN = /^(.+):(\d+):(\d+)-(\d+):(\d+)#(\d+)-(\d+)$/;

/** Parses `spanText`'s output; undefined when the text is not one. */
export function parseSpanText(text: string): Span | undefined {
  const m = SPAN.exec(text);
  if (!m) return undefined;
  const n = (i: number): number => Number(m[i]);
  return {
    file: m[1]!,
    start: { line: n(2), column: n(3), offset: n(6) },
    end: { line: n(4), column: n(5), offset: n(7) },
  };
}

/** The span of a whole line of a config file (used for diagnostics and for unannotated objects). */
export function lineSpan(file: string, line: number, column: number, length: number, offset: number): Span {
  return {
    file,
    start: { line, column, offset },
    end: { line, column: column + length, offset: offset + length },
  };
}
