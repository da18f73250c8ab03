// setup.sh's lines, read without the shared line reader's objects (config-text.ts): the file is
// walked with indexOf, a route command's words are split only when the line is plain (single
// spaces, no quote, tab or `#`), and a line's positions (`SetupLine`) are made only for the other
// lines and for diagnostics. Those lines are split by config-text.ts's own `splitWords` with
// setup.sh's syntax (`#` comments, double quotes, spaces and tabs), so a hand edit reads as before;
// test/backends/setup-lines.test.ts compares the plain path with it.

import type { Span } from '../../language/diagnostic.js';
import { splitWords, type LineSyntax } from '../config-text.js';

/** A word of a line with its position (as config-text.ts's `Word`). */
export interface SetupWord {
  text: string;
  /** Written in double quotes (the quotes are not part of `text`). */
  quoted: boolean;
  /** 1-based column and 0-based offset in the file of the word's first character. */
  column: number;
  offset: number;
  /** Offset just past the word (after the closing quote). */
  end: number;
}

/** One line of setup.sh: its words' texts, its comment, and its words' positions on demand. */
export class SetupLine {
  /** The comment's text after `#` and one space, when the line has one. */
  declare comment?: string;
  private wordList: SetupWord[] | undefined;

  constructor(
    readonly file: string,
    /** 1-based line number. */
    readonly line: number,
    /** Offset of the line's first character in the file. */
    readonly offset: number,
    /** The line without its line break (and without a `\r` before it). */
    readonly text: string,
    /** The words' texts, before any comment (a quoted word without its quotes). */
    readonly texts: readonly string[],
    /** Per word, its start in `text` (bitwise-not of it for a quoted word) and its end. */
    private readonly bounds: readonly number[],
  ) {}

  /** The words before any comment. */
  get words(): SetupWord[] {
    if (this.wordList) return this.wordList;
    const words: SetupWord[] = [];
    for (let k = 0; k < this.texts.length; k++) {
      const at = this.bounds[2 * k]!;
      const start = at < 0 ? ~at : at;
      words.push({ text: this.texts[k]!, quoted: at < 0, column: start + 1, offset: this.offset + start, end: this.offset + this.bounds[2 * k + 1]! });
    }
    this.wordList = words;
    return words;
  }
}

/** setup.sh's syntax as the shared line reader knows it: `#` comments, double quotes, spaces and tabs. */
const SETUP_SYNTAX: LineSyntax = { commentChars: '#' };

/** `text` (one line, its `\r` removed) split into words and comment, as config-text.ts splits it. */
export function splitSetupLine(file: string, line: number, offset: number, text: string): SetupLine {
  const texts: string[] = [];
  const bounds: number[] = [];
  const comment = splitWords(text, SETUP_SYNTAX, texts, bounds);
  const out = new SetupLine(file, line, offset, text, texts, bounds);
  if (comment !== undefined) out.comment = comment;
  return out;
}

/**
 * The words of a plain line (its characters printable ASCII but `"` and `#`, words separated by
 * single spaces, none at either end): what `splitSetupLine` gives for it, without positions.
 * Undefined for any other line.
 */
export function plainWords(text: string): string[] | undefined {
  const n = text.length;
  if (n === 0 || text.charCodeAt(0) === 0x20 || text.charCodeAt(n - 1) === 0x20) return undefined;
  let previous = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x20) {
      if (previous === 0x20) return undefined;
    } else if (c < 0x21 || c > 0x7e || c === 0x22 || c === 0x23) {
      return undefined;
    }
    previous = c;
  }
  return text.split(' ');
}

/** The span of a whole line (without its line break). */
export function lineSpan(line: SetupLine): Span {
  return {
    file: line.file,
    start: { line: line.line, column: 1, offset: line.offset },
    end: { line: line.line, column: line.text.length + 1, offset: line.offset + line.text.length },
  };
}

/** The span of one word of a line. */
export function wordSpan(line: SetupLine, word: SetupWord): Span {
  return {
    file: line.file,
    start: { line: line.line, column: word.column, offset: word.offset },
    end: { line: line.line, column: word.column + (word.end - word.offset), offset: word.end },
  };
}
