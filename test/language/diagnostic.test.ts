// The one constructor of diagnostics: the catalogue's severity unless the call names another,
// the fields in one order (the JSON reports print some diagnostics as they are), and no empty
// hint or fix; `withoutFix` gives the reports' form.

import { describe, expect, it } from 'vitest';
import { diagnostic, fileSpan, proposal, withoutFix } from '../../language/diagnostic.js';
import { Codes, diagnosticInfo, hasFlag } from '../../language/diagnostics/index.js';

const span = fileSpan('a.plumb');

describe('diagnostic()', () => {
  it("takes the code's severity from the catalogue unless the call names one", () => {
    expect(diagnostic(Codes.unknownName, span, 'm').severity).toBe('error');
    expect(diagnostic(Codes.unusedDeclaration, span, 'm').severity).toBe('warning');
    expect(diagnostic(Codes.configFileEdited, span, 'm').severity).toBe('info');
    expect(diagnostic(Codes.moreNotShown, span, 'm', { severity: 'warning' }).severity).toBe('warning');
    expect(diagnosticInfo(Codes.moreNotShown)!.severities).toBe('error or warning');
  });

  it('puts the fields in one order and leaves out an empty hint or fix', () => {
    const related = [{ span, message: 'here' }];
    const full = diagnostic(Codes.unknownName, span, 'unknown `wbe`', { related, ...proposal(span, 'web') });
    expect(Object.keys(full)).toEqual(['code', 'severity', 'span', 'message', 'related', 'hint', 'fix']);
    expect(full.hint).toBe('did you mean `web`?');
    expect(full.fix).toEqual([{ replace: span, with: 'web' }]);
    expect(Object.keys(diagnostic(Codes.unknownName, span, 'm', { hint: '', fix: [] }))).toEqual(['code', 'severity', 'span', 'message', 'related']);
    expect(Object.keys(withoutFix(full))).toEqual(['code', 'severity', 'span', 'message', 'related', 'hint']);
  });

  it("reads the catalogue's flags", () => {
    expect(hasFlag(Codes.externalNotAttached, 'hidden-after-syntax-error')).toBe(true);
    expect(hasFlag(Codes.unknownName, 'name-unresolved')).toBe(true);
    expect(hasFlag(Codes.unusedDeclaration, 'hidden-when-names-unresolved')).toBe(true);
    expect(hasFlag(Codes.unknownName, 'hidden-after-syntax-error')).toBe(false);
    expect(hasFlag('X999', 'name-unresolved')).toBe(false);
  });
});
