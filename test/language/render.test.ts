import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../language/diagnostic.js';
import { renderJson, renderText } from '../../language/render.js';
import { EXCERPT_WIDTH, excerpt, visibleText, wellFormedJson } from '../../language/safe-text.js';
import { BASE, run } from './analyze-helpers.js';

describe('render', () => {
  it('renders Rust-style text: code, location, source line, carets, help, notes', () => {
    const text = `${BASE}host pg 10.10.2.10 in dbb\nhost pg 10.10.2.11 in db\n`;
    const a = run(text);
    const out = renderText(a.diagnostics, [{ path: 'test.plumb', text }], { color: false });
    expect(out).toContain(
      [
        'error[P201]: unknown segment `dbb`',
        '  --> test.plumb:16:23',
        '   |',
        '16 | host pg 10.10.2.10 in dbb',
        '   |                       ^^^',
        '   = help: did you mean `db`?',
      ].join('\n'),
    );
    expect(out).toContain(
      ['error[P202]: `pg` is already declared', '  --> test.plumb:17:6', '   |', '17 | host pg 10.10.2.11 in db', '   |      ^^'].join('\n'),
    );
    expect(out).toContain(['note: first declared here as a host', '  --> test.plumb:16:6', '   |', '16 | host pg 10.10.2.10 in dbb', '   |      --'].join('\n'));
    expect(out.trimEnd().split('\n').at(-1)).toBe('error: 2 errors');
    expect(out).not.toContain('\u001b[');
  });

  it('colours only when asked', () => {
    const text = `${BASE}host pg 10.10.2.10 in dbb\n`;
    const out = renderText(run(text).diagnostics, [{ path: 'test.plumb', text }], { color: true });
    expect(out).toContain('\u001b[31m');
  });

  it('keeps tabs under the caret and survives unknown files and odd spans', () => {
    const d: Diagnostic = {
      code: 'P999',
      severity: 'warning',
      message: 'm',
      related: [],
      span: { file: 'f', start: { line: 1, column: 3, offset: 2 }, end: { line: 1, column: 4, offset: 3 } },
    };
    expect(renderText([d], [{ path: 'f', text: '\t\tx\n' }], { color: false })).toContain('1 | \t\tx\n  | \t\t^');
    expect(renderText([{ ...d, span: { ...d.span, file: 'missing' } }], [], { color: false })).toContain('--> missing:1:3');
    const past = { ...d, span: { file: 'f', start: { line: 9, column: 1, offset: 99 }, end: { line: 9, column: 1, offset: 99 } } };
    expect(() => renderText([past], [{ path: 'f', text: 'x' }], { color: false })).not.toThrow();
  });

  it('says so when there is nothing to report, and counts what there is', () => {
    expect(renderText([], [], { color: false })).toBe('ok: no problems found\n');
    const text = BASE.replace('at fra1.core1', 'at fra1.core1 zone inside').replace('asn 65010', 'asn 23456');
    expect(renderText(run(text).diagnostics, [{ path: 'test.plumb', text }], { color: false }).trimEnd().split('\n').at(-1)).toBe(
      'warning: 2 warnings',
    );
    const broken = `${text}host h 10.10.2.5 in nowhere\n`;
    expect(renderText(run(broken).diagnostics, [{ path: 'test.plumb', text: broken }], { color: false }).trimEnd().split('\n').at(-1)).toBe(
      'error: 1 error, 2 warnings',
    );
  });

  it('renders the documented JSON schema', () => {
    const text = `${BASE}host pg 10.10.2.10 in dbb\n`;
    const json = JSON.parse(renderJson(run(text).diagnostics));
    expect(json.version).toBe(1);
    expect(json.summary).toEqual({ errors: 1, warnings: 0, infos: 0, omitted: 0 });
    expect(json.diagnostics.find((d: { code: string }) => d.code === 'P201')).toEqual({
      code: 'P201',
      severity: 'error',
      message: 'unknown segment `dbb`',
      file: 'test.plumb',
      start: { line: 16, column: 23, offset: text.indexOf('dbb') },
      end: { line: 16, column: 26, offset: text.indexOf('dbb') + 3 },
      hint: 'did you mean `db`?',
      related: [],
    });
  });

  // Every character a terminal acts on, or that reorders the text around it, found in a render.
  // eslint-disable-next-line no-control-regex
  const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
  // eslint-disable-next-line no-control-regex
  const withoutColour = (s: string): string => s.replace(/\u001b\[[0-9;]*m/g, '');

  it('shows escape sequences and bidi controls from the source as escapes, in excerpts and quoted text', () => {
    const text = `network t\n# \u001b[31mred\u001b[0m \u202eevil\u202c\nsite "\u001b]0;title\u0007\u009b2J\u2066" {\n}\nsite s {\n  router r1 frr @ # \u001b[2J\u2067\n}\n`;
    const path = 'evil\u001b[2J\u202e.plumb';
    const a = run(text, path);
    expect(a.diagnostics.length).toBeGreaterThan(0);
    for (const color of [false, true]) {
      const out = renderText(a.diagnostics, [{ path, text }], { color });
      expect(withoutColour(out)).not.toMatch(UNSAFE);
      expect(withoutColour(out)).toContain('site "\\x1b]0;title\\x07\\x9b2J\\u2066" {');
      expect(withoutColour(out)).toContain('--> evil\\x1b[2J\\u202e.plumb:3:6');
      expect(withoutColour(out)).toContain('  router r1 frr @ # \\x1b[2J\\u2067');
    }
    // The marks stay under the span: an escape is as wide in the lead as in the excerpt.
    const line = 'a\u001bb\u202ec';
    const shown = excerpt(line, 4, 5);
    expect(shown.text).toBe('a\\x1bb\\u202ec');
    expect(`${shown.lead}^`).toBe(' '.repeat(shown.text.indexOf('c')) + '^');
  });

  it('shows a long line as a window around the span, never the whole line', () => {
    // Within the parser's line limit, many diagnostics on one long line.
    const long = `network t\nsite s {\n  router r1 frr ${' '.repeat(10_000)}@ ${'x;'.repeat(2_000)}\n}\n`;
    const diagnostics = run(long).diagnostics;
    expect(diagnostics.length).toBeGreaterThan(50);
    const out = renderText(diagnostics, [{ path: 'test.plumb', text: long }], { color: false });
    expect(out.length / diagnostics.length).toBeLessThan(600);
    const lines = out.split('\n');
    const at = lines.findIndex((l) => l.startsWith('3 | '));
    expect(lines[at]).toMatch(/^3 \| … {40}@ (x;)+x?…$/);
    expect(lines[at]!.length).toBe(4 + 1 + EXCERPT_WIDTH + 1);
    expect(lines[at + 1]!.indexOf('^')).toBe(lines[at]!.indexOf('@'));
    // A 1 MB line (what the language server or a config file may hold) the same way.
    const huge = `${' '.repeat(1 << 20)}@${'y'.repeat(1 << 20)}`;
    const d: Diagnostic = {
      code: 'P999',
      severity: 'error',
      message: 'm',
      related: [],
      span: { file: 'h', start: { line: 1, column: (1 << 20) + 1, offset: 1 << 20 }, end: { line: 1, column: (1 << 20) + 2, offset: (1 << 20) + 1 } },
    };
    const hugeOut = renderText([d], [{ path: 'h', text: huge }], { color: false });
    expect(hugeOut.length).toBeLessThan(400);
    expect(hugeOut).toContain(`1 | …${' '.repeat(40)}@${'y'.repeat(EXCERPT_WIDTH - 41)}…\n  |  ${' '.repeat(40)}^\n`);
    // A span at the end of a long line shows the line's end; a span longer than the window is cut.
    expect(excerpt('y'.repeat(1000), 995, 1000)).toEqual({ text: `…${'y'.repeat(EXCERPT_WIDTH)}`, lead: ' '.repeat(1 + EXCERPT_WIDTH - 5), marks: 5 });
    expect(excerpt('z'.repeat(1000), 100, 900).marks).toBe(EXCERPT_WIDTH - 40);
  });

  it('never splits a surrogate pair and shows a lone one as an escape', () => {
    const emoji = '\u{1F600}'.repeat(200);
    for (let start = 0; start < 60; start++) {
      const shown = excerpt(emoji, 2 * start + 81, 2 * start + 83);
      expect(shown.text).not.toMatch(/\\ud[89a-f]/);
      expect(shown.text.replace(/…/g, '')).toMatch(/^(\u{1F600})+$/u);
    }
    expect(visibleText('a\ud83db\ude00')).toBe('a\\ud83db\\ude00');
    expect(JSON.parse(wellFormedJson({ m: 'x\ud83d' })).m).toBe('x\ufffd');
  });

  it('writes well-formed JSON when a message holds a lone surrogate', () => {
    // The parser quotes the start of a long string, which can end in half of a surrogate pair.
    const text = `network t\nsite "${'\u{1F600}'.repeat(12)}" {\n}\n`;
    const diagnostics = run(text).diagnostics;
    expect(diagnostics.some((d) => /[\ud800-\udbff](?![\udc00-\udfff])/.test(d.message))).toBe(true);
    const json = renderJson(diagnostics);
    expect(json).not.toMatch(/\\ud[89ab]/i);
    expect(Buffer.from(json, 'utf8').toString('utf8')).toBe(json);
    expect(JSON.parse(json).diagnostics[0].message).toContain('\ufffd');
  });
});
