// The lexer's tokens, whole files, empty spans, and the parser's robustness on any input. What
// the parser builds and reports for given text is recorded by the cases under
// test/language/cases/ (syntax/ for the diagnostics, trees/ for the syntax tree).
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Diagnostic, Span } from '../../language/diagnostic.js';
import { parse, stringValue } from '../../language/parser.js';
import { lex } from '../../language/tokens.js';
import { binaryUnit } from '../binary-unit.js';

function at(span: Span): string {
  return `${span.start.line}:${span.start.column}-${span.end.line}:${span.end.column}`;
}

function show(d: Diagnostic): string {
  return `${at(d.span)} ${d.code} ${d.message}`;
}

function errors(text: string): Diagnostic[] {
  return parse(text, 'test.plumb').diagnostics;
}

describe('lexer', () => {
  const kinds = (text: string) => lex(text).tokens.map((t) => `${t.kind}:${t.text}`);

  it('lexes IPv6 strictly, and never a device with a pinned interface or a rule colon', () => {
    expect(kinds('2001:db8::/32 ::/0 fe80::1 ::ffff:10.0.0.1 2001:db8:10:1::/64')).toEqual([
      'IPv6:2001:db8::/32',
      'IPv6:::/0',
      'IPv6:fe80::1',
      'IPv6:::ffff:10.0.0.1',
      'IPv6:2001:db8:10:1::/64',
      'EOF:',
    ]);
    expect(kinds('fw1:ethernet1/1 db:https cafe:1 a :b')).toEqual([
      'Name:fw1',
      'IfPin::ethernet1/1',
      'Name:db',
      'IfPin::https',
      'Name:cafe',
      'IfPin::1',
      'Name:a',
      'Colon::',
      'Name:b',
      'EOF:',
    ]);
  });

  it('ends a name before `--` and `->`, keeps single hyphens inside it', () => {
    expect(kinds('a--b c->d pg-primary e-f-')).toEqual([
      'Name:a',
      'DashDash:--',
      'Name:b',
      'Name:c',
      'Arrow:->',
      'Name:d',
      'Name:pg-primary',
      'Name:e-f-',
      'EOF:',
    ]);
  });

  it('lexes numbers, port ranges, IPv4 literals, strings and comments', () => {
    const r = lex('80 8000-8080 10.0.0.1 10.0.0.0/8 "a \\" b" # note\n');
    expect(r.tokens.map((t) => `${t.kind}:${t.text}`)).toEqual([
      'Int:80',
      'PortRange:8000-8080',
      'IPv4:10.0.0.1',
      'IPv4:10.0.0.0/8',
      'String:"a \\" b"',
      'Newline:\n',
      'EOF:',
    ]);
    expect(r.comments.map((c) => c.text)).toEqual(['# note']);
    expect(stringValue('"a \\" b \\\\ c"')).toBe('a " b \\ c');
  });
});

describe('parser: whole files', () => {
  it('parses the bundled examples without a syntax error', () => {
    for (const path of ['examples/acme/acme.plumb']) {
      const r = parse(readFileSync(path, 'utf8'), path);
      expect(r.diagnostics.map(show)).toEqual([]);
      expect(r.file.declarations.length).toBeGreaterThan(10);
    }
  });

  it('accepts CRLF line ends, tabs and a byte-order mark', () => {
    const r = parse('\uFEFFnetwork a\r\nsite s {\r\n\trouter r frr\r\n}\r\n', 'test.plumb');
    expect(r.diagnostics.map(show)).toEqual([]);
    expect(r.file.declarations.map((x) => x.kind)).toEqual(['network', 'site']);
  });
});

describe('parser: where a diagnostic points', () => {
  // A baseline shows where a span starts and one mark under an empty span; the width is checked here.
  it('points at the end of the line or file, with an empty span, when something is missing there', () => {
    const where = (text: string): string[] => errors(text).map((d) => `${at(d.span)} ${d.code}`);
    expect(where('group g = a,')).toEqual(['1:13-1:13 P104']);
    expect(where('site s {\n  firewall fw1\n}')).toEqual(['2:15-2:15 P104']);
    expect(where('link a -- ')).toEqual(['1:11-1:11 P104']);
  });

  it('covers a stray character, or a run of them, exactly: from its first code unit to past its last', () => {
    const where = (text: string): string[] => errors(text).map((d) => `${at(d.span)} ${d.span.start.offset}-${d.span.end.offset} ${d.code}`);
    expect(where('site s @ {\n}')).toEqual(['1:8-1:9 7-8 P100']);
    expect(where('network a\nsite s {\n  router r frr $$ ? \n}')).toEqual(['3:16-3:20 34-38 P100']);
    // A character beyond U+FFFF is two code units; at the end of the text, the span ends there.
    expect(where('network a \u{1F600}')).toEqual(['1:11-1:13 10-12 P100']);
  });
});

