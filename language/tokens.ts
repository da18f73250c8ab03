// The lexer of the .plumb language (chevrotain). It never fails: every character becomes part
// of some token, and runs of characters that start no token become `Stray` tokens that the
// lexical checks (lexical-checks.ts) report (P100). A line over MAX_LINE_LENGTH is not lexed at
// all (P112), so no pattern ever runs over more than one bounded line. Keywords are not tokens of their own: they are names whose meaning
// depends on where they stand, so `zone`, `peer` or `via` stay usable as names elsewhere.

import { createToken, Lexer, type CustomPatternMatcherFunc, type TokenType } from 'chevrotain';
import { parseIPv6 } from './address.js';
import { MAX_LINE_LENGTH } from './limits.js';

const NAME_CHAR = /[A-Za-z0-9_]/;
const isNameChar = (c: string | undefined): boolean => c !== undefined && NAME_CHAR.test(c);

/** A sticky-regex matcher for chevrotain that also refuses a match followed by a name character. */
function stickyMatcher(re: RegExp, refuseNameCharAfter: boolean): CustomPatternMatcherFunc {
  return (text, offset) => {
    re.lastIndex = offset;
    const m = re.exec(text);
    if (!m) return null;
    if (refuseNameCharAfter && isNameChar(text[offset + m[0].length])) return null;
    return m;
  };
}

// A letter, then letters, digits, `_` or `-`; a `-` followed by `-` or `>` ends the name, so
// `a--b` and `a->b` are operators between names.
const NAME_RE = /[A-Za-z](?:[A-Za-z0-9_]|-(?![->]))*/y;

// IPv4-shaped literals: digits separated by dots, with an optional `/LEN`. The shape is lexed
// loosely (`10.0.0/24`) so that a malformed literal is one token that the address checks
// reject with one clear error (P301); the parser only decides address versus prefix by the `/`.
const IPV4_RE = /[0-9]+(?:\.[0-9]+)+(?:\/[0-9]+)?/y;

const IPV6_MAX = 45;

/** A hex digit, `:` or `.`: what an IPv6 literal is made of. */
function isIPv6Char(code: number): boolean {
  return (code >= 48 && code <= 58) || code === 46 || (code >= 65 && code <= 70) || (code >= 97 && code <= 102);
}

/**
 * IPv6 literals are lexed strictly: the longest run of hex digits, colons and dots that is a
 * valid IPv6 address (at most 45 characters), then an optional `/LEN`. Anything else is left to
 * the other tokens, so `fw1:eth0` and `db:https` never read as addresses.
 */
const matchIPv6: CustomPatternMatcherFunc = (text, offset) => {
  let end = offset;
  let colon = false;
  while (end < text.length && end - offset <= IPV6_MAX) {
    const code = text.charCodeAt(end);
    if (!isIPv6Char(code)) break;
    if (code === 58) colon = true;
    end++;
  }
  // Without a colon no prefix of the run is an IPv6 literal: names (`deny`) and IPv4 literals,
  // most of the tokens this is tried on, are refused before anything is parsed.
  if (!colon || end - offset > IPV6_MAX) return null;
  let candidate = text.slice(offset, end);
  while (candidate.length > 1 && parseIPv6(candidate) === undefined && /[:.]$/.test(candidate)) {
    candidate = candidate.slice(0, -1);
  }
  if (!candidate.includes(':') || parseIPv6(candidate) === undefined) return null;
  let image = candidate;
  const rest = /\/[0-9]+/y;
  rest.lastIndex = offset + candidate.length;
  const len = rest.exec(text);
  if (len) image += len[0];
  if (isNameChar(text[offset + image.length])) return null;
  return [image];
};

// `:ifname` directly after a name (no space on either side): the interface pinned on a link end.
// Interface names may contain `/` and `.`, and `-` as names do.
const IFPIN_RE = /:[A-Za-z0-9_](?:[A-Za-z0-9_/.]|-(?![->]))*/y;
const matchIfPin: CustomPatternMatcherFunc = (text, offset) => {
  if (!isNameChar(text[offset - 1])) return null;
  IFPIN_RE.lastIndex = offset;
  return IFPIN_RE.exec(text);
};

const HEX_START = '0123456789abcdefABCDEF:'.split('');
const DIGITS = '0123456789'.split('');
const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'.split('');

