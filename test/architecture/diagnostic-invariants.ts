// The invariant about diagnostic codes: the catalogue (language/diagnostics/) is the one place
// that writes a code such as 'P101'; every other file names it by its constant
// (`Codes.unterminatedString`), so that a code's severity, title and help live in one entry and
// docs/diagnostics.md, SARIF and the front end's filters cannot drift from it. The sentence is
// word for word a bullet of the "Invariants" section of docs/architecture.md.

import { allLiterals, literalFinding, type Invariant } from './checker.js';

/** A diagnostic code of any family: a capital letter and three digits. */
const CODE = /^[A-Z][0-9]{3}$/;

const CATALOGUE_FOLDER = 'language/diagnostics/';

const codesInTheCatalogue: Invariant = {
  sentence:
    'Diagnostic codes are written only in the catalogue (`language/diagnostics/`): every other file names a code by its constant (`Codes.unknownName`).',
  findings: (tree) =>
    allLiterals(tree)
      .filter((l) => !l.file.startsWith(CATALOGUE_FOLDER) && CODE.test(l.text))
      .map((l) => literalFinding(l, 'name the code by its constant: Codes.<name> (language/diagnostics/)')),
  counterexample: {
    files: {
      'verifier/lint.ts': "out.push(diagnostic('V801', span, message));\nconst name = `P${201}`;\n",
      'backends/frr/read.ts': "const code = 'R901' as const;\n",
      'language/diagnostics/catalogue-syntax.ts': "export const X = { code: 'P101' };\n",
    },
    caughtAt: ['verifier/lint.ts:1:21', 'backends/frr/read.ts:1:14'],
  },
};

export const DIAGNOSTIC_INVARIANTS: readonly Invariant[] = [codesInTheCatalogue];
