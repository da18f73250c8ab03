// The front end's lexical and size limits (language/limits.ts, lexical-checks.ts): control
// characters (P110), token (P111) and line (P112) length, nesting (P113), the cap on
// diagnostics per file (P119). Each limit is tested at its value and one past it. Escapes and
// runs of stray characters are cases (test/language/cases/syntax/).

import { cpuMs } from '../cpu-time.js';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../language/analyze.js';
import { BoundedDiagnostics, limitPerFile, type Diagnostic } from '../../language/diagnostic.js';
import { MAX_BLOCK_DEPTH, MAX_DIAGNOSTICS_PER_FILE, MAX_LINE_LENGTH, MAX_LITERAL_LENGTH, MAX_NAME_LENGTH, MAX_STRING_LENGTH } from '../../language/limits.js';
import { parse } from '../../language/parser.js';
import { renderJson, renderText } from '../../language/render.js';

const codes = (text: string): string[] => parse(text, 't.plumb').diagnostics.map((d) => d.code);
const only = (text: string, code: string): Diagnostic[] => parse(text, 't.plumb').diagnostics.filter((d) => d.code === code);


describe('P110: control characters in strings and comments', () => {
  it.each([
    ['a tab', '\t', 'a tab (U+0009)'],
    ['DEL', '\u007f', 'the control character DEL (U+007F)'],
    ['a C1 control', '\u0085', 'the control character (U+0085)'],
    ['a bidi override', '\u202e', 'the bidirectional control RIGHT-TO-LEFT OVERRIDE (U+202E)'],
    ['a bidi isolate', '\u2066', 'the bidirectional control LEFT-TO-RIGHT ISOLATE (U+2066)'],
    ['the line separator', '\u2028', 'the LINE SEPARATOR (U+2028)'],
    ['the paragraph separator', '\u2029', 'the PARAGRAPH SEPARATOR (U+2029)'],
  ])('refuses %s in a string', (_what, c, name) => {
    const [d] = only(`network n "ab${c}cd"\n`, 'P110');
    expect(d!.message).toBe(`${name} in a string`);
    expect(d!.span.start.column).toBe(14);
    expect(d!.span.end.column).toBe(15);
  });

  it('refuses them in a comment too, but a tab there is fine', () => {
    expect(codes('network n # a\tcomment\n')).toEqual([]);
    expect(only('network n # admin \u202eok\n', 'P110')[0]!.message).toContain('RIGHT-TO-LEFT OVERRIDE');
    expect(only('# \u0001\n', 'P110')[0]!.message).toBe('the control character (U+0001) in a comment');
  });

  it('refuses a carriage return that ends no line (a terminal would hide the text before it)', () => {
    const [d] = only('network n\r# looks like a comment\n', 'P110');
    expect(d!.message).toBe('a carriage return (U+000D) that ends no line');
    expect(d!.span.start.column).toBe(10);
    expect(codes('network n\r\nrouting ospf\r\n')).toEqual([]);
  });

  it('also in an unterminated string, and printable non-ASCII text stays fine', () => {
    expect(codes('network n "a\u202eb\n')).toEqual(['P101', 'P110']);
    expect(codes('network n "Zürich — 東京 ✓"\n')).toEqual([]);
  });
});

describe('P111: tokens over their length', () => {
  it(`accepts a name of ${MAX_NAME_LENGTH} characters and refuses one more`, () => {
    expect(codes(`group ${'g'.repeat(MAX_NAME_LENGTH)} = a\n`)).not.toContain('P111');
    const [d] = only(`group ${'g'.repeat(MAX_NAME_LENGTH + 1)} = a\n`, 'P111');
    expect(d!.message).toBe('this name is 65 characters long; the limit is 64');
  });

  it(`accepts a string of ${MAX_STRING_LENGTH} characters and refuses one more`, () => {
    const body = (n: number) => 'x'.repeat(n - 2);
    expect(codes(`network n "${body(MAX_STRING_LENGTH)}"\n`)).toEqual([]);
    expect(only(`network n "${body(MAX_STRING_LENGTH + 1)}"\n`, 'P111')[0]!.message).toBe('this string is 2,049 characters long; the limit is 2,048');
  });

  it(`refuses a number or address literal over ${MAX_LITERAL_LENGTH} characters`, () => {
    expect(only(`service s = tcp ${'8'.repeat(MAX_LITERAL_LENGTH + 1)}\n`, 'P111')).toHaveLength(1);
    expect(only(`pool p ${'1.'.repeat(40)}0/8\n`, 'P111')).toHaveLength(1);
  });
});

