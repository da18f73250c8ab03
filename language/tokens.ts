// The lexer of the .plumb language. It never fails: every character becomes part of some
// token, and runs of characters that start no token become `Stray` tokens that the lexical checks
// (lexical-checks.ts) report (P100). A line over MAX_LINE_LENGTH is not lexed at all (P112), so
// no pattern ever runs over more than one bounded line. Keywords are not tokens of their own: they
// are names whose meaning depends on where they stand, so `zone`, `peer` or `via` stay usable as
// names elsewhere.
//
// The token patterns are in lex-patterns.ts, in matching order: at each position the first
// pattern that matches wins. This scanner runs them as chevrotain's lexer ran them (its first
// characters, its resynchronisation after characters that start no token), without building a
// chevrotain lexer on every start (its analysis of the patterns cost more than lexing a small
// file); test/language/lexer.test.ts holds it equal to chevrotain's lexer of the same patterns.

import { MAX_LINE_LENGTH } from './limits.js';
import { candidatesAt, LEX_PATTERNS, matchLength } from './lex-patterns.js';

export type TokKind =
  | 'Newline'
  | 'String'
  | 'UnterminatedString'
  | 'IPv6'
  | 'IPv4'
  | 'PortRange'
  | 'Int'
  | 'Arrow'
  | 'DashDash'
  | 'Equals'
  | 'Comma'
  | 'IfPin'
  | 'Colon'
  | 'Dot'
  | 'LBrace'
  | 'RBrace'
  | 'Name'
  | 'Stray'
  | 'EOF';

/** A token as the parser sees it: kind, text and 0-based offsets [start, end). */
export interface Tok {
  kind: TokKind;
  text: string;
  start: number;
  end: number;
}

export interface CommentTok {
  text: string;
  start: number;
  end: number;
}

export interface LexResult {
  /** Every token but whitespace and comments, ending with one `EOF` token. */
  tokens: Tok[];
  comments: CommentTok[];
  /** The lines longer than MAX_LINE_LENGTH, [start, end) without the line break: not lexed. */
  longLines: { start: number; end: number }[];
}

/** The lines longer than `max` characters, in order. */
function findLongLines(text: string, max: number): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    if (end - start > max) out.push({ start, end });
    start = end + 1;
  }
  return out;
}

/** The text with each range's characters replaced by spaces: offsets stay where they were. */
function blank(text: string, ranges: readonly { start: number; end: number }[]): string {
  const parts: string[] = [];
  let at = 0;
  for (const r of ranges) {
    parts.push(text.slice(at, r.start), ' '.repeat(r.end - r.start));
    at = r.end;
  }
  parts.push(text.slice(at));
  return parts.join('');
}

export function lex(source: string): LexResult {
  const longLines = findLongLines(source, MAX_LINE_LENGTH);
  const text = longLines.length > 0 ? blank(source, longLines) : source;
  const tokens: Tok[] = [];
  const comments: CommentTok[] = [];
  let offset = 0;
  while (offset < text.length) {
    let length = -1;
    let index = -1;
    for (const i of candidatesAt(text.charCodeAt(offset))) {
      length = matchLength(i, text, offset);
      if (length !== -1) {
        index = i;
        break;
      }
    }
    if (length === -1) {
      // Characters that start no token (one run of them, up to where some pattern matches
      // again): a `Stray` token that the parser skips and the lexical checks report.
      const start = offset;
      do offset++;
      while (offset < text.length && !LEX_PATTERNS.some((_, i) => matchLength(i, text, offset) !== -1));
      tokens.push({ kind: 'Stray', text: text.slice(start, offset), start, end: offset });
      continue;
    }
    const { kind } = LEX_PATTERNS[index]!;
    const end = offset + length;
    if (kind === 'Comment') {
      // A comment's trailing blanks are not part of it: the formatter never writes them back.
      const body = text.slice(offset, end).trimEnd();
      comments.push({ text: body, start: offset, end: offset + body.length });
    } else if (kind !== 'Whitespace') {
      tokens.push({ kind, text: text.slice(offset, end), start: offset, end });
    }
    offset = end;
  }
  tokens.push({ kind: 'EOF', text: '', start: text.length, end: text.length });
  return { tokens, comments, longLines };
}

export const isAddressKind = (kind: TokKind): boolean => kind === 'IPv4' || kind === 'IPv6';

/** The value of a string literal: the text between the quotes with `\"` and `\\` resolved. */
export function stringValue(text: string): string {
  const body = text.startsWith('"') ? text.slice(1, text.endsWith('"') && text.length > 1 ? -1 : undefined) : text;
  return body.replace(/\\(.)/g, '$1');
}
