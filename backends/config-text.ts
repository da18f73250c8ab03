// Line-oriented reading of configuration text, shared by the readers: every line with its
// position, split into words (double-quoted strings are one word), and spans and R9xx
// diagnostics pointing at a line or a word. Vendor knowledge stays in backends/<platform>/.

import type { Diagnostic, Severity, Span } from '../language/diagnostic.js';

export interface Word {
  text: string;
  /** Written in double quotes (the quotes are not part of `text`). */
  quoted: boolean;
  /** 1-based column and 0-based offset in the file of the word's first character. */
  column: number;
  offset: number;
  /** Offset just past the word (after the closing quote). */
  end: number;
}

export interface ConfigLine {
  file: string;
  /** 1-based line number. */
  line: number;
  /** Offset of the line's first character in the file. */
  offset: number;
  text: string;
  /** Leading spaces (tabs count as one). */
  indent: number;
  /** The words before any comment. */
  words: Word[];
  /** The comment's text after the comment character and one space, when the line has one. */
  comment?: string;
}

/** Splits `content` into lines; `commentChars` start a comment outside quotes. */
export function readLines(file: string, content: string, commentChars: string): ConfigLine[] {
  const out: ConfigLine[] = [];
  let offset = 0;
  const raw = content.split('\n');
  raw.forEach((text0, i) => {
    const text = text0.endsWith('\r') ? text0.slice(0, -1) : text0;
    const words: Word[] = [];
    let comment: string | undefined;
    let j = 0;
    while (j < text.length) {
      const c = text[j]!;
      if (c === ' ' || c === '\t') {
        j++;
        continue;
      }
      if (commentChars.includes(c)) {
        comment = text.slice(j + 1).replace(/^ /, '');
        break;
      }
      const start = j;
      if (c === '"') {
        const close = text.indexOf('"', j + 1);
        const stop = close < 0 ? text.length : close;
        words.push({
          text: text.slice(j + 1, stop),
          quoted: true,
          column: start + 1,
          offset: offset + start,
          end: offset + Math.min(stop + 1, text.length),
        });
        j = stop + 1;
        continue;
      }
      while (j < text.length && text[j] !== ' ' && text[j] !== '\t') j++;
      words.push({
        text: text.slice(start, j),
        quoted: false,
        column: start + 1,
        offset: offset + start,
        end: offset + j,
      });
    }
    const indent = text.length - text.trimStart().length;
    out.push({
      file,
      line: i + 1,
      offset,
      text,
      indent,
      words,
      ...(comment !== undefined ? { comment } : {}),
    });
    offset += text0.length + 1;
  });
  return out;
}

/** The span of a whole line (without its line break). */
export function lineSpan(line: ConfigLine): Span {
  return {
    file: line.file,
    start: { line: line.line, column: 1, offset: line.offset },
    end: { line: line.line, column: line.text.length + 1, offset: line.offset + line.text.length },
  };
}

/** The span of one word of a line. */
export function wordSpan(line: ConfigLine, word: Word): Span {
  return {
    file: line.file,
    start: { line: line.line, column: word.column, offset: word.offset },
    end: { line: line.line, column: word.column + (word.end - word.offset), offset: word.end },
  };
}

export function diagnostic(
  code: string,
  severity: Severity,
  span: Span,
  message: string,
  hint?: string,
): Diagnostic {
  return { code, severity, span, message, related: [], ...(hint !== undefined ? { hint } : {}) };
}

/** Text of the words from index `from` on, joined by single spaces. */
export function restOf(line: ConfigLine, from: number): string {
  return line.words
    .slice(from)
    .map((w) => w.text)
    .join(' ');
}
