// The parser's view of the token stream: lookahead, expectations with precise messages, and
// statement-level recovery. A failed expectation records one diagnostic and throws the private
// `SyntaxFailure`, which the statement loop catches before resynchronising at the next line.

import { match } from 'ts-pattern';
import type { Diagnostic, RelatedInformation, Span } from './diagnostic.js';
import type { DeviceRef, Token } from './ast.js';
import type { LineIndex } from './positions.js';
import type { Tok, TokKind } from './tokens.js';

/** Thrown after a syntax error has been recorded; caught by the statement loops. */
export class SyntaxFailure {
  readonly failure = true;
}

export class Cursor {
  pos = 0;
  readonly diagnostics: Diagnostic[] = [];
  /** The name the statement being parsed declares, once it is read (see `SourceFile.incompleteNames`). */
  declaring: Token | undefined;
  /** The names of the statements that failed after their name was read. */
  readonly incompleteNames: Token[] = [];
  /** Tokens split off a larger token (see `pushBack`), consumed before `toks[pos]`. */
  private readonly pushed: Tok[] = [];
  /** For each token index, the index of the next `{`, `}` or EOF token at or after it. */
  private readonly nextBrace: Int32Array;

  constructor(
    readonly toks: readonly Tok[],
    readonly index: LineIndex,
  ) {
    this.nextBrace = new Int32Array(toks.length);
    let next = toks.length - 1;
    for (let i = toks.length - 1; i >= 0; i--) {
      const k = toks[i]!.kind;
      if (k === 'LBrace' || k === 'RBrace' || k === 'EOF') next = i;
      this.nextBrace[i] = next;
    }
  }

  peek(): Tok {
    return this.pushed.length > 0 ? this.pushed[this.pushed.length - 1]! : this.toks[this.pos]!;
  }

  /** The text of the `NAME` or `SITE.NAME` at the cursor, for hints (ignores pushed tokens). */
  deviceRefText(): string {
    const [a, dot, b] = [this.toks[this.pos], this.toks[this.pos + 1], this.toks[this.pos + 2]];
    if (a?.kind !== 'Name') return a?.text ?? '';
    return dot?.kind === 'Dot' && dot.start === a.end && b?.kind === 'Name' && b.start === dot.end ? `${a.text}.${b.text}` : a.text;
  }

  /** The token after the next one (ignores pushed-back tokens; used only at line starts). */
  peekSecond(): Tok {
    return this.toks[Math.min(this.pos + 1, this.toks.length - 1)]!;
  }

  next(): Tok {
    const pushed = this.pushed.pop();
    if (pushed) return pushed;
    const t = this.toks[this.pos]!;
    if (t.kind !== 'EOF') this.pos++;
    return t;
  }

  /** Makes `tokens` the next ones read, in order. */
  pushBack(...tokens: Tok[]): void {
    for (let i = tokens.length - 1; i >= 0; i--) this.pushed.push(tokens[i]!);
  }

  is(kind: TokKind): boolean {
    return this.peek().kind === kind;
  }

  isKeyword(text: string): boolean {
    const t = this.peek();
    return t.kind === 'Name' && t.text === text;
  }

  /** The next `{`, `}` or end of file from the current position. */
  nextBraceToken(): Tok {
    return this.toks[this.nextBrace[this.pos]!]!;
  }

  skipNewlines(): void {
    while (this.is('Newline')) this.next();
  }

  span(start: number, end: number): Span {
    return this.index.span(start, end);
  }

  token(t: Tok): Token {
    return { text: t.text, span: this.span(t.start, t.end) };
  }

  error(code: string, start: number, end: number, message: string, hint?: string, related: RelatedInformation[] = []): void {
    this.diagnostics.push({
      code,
      severity: 'error',
      span: this.span(start, end),
      message,
      related,
      ...(hint ? { hint } : {}),
    });
  }

  /**
   * Records "expected X, found Y" (P104) at the next token and fails the statement. A stray
   * character or an unterminated string was already reported by the lexical check, so the
   * statement fails silently there.
   */
  fail(expected: string, hint?: string): never {
    const t = this.peek();
    if (t.kind === 'IfPin') hint = 'an interface name (`DEVICE:IFNAME`) is pinned only on the ends of a link';
    if (t.kind !== 'Stray' && t.kind !== 'UnterminatedString') {
      this.error('P104', t.start, t.kind === 'Newline' ? t.start : t.end, `expected ${expected}, found ${describe(t)}`, hint);
    }
    throw new SyntaxFailure();
  }

  /** Records an error with its own code and fails the statement. */
  failWith(code: string, t: Tok, message: string, hint?: string): never {
    this.error(code, t.start, t.end, message, hint);
    throw new SyntaxFailure();
  }

  expect(kind: TokKind, expected: string, hint?: string): Tok {
    if (!this.is(kind)) this.fail(expected, hint);
    return this.next();
  }