export const Whitespace = createToken({ name: 'Whitespace', pattern: /[ \t\r\f\v\uFEFF]+/, group: Lexer.SKIPPED });
export const Newline = createToken({ name: 'Newline', pattern: /\n/, line_breaks: true });
export const Comment = createToken({ name: 'Comment', pattern: /#[^\r\n]*/, group: 'comments' });
export const StringLit = createToken({ name: 'String', pattern: /"(?:[^"\\\r\n]|\\[^\r\n])*"/ });
/** A string that reaches the end of its line without a closing quote (P101). */
export const UnterminatedString = createToken({
  name: 'UnterminatedString',
  pattern: /"(?:[^"\\\r\n]|\\[^\r\n])*\\?/,
});
export const IPv6Lit = createToken({
  name: 'IPv6',
  pattern: { exec: matchIPv6 },
  line_breaks: false,
  start_chars_hint: HEX_START,
});
export const IPv4Lit = createToken({
  name: 'IPv4',
  pattern: { exec: stickyMatcher(IPV4_RE, true) },
  line_breaks: false,
  start_chars_hint: DIGITS,
});
export const PortRange = createToken({ name: 'PortRange', pattern: /[0-9]+-[0-9]+/ });
export const Int = createToken({ name: 'Int', pattern: /[0-9]+/ });
export const Arrow = createToken({ name: 'Arrow', pattern: /->/ });
export const DashDash = createToken({ name: 'DashDash', pattern: /--/ });
/** Arrows of other languages, reported as one P100 with a hint instead of `=` plus a stray `>`. */
export const ForeignArrow = createToken({ name: 'Stray', pattern: /<->|=>|<-|<=/ });
export const Equals = createToken({ name: 'Equals', pattern: /=/ });
export const Comma = createToken({ name: 'Comma', pattern: /,/ });
export const IfPin = createToken({
  name: 'IfPin',
  pattern: { exec: matchIfPin },
  line_breaks: false,
  start_chars_hint: [':'],
});
export const Colon = createToken({ name: 'Colon', pattern: /:/ });
export const Dot = createToken({ name: 'Dot', pattern: /\./ });
export const LBrace = createToken({ name: 'LBrace', pattern: /\{/ });
export const RBrace = createToken({ name: 'RBrace', pattern: /\}/ });
export const Name = createToken({
  name: 'Name',
  pattern: { exec: stickyMatcher(NAME_RE, false) },
  line_breaks: false,
  start_chars_hint: LETTERS,
});

/** In matching order: the first pattern that matches at a position wins. */
export const ALL_TOKENS: TokenType[] = [
  Whitespace,
  Newline,
  Comment,
  StringLit,
  UnterminatedString,
  IPv6Lit,
  IPv4Lit,
  PortRange,
  Int,
  Arrow,
  DashDash,
  ForeignArrow,
  Equals,
  Comma,
  IfPin,
  Colon,
  Dot,
  LBrace,
  RBrace,
  Name,
];

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

/** The lexer of the language. `validate`: run chevrotain's checks of the token patterns while
 * building it; as for the parser (GrammarBase), the tests run them and lex() does not. */
export function buildLexer(validate = false): Lexer {
  return new Lexer(ALL_TOKENS, {
    positionTracking: 'onlyOffset',
    ensureOptimizations: true,
    skipValidations: !validate,
  });
}

let lexer: Lexer | undefined;
function getLexer(): Lexer {
  lexer ??= buildLexer();
  return lexer;
}

export function lex(source: string): LexResult {
  const longLines = findLongLines(source, MAX_LINE_LENGTH);
  const text = longLines.length > 0 ? blank(source, longLines) : source;
  const result = getLexer().tokenize(text);
  let tokens: Tok[] = result.tokens.map((t) => ({
    kind: t.tokenType.name as TokKind,
    text: t.image,
    start: t.startOffset,
    end: t.startOffset + t.image.length,
  }));
  // Characters that start no token are chevrotain's lexing errors (one per run of them):
  // they become `Stray` tokens that the parser skips and the lexical checks report.
  if (result.errors.length > 0) tokens = mergeStrays(tokens, result.errors, text);
  tokens.push({ kind: 'EOF', text: '', start: text.length, end: text.length });
  // A comment's trailing blanks are not part of it: the formatter never writes them back.
  const comments = (result.groups.comments ?? []).map((t) => {
    const text = t.image.trimEnd();
    return { text, start: t.startOffset, end: t.startOffset + text.length };
  });
  return { tokens, comments, longLines };
}

/** The tokens with the stray runs put in their places: both lists are in offset order. */
function mergeStrays(tokens: Tok[], errors: readonly { offset: number; length: number }[], text: string): Tok[] {
  const out: Tok[] = [];
  let e = 0;
  for (const t of tokens) {
    for (; e < errors.length && errors[e]!.offset < t.start; e++) out.push(stray(errors[e]!, text));
    out.push(t);
  }
  for (; e < errors.length; e++) out.push(stray(errors[e]!, text));
  return out;
}

function stray(e: { offset: number; length: number }, text: string): Tok {
  return { kind: 'Stray', text: text.slice(e.offset, e.offset + e.length), start: e.offset, end: e.offset + e.length };
}

export const isAddressKind = (kind: TokKind): boolean => kind === 'IPv4' || kind === 'IPv6';

/** The value of a string literal: the text between the quotes with `\"` and `\\` resolved. */
export function stringValue(text: string): string {
  const body = text.startsWith('"') ? text.slice(1, text.endsWith('"') && text.length > 1 ? -1 : undefined) : text;
  return body.replace(/\\(.)/g, '$1');
}
