// chevrotain's parser with its tokens made when it first reads them. Chevrotain reads its input
// only through LA and LA_FAST (its lexer_adapter trait, which says they "can be overridden to
// implement lazy lexers"). Most lines of a large intent are plain rules and segments that the
// driver reads straight off the lexer's tokens (parse-plain.ts), so a chevrotain token (an
// object per token: 200,000 of them at 400 devices, for 30,000 read) is made only for a token
// chevrotain reads, the same object as before, and kept in its input for the next read.

import type { IToken } from 'chevrotain';
import { toParserToken, type PlumbToken } from './grammar-tokens.js';
import { LazyLookaheadParser } from './grammar-lookahead.js';
import type { Tok } from './tokens.js';

/** Chevrotain's input and cursor, which its typings do not show; `null` is a token not made yet. */
interface TokenVector {
  tokVector: (IToken | null)[];
  tokVectorLength: number;
  currIdx: number;
}

/** An input of `length` tokens none of which is made yet (a packed array: a holey one this long
 * would be a dictionary). */
function unmadeTokens(length: number): null[] {
  const out: null[] = [];
  for (let i = 0; i < length; i++) out.push(null);
  return out;
}

export class LazyInputParser extends LazyLookaheadParser {
  /** The lexer's tokens, ending with `EOF`. */
  toks: readonly Tok[] = [];

  /** Starts on the tokens of a file: chevrotain's input has their number and none made. */
  protected setTokens(toks: readonly Tok[]): void {
    this.input = unmadeTokens(toks.length) as unknown as IToken[];
    this.toks = toks;
  }

  /** Undoes chevrotain's padding of its input with its own end-of-input tokens (no `tok`). */
  protected dropPadding(): void {
    const input = this.input as (IToken | null)[];
    while (input.length > 0 && input.at(-1) !== null && (input.at(-1) as PlumbToken).tok === undefined) input.pop();
  }

  protected override LA(howMuch: number): IToken {
    const v = this as unknown as TokenVector;
    const i = v.currIdx + howMuch;
    if (i < 0 || i >= v.tokVectorLength) return super.LA(howMuch);
    return v.tokVector[i] ?? this.makeToken(i);
  }

  protected override LA_FAST(howMuch: number): IToken {
    const v = this as unknown as TokenVector;
    const i = v.currIdx + howMuch;
    const t = v.tokVector[i];
    // Past the file's tokens it is chevrotain's padding (onBeforeParse), read as it reads it.
    return t !== null ? (t as IToken) : this.makeToken(i);
  }

  private makeToken(i: number): IToken {
    const t = toParserToken(this.toks[i]!);
    (this as unknown as TokenVector).tokVector[i] = t;
    return t;
  }
}
