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

/**
 * One line of a file. Its words' texts are kept (`texts`) and their positions as numbers; the
 * `Word` objects are made only for a line whose `words` are asked for: a large file has millions
 * of words, and readers mostly need only their texts (docs/performance.md). A line made without
 * its words (`lazily`, for a dialect without comment characters) splits them when first asked:
 * a reader that decides on a line from its text (an IOS remark or annotation) never splits it.
 */
export class ConfigLine {
  /** The comment's text after the comment character and one space, when the line has one. */
  declare comment?: string;
  private wordList: Word[] | undefined;
  private textList: readonly string[] | undefined;
  /** Per word, its start in `text` (bitwise-not of it for a quoted word) and its end. */
  private boundList: readonly number[] | undefined;

  constructor(
    readonly file: string,
    /** 1-based line number. */
    readonly line: number,
    /** Offset of the line's first character in the file. */
    readonly offset: number,
    readonly text: string,
    /** Leading spaces (tabs count as one). */
    readonly indent: number,
    /** The words' texts, before any comment (a quoted word without its quotes). */
    texts: readonly string[] | undefined,
    bounds: readonly number[] | undefined,
    /** How to split the words of a line made without them (a syntax without comment characters). */
    private readonly lazily?: LineSyntax,
  ) {
    this.textList = texts;
    this.boundList = bounds;
  }

  /** The words' texts, before any comment (a quoted word without its quotes). */
  get texts(): readonly string[] {
    return this.textList ?? this.split()[0];
  }

  /** Whether the words are split already (a line made with them, or asked for them before). */
  get hasWords(): boolean {
    return this.textList !== undefined;
  }

  private get bounds(): readonly number[] {
    return this.boundList ?? this.split()[1];
  }

  private split(): [readonly string[], readonly number[]] {
    const texts: string[] = [];
    const bounds: number[] = [];
    splitWords(this.text, this.lazily!, texts, bounds);
    this.textList = texts;
    this.boundList = bounds;
    return [texts, bounds];
  }

  /** Where word `k` starts in `text` (at its opening quote when quoted). */
  startOf(k: number): number {
    const at = this.bounds[2 * k]!;
    return at < 0 ? ~at : at;
  }

  /** Where word `k` ends in `text` (after its closing quote when quoted). */
  endOf(k: number): number {
    return this.bounds[2 * k + 1]!;
  }

  /** The words before any comment. */
  get words(): Word[] {
    if (this.wordList) return this.wordList;
    const words: Word[] = [];
    const texts = this.texts;
    const bounds = this.bounds;
    for (let k = 0; k < texts.length; k++) {
      const at = bounds[2 * k]!;
      const start = at < 0 ? ~at : at;
      words.push({ text: texts[k]!, quoted: at < 0, column: start + 1, offset: this.offset + start, end: this.offset + bounds[2 * k + 1]! });
    }
    this.wordList = words;
    return words;
  }
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

/** `text`'s words into `texts` and `bounds` (as `ConfigLine` keeps them); the comment, if any. */
export function splitWords(text: string, syntax: LineSyntax, texts: string[], bounds: number[]): string | undefined {
  const { commentChars, quotes = true, blanks = 'spaces' } = syntax;
  const isBlank = blanks === 'spaces' ? SPACES : WHITESPACE;
  let j = 0;
  while (j < text.length) {
    const code = text.charCodeAt(j);
    // printable ASCII but the space is never blank: decided without a call
    if ((code <= 0x20 || code >= 0x7f) && isBlank(text[j]!)) {
      j++;
      continue;
    }
    if (commentChars !== '' && commentChars.includes(text[j]!)) return text.slice(j + 1).replace(/^ /, '');
    const start = j;
    if (quotes && code === 0x22) {
      const close = text.indexOf('"', j + 1);
      const stop = close < 0 ? text.length : close;
      texts.push(text.slice(j + 1, stop));
      bounds.push(~start, Math.min(stop + 1, text.length));
      j = stop + 1;
      continue;
    }
    for (; j < text.length; j++) {
      const code = text.charCodeAt(j);
      if ((code <= 0x20 || code >= 0x7f) && isBlank(text[j]!)) break;
    }
    texts.push(text.slice(start, j));
    bounds.push(start, j);
  }
  return undefined;
}

/** Leading whitespace as trimStart counts it, without making the trimmed copy of a line. */
export function indentOf(text: string): number {
  let indent = 0;
  while (indent < text.length && WHITESPACE(text[indent]!)) indent++;
  return indent;
}

/** The character at `at` of `text` is whitespace as `blanks: 'whitespace'` splits words. */
export function isWhitespaceAt(text: string, at: number): boolean {
  return WHITESPACE(text[at]!);
}

/** Splits `content` into lines of words, as `syntax` writes them. */
export function readLines(file: string, content: string, syntax: LineSyntax): ConfigLine[] {
  const out: ConfigLine[] = [];
  let offset = 0;
  const raw = content.split('\n');
  // one line's words are gathered here and copied out at their exact size: an array grown by
  // push keeps room for more, and a large file's lines all live until it is read
  const texts: string[] = [];
  const bounds: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    const text0 = raw[i]!;
    const text =
      syntax.blanks === 'whitespace' ? text0.trimEnd() : text0.endsWith('\r') ? text0.slice(0, -1) : text0;
    texts.length = 0;
    bounds.length = 0;
    const comment = splitWords(text, syntax, texts, bounds);
    const line = new ConfigLine(file, i + 1, offset, text, indentOf(text), texts.slice(), bounds.slice());
    if (comment !== undefined) line.comment = comment;
    out.push(line);
    offset += text0.length + 1;
  }
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
  const k = Math.min(index, line.texts.length - 1);
  if (k < 0) return wordSpan(line, line.words[k]!); // no word: fails as before
  const start = line.startOf(k);
  const end = line.endOf(k);
  return {
    file: line.file,
    start: { line: line.line, column: start + 1, offset: line.offset + start },
    end: { line: line.line, column: end + 1, offset: line.offset + end },
  };
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
  return from >= 0 && from < line.texts.length ? line.text.slice(line.startOf(from)) : '';
}

/** Text of the words from index `from` on, joined by single spaces. */
export function restOf(line: ConfigLine, from: number): string {
  return line.texts.slice(from).join(' ');
}
