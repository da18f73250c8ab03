// The nftables file syntax Plumb reads back: `table inet plumb { set ... { } chain ... { } }`,
// one rule per line (anonymous sets `{ a, b }` may span lines), `#` comments. This file only
// splits the text into statements with spans; nft-read.ts gives them meaning.
//
// A ruleset of thousands of rules has hundreds of thousands of words, and the readers ask for
// few of their spans (diagnostics, references, a rule without its origin line): a word, a
// comment and a statement keep offsets and make their span when it is first asked for, and the
// tokens are read one at a time, not kept (docs/performance.md).

import { diagnostic, type Diagnostic, type Span } from '../../language/diagnostic.js';
import { Codes } from '../../language/diagnostics/index.js';

export interface NftWord {
  text: string;
  quoted: boolean;
  span: Span;
}

/** A word, or an anonymous set `{ a, b }` (its elements, commas removed). */
export type NftItem = { kind: 'word'; word: NftWord } | { kind: 'set'; elements: NftWord[]; span: Span };

export interface NftStatement {
  kind: 'statement';
  items: NftItem[];
  span: Span;
}

export interface NftComment {
  kind: 'comment';
  text: string;
  span: Span;
}

export interface NftBlock {
  kind: 'block';
  /** The words before `{`, e.g. ["chain", "forward"]. */
  head: NftWord[];
  body: NftNode[];
  span: Span;
}

export type NftNode = NftStatement | NftComment | NftBlock;

/** A line of the file: every token on it points here for its line number and columns. */
interface Place {
  readonly file: string;
  readonly line: number;
  /** Offset of the line's first character. */
  readonly start: number;
}

function spanAt(place: Place, start: number, end: number): Span {
  return {
    file: place.file,
    start: { line: place.line, column: start - place.start + 1, offset: start },
    end: { line: place.line, column: end - place.start + 1, offset: end },
  };
}

/** A word of a statement, which is also its item (`kind` and `word`); its span made on demand. */
class Word implements NftWord {
  readonly kind = 'word';
  private made: Span | undefined;

  constructor(
    readonly text: string,
    readonly quoted: boolean,
    private readonly place: Place,
    private readonly start: number,
    private readonly end: number,
  ) {}

  get word(): NftWord {
    return this;
  }

  get span(): Span {
    return (this.made ??= spanAt(this.place, this.start, this.end));
  }
}

/** A `#` comment; its span made on demand. */
class Comment implements NftComment {
  readonly kind = 'comment';
  private made: Span | undefined;

  constructor(
    readonly text: string,
    private readonly place: Place,
    private readonly start: number,
    private readonly end: number,
  ) {}

  get span(): Span {
    return (this.made ??= spanAt(this.place, this.start, this.end));
  }
}

/** A statement: from its first item's start to its last item's end, made on demand. */
class Statement implements NftStatement {
  readonly kind = 'statement';
  private made: Span | undefined;

  constructor(readonly items: NftItem[]) {}

  get span(): Span {
    return (this.made ??= joinSpans(itemSpan(this.items[0]!), itemSpan(this.items[this.items.length - 1]!)));
  }
}

function itemSpan(item: NftItem): Span {
  return item.kind === 'word' ? item.word.span : item.span;
}

// Token kinds.
const WORD = 0;
const STRING = 1;
const OPEN = 2;
const CLOSE = 3;
const SEMI = 4;
const NL = 5;
const COMMENT = 6;
const PUNCTUATION = ['', '', '{', '}', ';', '\n', ''];

/** The characters that end a word, by character code (only ASCII ones do). */
const ENDS_WORD = new Uint8Array(128);
for (const c of ' \t\r\n{};"#') ENDS_WORD[c.charCodeAt(0)] = 1;

/**
 * The words the renderer writes in nearly every rule (`ip saddr … meta l4proto tcp tcp dport …
 * return comment …`): a word of the file that is one of them is given as the constant, not cut
 * from the file. Most of a rule's words are keywords, so the parse keeps a new text only for its
 * values, and the readers' comparisons with these constants find the same text at once.
 */
