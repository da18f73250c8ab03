// The base of the chevrotain parser (grammar.ts): the statement-level cursor operations the
// driver (parser.ts) resynchronises with, and the small rules every statement uses (names,
// numbers, addresses, name lists). The token types are in grammar-tokens.ts.
//
// Error messages: every decision point checks the next token first and, when it cannot go on,
// records a precise "expected X, found Y" (P104) with a hint and throws `SyntaxFailure`, so
// chevrotain never reaches one of its own generic mismatch errors.

import type { IToken } from 'chevrotain';
import type { DeviceRef, NameRef, Token } from './ast.js';
import { BoundedDiagnostics, diagnostic, type RelatedInformation, type Replacement, type Span } from './diagnostic.js';
import { Codes, type DiagnosticCode } from './diagnostics/index.js';
import { MAX_DIAGNOSTICS_PER_FILE } from './limits.js';
import { describe, SyntaxFailure } from './parse-messages.js';
import type { LineIndex } from './positions.js';
import { T, VOCABULARY, type PlumbToken } from './grammar-tokens.js';
import type { Tok, TokKind } from './tokens.js';
import { LazyInputParser } from './grammar-input.js';

export { KW, T } from './grammar-tokens.js';


/** Remembers which optional clauses a statement has had, to report a repeated one (P107). */
export class Clauses {
  private readonly seen = new Map<string, Tok>();
  constructor(private readonly grammar: GrammarBase) {}

  take(keyword: Tok, what: string, key = keyword.text): void {
    const before = this.seen.get(key);
    if (before) {
      this.grammar.error(Codes.clauseTwice, keyword.start, keyword.end, `${key.startsWith('"') ? 'a description' : `\`${key}\``} is given twice in this ${what}`, 'keep one of them', [
        { span: this.grammar.span(before.start, before.end), message: 'first given here' },
      ]);
    }
    this.seen.set(key, keyword);
  }
}

/** A statement as its rule returns it: the node and how its end is reported (see `endStatement`). */
export interface Parsed<N> {
  node: N;
  what: string;
  hint?: string;
}

/** Chevrotain's position in its input, which its typings do not show. */
interface LexerState {
  exportLexerState(): number;
  importLexerState(state: number): void;
}

export class GrammarBase extends LazyInputParser {
  /** The syntax errors: bounded, so that a file of nothing but errors costs little memory. */
  diagnostics = new BoundedDiagnostics(MAX_DIAGNOSTICS_PER_FILE);
  /** The name the statement being parsed declares, once it is read (see `SourceFile.incompleteNames`). */
  declaring: Token | undefined;
  /** The names of the statements that failed after their name was read. */
  incompleteNames: Token[] = [];
  /** Whether the driver reads plain policy rules and segments straight off the tokens (parse-plain.ts); the tests turn it off to compare. */
  plainStatements = true;
  index!: LineIndex;
  /** For each token index, the index of the next `{`, `}` or EOF token at or after it. */
  private nextBrace = new Int32Array(0);

  /** `validate`: run chevrotain's checks of the grammar itself (ambiguities, left recursion,
   * unreachable alternatives) while building it. They find nothing in a grammar that passed them
   * once and cost a third of building the parser on every start, so the tests run them
   * (test/language/grammar.test.ts) and parse() does not. */
  constructor(validate = false) {
    super(VOCABULARY, { recoveryEnabled: false, maxLookahead: 1, skipValidations: !validate });
  }

  /** Starts a file: its tokens (ending with `EOF`) and its line index. */
  begin(toks: readonly Tok[], index: LineIndex): void {
    this.setTokens(toks);
    this.index = index;
    this.diagnostics = new BoundedDiagnostics(MAX_DIAGNOSTICS_PER_FILE);
    this.incompleteNames = [];
    this.declaring = undefined;
    this.nextBrace = new Int32Array(toks.length);
    let next = toks.length - 1;
    for (let i = toks.length - 1; i >= 0; i--) {
      const k = toks[i]!.kind;
      if (k === 'LBrace' || k === 'RBrace' || k === 'EOF') next = i;
      this.nextBrace[i] = next;
    }
  }

  /** Chevrotain reports input left after a rule as an error: here a rule reads one statement. */
  onAfterParse(): void {
    this.dropPadding();
    // Every decision is checked before chevrotain makes it: an error of its own is a bug here.
    const own = this.errors[0];
    if (own) {
      this.errors = [];
      throw new Error(`a grammar rule reached chevrotain's own error: ${own.message}`);
    }
  }

  // ---- The cursor, shared with the driver -------------------------------------------------

