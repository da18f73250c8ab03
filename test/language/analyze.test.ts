// analyze as a function: no files, empty files, the order of files. What it reports for given
// text is recorded by the cases under test/language/cases/ (cases.test.ts).
import { describe, expect, it } from 'vitest';
import { analyze } from '../../language/analyze.js';
import { BASE } from './analyze-helpers.js';

describe('analyze', () => {
  it('handles no files and empty files', () => {
    expect(analyze([])).toMatchObject({ files: [], diagnostics: [] });
    const empty = analyze([{ path: 'empty.plumb', text: '' }]);
    expect(empty.diagnostics).toEqual([]);
    expect(empty.intent).toMatchObject({ name: 'empty', routing: 'static', devices: [], rules: [] });
  });

  it('keeps the files in the order given (the diagnostics are sorted: cases/names/p201-p303-p304-several-files-sorted)', () => {
    const a = analyze([
      { path: 'b.plumb', text: 'host h 10.10.9.9 in db\n' },
      { path: 'a.plumb', text: BASE },
    ]);
    expect(a.files.map((f) => f.path)).toEqual(['b.plumb', 'a.plumb']);
  });
});