export const NFT_KEYWORDS = [
  'ip', 'ip6', 'saddr', 'daddr', 'meta', 'l4proto', 'tcp', 'udp', 'sport', 'dport', 'icmp', 'icmpv6', 'type',
  'counter', 'return', 'drop', 'accept', 'comment', 'iifname', 'oifname', 'jump', 'ct', 'state', 'flags',
];

/** The keywords by their first character's code (every one is ASCII), each list by length. */
const KEYWORDS_BY_FIRST: (string[] | undefined)[] = [];
for (const k of NFT_KEYWORDS) (KEYWORDS_BY_FIRST[k.charCodeAt(0)] ??= []).push(k);
const KEYWORD_MAX = Math.max(...NFT_KEYWORDS.map((k) => k.length));

/** The keyword that is `content` from `start` to `end`, if any. */
function keywordAt(content: string, start: number, end: number): string | undefined {
  const length = end - start;
  if (length > KEYWORD_MAX) return undefined;
  const candidates = KEYWORDS_BY_FIRST[content.charCodeAt(start)];
  if (candidates === undefined) return undefined;
  for (let k = 0; k < candidates.length; k++) {
    const keyword = candidates[k]!;
    if (keyword.length !== length) continue;
    let c = 1;
    while (c < length && content.charCodeAt(start + c) === keyword.charCodeAt(c)) c++;
    if (c === length) return keyword;
  }
  return undefined;
}

/**
 * Reads the file one token at a time: `next()` moves to the next token (false at the end), whose
 * kind, text and offsets are then the fields; the previous token's are kept for a block's end.
 */
class Lexer {
  kind = NL;
  text = '';
  start = 0;
  end = 0;
  place: Place;
  /** The token before the current one (the last one once `next()` returned false). */
  prevPlace: Place;
  prevStart = 0;
  prevEnd = 0;
  private i = 0;
  /** The line the scan is on (a token's `place` is its line's). */
  private line: Place;

  constructor(private readonly content: string, file: string) {
    this.line = { file, line: 1, start: 0 };
    this.place = this.line;
    this.prevPlace = this.line;
  }

  span(): Span {
    return spanAt(this.place, this.start, this.end);
  }

  prevSpan(): Span {
    return spanAt(this.prevPlace, this.prevStart, this.prevEnd);
  }

  next(): boolean {
    const content = this.content;
    let i = this.i;
    while (i < content.length) {
      const code = content.charCodeAt(i);
      if (code === 0x20 || code === 0x09 || code === 0x0d) {
        i++;
        continue;
      }
      this.prevPlace = this.place;
      this.prevStart = this.start;
      this.prevEnd = this.end;
      this.place = this.line;
      this.start = i;
      if (code === 0x0a) {
        this.set(NL, '\n', i + 1);
        this.line = { file: this.line.file, line: this.line.line + 1, start: i + 1 };
        return true;
      }
      if (code === 0x23) {
        let j = content.indexOf('\n', i);
        if (j < 0) j = content.length;
        let from = i + 1;
        let to = j;
        if (to > from && content.charCodeAt(to - 1) === 0x0d) to--;
        if (to > from && content.charCodeAt(from) === 0x20) from++;
        this.set(COMMENT, content.slice(from, to), j);
        return true;
      }
      if (code === 0x7b || code === 0x7d || code === 0x3b) {
        const kind = code === 0x7b ? OPEN : code === 0x7d ? CLOSE : SEMI;
        this.set(kind, PUNCTUATION[kind]!, i + 1);
        return true;
      }
      if (code === 0x22) {
        let j = i + 1;
        while (j < content.length && content.charCodeAt(j) !== 0x22 && content.charCodeAt(j) !== 0x0a) j++;
        const closed = j < content.length && content.charCodeAt(j) === 0x22;
        this.set(STRING, content.slice(i + 1, j), closed ? j + 1 : j);
        return true;
      }
      let j = i;
      while (j < content.length && !ENDS_WORD[content.charCodeAt(j)]) j++;
      this.set(WORD, keywordAt(content, i, j) ?? content.slice(i, j), j);
      return true;
    }
    this.i = i;
    if (this.kind !== -1) {
      // at the end: the last token becomes the previous one
      this.prevPlace = this.place;
      this.prevStart = this.start;
      this.prevEnd = this.end;
      this.kind = -1;
    }
    return false;
  }

