// An element as read from a PAN-OS XML file (xml-parse.ts), and the document it came from. The
// position of an element is kept as two offsets into the document; its line and column are
// counted from the document's text only when a span is asked for (the readers ask for the
// elements they report or name in a reference). A large rulebase has hundreds of thousands of
// elements, each of them kept until the read-back ends: every field less is memory the garbage
// collector does not copy, and the parser no longer counts lines as it goes.

import type { Position, Span } from '../../language/diagnostic.js';
import type { XmlElement, XmlNode } from './xml.js';

/** The file an element was read from: its name, and its text to count lines and columns in. */
export class ReadDocument {
  /** Offset of the first character of each line, counted at the first span asked for. */
  #lineStarts: Int32Array | undefined;
  /** The line of the last position asked for: spans are mostly asked for in document order. */
  #lineAt = 0;
  constructor(
    readonly file: string,
    readonly text: string,
  ) {}

  /** Line and column (1-based, a line ends at `\n`) of `offset`. */
  position(offset: number): Position {
    const starts = (this.#lineStarts ??= lineStartsOf(this.text));
    let at = this.#lineAt;
    if (starts[at]! > offset || (at + 1 < starts.length && starts[at + 1]! <= offset)) {
      // not on the last line asked for: the last line starting at or before `offset`
      let lo = 0;
      let hi = starts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (starts[mid]! <= offset) lo = mid;
        else hi = mid - 1;
      }
      at = lo;
      this.#lineAt = at;
    }
    return { line: at + 1, column: offset - starts[at]! + 1, offset };
  }
}

/**
 * The offset of each line's first character. Counted, then filled in: a typed array of the exact
 * size, not an array grown a line at a time (a large rulebase has a million lines), which the
 * garbage collector never has to scan.
 */
function lineStartsOf(text: string): Int32Array {
  let lines = 1;
  for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', nl + 1)) lines++;
  const starts = new Int32Array(lines);
  let line = 1;
  for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', nl + 1)) starts[line++] = nl + 1;
  return starts;
}

/**
 * An element as read from a file. `text` and `stored` are fields from the start (undefined until
 * the parser fills them in), so that every element has one shape, and a leaf's texts need no
 * second store beside the object. The end of its span is found again from its start (the first
 * `>` after its `<`: both parsers end a tag there, and neither lets an attribute's value hold
 * one), not a field of every element. Its `kind` stays a field of its own: a copy made by
 * spreading an element (delta.ts) must keep it.
 */
export class ReadElement implements XmlElement {
  readonly kind = 'element' as const;
  text?: string = undefined;
  stored?: string = undefined;
  constructor(
    public name: string,
    public attrs: Record<string, string>,
    public children: XmlNode[],
    private readonly document: ReadDocument,
    private readonly offset: number,
  ) {}

  /** Position of `<` to after `>`. */
  get span(): Span {
    const { document, offset } = this;
    return { file: document.file, start: document.position(offset), end: document.position(document.text.indexOf('>', offset) + 1) };
  }
}
