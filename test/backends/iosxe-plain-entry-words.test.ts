// An access-list entry written as Plumb writes it (printable ASCII, one space between words) is
// split by a regular expression's test and `split` (acl-words.ts plainWords), anything else by the
// general splitter.
// Held here to splitWords in IOS's syntax on seeded lines: every gap of whitespace, indentation,
// control and non-ASCII characters, spaces at either end. The readers' tests read whole lists
// both ways (iosxe-entry-words.test.ts).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { entryWords, plainWords } from '../../backends/cisco-iosxe/acl-words.js';
import { IOS_SYNTAX, lexConfig } from '../../backends/cisco-iosxe/lines.js';
import { indentOf, splitWords } from '../../backends/config-text.js';

const WORDS = ['10', 'permit', 'tcp', '10.0.0.0', '0.0.0.255', 'eq', '443', 'any', 'object-group', 'NET-1A2B', 'x', '!', '~', 'a\u00e9', 'b\u007f'];
const GAPS = [' ', ' ', ' ', ' ', '  ', '\t', '\u00a0', '\u3000', '\v', ' \t', '\r'];

const byGeneral = (text: string): string[] => {
  const texts: string[] = [];
  splitWords(text, IOS_SYNTAX, texts, []);
  return texts;
};

describe('IOS-XE entry words split as Plumb writes them', () => {
  it('are the general splitter\'s words, and only lines written so are taken (seeded)', () => {
    const line = fc.tuple(fc.constantFrom('', ' ', ' ', '  ', '\t', ' \u00a0'), fc.array(fc.tuple(fc.constantFrom(...WORDS), fc.constantFrom(...GAPS)), { minLength: 0, maxLength: 8 }), fc.constantFrom('', '', '', ' ', '\t'));
    let taken = 0;
    fc.assert(
      fc.property(line, ([indent, parts, end]) => {
        const text = indent + parts.map(([w, g], i) => (i === 0 ? w : g + w)).join('') + end;
        const plain = /^[\x21-\x7e]+( [\x21-\x7e]+)*$/.test(text.slice(indentOf(text)));
        const got = plainWords(text, indentOf(text));
        expect(got !== undefined).toBe(plain);
        if (got) {
          expect(got).toEqual(byGeneral(text));
          taken++;
        }
      }),
      { seed: 45, numRuns: 3000 },
    );
    expect(taken).toBeGreaterThan(200);
  });

  it('give a lexed line\'s own words, taken or not, and the scratch words are not kept between lines', () => {
    const lines = lexConfig('x.cfg', [' 10 permit ip any any', ' 20  permit ip any any', ' 30 permit\tip any any', ' 40 deny ip host 10.0.0.1 any'].join('\n'));
    const seen = lines.map((l) => [...entryWords(l)]);
    expect(seen).toEqual(lines.map((l) => [...l.texts]));
    expect(seen[0]).toEqual(['10', 'permit', 'ip', 'any', 'any']);
  });
});