  /** The index of the next token. */
  get pos(): number {
    return (this as unknown as LexerState).exportLexerState() + 1;
  }

  set pos(p: number) {
    (this as unknown as LexerState).importLexerState(p - 1);
  }

  peek(): Tok {
    return this.toks[Math.min(this.pos, this.toks.length - 1)]!;
  }

  next(): Tok {
    const t = this.peek();
    if (t.kind !== 'EOF') this.pos = this.pos + 1;
    return t;
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

  /** The token index of the first token after the line breaks at the cursor. */
  afterLineBreaks(): number {
    let i = this.pos;
    while (this.toks[i]?.kind === 'Newline') i++;
    return i;
  }

  /** The text of the `NAME` or `SITE.NAME` at the cursor, for hints. */
  deviceRefText(): string {
    const [a, dot, b] = [this.toks[this.pos], this.toks[this.pos + 1], this.toks[this.pos + 2]];
    if (a?.kind !== 'Name') return a?.text ?? '';
    return dot?.kind === 'Dot' && dot.start === a.end && b?.kind === 'Name' && b.start === dot.end ? `${a.text}.${b.text}` : a.text;
  }

  skipNewlines(): void {
    while (this.is('Newline')) this.next();
  }

  span(start: number, end: number): Span {
    return this.index.span(start, end);
  }

  token(t: IToken | Tok): Token {
    const tok = 'tok' in t ? (t as PlumbToken).tok : (t as Tok);
    return { text: tok.text, span: this.span(tok.start, tok.end) };
  }

  /** The lexer's token behind a chevrotain token. */
  tok(t: IToken): Tok {
    return (t as PlumbToken).tok;
  }

  error(code: DiagnosticCode, start: number, end: number, message: string, hint?: string, related: RelatedInformation[] = [], fix?: Replacement[]): void {
    if (this.diagnostics.full) {
      // Only counted (P119): the span's end and the related places are never shown.
      this.diagnostics.push(diagnostic(code, this.span(start, start), ''));
      return;
    }
    this.diagnostics.push(diagnostic(code, this.span(start, end), message, { hint, related, fix }));
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
      this.error(Codes.expectedSomethingElse, t.start, t.kind === 'Newline' ? t.start : t.end, `expected ${expected}, found ${describe(t)}`, hint);
    }
    throw new SyntaxFailure();
  }

