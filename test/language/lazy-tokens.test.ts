// The grammar makes chevrotain's token for a lexer token only when chevrotain reads it
// (language/grammar-input.ts): the plain lines' tokens are never made, a token is made once, in
// its place, and chevrotain's padding of its input is undone without dropping the tokens not made.

import { readFileSync } from 'node:fs';
import type { IToken } from 'chevrotain';
import { afterEach, describe, expect, it } from 'vitest';
import { GrammarBase } from '../../language/grammar-base.js';
import { PlumbGrammar } from '../../language/grammar.js';
import { LazyInputParser } from '../../language/grammar-input.js';
import type { PlumbToken } from '../../language/grammar-tokens.js';
import { parseWith } from '../../language/parser.js';
import { lex } from '../../language/tokens.js';

type MakeToken = (this: LazyInputParser, i: number) => IToken;
const proto = LazyInputParser.prototype as unknown as { makeToken: MakeToken };
const makeToken = proto.makeToken;
const baseAfterParse = GrammarBase.prototype.onAfterParse;

afterEach(() => {
  proto.makeToken = makeToken;
  GrammarBase.prototype.onAfterParse = baseAfterParse;
});

const rules = Array.from({ length: 40 }, (_, i) => `  allow web${i % 3}, db -> app${i % 5} : https\n`).join('');
const TEXT = `network n
site s {
  router r1 cisco-iosxe
}
segment web0 10.0.0.0/24 at s.r1
segment web1 10.0.1.0/24 at s.r1
segment web2 10.0.2.0/24 at s.r1
segment db 10.0.3.0/24 at s.r1
group app0 = web0, db
policy {
${rules}  allow web0 -> db : tcp 5432
}`;

describe('chevrotain tokens made when read', () => {
  it('are made once each, for the statements chevrotain reads only', () => {
    const made: number[] = [];
    proto.makeToken = function (this: LazyInputParser, i: number): IToken {
      made.push(i);
      return makeToken.call(this, i);
    };
    const grammar = new PlumbGrammar();
    const eager = new PlumbGrammar();
    eager.plainStatements = false;
    const tokens = lex(TEXT).tokens.length;
    const lazy = parseWith(grammar, TEXT, 'p.plumb');
    expect(new Set(made).size).toBe(made.length);
    // The 40 plain rules and 4 segments are some 380 of the file's 425 tokens: none is made.
    expect(made.length).toBeGreaterThan(0);
    expect(made.length).toBeLessThan(tokens / 4);
    made.length = 0;
    const full = parseWith(eager, TEXT, 'p.plumb');
    expect(JSON.stringify(lazy)).toBe(JSON.stringify(full));
    expect(new Set(made).size).toBe(made.length);
    expect(made.length).toBeGreaterThan((tokens * 3) / 4);
  });

  it('stay in place, and the input keeps its length after each statement', () => {
    const checked: number[] = [];
    GrammarBase.prototype.onAfterParse = function (this: GrammarBase): void {
      baseAfterParse.call(this);
      const input = this.input as (IToken | null)[];
      expect(input.length).toBe(this.toks.length);
      input.forEach((t, i) => {
        if (t !== null) expect((t as PlumbToken).tok).toBe(this.toks[i]);
      });
      checked.push(input.filter((t) => t === null).length);
    };
    const grammar = new PlumbGrammar();
    parseWith(grammar, TEXT, 'p.plumb');
    parseWith(grammar, readFileSync('examples/acme/acme.plumb', 'utf8'), 'acme.plumb');
    expect(checked.length).toBeGreaterThan(5);
    // Tokens not made stand at the end of the input too (the file's last lines are plain rules).
    expect(checked.some((n) => n > 0)).toBe(true);
  });
});
