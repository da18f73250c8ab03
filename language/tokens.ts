// The lexer of the .plumb language (chevrotain). It never fails: every character becomes part
// of some token, and runs of characters that start no token become `Stray` tokens that the
// lexical check below reports (P100). Keywords are not tokens of their own: they are names whose meaning
// depends on where they stand, so `zone`, `peer` or `via` stay usable as names elsewhere.

import { createToken, Lexer, type CustomPatternMatcherFunc, type TokenType } from 'chevrotain';
import type { Diagnostic } from './diagnostic.js';
import { parseIPv6 } from './address.js';
import type { LineIndex } from './positions.js';

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
const IPV6_CHAR = /[0-9A-Fa-f:.]/;

/**
 * IPv6 literals are lexed strictly: the longest run of hex digits, colons and dots that is a
 * valid IPv6 address (at most 45 characters), then an optional `/LEN`. Anything else is left to
 * the other tokens, so `fw1:eth0` and `db:https` never read as addresses.
 */
const matchIPv6: CustomPatternMatcherFunc = (text, offset) => {
  let end = offset;
  while (end < text.length && end - offset <= IPV6_MAX && IPV6_CHAR.test(text[end]!)) end++;
  if (end - offset > IPV6_MAX) return null;
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
}

let lexer: Lexer | undefined;
function getLexer(): Lexer {
  lexer ??= new Lexer(ALL_TOKENS, {
    positionTracking: 'onlyOffset',
    ensureOptimizations: true,
  });
  return lexer;
}

export function lex(text: string): LexResult {
  const result = getLexer().tokenize(text);
  const tokens: Tok[] = result.tokens.map((t) => ({
    kind: t.tokenType.name as TokKind,
    text: t.image,
    start: t.startOffset,
    end: t.startOffset + t.image.length,
  }));
  // Characters that start no token are chevrotain's lexing errors (one per run of them):
  // they become `Stray` tokens that the parser skips and `lexicalDiagnostics` reports.
  for (const e of result.errors) {
    tokens.push({ kind: 'Stray', text: text.slice(e.offset, e.offset + e.length), start: e.offset, end: e.offset + e.length });
  }
  if (result.errors.length > 0) tokens.sort((a, b) => a.start - b.start);
  tokens.push({ kind: 'EOF', text: '', start: text.length, end: text.length });
  // A comment's trailing blanks are not part of it: the formatter never writes them back.
  const comments = (result.groups.comments ?? []).map((t) => {
    const text = t.image.trimEnd();
    return { text, start: t.startOffset, end: t.startOffset + text.length };
  });
  return { tokens, comments };
}

export const isAddressKind = (kind: TokKind): boolean => kind === 'IPv4' || kind === 'IPv6';

const STRAY_HINTS: Record<string, string> = {
  '-': 'a link is written `A -- B`, a rule `SRC -> DST`; a name cannot start with `-`',
  '>': 'a rule is written `SRC -> DST`',
  '=>': 'a rule is written `SRC -> DST`',
  '<-': 'a rule is written `SRC -> DST`, from the source to the destination',
  '<=': 'a rule is written `SRC -> DST`, from the source to the destination',
  '<->': 'a rule is one-way: `A -> B`; replies are admitted anyway; write a second rule `B -> A` for the other direction',
  ';': 'statements end at the end of the line: no `;` is needed',
  "'": 'strings are written in double quotes: "like this"',
  '/': 'a prefix is written without spaces: `10.0.0.0/24`',
  '\u00a0': 'this is a non-breaking space: replace it with a plain space',
};

/**
 * The lexical errors: stray characters (adjacent ones merged into one P100), unterminated
 * strings (P101) and unknown escapes (P102).
 */
export function lexicalDiagnostics(tokens: readonly Tok[], index: LineIndex): Diagnostic[] {
  const out: Diagnostic[] = [];
  const error = (code: string, start: number, end: number, message: string, hint?: string): void => {
    out.push({ code, severity: 'error', span: index.span(start, end), message, related: [], ...(hint ? { hint } : {}) });
  };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === 'Stray') {
      let end = t.end;
      let text = t.text;
      while (tokens[i + 1]?.kind === 'Stray' && tokens[i + 1]!.start === end) {
        i++;
        end = tokens[i]!.end;
        text += tokens[i]!.text;
      }
      const shown = text.length > 20 ? `${text.slice(0, 20)}…` : text;
      const what = text.length === 1 || (text.length === 2 && text.codePointAt(0)! > 0xffff) ? 'character' : 'characters';
      const nonAscii = /[^\x20-\x7e]/.test(text);
      const hint =
        STRAY_HINTS[text] ??
        (nonAscii ? 'names, keywords and literals use ASCII; other characters belong in strings and comments' : undefined);
      error('P100', t.start, end, `unexpected ${what} \`${JSON.stringify(shown).slice(1, -1)}\``, hint);
    } else if (t.kind === 'UnterminatedString') {
      error('P101', t.start, t.end, 'this string has no closing `"`', 'close the string on the same line; write `\\"` for a quote inside it');
    } else if (t.kind === 'String') {
      const bad = /\\[^"\\]/.exec(t.text);
      if (bad) {
        const at = t.start + bad.index;
        error('P102', at, at + 2, `unknown escape \`${bad[0]}\` in a string`, 'only `\\"` and `\\\\` are escapes; write `\\\\` for a backslash');
      }
    }
  }
  return out;
}

/** The value of a string literal: the text between the quotes with `\"` and `\\` resolved. */
export function stringValue(text: string): string {
  const body = text.startsWith('"') ? text.slice(1, text.endsWith('"') && text.length > 1 ? -1 : undefined) : text;
  return body.replace(/\\(.)/g, '$1');
}
