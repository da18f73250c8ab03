// The line reader keeps a line's words as texts and positions and makes `Word` objects only on
// demand: checked here, over seeded random and hostile text in every dialect the readers use,
// against the reference below (the reader as it was when every word was an object).

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readLines, restOf, textAfter, textSpan, wordSpanAt, type LineSyntax, type Word } from '../../backends/config-text.js';
import { binaryUnit } from '../binary-unit.js';

interface ReferenceLine {
  file: string;
  line: number;
  offset: number;
  text: string;
  indent: number;
  words: Word[];
  comment?: string;
}

const SPACES = (c: string): boolean => c === ' ' || c === '\t';
const WHITESPACE = (c: string): boolean => /\s/.test(c);

/** The straightforward reader: every word an object, split by regular expressions where it can be. */
function referenceLines(file: string, content: string, syntax: LineSyntax): ReferenceLine[] {
  const { commentChars, quotes = true, blanks = 'spaces' } = syntax;
  const isBlank = blanks === 'spaces' ? SPACES : WHITESPACE;
  const plainWords = !quotes && commentChars === '';
  const out: ReferenceLine[] = [];
  let offset = 0;
  content.split('\n').forEach((text0, i) => {
    const text = blanks === 'whitespace' ? text0.trimEnd() : text0.endsWith('\r') ? text0.slice(0, -1) : text0;
    const words: Word[] = [];
    let comment: string | undefined;
    let j = plainWords ? text.length : 0;
    if (plainWords) {
      const runs = blanks === 'spaces' ? /[^ \t]+/g : /\S+/g;
      for (let m = runs.exec(text); m !== null; m = runs.exec(text)) {
        words.push({ text: m[0], quoted: false, column: m.index + 1, offset: offset + m.index, end: offset + m.index + m[0].length });
      }
    }
    while (j < text.length) {
      const c = text[j]!;
      if (isBlank(c)) {
        j++;
        continue;
      }
      if (commentChars.includes(c)) {
        comment = text.slice(j + 1).replace(/^ /, '');
        break;
      }
      const start = j;
      if (quotes && c === '"') {
        const close = text.indexOf('"', j + 1);
        const stop = close < 0 ? text.length : close;
        words.push({ text: text.slice(j + 1, stop), quoted: true, column: start + 1, offset: offset + start, end: offset + Math.min(stop + 1, text.length) });
        j = stop + 1;
        continue;
      }
      while (j < text.length && !isBlank(text[j]!)) j++;
      words.push({ text: text.slice(start, j), quoted: false, column: start + 1, offset: offset + start, end: offset + j });
    }
    const line: ReferenceLine = { file, line: i + 1, offset, text, indent: text.length - text.trimStart().length, words };
    if (comment !== undefined) line.comment = comment;
    out.push(line);
    offset += text0.length + 1;
  });
  return out;
}

/** The dialects of the readers: IOS, FRR, setup.sh, nftables-like. */
const SYNTAXES: LineSyntax[] = [
  { commentChars: '', quotes: false, blanks: 'whitespace' },
  { commentChars: '!#' },
  { commentChars: '#' },
  { commentChars: '#', quotes: false },
  { commentChars: '', quotes: false },
  { commentChars: '!', blanks: 'whitespace' },
];

/** Text of the characters that matter to the reader, and some that must not. */
const PIECES = [' ', '  ', '\t', '\r', '\n', '\r\n', '"', '!', '#', '! ', '# ', '\u00a0', '\u2028', '\ufeff', '\u3000', '\v', '\f', '\x7f', '\x01', 'é', '\ud83d\ude00', '\ud800', 'ip', 'route', '10.0.0.0/8', 'a"b', 'word', 'x'];
const text = fc.array(fc.oneof(fc.constantFrom(...PIECES), fc.string({ maxLength: 6 }), fc.string({ unit: binaryUnit, maxLength: 4 })), { maxLength: 40 }).map((xs) => xs.join(''));

function expectSameLines(content: string, syntax: LineSyntax): void {
  const got = readLines('f.cfg', content, syntax);
  const want = referenceLines('f.cfg', content, syntax);
  expect(got.length).toBe(want.length);
  got.forEach((line, i) => {
    const w = want[i]!;
    expect({ file: line.file, line: line.line, offset: line.offset, text: line.text, indent: line.indent, comment: line.comment, hasComment: 'comment' in line && line.comment !== undefined }).toEqual({
      file: w.file,
      line: w.line,
      offset: w.offset,
      text: w.text,
      indent: w.indent,
      comment: w.comment,
      hasComment: w.comment !== undefined,
    });
    expect(line.texts).toEqual(w.words.map((x) => x.text));
    for (let k = -1; k <= w.words.length; k++) {
      expect(textAfter(line, k)).toBe(w.words[k] ? w.text.slice(w.words[k]!.column - 1) : '');
      expect(restOf(line, k)).toBe(w.words.slice(k).map((x) => x.text).join(' '));
      if (w.words.length > 0 && k >= 0) {
        const word = w.words[Math.min(k, w.words.length - 1)]!;
        expect(wordSpanAt(line, k)).toEqual({ file: 'f.cfg', start: { line: w.line, column: word.column, offset: word.offset }, end: { line: w.line, column: word.column + (word.end - word.offset), offset: word.end } });
      }
    }
    if (w.words.length === 0) expect(() => wordSpanAt(line, 0)).toThrow();
    expect(textSpan(line).start.offset).toBe(w.offset + w.indent);
    // the words made on demand, after the texts and positions were used
    expect(line.words).toEqual(w.words);
    expect(line.words).toBe(line.words);
  });
}

describe('the line reader', () => {
  it('reads every line as the reference does, in every dialect (seeded)', () => {
    fc.assert(
      fc.property(text, fc.constantFrom(...SYNTAXES), (content, syntax) => expectSameLines(content, syntax)),
      { seed: 34, numRuns: 3000 },
    );
  });

  it('reads configuration-like lines as the reference does', () => {
    const samples = [
      'hostname r1\n!\ninterface GigabitEthernet1\n description "a b"  \n ip address 10.0.0.1 255.255.255.0\r\n!\n! plumb route origin a.plumb:1:1-1:2 [0,1]\nip route 10.1.0.0 255.255.0.0 10.0.0.2\nend',
      'router bgp 65001\n neighbor 10.0.0.2 description "peer # not a comment" ! a comment\n exit\n',
      '#!/bin/sh\nset -eu\nip -batch - <<\'PLUMB_EOF\'\nroute replace 10.0.0.0/8 via 10.0.0.1 dev eth0 # route\nPLUMB_EOF\n',
      '',
      '\n\n',
      '   \t  ',
      '"unterminated quote and more',
    ];
    for (const content of samples) for (const syntax of SYNTAXES) expectSameLines(content, syntax);
  });
});
