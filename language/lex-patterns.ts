// The token patterns of the .plumb language, in matching order (the lexer, tokens.ts, takes the
// first that matches at a position), with the characters each can start with: at a position only
// the patterns that can start with its character are tried. The patterns and their order are
// those of the chevrotain lexer the language was first defined with; test/language/lexer.test.ts
// runs that lexer beside this one.

import { parseIPv6 } from './address.js';
import type { TokKind } from './tokens.js';

/** A pattern written as code: the match at `offset` (its text first), or null. */
export type PatternMatcher = (text: string, offset: number) => readonly string[] | null;

export interface LexPattern {
  /** The token kind it makes: `Whitespace` is skipped, a `Comment` goes to the comments. */
  kind: Exclude<TokKind, 'EOF'> | 'Whitespace' | 'Comment';
  /** A sticky regular expression, or code. */
  pattern: RegExp | PatternMatcher;
  /** Every character a match can start with. */
  first: string;
  /** The match's length at an offset (-1 for none) without building the match: for the lexer,
   * where `pattern` stays the definition (test/language/lexer.test.ts holds the two equal). */
  length?: (text: string, offset: number) => number;
}

const NAME_CHAR = /[A-Za-z0-9_]/;
export const isNameChar = (c: string | undefined): boolean => c !== undefined && NAME_CHAR.test(c);

/** A sticky-regex matcher that also refuses a match followed by a name character. */
function stickyMatcher(re: RegExp, refuseNameCharAfter: boolean): PatternMatcher {
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
export const matchIPv6: PatternMatcher = (text, offset) => {
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

/**
 * The length of NAME_RE's match at `offset`, or -1: names are most of a file's tokens, and this
 * reads them by character code, where the regular expression's match built an array and a
 * string per name (the lexer slices the token's text once anyway).
 */
export function nameLength(text: string, offset: number): number {
  if (!isLetter(text.charCodeAt(offset))) return -1;
  let i = offset + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 45 /* - */) {
      const after = text.charCodeAt(i + 1);
      if (after === 45 || after === 62 /* > */) break;
    } else if (!isLetter(c) && !(c >= 48 && c <= 57) && c !== 95 /* _ */) break;
    i++;
  }
  return i - offset;
}

const isLetter = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

export const matchIPv4: PatternMatcher = stickyMatcher(IPV4_RE, true);
export const matchName: PatternMatcher = stickyMatcher(NAME_RE, false);

// `:ifname` directly after a name (no space on either side): the interface pinned on a link end.
// Interface names may contain `/` and `.`, and `-` as names do.
const IFPIN_RE = /:[A-Za-z0-9_](?:[A-Za-z0-9_/.]|-(?![->]))*/y;
export const matchIfPin: PatternMatcher = (text, offset) => {
  if (!isNameChar(text[offset - 1])) return null;
  IFPIN_RE.lastIndex = offset;
  return IFPIN_RE.exec(text);
};

const DIGITS = '0123456789';
export const HEX_START = `${DIGITS}abcdefABCDEF:`;
export const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** In matching order: the first pattern that matches at a position wins. */
export const LEX_PATTERNS: readonly LexPattern[] = [
  { kind: 'Whitespace', pattern: /[ \t\r\f\v\uFEFF]+/y, first: ' \t\r\f\v\uFEFF' },
  { kind: 'Newline', pattern: /\n/y, first: '\n' },
  { kind: 'Comment', pattern: /#[^\r\n]*/y, first: '#' },
  { kind: 'String', pattern: /"(?:[^"\\\r\n]|\\[^\r\n])*"/y, first: '"' },
  /** A string that reaches the end of its line without a closing quote (P101). */
  { kind: 'UnterminatedString', pattern: /"(?:[^"\\\r\n]|\\[^\r\n])*\\?/y, first: '"' },
  { kind: 'IPv6', pattern: matchIPv6, first: HEX_START },
  { kind: 'IPv4', pattern: matchIPv4, first: DIGITS },
  { kind: 'PortRange', pattern: /[0-9]+-[0-9]+/y, first: DIGITS },
  { kind: 'Int', pattern: /[0-9]+/y, first: DIGITS },
  { kind: 'Arrow', pattern: /->/y, first: '-' },
  { kind: 'DashDash', pattern: /--/y, first: '-' },
  /** Arrows of other languages, reported as one P100 with a hint instead of `=` plus a stray `>`. */
  { kind: 'Stray', pattern: /<->|=>|<-|<=/y, first: '<=' },
  { kind: 'Equals', pattern: /=/y, first: '=' },
  { kind: 'Comma', pattern: /,/y, first: ',' },
  { kind: 'IfPin', pattern: matchIfPin, first: ':' },
  { kind: 'Colon', pattern: /:/y, first: ':' },
  { kind: 'Dot', pattern: /\./y, first: '.' },
  { kind: 'LBrace', pattern: /\{/y, first: '{' },
  { kind: 'RBrace', pattern: /\}/y, first: '}' },
  { kind: 'Name', pattern: matchName, first: LETTERS, length: nameLength },
];

/** The length of pattern `index`'s match at `offset`, or -1. */
export function matchLength(index: number, text: string, offset: number): number {
  const { pattern, length } = LEX_PATTERNS[index]!;
  if (length !== undefined) return length(text, offset);
  if (typeof pattern === 'function') {
    const m = pattern(text, offset);
    return m === null ? -1 : m[0]!.length;
  }
  pattern.lastIndex = offset;
  return pattern.test(text) ? pattern.lastIndex - offset : -1;
}

/** For each character code, the patterns (indexes, in order) that can start with it. */
const CANDIDATES = new Map<number, readonly number[]>();
for (const [index, { first }] of LEX_PATTERNS.entries()) {
  for (let i = 0; i < first.length; i++) {
    const code = first.charCodeAt(i);
    CANDIDATES.set(code, [...(CANDIDATES.get(code) ?? []), index]);
  }
}
const NONE: readonly number[] = [];
const ASCII_CANDIDATES: readonly (readonly number[])[] = Array.from({ length: 128 }, (_, code) => CANDIDATES.get(code) ?? NONE);

/** The patterns to try, in order, at a character. */
export function candidatesAt(code: number): readonly number[] {
  return code < 128 ? ASCII_CANDIDATES[code]! : (CANDIDATES.get(code) ?? NONE);
}
