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

/**
 * A top-level line taken out of the line-by-line reading (`lexSections`): a static route under its
 * `! plumb route origin` annotation, or a prefix-list entry, each with no body. The two line kinds
 * are half of a large router's lines; they are kept as their text and position only, and a reader
 * makes the `IosLine` (`line()`) only where it needs one (a diagnostic's span, a definition).
 */
export class PlainLine {
  constructor(
    readonly file: string,
    /** 1-based line number. */
    readonly line: number,
    readonly offset: number,
    /** The line's text as written: a first word at column 1 (not trimmed: `words` decides). */
    readonly raw: string,
    /** The annotation line directly above a route, as written. */
    readonly ann?: PlainLine,
  ) {}

  /** The line as lexConfig makes it. */
  ios(): IosLine {
    const text = this.raw.trimEnd();
    return new IosLine(this.file, this.line, this.offset, text, indentOf(text), text.charCodeAt(indentOf(text)) === 0x21);
  }

  /**
   * The words when the line is printable ASCII with single spaces between its words and none
   * at its end (then they are exactly the words IosLine splits); undefined otherwise.
   */
  words(): string[] | undefined {
    const t = this.raw;
    const n = t.length;
    if (n === 0 || t.charCodeAt(n - 1) === 0x20) return undefined;
    let space = true;
    for (let i = 0; i < n; i++) {
      const c = t.charCodeAt(i);
      if (c === 0x20) {
        if (space) return undefined;
        space = true;
      } else if (c < 0x21 || c > 0x7e) return undefined;
      else space = false;
    }
    return t.split(' ');
  }
}

/** The section a PlainLine stands for, as sectionsOf makes it (its comments above: the annotation only). */
export function sectionOfPlain(p: PlainLine): Section {
  return { head: p.ios(), body: [], before: p.ann ? [p.ann.ios()] : [] };
}

/** How Plumb writes a static route's origin annotation (the tag follows). */
export const ROUTE_ANNOTATION = '! plumb route origin ';

/**
 * What a reader takes straight from the text in `lexSections`, instead of a PlainLine: a route
 * or a prefix-list entry written as Plumb writes it, as the reader's own item. Each gets the
 * file's text and its lines' bounds (`[at, end)`, without the line break) and gives undefined
 * for a line it does not take, which is then a PlainLine as before. `entry` gets the item taken
 * last, if the line above was taken too, and may give that item back with the entry added to it.
 */
export interface WrittenTaker<T> {
  route(content: string, annAt: number, annEnd: number, at: number, end: number, line: number): T | undefined;
  entry(content: string, at: number, end: number, line: number, previous: T | undefined): T | undefined;
}

/** Where the line starting at `at` ends: its line break, or the end of the text. */
function lineEnd(content: string, at: number): number {
  const end = content.indexOf('\n', at);
  return end < 0 ? content.length : end;
}

/**
 * lexConfig and sectionsOf in one pass, with static routes directly under their annotation and
 * prefix-list entries taken apart as PlainLines (or `take`'s items), in their place among the
 * sections. Only lines whose next line starts a word at column 1 are taken (their section would
 * have no body), and a route only with the annotation right above it (the `before` comment a
 * route reads); the comments above a taken line are dropped, as no other section would have
 * seen them. `comments` holds the comment lines at column 1 that were not taken, as lexConfig
 * gives them (the reader's annotations are among them; the other lines are only in `items`, not
 * also listed: a large policy has hundreds of thousands). The text is walked line by line in
 * place: a taken line is not cut out of it unless it becomes a PlainLine.
 */
export function lexSections<T = never>(file: string, content: string, take?: WrittenTaker<T>): { comments: IosLine[]; items: (Section | PlainLine | T)[] } {
  const comments: IosLine[] = [];
  const items: (Section | PlainLine | T)[] = [];
  const grouping = new SectionGrouping(items);
  const n = content.length;
  // the item `take` gave for the line above, if it was taken (an entry may join it)
  let taken: T | undefined;
  let line = 0;
  // every line, the last one (after the last line break, maybe empty) included, as split('\n') gives them
  for (let at = 0; at <= n; ) {
    line++;
    const end = lineEnd(content, at);
    const c = content.charCodeAt(at);
    if (c === 0x21 && content.startsWith(ROUTE_ANNOTATION, at) && startsWordIn(content, at + ROUTE_ANNOTATION.length, end)) {
      const next = end + 1;
      if (next <= n && content.startsWith('ip route ', next)) {
        const nextEnd = lineEnd(content, next);
        if (startsWordIn(content, nextEnd + 1, n)) {
          const item = take?.route(content, at, end, next, nextEnd, line + 1);
          if (item !== undefined) items.push(item);
          else items.push(new PlainLine(file, line + 1, next, content.slice(next, nextEnd), new PlainLine(file, line, at, content.slice(at, end))));
          taken = item;
          grouping.cut();
          line++;
          at = nextEnd + 1;
          continue;
        }
      }
    } else if (c === 0x69 && content.startsWith('ip prefix-list ', at) && startsWordIn(content, end + 1, n)) {
      const item = take?.entry(content, at, end, line, taken);
      if (item === undefined) items.push(new PlainLine(file, line, at, content.slice(at, end)));
      else if (item !== taken) items.push(item);
      taken = item;
      grouping.cut();
      at = end + 1;
      continue;
    }
    taken = undefined;
    const text = content.slice(at, end).trimEnd();
    if (text.length > 0) {
      const indent = indentOf(text);
      const l = new IosLine(file, line, at, text, indent, text.charCodeAt(indent) === 0x21);
      if (indent === 0 && l.isComment) comments.push(l);
      grouping.add(l);
    }
    at = end + 1;
  }
  return { comments, items };
}

/** The character at `at` is printable ASCII other than the space, and before `end` (startsWord, in place). */
function startsWordIn(content: string, at: number, end: number): boolean {
  if (at >= end) return false;
  const c = content.charCodeAt(at);
  return c >= 0x21 && c <= 0x7e;
}

/**
 * Groups lines into sections as they come: a line at column 1 heads a section, an indented line
 * joins the section above it, and comments at column 1 wait as the `before` of the next section
 * (a comment ends the section above it).
 */
class SectionGrouping {
  private pending: IosLine[] = [];
  private current: Section | undefined;

  constructor(private readonly out: { push(section: Section): unknown }) {}

  add(l: IosLine): void {
    if (l.indent === 0) {
      if (l.isComment) {
        this.pending.push(l);
        this.current = undefined;
        return;
      }
      this.current = { head: l, body: [], before: this.pending };
      this.pending = [];
      this.out.push(this.current);
    } else if (this.current) {
      this.current.body.push(l);
    } else if (!l.isComment) {
      // an indented line outside any section: let the caller report it as a section of its own
      this.out.push({ head: l, body: [], before: this.pending });
      this.pending = [];
    }
  }

  /** A line taken apart in its place (a PlainLine) ends the section above it and drops the comments waiting. */
  cut(): void {
    // an empty list is nobody's `before` yet: kept, rather than a new one for each of a router's
    // thousands of taken lines
    if (this.pending.length > 0) this.pending = [];
    this.current = undefined;
  }
}

export function sectionsOf(lines: IosLine[]): Section[] {
  const sections: Section[] = [];
  const grouping = new SectionGrouping(sections);
  for (const l of lines) grouping.add(l);
  return sections;
}