  /** Records an error with its own code (and the fix its hint proposes) and fails the statement. */
  failWith(code: DiagnosticCode, t: Tok, message: string, hint?: string, fix?: Replacement[]): never {
    this.error(code, t.start, t.end, message, hint, [], fix);
    throw new SyntaxFailure();
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
        this.error(Codes.textAfterStatement, t.start, t.end, `unexpected ${describe(t)} after the end of the ${what}`, hint);
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
        this.error(Codes.blockNeverClosed, open.start, open.end, 'this `{` is never closed', 'add the matching `}`');
        return;
      }
      if (t.kind === 'LBrace') depth++;
      else if (t.kind === 'RBrace') depth--;
    }
  }

  // ---- Rules every statement uses ---------------------------------------------------------
  // These run for almost every token, so their checks test `RECORDING_PHASE` themselves
  // instead of allocating an `ACTION` closure per call (chevrotain records the grammar by
  // running each rule once, with placeholder tokens, before any input).

  /** Any name (keywords included). */
  readonly name = this.RULE('name', (what: string, hint?: string): Token => {
    if (!this.RECORDING_PHASE && !this.is('Name')) this.fail(what, hint);
    const t = this.CONSUME(T.Name);
    return this.RECORDING_PHASE ? (undefined as never) : this.token(t);
  });

  readonly integer = this.RULE('integer', (what: string): Token => {
    if (!this.RECORDING_PHASE && !this.is('Int')) this.fail(what);
    const t = this.CONSUME(T.Int);
    return this.RECORDING_PHASE ? (undefined as never) : this.token(t);
  });

  /** A string, or one left unterminated (reported by the lexical check). */
  readonly text = this.RULE('text', (): Token => {
    const t = this.OR([{ ALT: () => this.CONSUME(T.String) }, { ALT: () => this.CONSUME(T.UnterminatedString) }]);
    return this.RECORDING_PHASE ? (undefined as never) : this.token(t);
  });

  /** `NAME` or `SITE.NAME`. */
  readonly deviceRef = this.RULE('deviceRef', (what: string, hint?: string): DeviceRef => {
    if (!this.RECORDING_PHASE && !this.is('Name')) this.fail(what, hint);
    const first = this.CONSUME(T.Name);
    let second: IToken | undefined;
    this.OPTION(() => {
      this.CONSUME(T.Dot);
      if (!this.RECORDING_PHASE && !this.is('Name')) this.fail(`a device name after \`${first.image}.\``);
      second = this.CONSUME2(T.Name);
    });
    if (this.RECORDING_PHASE) return undefined as never;
    const a = this.tok(first);
    if (!second) return { device: this.token(a), span: this.span(a.start, a.end) };
    const b = this.tok(second);
    return { site: this.token(a), device: this.token(b), span: this.span(a.start, b.end) };
  });

  /** An address or prefix literal; `prefix` says which is wanted. */
  readonly addressLiteral = this.RULE('addressLiteral', (prefix: boolean, what: string): Token => {
    if (!this.RECORDING_PHASE) {
      const t = this.peek();
      if (t.kind !== 'IPv4' && t.kind !== 'IPv6') this.fail(what);
      if (t.text.includes('/') !== prefix) {
        const bare = t.text.split('/')[0]!;
        this.fail(
          what,
          prefix ? `add the prefix length, e.g. \`${bare}/${t.kind === 'IPv4' ? 24 : 64}\`` : `an address has no prefix length here: write \`${bare}\``,
        );
      }
    }
    const t = this.OR([{ ALT: () => this.CONSUME(T.IPv4) }, { ALT: () => this.CONSUME(T.IPv6) }]);
    return this.RECORDING_PHASE ? (undefined as never) : this.token(t);
  });

  /** Line breaks after `,`, `->`, `:` or `=`: a statement continues there. */
  readonly lineBreaks = this.RULE('lineBreaks', (): void => {
    this.MANY(() => this.CONSUME(T.Newline));
  });

  /** `NAME` or `SITE.DEVICE`: an endpoint, a group or a device, in a list. */
  readonly nameRef = this.RULE('nameRef', (what: string, hint?: string): NameRef => {
    const ref = this.SUBRULE(this.deviceRef, { ARGS: [what, hint] });
    if (this.RECORDING_PHASE) return undefined as never;
    if (!ref.site) return ref.device;
    return { text: `${ref.site.text}.${ref.device.text}`, span: ref.span, device: ref };
  });

  /** `REF, REF, ...` (each `NAME` or `SITE.DEVICE`): at least one; a line may continue after a comma. */
  readonly refList = this.RULE('refList', (what: string, hint?: string): NameRef[] => {
    const refs: NameRef[] = [this.SUBRULE(this.nameRef, { ARGS: [what, hint] })];
    let another: string | undefined;
    this.MANY(() => {
      this.CONSUME(T.Comma);
      this.SUBRULE(this.lineBreaks);
      if (!this.RECORDING_PHASE) another ??= `another ${what.replace(/^(the|a|an) /, '').replace(/ after .*$/, '')} after \`,\``;
      refs.push(this.SUBRULE2(this.nameRef, { ARGS: [another ?? ''] }));
    });
    return refs;
  });

  /** `NAME` or `MODULE.NAME` (a declaration of an imported module): one token, dot included. */
  readonly qualifiedName = this.RULE('qualifiedName', (what: string, hint?: string): Token => {
    if (!this.RECORDING_PHASE && !this.is('Name')) this.fail(what, hint);
    const first = this.CONSUME(T.Name);
    let second: IToken | undefined;
    this.OPTION(() => {
      this.CONSUME(T.Dot);
      if (!this.RECORDING_PHASE && !this.is('Name')) this.fail(`a name after \`${first.image}.\``);
      second = this.CONSUME2(T.Name);
    });
    if (this.RECORDING_PHASE) return undefined as never;
    const a = this.tok(first);
    if (!second) return this.token(a);
    const b = this.tok(second);
    return { text: `${a.text}.${b.text}`, span: this.span(a.start, b.end) };
  });

  /** `NAME, NAME, ...` (each may be `MODULE.NAME`): at least one name; a line may continue after a comma. */
  readonly nameList = this.RULE('nameList', (what: string, hint?: string): Token[] => {
    const names: Token[] = [this.SUBRULE(this.qualifiedName, { ARGS: [what, hint] })];
    let another: string | undefined;
    this.MANY(() => {
      this.CONSUME(T.Comma);
      this.SUBRULE(this.lineBreaks);
      if (!this.RECORDING_PHASE) another ??= `another ${what.replace(/^(the|a|an) /, '').replace(/ after .*$/, '')} after \`,\``;
      names.push(this.SUBRULE2(this.qualifiedName, { ARGS: [another ?? ''] }));
    });
    return names;
  });
}