  private set(kind: number, text: string, end: number): void {
    this.kind = kind;
    this.text = text;
    this.end = end;
    this.i = end;
  }

  word(): Word {
    return new Word(this.text, this.kind === STRING, this.place, this.start, this.end);
  }
}

function joinSpans(a: Span, b: Span): Span {
  return { file: a.file, start: a.start, end: b.end };
}

const BLOCK_HEADS = new Set(['table', 'chain', 'set']);

/** Parses the file into nested blocks; unbalanced braces become R902 diagnostics. */
export function parseNft(file: string, content: string): { nodes: NftNode[]; diagnostics: Diagnostic[] } {
  const lx = new Lexer(content, file);
  const diagnostics: Diagnostic[] = [];
  let more = lx.next();

  const parseBody = (closing: boolean): NftNode[] => {
    const nodes: NftNode[] = [];
    let items: NftItem[] = [];
    const flush = (): void => {
      if (items.length > 0) nodes.push(new Statement(items));
      items = [];
    };
    while (more) {
      const kind = lx.kind;
      if (kind === NL || kind === SEMI) {
        flush();
        more = lx.next();
        continue;
      }
      if (kind === COMMENT) {
        flush();
        nodes.push(new Comment(lx.text, lx.place, lx.start, lx.end));
        more = lx.next();
        continue;
      }
      if (kind === CLOSE) {
        flush();
        if (closing) {
          more = lx.next();
          return nodes;
        }
        diagnostics.push(diagnostic(Codes.readerMalformedValue, lx.span(), 'this `}` closes no block'));
        more = lx.next();
        continue;
      }
      if (kind === OPEN) {
        const head = items.flatMap((it) => (it.kind === 'word' ? [it.word] : []));
        const isBlock = head.length > 0 && head.length === items.length && BLOCK_HEADS.has(head[0]!.text);
        if (isBlock) {
          const start = itemSpan(items[0]!);
          items = [];
          more = lx.next();
          const body = parseBody(true);
          // its end: the `}` that closed it, or the file's last token
          nodes.push({ kind: 'block', head, body, span: joinSpans(start, lx.prevSpan()) });
          continue;
        }
        // An anonymous set inside a rule: elements up to the matching `}`, across lines.
        const open = lx.span();
        const elements: NftWord[] = [];
        more = lx.next();
        while (more && lx.kind !== CLOSE) {
          const k = lx.kind;
          if (k === WORD) splitCommas(lx.text, lx.place, lx.start, elements);
          else if (k === STRING) elements.push(lx.word());
          else if (k === OPEN || k === SEMI)
            diagnostics.push(diagnostic(Codes.readerMalformedValue, lx.span(), `unexpected \`${lx.text}\` in a set`));
          more = lx.next();
        }
        if (!more) {
          diagnostics.push(diagnostic(Codes.readerMalformedValue, open, 'this `{` is never closed'));
          continue;
        }
        items.push({ kind: 'set', elements, span: joinSpans(open, lx.span()) });
        more = lx.next();
        continue;
      }
      items.push(lx.word());
      more = lx.next();
    }
    flush();
    if (closing)
      diagnostics.push(
        diagnostic(Codes.readerMalformedValue, lx.prevSpan(), 'a block is never closed: `}` missing at the end'),
      );
    return nodes;
  };

  const nodes = parseBody(false);
  return { nodes, diagnostics };
}

/** `80,443` inside a set is two elements; commas are separators, never part of an element. */
function splitCommas(text: string, place: Place, start: number, out: NftWord[]): void {
  let from = 0;
  for (const piece of text.split(',')) {
    if (piece !== '') out.push(new Word(piece, false, place, start + from, start + from + piece.length));
    from += piece.length + 1;
  }
}

/** The words of a statement, a nested set shown as `{…}`. */
export function wordsOf(statement: NftStatement): string[] {
  return statement.items.map((it) => (it.kind === 'word' ? it.word.text : '{…}'));
}
