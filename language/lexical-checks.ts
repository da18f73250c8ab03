// The lexical errors of one file, from the lexer's tokens and comments (tokens.ts): stray
// characters, strings and their escapes, control characters, and the size limits of tokens,
// lines and nesting (language/limits.ts). One pass in offset order; at most
// MAX_DIAGNOSTICS_PER_FILE are kept, the rest are counted in one P119.

import { BoundedDiagnostics, diagnostic, type Diagnostic } from './diagnostic.js';
import { Codes, type DiagnosticCode } from './diagnostics/index.js';
import { MAX_BLOCK_DEPTH, MAX_DIAGNOSTICS_PER_FILE, MAX_LINE_LENGTH, MAX_LITERAL_LENGTH, MAX_NAME_LENGTH, MAX_STRING_LENGTH } from './limits.js';
import type { LineIndex } from './positions.js';
import type { LexResult, Tok } from './tokens.js';

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
 * Characters no string or comment may hold raw (P110): C0 controls (a comment may hold a tab),
 * DEL, C1 controls, the bidirectional embeddings, overrides and isolates (text that reads in
 * another order than it is stored) and the Unicode line and paragraph separators. No backend
 * then has to carry them into a configuration file.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_IN_STRING = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u2028\u2029]/;
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_IN_COMMENT = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u2028\u2029]/;

const CONTROL_NAMES: Record<number, string> = {
  0x09: 'a tab',
  0x7f: 'the control character DEL',
  0x202a: 'the bidirectional control LEFT-TO-RIGHT EMBEDDING',
  0x202b: 'the bidirectional control RIGHT-TO-LEFT EMBEDDING',
  0x202c: 'the bidirectional control POP DIRECTIONAL FORMATTING',
  0x202d: 'the bidirectional control LEFT-TO-RIGHT OVERRIDE',
  0x202e: 'the bidirectional control RIGHT-TO-LEFT OVERRIDE',
  0x2066: 'the bidirectional control LEFT-TO-RIGHT ISOLATE',
  0x2067: 'the bidirectional control RIGHT-TO-LEFT ISOLATE',
  0x2068: 'the bidirectional control FIRST STRONG ISOLATE',
  0x2069: 'the bidirectional control POP DIRECTIONAL ISOLATE',
  0x2028: 'the LINE SEPARATOR',
  0x2029: 'the PARAGRAPH SEPARATOR',
};

function controlName(code: number): string {
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  return `${CONTROL_NAMES[code] ?? 'the control character'} (${hex})`;
}

const LITERAL_KINDS = new Set(['Int', 'PortRange', 'IPv4', 'IPv6', 'IfPin']);

const count = (n: number): string => n.toLocaleString('en-US');

/**
 * The lexical errors: stray characters (P100; a run of them, adjacent or apart only by blanks
 * on one line, is one), unterminated strings (P101), unknown escapes (P102), control
 * characters in strings and comments and carriage returns that end no line (P110), tokens (P111) and lines (P112) over their limit,
 * and `{` nested too deep (P113).
 */
