// The nftables file syntax Plumb reads back: `table inet plumb { set ... { } chain ... { } }`,
// one rule per line (anonymous sets `{ a, b }` may span lines), `#` comments. This file only
// splits the text into statements with spans; nft-read.ts gives them meaning.

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

interface Token {
  kind: 'word' | 'string' | '{' | '}' | ';' | 'nl' | 'comment';
  text: string;
  span: Span;
}

/** The characters that end a word, by character code (only ASCII ones do). */
const ENDS_WORD = new Uint8Array(128);
for (const c of ' \t\r\n{};"#') ENDS_WORD[c.charCodeAt(0)] = 1;

function tokenize(file: string, content: string): Token[] {
  const out: Token[] = [];
  let line = 1;
  let lineStart = 0;
  const pos = (offset: number): Span['start'] => ({ line, column: offset - lineStart + 1, offset });
  let i = 0;
  while (i < content.length) {
    const c = content[i]!;
    if (c === '\n') {
      out.push({ kind: 'nl', text: '\n', span: { file, start: pos(i), end: pos(i + 1) } });
      i++;
      line++;
      lineStart = i;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    const start = pos(i);
    if (c === '#') {
      let j = content.indexOf('\n', i);
      if (j < 0) j = content.length;
      const text = content
        .slice(i + 1, j)
        .replace(/\r$/, '')
        .replace(/^ /, '');
      out.push({ kind: 'comment', text, span: { file, start, end: pos(j) } });
      i = j;
      continue;
    }
    if (c === '{' || c === '}' || c === ';') {
      out.push({ kind: c, text: c, span: { file, start, end: pos(i + 1) } });
      i++;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      while (j < content.length && content[j] !== '"' && content[j] !== '\n') j++;
      const closed = content[j] === '"';
      out.push({
        kind: 'string',
        text: content.slice(i + 1, j),
        span: { file, start, end: pos(closed ? j + 1 : j) },
      });
      i = closed ? j + 1 : j;
      continue;
    }
    let j = i;
    while (j < content.length && !ENDS_WORD[content.charCodeAt(j)]) j++;
    out.push({ kind: 'word', text: content.slice(i, j), span: { file, start, end: pos(j) } });
    i = j;
  }
  return out;
}

function joinSpans(a: Span, b: Span): Span {
  return { file: a.file, start: a.start, end: b.end };
}

const BLOCK_HEADS = new Set(['table', 'chain', 'set']);

/** Parses the file into nested blocks; unbalanced braces become R902 diagnostics. */
export function parseNft(file: string, content: string): { nodes: NftNode[]; diagnostics: Diagnostic[] } {
  const tokens = tokenize(file, content);
  const diagnostics: Diagnostic[] = [];
  let i = 0;

  const word = (t: Token): NftWord => ({ text: t.text, quoted: t.kind === 'string', span: t.span });

  const parseBody = (closing: boolean): NftNode[] => {
    const nodes: NftNode[] = [];
    let items: NftItem[] = [];
    let first: Span | undefined;
    let last: Span | undefined;
    const flush = (): void => {
      if (items.length > 0 && first && last)
        nodes.push({ kind: 'statement', items, span: joinSpans(first, last) });
      items = [];
      first = undefined;
      last = undefined;
    };
    while (i < tokens.length) {
      const t = tokens[i]!;
      if (t.kind === 'nl' || t.kind === ';') {
        flush();
        i++;
        continue;
      }
      if (t.kind === 'comment') {
        flush();
        nodes.push({ kind: 'comment', text: t.text, span: t.span });
        i++;
        continue;
      }
      if (t.kind === '}') {
        flush();
        if (closing) {
          i++;
          return nodes;
        }
        diagnostics.push(diagnostic(Codes.readerMalformedValue, t.span, 'this `}` closes no block'));
        i++;
        continue;
      }
      if (t.kind === '{') {
        const head = items.flatMap((it) => (it.kind === 'word' ? [it.word] : []));
        const isBlock = head.length > 0 && head.length === items.length && BLOCK_HEADS.has(head[0]!.text);
        if (isBlock) {
          const start = first ?? t.span;
          items = [];
          first = undefined;
          last = undefined;
          i++;
          const body = parseBody(true);
          const end = tokens[i - 1]?.span ?? t.span;
          nodes.push({ kind: 'block', head, body, span: joinSpans(start, end) });
          continue;
        }
        // An anonymous set inside a rule: elements up to the matching `}`, across lines.
        const elements: NftWord[] = [];
        let j = i + 1;
        while (j < tokens.length && tokens[j]!.kind !== '}') {
          const e = tokens[j]!;
          if (e.kind === 'word' || e.kind === 'string') {
            for (const part of e.kind === 'word' ? splitCommas(e) : [e]) elements.push(word(part));
          } else if (e.kind === '{' || e.kind === ';') {
            diagnostics.push(
              diagnostic(Codes.readerMalformedValue, e.span, `unexpected \`${e.text}\` in a set`),
            );
          }
          j++;
        }
        if (j >= tokens.length) {
          diagnostics.push(diagnostic(Codes.readerMalformedValue, t.span, 'this `{` is never closed'));
          i = j;
          continue;
        }
        const span = joinSpans(t.span, tokens[j]!.span);
        items.push({ kind: 'set', elements, span });
        first ??= span;
        last = span;
        i = j + 1;
        continue;
      }
      items.push({ kind: 'word', word: word(t) });
      first ??= t.span;
      last = t.span;
      i++;
    }
    flush();
    if (closing) {
      const end = tokens[tokens.length - 1]?.span;
      if (end)
        diagnostics.push(
          diagnostic(Codes.readerMalformedValue, end, 'a block is never closed: `}` missing at the end'),
        );
    }
    return nodes;
  };

  const nodes = parseBody(false);
  return { nodes, diagnostics };
}

/** `80,443` inside a set is two elements; commas are separators, never part of an element. */
function splitCommas(t: Token): Token[] {
  const out: Token[] = [];
  let from = 0;
  for (const piece of t.text.split(',')) {
    if (piece !== '') {
      const offset = t.span.start.offset + from;
      const column = t.span.start.column + from;
      out.push({
        kind: 'word',
        text: piece,
        span: {
          file: t.span.file,
          start: { line: t.span.start.line, column, offset },
          end: { line: t.span.start.line, column: column + piece.length, offset: offset + piece.length },
        },
      });
    }
    from += piece.length + 1;
  }
  return out;
}

/** The words of a statement, a nested set shown as `{…}`. */
export function wordsOf(statement: NftStatement): string[] {
  return statement.items.map((it) => (it.kind === 'word' ? it.word.text : '{…}'));
}
