// The lexer (language/tokens.ts) against chevrotain's lexer of the same patterns, the lexer the
// language was defined with: the token definitions below are those it was built from, written
// out again, so that a pattern changed in language/lex-patterns.ts, a pattern tried at a character
// it was not tried at, or another way of skipping characters that start no token, gives other
// tokens than chevrotain's and fails here.

import { createToken, Lexer, type CustomPatternMatcherFunc, type TokenType } from 'chevrotain';
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LEX_PATTERNS, matchIfPin, matchIPv4, matchIPv6, matchName, type PatternMatcher } from '../../language/lex-patterns.js';
import { MAX_LINE_LENGTH } from '../../language/limits.js';
import { lex, type LexResult, type Tok, type TokKind } from '../../language/tokens.js';

const custom = (m: PatternMatcher): CustomPatternMatcherFunc => (text, offset) => m(text, offset) as RegExpExecArray | null;
const DIGITS = '0123456789'.split('');
const HEX_START = '0123456789abcdefABCDEF:'.split('');
const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'.split('');

/** chevrotain's tokens, in their order, as the language's lexer was built from them. */
const CHEVROTAIN_TOKENS: TokenType[] = [
  createToken({ name: 'Whitespace', pattern: /[ \t\r\f\v\uFEFF]+/, group: Lexer.SKIPPED }),
  createToken({ name: 'Newline', pattern: /\n/, line_breaks: true }),
  createToken({ name: 'Comment', pattern: /#[^\r\n]*/, group: 'comments' }),
  createToken({ name: 'String', pattern: /"(?:[^"\\\r\n]|\\[^\r\n])*"/ }),
  createToken({ name: 'UnterminatedString', pattern: /"(?:[^"\\\r\n]|\\[^\r\n])*\\?/ }),
  createToken({ name: 'IPv6', pattern: { exec: custom(matchIPv6) }, line_breaks: false, start_chars_hint: HEX_START }),
  createToken({ name: 'IPv4', pattern: { exec: custom(matchIPv4) }, line_breaks: false, start_chars_hint: DIGITS }),
  createToken({ name: 'PortRange', pattern: /[0-9]+-[0-9]+/ }),
  createToken({ name: 'Int', pattern: /[0-9]+/ }),
  createToken({ name: 'Arrow', pattern: /->/ }),
  createToken({ name: 'DashDash', pattern: /--/ }),
  createToken({ name: 'Stray', pattern: /<->|=>|<-|<=/ }),
  createToken({ name: 'Equals', pattern: /=/ }),
  createToken({ name: 'Comma', pattern: /,/ }),
  createToken({ name: 'IfPin', pattern: { exec: custom(matchIfPin) }, line_breaks: false, start_chars_hint: [':'] }),
  createToken({ name: 'Colon', pattern: /:/ }),
  createToken({ name: 'Dot', pattern: /\./ }),
  createToken({ name: 'LBrace', pattern: /\{/ }),
  createToken({ name: 'RBrace', pattern: /\}/ }),
  createToken({ name: 'Name', pattern: { exec: custom(matchName) }, line_breaks: false, start_chars_hint: LETTERS }),
];

const chevrotainLexer = new Lexer(CHEVROTAIN_TOKENS, { positionTracking: 'onlyOffset', ensureOptimizations: true });

/** What lex() returned when it ran chevrotain's lexer: its tokens, each run of characters that
 * starts no token as a `Stray` token in its place, the comments without trailing blanks. */
function chevrotainLex(source: string): LexResult {
  const longLines = lex(source).longLines;
  let text = source;
  for (const r of longLines) text = text.slice(0, r.start) + ' '.repeat(r.end - r.start) + text.slice(r.end);
  const result = chevrotainLexer.tokenize(text);
  const strays: Tok[] = result.errors.map((e) => ({ kind: 'Stray', text: text.slice(e.offset, e.offset + e.length), start: e.offset, end: e.offset + e.length }));
  const tokens: Tok[] = result.tokens.map((t) => ({ kind: t.tokenType.name as TokKind, text: t.image, start: t.startOffset, end: t.startOffset + t.image.length }));
  const merged = [...tokens, ...strays].sort((a, b) => a.start - b.start);
  merged.push({ kind: 'EOF', text: '', start: text.length, end: text.length });
  const comments = (result.groups.comments ?? []).map((t) => {
    const body = t.image.trimEnd();
    return { text: body, start: t.startOffset, end: t.startOffset + body.length };
  });
  return { tokens: merged, comments, longLines };
}

function plumbFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.plumb'))
    .map((e) => join(e.parentPath, e.name));
}

describe('lexer', () => {
  it("has chevrotain's patterns, which pass chevrotain's checks of token definitions", () => {
    expect(chevrotainLexer.lexerDefinitionErrors).toEqual([]);
    expect(LEX_PATTERNS.map((p) => p.kind)).toEqual(CHEVROTAIN_TOKENS.map((t) => t.name));
  });

  it("lexes every example and test case as chevrotain's lexer does", () => {
    const files = [...plumbFiles('examples'), ...plumbFiles('test/language/cases')];
    expect(files.length).toBeGreaterThan(100);
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      expect(lex(text), file).toEqual(chevrotainLex(text));
    }
  });

  // chevrotain tries patterns by a character's code up to 255 and by groups of 255 codes above
  // (language/lex-patterns.ts by code up to 127 and alike above, but for U+FEFF): every code up to
  // U+07FF, and the first and last code of each group above, with the byte order mark's.
  it("lexes every character, alone and between others, as chevrotain's lexer does", () => {
    const contexts = ['C', 'aC', 'aCb', '1C2', 'x:C', ':C', '-C>', 'C-', '"C"', '"aC', '#C\na', 'C::1', 'fCd0::1', '1.2C', '<C', '=C'];
    const codes = new Set<number>([0xfefe, 0xfeff, 0xff00, 0xffff]);
    for (let code = 0; code < 0x800; code++) codes.add(code);
    for (let group = 0x800; group < 0x10000; group += 255) codes.add(group).add(Math.min(group + 254, 0xffff));
    for (const code of codes) {
      const c = String.fromCharCode(code);
      const text = contexts.map((k) => k.replace('C', c)).join(' ');
      expect(lex(text), `U+${code.toString(16)}`).toEqual(chevrotainLex(text));
    }
  });

  it("lexes any mix of the language's pieces and other characters as chevrotain's lexer does (seeded)", () => {
    const piece = fc.oneof(
      fc.constantFrom(
        'site', 'allow', 'deny', 'a-b', 'a--b', 'a->b', 'x_1', 'fw1:eth0', 'r:Gi0/0.1', ':', '::', '::1', 'fe80::1', '2001:db8::/32', 'db:https',
        '10.0.0.1', '10.0.0.0/24', '10.0.0', '1.2.3.4x', '80', '1-9', '8000-', '-', '->', '--', '<->', '<-', '<=', '=>', '=', ',', '.', '{', '}',
        '"d"', '"open', '"a\\"b"', '"x\\', '#c', '# note  ', '\n', '\r\n', ' ', '\t', '\uFEFF', ';', '@', '!', '~', 'é', '\u00a0', '😀', '\\', '/', '>', 'ff', 'ABC', 'fffff:',
      ),
      fc.string({ maxLength: 3 }),
      fc.string({ unit: 'grapheme', maxLength: 2 }),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), fc.constantFrom('', ' '), (pieces, sep) => {
        const text = pieces.join(sep);
        expect(lex(text)).toEqual(chevrotainLex(text));
      }),
      { seed: 20261205, numRuns: 5000 },
    );
  });

  it("leaves a line over the limit unlexed, as it did with chevrotain's lexer", () => {
    const text = `site a {\n  ${'x'.repeat(MAX_LINE_LENGTH + 5)} ;\n}\n@`;
    expect(lex(text)).toEqual(chevrotainLex(text));
    expect(lex(text).longLines).toHaveLength(1);
  });
});
