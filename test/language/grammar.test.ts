// The chevrotain grammar behind parse(): no message of chevrotain's own ever reaches the user.
// That keywords stay usable as names and that one run reports every broken statement is recorded
// by test/language/cases/trees/keywords-as-names-everywhere and
// cases/syntax/every-broken-statement-on-its-own-line.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PlumbGrammar } from '../../language/grammar.js';
import { parse } from '../../language/parser.js';

const CHEVROTAIN_WORDING = /Expecting|but found|Redundant input|NotAllInputParsed|one of these possible Token sequences/;

describe('grammar', () => {
  // parse() builds the parser without chevrotain's checks of the definitions (start-up time):
  // they are run here, and a definition error (an ambiguity, an unreachable alternative) throws.
  // The token patterns are checked by chevrotain in lexer.test.ts.
  it("passes chevrotain's checks of the grammar", () => {
    expect(() => new PlumbGrammar(true)).not.toThrow();
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
