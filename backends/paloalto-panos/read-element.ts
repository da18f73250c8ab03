// An element as read from a PAN-OS XML file (xml-parse.ts), and the document it came from. The
// position of an element is kept as two offsets into the document; its line and column are
// counted from the document's text only when a span is asked for (the readers ask for the
// elements they report or name in a reference). A large rulebase has hundreds of thousands of
// elements, each of them kept until the read-back ends: every field less is memory the garbage
// collector does not copy, and the parser no longer counts lines as it goes.

import type { Position, Span } from '../../language/diagnostic.js';
import type { XmlElement, XmlNode } from './xml.js';

/** Room for the line starts of a small file; a typed array (no scanning by the collector), doubled as needed. */
const LINES_AT_FIRST = 256;

/**
 * The file an element was read from: its name, and its text to count lines and columns in. Lines
 * are counted only as far as a position asked for: a clean read asks for the spans of what it
 * defines (interfaces, zones, addresses, services), all before the rulebase that is most of the
 * file, and the rest of the text is never scanned.
 */
export class ReadDocument {
  /** Offset of the first character of each line, for the first `#lines` lines; grown by doubling. */
  #lineStarts = new Int32Array(LINES_AT_FIRST);
  #lines = 1;
  /** The first `\n` not counted yet (every line start up to it is in `#lineStarts`), or -1 past the last. */
  #nextBreak: number;
  /** The line of the last position asked for: spans are mostly asked for in document order. */
  #lineAt = 0;
  constructor(
    readonly file: string,
    readonly text: string,
  ) {
    this.#nextBreak = text.indexOf('\n');
  }

  /** Line and column (1-based, a line ends at `\n`) of `offset`. */
  position(offset: number): Position {
    // every line starting at or before `offset` counted: those whose `\n` is before it
    if (this.#nextBreak >= 0 && this.#nextBreak < offset) this.countTo(offset);
    const starts = this.#lineStarts;
    const lines = this.#lines;
    let at = this.#lineAt;
    if (starts[at]! > offset || (at + 1 < lines && starts[at + 1]! <= offset)) {
      // not on the last line asked for: the last line starting at or before `offset`
      let lo = 0;
      let hi = lines - 1;
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

  /** Counts the lines whose `\n` is before `offset`. */
  private countTo(offset: number): void {
    const text = this.text;
    let starts = this.#lineStarts;
    let lines = this.#lines;
    let nl = this.#nextBreak;
    while (nl >= 0 && nl < offset) {
      if (lines === starts.length) {
        const grown = new Int32Array(starts.length * 2);
        grown.set(starts);
        starts = grown;
      }
      starts[lines++] = nl + 1;
      nl = text.indexOf('\n', nl + 1);
    }
    this.#lineStarts = starts;
    this.#lines = lines;
    this.#nextBreak = nl;
  }
}

/**
 * An element as read from a file. `text` and `stored` are fields from the start (undefined until
 * the parser fills them in), so that every element has one shape, and a leaf's texts need no
 * second store beside the object. The end of its span is found again from its start (the first
 * `>` after its `<`: both parsers end a tag there, and neither lets an attribute's value hold
 * one), not a field of every element; nor is its `kind`, the same for all, on the prototype (so
 * an element is copied with `el`, not by spreading it: a spread copies its own fields alone).
 */
export class ReadElement implements XmlElement {
  declare readonly kind: 'element';
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

Object.defineProperty(ReadElement.prototype, 'kind', { value: 'element', enumerable: true });
