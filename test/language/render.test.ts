import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../language/diagnostic.js';
import { renderJson, renderText } from '../../language/render.js';
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
    expect(json.summary).toEqual({ errors: 1, warnings: 0, infos: 0 });
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
});
