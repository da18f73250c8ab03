// The chevrotain grammar behind parse(): no message of chevrotain's own ever reaches the user.
// That keywords stay usable as names and that one run reports every broken statement is recorded
// by test/language/cases/trees/keywords-as-names-everywhere and
// cases/syntax/every-broken-statement-on-its-own-line.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PlumbGrammar } from '../../language/grammar.js';
import { parse, parseWith } from '../../language/parser.js';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const CHEVROTAIN_WORDING = /Expecting|but found|Redundant input|NotAllInputParsed|one of these possible Token sequences/;

describe('grammar', () => {
  // parse() builds the parser without chevrotain's checks of the definitions (start-up time):
  // they are run here, and a definition error (an ambiguity, an unreachable alternative) throws.
  // The token patterns are checked by chevrotain in lexer.test.ts.
  it("passes chevrotain's checks of the grammar", () => {
    expect(() => new PlumbGrammar(true)).not.toThrow();
  });

  // A rule's lookahead functions are computed at its first decision (language/grammar-lookahead.ts).
  it('computes lookahead only for the rules a file uses, and parses as with all of it computed up front', () => {
    const lazy = new PlumbGrammar();
    expect(lazy.lookaheadKeys()).toEqual([]);
    const eager = new PlumbGrammar();
    eager.computeAllLookahead();
    const all = eager.lookaheadKeys();
    expect(all.length).toBeGreaterThan(40);
    const files = readdirSync('test/language/cases', { withFileTypes: true, recursive: true })
      .filter((e) => e.isFile() && e.name.endsWith('.plumb'))
      .map((e) => join(e.parentPath, e.name));
    expect(files.length).toBeGreaterThan(100);
    const small = readFileSync('examples/acme/acme.plumb', 'utf8');
    expect(parseWith(lazy, small, 'main.plumb')).toEqual(parseWith(eager, small, 'main.plumb'));
    const afterOne = lazy.lookaheadKeys();
    expect(afterOne.length).toBeGreaterThan(0);
    expect(afterOne.length).toBeLessThan(all.length);
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      expect(parseWith(lazy, text, file), file).toEqual(parseWith(eager, text, file));
    }
    lazy.computeAllLookahead();
    expect(lazy.lookaheadKeys()).toEqual(all);
  });

  it('never lets a message of chevrotain through (seeded)', () => {
    const piece = fc.constantFrom(
      'site', 'external', 'policy', 'segment', 'host', 'link', 'router', 'allow', 'assert', 'reach', 'service', 'group',
      'at', 'via', 'asn', 'attach', 'address', 'peer', 'tcp', 'icmp', 'x', 'y.z', 'a:eth0', '10.0.0.0/24', '10.0.0.1',
      '2001:db8::/32', '80', '1-9', '{', '}', ',', ':', '->', '--', '=', '.', '"d"', '"open', ';', '\n', ' ',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (pieces) => {
        const r = parse(pieces.join(' '), 'f.plumb');
        for (const d of r.diagnostics) {
          expect(d.code).toMatch(/^P10[0-9]$/);
          expect(d.message).not.toMatch(CHEVROTAIN_WORDING);
        }
      }),
      { seed: 20261125, numRuns: 2000 },
    );
  });
});
