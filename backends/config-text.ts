// Line-oriented reading of configuration text, shared by the readers: every line with its
// position, split into words (double-quoted strings are one word where the dialect quotes), and
// spans pointing at a line or a word, for the R9xx diagnostics. Each dialect says how it writes
// comments and words (`LineSyntax`); vendor knowledge stays in backends/<platform>/.

import type { Span } from '../language/diagnostic.js';

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

/** How a dialect writes its lines. */
export interface LineSyntax {
  /** Characters that start a comment at the start of a word, outside quotes. */
  commentChars: string;
  /** Double quotes make one word of what they enclose (default true). */
  quotes?: boolean;
  /**
   * What separates words: spaces and tabs (default), or any whitespace, with trailing whitespace
   * removed from the line's text (IOS, which also keeps its `!` comment lines as words).
   */
  blanks?: 'spaces' | 'whitespace';
}

const SPACES = (c: string): boolean => c === ' ' || c === '\t';
/** JavaScript's whitespace (`\s`), with the ASCII cases first: they are nearly all there is. */
const WHITESPACE = (c: string): boolean =>
  c === ' ' || (c >= '\t' && c <= '\r') || (c > '\u007f' && /\s/.test(c));

/** Splits `content` into lines of words, as `syntax` writes them. */
export function readLines(file: string, content: string, syntax: LineSyntax): ConfigLine[] {
  const { commentChars, quotes = true, blanks = 'spaces' } = syntax;
  const isBlank = blanks === 'spaces' ? SPACES : WHITESPACE;
  const plainWords = !quotes && commentChars === '';
  const out: ConfigLine[] = [];
  let offset = 0;
  const raw = content.split('\n');
  raw.forEach((text0, i) => {
    const text =
      blanks === 'whitespace' ? text0.trimEnd() : text0.endsWith('\r') ? text0.slice(0, -1) : text0;
    const words: Word[] = [];
    let comment: string | undefined;
    let j = plainWords ? text.length : 0;
    // Without quotes or comments a word is a run of non-blanks: one regular expression finds them.
    if (plainWords) {
      const runs = blanks === 'spaces' ? /[^ \t]+/g : /\S+/g;
      for (let m = runs.exec(text); m !== null; m = runs.exec(text)) {
        words.push({
          text: m[0],
          quoted: false,
          column: m.index + 1,
          offset: offset + m.index,
          end: offset + m.index + m[0].length,
        });
      }
    }
    while (j < text.length) {
      const code = text.charCodeAt(j);
      // printable ASCII but the space is never blank: decided without a call
      if ((code <= 0x20 || code >= 0x7f) && isBlank(text[j]!)) {
        j++;
        continue;
      }
      const c = text[j]!;
      if (commentChars.includes(c)) {
        comment = text.slice(j + 1).replace(/^ /, '');
        break;
      }
      const start = j;
      if (quotes && c === '"') {
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
      for (; j < text.length; j++) {
        const code = text.charCodeAt(j);
        if ((code <= 0x20 || code >= 0x7f) && isBlank(text[j]!)) break;
      }
      words.push({
        text: text.slice(start, j),
        quoted: false,
        column: start + 1,
        offset: offset + start,
        end: offset + j,
      });
    }
    // Leading whitespace as trimStart counts it, without making the trimmed copy of every line.
    let indent = 0;
    while (indent < text.length && WHITESPACE(text[indent]!)) indent++;
    const line: ConfigLine = { file, line: i + 1, offset, text, indent, words };
    if (comment !== undefined) line.comment = comment;
    out.push(line);
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

/** The span of one word of a line by its index (past the last word: the last word). */
export function wordSpanAt(line: ConfigLine, index: number): Span {
  return wordSpan(line, line.words[Math.min(index, line.words.length - 1)]!);
}

/** The span of a line's text from its first word to its end (without indent and line break). */
export function textSpan(line: ConfigLine): Span {
  const length = line.text.length - line.indent;
  const offset = line.offset + line.indent;
  const column = line.indent + 1;
  return {
    file: line.file,
    start: { line: line.line, column, offset },
    end: { line: line.line, column: column + length, offset: offset + length },
  };
}

/** The text from word `from` on, as written (inner spacing kept); empty past the last word. */
export function textAfter(line: ConfigLine, from: number): string {
  const word = line.words[from];
  return word ? line.text.slice(word.column - 1) : '';
}

/** Text of the words from index `from` on, joined by single spaces. */
export function restOf(line: ConfigLine, from: number): string {
  return line.words
    .slice(from)
    .map((w) => w.text)
    .join(' ');
}
