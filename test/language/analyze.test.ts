import { describe, expect, it } from 'vitest';
import { analyze } from '../../language/analyze.js';
import { compareDiagnostics } from '../../language/diagnostic.js';
import { BASE } from './analyze-helpers.js';

describe('analyze', () => {
  it('handles no files and empty files', () => {
    expect(analyze([])).toMatchObject({ files: [], diagnostics: [] });
    const empty = analyze([{ path: 'empty.plumb', text: '' }]);
    expect(empty.diagnostics).toEqual([]);
    expect(empty.intent).toMatchObject({ name: 'empty', routing: 'static', devices: [], rules: [] });
  });

  it('checks several files as one intent, with diagnostics sorted by file and position', () => {
    const a = analyze([
      { path: 'b.plumb', text: 'host h 10.10.9.9 in db\nassert reach h -> nowhere\n' },
      { path: 'a.plumb', text: `${BASE}segment db2 10.10.2.0/25 at fra1.core1\n` },
    ]);
    const sorted = [...a.diagnostics].sort(compareDiagnostics);
    expect(a.diagnostics).toEqual(sorted);
    expect(a.diagnostics.map((d) => `${d.span.file}:${d.code}`)).toEqual(['a.plumb:P304', 'b.plumb:P303', 'b.plumb:P201']);
    expect(a.intent).toBeUndefined();
    expect(a.files.map((f) => f.path)).toEqual(['b.plumb', 'a.plumb']);
  });

  it('still resolves and checks the parts of a file around a syntax error', () => {
    const a = analyze([{ path: 'x.plumb', text: `${BASE}segment ??? broken\nhost h 10.10.9.9 in db\n` }]);
    const codes = a.diagnostics.map((d) => d.code);
    expect(codes.some((c) => c.startsWith('P1'))).toBe(true);
    expect(codes).toContain('P303');
    expect(a.intent).toBeUndefined();
    expect(a.symbols.definitions.some((d) => d.key === 'h')).toBe(true);
  });
});
