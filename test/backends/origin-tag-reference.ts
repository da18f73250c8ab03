// The origin tag as the reader read it before its fast path and its store by text: the
// expression alone, a fresh object each time; the reference the origin-tag tests hold the reader to.

import { formatOriginTag, parseOriginTag } from '../../backends/origin-tag.js';
import { unescapeText } from '../../backends/text-escape.js';
import type { Span } from '../../language/diagnostic.js';

export function byExpression(text: string): Span | undefined {
  const m = /^(\S*):(\d+):(\d+)-(\d+):(\d+) \[(\d+),(\d+)\]$/.exec(text.trim());
  if (!m) return undefined;
  const n = (i: number): number => Number(m[i]);
  return { file: unescapeText(m[1]!), start: { line: n(2), column: n(3), offset: n(6) }, end: { line: n(4), column: n(5), offset: n(7) } };
}

/** A span from its six numbers: start line, column, offset, end line, column, offset. */
export const span = (file: string, n: number[]): Span => ({ file, start: { line: n[0]!, column: n[1]!, offset: n[2]! }, end: { line: n[3]!, column: n[4]!, offset: n[5]! } });

/**
 * Reads a tag made from `n` alone (its own file name, and end offsets past 2^40 that the tests
 * do not write): a tag the store by text has not kept, for test/kept-store.ts's emptying.
 */
export function freshOriginTag(n: number): void {
  parseOriginTag(formatOriginTag(span('fresh-entries.plumb', [1, 1, n, 1, 2, 2 ** 40 + n])));
}
