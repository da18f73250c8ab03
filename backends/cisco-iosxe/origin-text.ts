// Spans in the IOS-XE and PAN-OS configs: the shared origin tag (backends/origin-tag.ts,
// `FILE:LINE:COL-LINE:COL [START,END]`) written into remarks and comments so that a config read
// back points at the same intent line, and the span of a line of a config (for diagnostics).

import type { Span } from '../../language/diagnostic.js';
import { formatOriginTag, parseOriginTag } from '../origin-tag.js';

export const spanText = formatOriginTag;
export const parseSpanText = parseOriginTag;

/** The span of `length` characters on one line of a config file. */
export function lineSpan(file: string, line: number, column: number, length: number, offset: number): Span {
  return {
    file,
    start: { line, column, offset },
    end: { line, column: column + length, offset: offset + length },
  };
}