export function lexicalDiagnostics(lexed: LexResult, index: LineIndex, max: number = MAX_DIAGNOSTICS_PER_FILE): Diagnostic[] {
  const { tokens, comments, longLines } = lexed;
  const text = index.text;
  const out = new BoundedDiagnostics(max);
  const error = (code: DiagnosticCode, start: number, end: number, message: string, hint?: string): void => {
    if (out.full) {
      // Left out anyway: only counted, so no span or message is composed for it.
      out.push(diagnostic(code, index.span(start, start), ''));
      return;
    }
    out.push(diagnostic(code, index.span(start, end), message, { hint }));
  };
  const control = (pattern: RegExp, t: { text: string; start: number }, where: string, hint: string): void => {
    const bad = pattern.exec(t.text);
    if (!bad) return;
    const at = t.start + bad.index;
    error(Codes.controlCharacter, at, at + 1, `${controlName(bad[0].charCodeAt(0))} in a ${where}`, hint);
  };
  const loneCRs = loneCarriageReturns(text, longLines);
  let loneCR = 0;
  let comment = 0;
  let longLine = 0;
  let depth = 0;
  let tooDeep = false;
  const flushBefore = (offset: number): void => {
    while (longLine < longLines.length && longLines[longLine]!.start < offset) {
      const l = longLines[longLine++]!;
      error(
        Codes.lineTooLong,
        l.start,
        l.start,
        `this line is ${count(l.end - l.start)} characters long; the limit is ${count(MAX_LINE_LENGTH)}, so it was not read`,
        'break the line after a `,` (a list continues on the next line), or shorten it',
      );
    }
    while (loneCR < loneCRs.length && loneCRs[loneCR]! < offset) {
      const at = loneCRs[loneCR++]!;
      error(
        Codes.controlCharacter,
        at,
        at + 1,
        'a carriage return (U+000D) that ends no line',
        'line ends are `\\n` or `\\r\\n`; a lone carriage return makes a terminal hide the text before it: remove it',
      );
    }
    while (comment < comments.length && comments[comment]!.start < offset) {
      control(CONTROL_IN_COMMENT, comments[comment++]!, 'comment', 'remove it: a comment holds printable characters (and tabs) only');
    }
  };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    flushBefore(t.start);
    if (t.kind === 'Stray') {
      let end = t.end;
      while (tokens[i + 1]?.kind === 'Stray' && onlyBlanks(text, end, tokens[i + 1]!.start)) end = tokens[++i]!.end;
      strayRun(text.slice(t.start, end), t.start, end, error);
    } else if (t.kind === 'UnterminatedString') {
      error(Codes.unterminatedString, t.start, t.end, 'this string has no closing `"`', 'close the string on the same line; write `\\"` for a quote inside it');
      control(CONTROL_IN_STRING, t, 'string', 'write the text without it: a string holds printable characters only');
    } else if (t.kind === 'String') {
      checkString(t, error, control);
    } else if (t.kind === 'Name' && t.text.length > MAX_NAME_LENGTH) {
      error(Codes.tokenTooLong, t.start, t.end, `this name is ${count(t.text.length)} characters long; the limit is ${MAX_NAME_LENGTH}`, 'use a shorter name: names become file and interface names on the devices');
    } else if (LITERAL_KINDS.has(t.kind) && t.text.length > MAX_LITERAL_LENGTH) {
      error(Codes.tokenTooLong, t.start, t.end, `this literal is ${count(t.text.length)} characters long; the limit is ${MAX_LITERAL_LENGTH}`, 'no number, address or interface name is that long: check the line');
    } else if (t.kind === 'LBrace') {
      depth++;
      if (depth > MAX_BLOCK_DEPTH && !tooDeep) {
        tooDeep = true;
        error(Codes.nestedTooDeep, t.start, t.end, `this \`{\` is nested ${depth} deep; the limit is ${MAX_BLOCK_DEPTH}`, 'blocks do not nest: close each `site`, `external` or `policy` block with `}` before the next');
      }
    } else if (t.kind === 'RBrace') {
      depth = Math.max(0, depth - 1);
    }
  }
  flushBefore(Infinity);
  return out.all();
}

/** Offsets of `\r` not followed by `\n`, outside the lines left unread (P112). */
function loneCarriageReturns(text: string, longLines: readonly { start: number; end: number }[]): number[] {
  const out: number[] = [];
  let long = 0;
  for (let i = text.indexOf('\r'); i >= 0; i = text.indexOf('\r', i + 1)) {
    if (text.charCodeAt(i + 1) === 0x0a) continue;
    while (long < longLines.length && longLines[long]!.end <= i) long++;
    if (long < longLines.length && longLines[long]!.start <= i) continue;
    out.push(i);
  }
  return out;
}

function onlyBlanks(text: string, from: number, to: number): boolean {
  for (let k = from; k < to; k++) {
    const c = text.charCodeAt(k);
    if (c !== 0x20 && c !== 0x09) return false;
  }
  return true;
}

type Report = (code: DiagnosticCode, start: number, end: number, message: string, hint?: string) => void;

function strayRun(text: string, start: number, end: number, error: Report): void {
  const shown = text.length > 20 ? `${text.slice(0, 20)}…` : text;
  const what = text.length === 1 || (text.length === 2 && text.codePointAt(0)! > 0xffff) ? 'character' : 'characters';
  const nonAscii = /[^\x20-\x7e]/.test(text);
  const hint =
    STRAY_HINTS[text] ?? (nonAscii ? 'names, keywords and literals use ASCII; other characters belong in strings and comments' : undefined);
  error(Codes.unexpectedCharacter, start, end, `unexpected ${what} \`${JSON.stringify(shown).slice(1, -1)}\``, hint);
}

function checkString(t: Tok, error: Report, control: (p: RegExp, t: Tok, where: string, hint: string) => void): void {
  if (t.text.length > MAX_STRING_LENGTH) {
    error(Codes.tokenTooLong, t.start, t.start + 1, `this string is ${count(t.text.length)} characters long; the limit is ${count(MAX_STRING_LENGTH)}`, 'shorten the description');
    return;
  }
  control(CONTROL_IN_STRING, t, 'string', 'write the text without it: a string holds printable characters only');
  // Escapes come in pairs: `\\` is one escaped backslash, so `"C:\\temp"` has no `\t`.
  const escape = /\\(.)/g;
  for (let m = escape.exec(t.text); m; m = escape.exec(t.text)) {
    const c = m[1]!;
    if (c === '"' || c === '\\') continue;
    const at = t.start + m.index;
    error(Codes.unknownEscape, at, at + 2, `unknown escape \`${m[0]}\` in a string`, `only \`\\"\` and \`\\\\\` are escapes: write \`\\\\${c}\` for a backslash followed by \`${c}\``);
    return;
  }
}