  expectName(what: string, hint?: string): Token {
    return this.token(this.expect('Name', what, hint));
  }

  /** Consumes `,`, `->`, `:` or `=` and the line breaks after it: a statement continues there. */
  expectContinuing(kind: 'Comma' | 'Arrow' | 'Colon' | 'Equals', expected: string, hint?: string): Tok {
    const t = this.expect(kind, expected, hint);
    this.skipNewlines();
    return t;
  }

  /** `NAME` or `SITE.NAME`. */
  expectDeviceRef(what: string, hint?: string): DeviceRef {
    const first = this.expect('Name', what, hint);
    if (!this.is('Dot')) return { device: this.token(first), span: this.span(first.start, first.end) };
    this.next();
    const second = this.expect('Name', `a device name after \`${first.text}.\``);
    return { site: this.token(first), device: this.token(second), span: this.span(first.start, second.end) };
  }

  /** An address or prefix literal; `prefix` says which is wanted. */
  expectAddressLiteral(prefix: boolean, what: string): Token {
    const t = this.peek();
    if (t.kind === 'IPv4' || t.kind === 'IPv6') {
      const hasLength = t.text.includes('/');
      if (hasLength === prefix) return this.token(this.next());
      const bare = t.text.split('/')[0]!;
      this.fail(
        what,
        prefix
          ? `add the prefix length, e.g. \`${bare}/${t.kind === 'IPv4' ? 24 : 64}\``
          : `an address has no prefix length here: write \`${bare}\``,
      );
    }
    return this.fail(what);
  }

  expectInt(what: string): Token {
    return this.token(this.expect('Int', what));
  }

  /** True at the end of a statement: a line break, the end of the file, or `}` inside a block. */
  atStatementEnd(inBlock: boolean): boolean {
    const k = this.peek().kind;
    return k === 'Newline' || k === 'EOF' || (inBlock && k === 'RBrace');
  }

  /**
   * Ends a complete statement: text after it on the same line is reported (P105) and skipped;
   * the line break is consumed.
   */
  endStatement(inBlock: boolean, what: string, hint?: string): void {
    if (!this.atStatementEnd(inBlock)) {
      const t = this.peek();
      if (t.kind !== 'Stray' && t.kind !== 'UnterminatedString') {
        this.error('P105', t.start, t.end, `unexpected ${describe(t)} after the end of the ${what}`, hint);
      }
      this.recoverLine(inBlock);
      return;
    }
    if (this.is('Newline')) this.next();
  }

  /**
   * Skips to the start of the next statement: past the next line break, or up to `}` inside a
   * block. A `{` on the skipped line has its whole block skipped too, so that a statement that
   * failed before its block does not make the block's lines read as statements of their own.
   */
  recoverLine(inBlock: boolean): void {
    this.pushed.length = 0;
    while (true) {
      const t = this.peek();
      if (t.kind === 'EOF') return;
      if (t.kind === 'Newline') {
        this.next();
        return;
      }
      if (t.kind === 'RBrace' && inBlock) return;
      if (t.kind === 'LBrace') {
        this.skipBlock();
        continue;
      }
      this.next();
    }
  }

  /** Skips a `{ ... }` block (nested blocks too) without reading its statements. */
  skipBlock(): void {
    const open = this.next();
    let depth = 1;
    while (depth > 0) {
      const t = this.next();
      if (t.kind === 'EOF') {
        this.error('P108', open.start, open.end, 'this `{` is never closed', 'add the matching `}`');
        return;
      }
      if (t.kind === 'LBrace') depth++;
      else if (t.kind === 'RBrace') depth--;
    }
  }
}

/** How a token is named in a message: "`foo`", "the end of the line", "the prefix `10.0.0.0/8`". */
export function describe(t: Tok): string {
  const quoted = `\`${t.text}\``;
  return match(t.kind)
    .with('Newline', () => 'the end of the line')
    .with('EOF', () => 'the end of the file')
    .with('Name', 'Arrow', 'DashDash', 'Equals', 'Comma', 'Colon', 'Dot', 'LBrace', 'RBrace', 'IfPin', 'Stray', () => quoted)
    .with('Int', () => `the number ${quoted}`)
    .with('PortRange', () => `the range ${quoted}`)
    .with('IPv4', 'IPv6', () => (t.text.includes('/') ? `the prefix ${quoted}` : `the address ${quoted}`))
    .with('String', 'UnterminatedString', () => (t.text.length > 24 ? `the string ${t.text.slice(0, 20)}…"` : `the string ${t.text}`))
    .exhaustive();
}

/** Levenshtein distance, for did-you-mean suggestions among keywords. */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(up + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}

/** The closest of `candidates` to `word` within distance 2, if any. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  if (word.length > 40) return undefined;
  let best: string | undefined;
  let bestDistance = 3;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}
