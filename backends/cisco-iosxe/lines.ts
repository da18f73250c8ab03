// IOS configuration text → lines of words with positions (lexed by backends/config-text.ts in
// IOS's syntax), grouped into sections (a line at column 1 and the indented lines under it).
// Comment lines (`!`) are kept apart: `! plumb ...` annotations are data for the reader, other
// comments are ignored.

import { ConfigLine, indentOf, isWhitespaceAt, type LineSyntax } from '../config-text.js';

/** How IOS writes a line: words split at any whitespace, no quoting (`!` lines are told apart by the lexer). */
export const IOS_SYNTAX: LineSyntax = { commentChars: '', quotes: false, blanks: 'whitespace' };

/**
 * A line of an IOS config: words split at any whitespace, no quoting; `!` lines are comments.
 * Its words are split when first asked for: a reader that knows a line by its text (a remark, an
 * annotation: two in three lines of a large policy) never splits it (`afterWords`).
 */
export class IosLine extends ConfigLine {
  constructor(
    file: string,
    line: number,
    offset: number,
    text: string,
    indent: number,
    /** The line's first word starts with `!` (its words are kept: `! plumb` annotations are data). */
    readonly isComment: boolean,
  ) {
    super(file, line, offset, text, indent, undefined, undefined, IOS_SYNTAX);
  }
}

export interface Section {
  head: IosLine;
  body: IosLine[];
  /** Comment lines directly above the head (annotations for it). */
  before: IosLine[];
}

/** The non-blank lines of an IOS config (as readLines splits them in IOS's syntax). */
export function lexConfig(file: string, content: string): IosLine[] {
  const out: IosLine[] = [];
  const raw = content.split('\n');
  let offset = 0;
  for (let i = 0; i < raw.length; i++) {
    const text0 = raw[i]!;
    const text = text0.trimEnd();
    // trimEnd and the word splitter agree on whitespace: a line of whitespace is empty here
    if (text.length > 0) {
      const indent = indentOf(text);
      out.push(new IosLine(file, i + 1, offset, text, indent, text.charCodeAt(indent) === 0x21));
    }
    offset += text0.length + 1;
  }
  return out;
}

/**
 * The text after a line's first words when they are `words` (single spaces between them and
 * after the last, e.g. `'remark '`), as textAfter(l, n) would give it with n the number of
 * those words; undefined when the line is not written that way (then read its words). Decides
 * from the text alone, without splitting the line.
 */
export function afterWords(l: IosLine, words: string): string | undefined {
  const at = l.indent + words.length;
  // the next word starts right after the last space: not at the end, nor at more whitespace
  return l.text.startsWith(words, l.indent) && at < l.text.length && !isWhitespaceAt(l.text, at) ? l.text.slice(at) : undefined;
}

export function sectionsOf(lines: IosLine[]): Section[] {
  const sections: Section[] = [];
  let pending: IosLine[] = [];
  let current: Section | undefined;
  for (const l of lines) {
    if (l.indent === 0) {
      if (l.isComment) {
        pending.push(l);
        current = undefined;
        continue;
      }
      current = { head: l, body: [], before: pending };
      pending = [];
      sections.push(current);
    } else if (current) {
      current.body.push(l);
    } else if (!l.isComment) {
      // an indented line outside any section: let the caller report it as a section of its own
      sections.push({ head: l, body: [], before: pending });
      pending = [];
    }
  }
  return sections;
}