describe('parser: recovery', () => {
  it('never throws and always returns a tree with valid spans, on any input', () => {
    const inputs = [
      '',
      '\n\n\n',
      '{'.repeat(20_000),
      '}'.repeat(1_000),
      'site a {'.repeat(5_000),
      '"'.repeat(1001),
      ':'.repeat(10_000),
      '1:'.repeat(10_000),
      'a'.repeat(100_000),
      '\u0000\u0001\uffff\ud800',
      Array.from({ length: 4096 }, (_, i) => String.fromCharCode((i * 7919) % 65536)).join(''),
      'allow -> : , = -- -> via',
      'link a:b:c -- d',
      'assert reach a -> b : c via',
    ];
    for (const text of inputs) {
      const r = parse(text, 'x.plumb');
      expect(r.file.kind).toBe('file');
      for (const d of r.diagnostics) {
        expect(d.span.start.offset).toBeLessThanOrEqual(d.span.end.offset);
        expect(d.span.end.offset).toBeLessThanOrEqual(text.length);
        expect(d.span.start.line).toBeGreaterThanOrEqual(1);
        expect(d.code).toMatch(/^P1\d\d$/);
      }
    }
  });
});

describe('parser: seeded robustness properties', () => {
  const acme = readFileSync('examples/acme/acme.plumb', 'utf8');
  const check = (text: string): void => {
    const r = parse(text, 'f.plumb');
    expect(r.file.kind).toBe('file');
    for (const d of r.diagnostics) {
      expect(d.span.file).toBe('f.plumb');
      expect(d.span.start.offset).toBeLessThanOrEqual(d.span.end.offset);
      expect(d.span.end.offset).toBeLessThanOrEqual(text.length);
      const lineStart = text.lastIndexOf('\n', d.span.start.offset - 1) + 1;
      expect(d.span.start.column).toBe(d.span.start.offset - lineStart + 1);
      expect(d.message.length).toBeGreaterThan(0);
    }
  };

  it('never throws on arbitrary text', () => {
    fc.assert(fc.property(fc.string({ unit: binaryUnit, maxLength: 300 }), check), { seed: 42, numRuns: 400 });
  });

  it('never throws on the example with random edits', () => {
    const piece = fc.constantFrom('{', '}', '"', ',', '->', '--', ':', '=', '\n', '#', ' ', 'at', '10.0.0.0/8', '::', '@', 'site', 'x');
    const edit = fc.tuple(fc.nat(acme.length), fc.nat(8), piece);
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 6 }), (edits) => {
        let text = acme;
        for (const [at, cut, insert] of edits) {
          const p = Math.min(at, text.length);
          text = text.slice(0, p) + insert + text.slice(p + cut);
        }
        check(text);
      }),
      { seed: 42, numRuns: 400 },
    );
  });

  it('parses every prefix of the example without throwing', () => {
    for (let n = 0; n <= acme.length; n += 7) check(acme.slice(0, n));
  });
});

describe('docs/diagnostics.md, P100 section', () => {
  const doc = readFileSync('docs/diagnostics.md', 'utf8');
  const entries = [...doc.matchAll(/^### (P1\d\d) — [^\n]*\n([\s\S]*?)(?=^### |^<!-- )/gm)].map((m) => ({
    code: m[1]!,
    example: /```plumb\n([\s\S]*?)```/.exec(m[2]!)?.[1],
  }));

  it('documents every code the parser emits, P100 to P131, each with an example', () => {
    expect(entries.map((e) => e.code)).toEqual(['P100', 'P101', 'P102', 'P103', 'P104', 'P105', 'P106', 'P107', 'P108', 'P109', 'P110', 'P111', 'P112', 'P113', 'P119', 'P130', 'P131']);
  });

  it.each(entries.map((e) => [e.code, e.example] as const))('the example of %s triggers it', (code, example) => {
    expect(example).toBeDefined();
    expect(parse(example!, 'doc.plumb').diagnostics.map((d) => d.code)).toContain(code);
  });
});
