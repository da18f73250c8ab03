// The renderers' text shortcuts give what the general path gives: PAN-OS annotation values
// encoded per character code (names.ts) against the escaping primitive with the annotation's
// rule, and origin tags formatted from the last span's memo against the format itself.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatOriginTag, encodePath } from '../../backends/origin-tag.js';
import { annotation, encodeAnnotationValue } from '../../backends/paloalto-panos/names.js';
import { escapeText, lineUnsafe } from '../../backends/text-escape.js';
import type { Span } from '../../language/diagnostic.js';

/** The annotation value's encoding as the rule says it: escapeText with the annotation's test per character. */
const byRule = (v: string): string =>
  escapeText(v, (c, i, t) => lineUnsafe(c, i, t) || /\s/.test(c) || c === '=' || (c === '-' && (t[i + 1] === '-' || i + 1 === t.length)));

describe('encodeAnnotationValue', () => {
  it('encodes what the rule encodes', () => {
    for (const v of ['', 'x', '-', '--', 'a-b', 'a--b', 'a-', ' a ', 'a=b', 'k = v', 'a.plumb:3:1-3:9 [40,48]', '100% up', '%41', '%u0041x', 'é-', 'tab\there', 'a\u2028b', '~!@#$^&*()_+{}|:"<>?`[];\',./']) {
      expect(encodeAnnotationValue(v), JSON.stringify(v)).toBe(byRule(v));
    }
  });

  it('encodes what the rule encodes on seeded texts of printable ASCII and what is not', () => {
    const piece = fc.constantFrom(' ', '  ', '-', '--', '=', '%', '%2', '%2D', '%u00e9', 'a', 'Z9', ':', '[', ']', ',', '\t', '\n', '\u00a0', 'é', '\u200e', '\ud800', '😀', '\x7f', '~');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
        const v = pieces.join('');
        expect(encodeAnnotationValue(v)).toBe(byRule(v));
      }),
      { seed: 3701, numRuns: 5000 },
    );
  });

  it('writes annotations with it', () => {
    expect(annotation('device', [['origin', 'a.plumb:1:2-3:4 [5,6]'], ['router-id', undefined], ['name', 'x=y-']])).toBe('plumb device origin=a.plumb:1:2-3:4%20[5,6] name=x%3Dy%2D');
  });
});

const span = (file: string, n: number[]): Span => ({ file, start: { line: n[0]!, column: n[1]!, offset: n[2]! }, end: { line: n[3]!, column: n[4]!, offset: n[5]! } });
const written = (s: Span): string => `${encodePath(s.file)}:${s.start.line}:${s.start.column}-${s.end.line}:${s.end.column} [${s.start.offset},${s.end.offset}]`;

describe('formatOriginTag', () => {
  it('gives each span its own tag when consecutive spans differ in one value', () => {
    const base = [3, 1, 40, 3, 9, 48];
    const spans: Span[] = [span('a.plumb', base), span('b.plumb', base)];
    for (let k = 0; k < base.length; k++) spans.push(span('a.plumb', base.map((x, i) => (i === k ? x + 1 : x))));
    // each one after each other one, and each twice in a row
    for (const a of spans) {
      for (const b of spans) {
        expect(formatOriginTag(a)).toBe(written(a));
        expect(formatOriginTag(b)).toBe(written(b));
        expect(formatOriginTag(b)).toBe(written(b));
      }
    }
  });

  it('formats a span changed in place after it was formatted', () => {
    const s = span('a b.plumb', [1, 2, 3, 4, 5, 6]);
    expect(formatOriginTag(s)).toBe('a%20b.plumb:1:2-4:5 [3,6]');
    s.end.column = 7;
    expect(formatOriginTag(s)).toBe('a%20b.plumb:1:2-4:7 [3,6]');
  });
});
