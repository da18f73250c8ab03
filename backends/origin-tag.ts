// Origin tags: the intent span a configuration element comes from, written into a comment of the
// rendered file so that a reader recovers it exactly (`read(render(d))` equals `d`, origins
// included). Format: `FILE:LINE:COL-LINE:COL [START,END]` (1-based lines and columns, 0-based
// UTF-16 offsets), e.g. `acme.plumb:31:3-31:40 [812,849]`. Shared by every backend's comments.

import type { Span } from '../language/diagnostic.js';

export function formatOriginTag(span: Span): string {
  const { start, end } = span;
  return `${span.file}:${start.line}:${start.column}-${end.line}:${end.column} [${start.offset},${end.offset}]`;
}

const TAG = /^(.+):(\d+):(\d+)-(\d+):(\d+) \[(\d+),(\d+)\]$/;

/** Parses a tag written by `formatOriginTag`; undefined when `text` is not one. */
export function parseOriginTag(text: string): Span | undefined {
  const m = TAG.exec(text.trim());
  if (!m) return undefined;
  const n = (i: number): number => Number(m[i]);
  return {
    file: m[1]!,
    start: { line: n(2), column: n(3), offset: n(6) },
    end: { line: n(4), column: n(5), offset: n(7) },
  };
}

/** The short form people read: `acme.plumb:31`. */
export function shortOrigin(span: Span): string {
  return `${span.file}:${span.start.line}`;
}

/** Text safe on one comment line: no line breaks. */
export function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ');
}