describe('P112: lines over their length', () => {
  it(`reads a line of ${MAX_LINE_LENGTH} characters and leaves out a longer one, reading the lines around it`, () => {
    const comment = (n: number) => `# ${'x'.repeat(n - 2)}`;
    expect(codes(`${comment(MAX_LINE_LENGTH)}\n`)).toEqual([]);
    const long = `group g = ${Array.from({ length: 3000 }, (_, i) => `n${i}`).join(', ')}`;
    expect(long.length).toBeGreaterThan(MAX_LINE_LENGTH);
    const r = parse(`network n\n${long}\ngroup h = a\n`, 't.plumb');
    expect(r.diagnostics.map((d) => d.code)).toEqual(['P112']);
    expect(r.diagnostics[0]!.message).toBe(`this line is ${long.length.toLocaleString('en-US')} characters long; the limit is 16,384, so it was not read`);
    expect(r.diagnostics[0]!.span.start).toEqual({ line: 2, column: 1, offset: 10 });
    expect(r.file.declarations.map((d) => d.kind)).toEqual(['network', 'group']);
  });

  it('lexes an 8.3 million character token without overflowing the stack, in linear time', () => {
    for (const text of ['a'.repeat(8_300_000), `"${'a'.repeat(8_300_000)}"`, `network n "${'\\"'.repeat(4_000_000)}`]) {
      const t0 = cpuMs();
      expect(codes(text)).toEqual(['P112']);
      expect(cpuMs() - t0).toBeLessThan(5_000);
    }
  });
});

describe('P113: nesting', () => {
  it(`accepts ${MAX_BLOCK_DEPTH} open \`{\` and reports the next once`, () => {
    expect(codes(`site s ${'{ '.repeat(MAX_BLOCK_DEPTH)}\n`)).not.toContain('P113');
    const deep = only(`site s ${'{ '.repeat(MAX_BLOCK_DEPTH + 5)}\n`, 'P113');
    expect(deep).toHaveLength(1);
    expect(deep[0]!.message).toBe('this `{` is nested 9 deep; the limit is 8');
  });

  it('parses three million `{` in linear time', () => {
    const t0 = cpuMs();
    const r = parse('{\n'.repeat(1_500_000), 't.plumb');
    expect(r.diagnostics.map((d) => d.code)).toEqual(['P103', 'P108', 'P113']);
    expect(cpuMs() - t0).toBeLessThan(30_000);
  });
});

describe('the cap on diagnostics', () => {
  it(`keeps the first ${MAX_DIAGNOSTICS_PER_FILE} diagnostics of a file and counts the rest in one P119`, () => {
    const r = analyze([{ path: 't.plumb', text: '@a'.repeat(150) }]);
    expect(r.diagnostics).toHaveLength(MAX_DIAGNOSTICS_PER_FILE + 1);
    const more = r.diagnostics.at(-1)!;
    expect(more).toMatchObject({ code: 'P119', severity: 'error', message: '50 more errors not shown (at most 100 are reported per file)' });
    expect(more.span.start.column).toBe(201);
    // The summaries count what is shown and say how many more there are.
    const sources = [{ path: 't.plumb', text: '@a'.repeat(150) }];
    expect(renderText(r.diagnostics, sources, { color: false }).trimEnd().split('\n').at(-1)).toBe('error: 100 errors, and 50 more not shown');
    expect(JSON.parse(renderJson(r.diagnostics)).summary).toEqual({ errors: 101, warnings: 0, infos: 0, omitted: 50 });
  });

  it('counts a million errors without keeping them', () => {
    const t0 = cpuMs();
    const r = analyze([{ path: 't.plumb', text: 'x\n'.repeat(500_000) }]);
    expect(r.diagnostics.at(-1)!.message).toBe('499900 more errors not shown (at most 100 are reported per file)');
    expect(cpuMs() - t0).toBeLessThan(30_000);
  });

  it('merges the counts of earlier P119s, says warnings when only warnings were left out, and caps each file alone', () => {
    const at = (file: string, offset: number) => ({ file, start: { line: 1, column: offset + 1, offset }, end: { line: 1, column: offset + 2, offset: offset + 1 } });
    const warning = (file: string, offset: number): Diagnostic => ({ code: 'P601', severity: 'warning', span: at(file, offset), message: 'w', related: [] });
    const early = new BoundedDiagnostics(1);
    early.push(warning('a', 0));
    early.push(warning('a', 1));
    early.push(warning('a', 2));
    const summary = early.all()[1]!;
    expect(summary).toMatchObject({ code: 'P119', severity: 'warning', message: '2 more warnings not shown (at most 1 are reported per file)' });
    const merged = limitPerFile([warning('a', 0), summary, warning('a', 5), warning('b', 0), warning('b', 1)], 1);
    expect(merged.map((d) => `${d.span.file} ${d.code} ${d.message}`)).toEqual([
      'a P601 w',
      'a P119 3 more warnings not shown (at most 1 are reported per file)',
      'b P601 w',
      'b P119 1 more warning not shown (at most 1 are reported per file)',
    ]);
  });
});
