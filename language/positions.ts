// Offsets to 1-based line/column positions and spans, by binary search over line starts.

import type { Position, Span } from './diagnostic.js';

export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(
    readonly file: string,
    readonly text: string,
  ) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  /** The line of the last lookup: the parser asks in increasing order, mostly on one line. */
  private recent = 0;

  position(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    const starts = this.starts;
    for (let line = this.recent; line <= this.recent + 1 && line < starts.length; line++) {
      if (starts[line]! <= o && (line + 1 === starts.length || o < starts[line + 1]!)) {
        this.recent = line;
        return { line: line + 1, column: o - starts[line]! + 1, offset: o };
      }
    }
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= o) lo = mid;
      else hi = mid - 1;
    }
    this.recent = lo;
    return { line: lo + 1, column: o - this.starts[lo]! + 1, offset: o };
  }

  span(start: number, end: number): Span {
    return { file: this.file, start: this.position(start), end: this.position(end) };
  }

  /** The 1-based line of an offset. */
  line(offset: number): number {
    return this.position(offset).line;
  }
}
