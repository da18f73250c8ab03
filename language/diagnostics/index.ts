// The one catalogue of every diagnostic code Plumb emits, from every stage: its default
// severity, its title (the heading of docs/diagnostics.md), a one-sentence help text (SARIF's
// rule description) and the flags that stages act on. Call sites name a code by its constant,
// `Codes.unterminatedString`, never by its text; the architecture test keeps it so, and the
// documentation test keeps docs/diagnostics.md's headings equal to these entries.

import { CHECK_DIAGNOSTICS } from './catalogue-checks.js';
import { COMPILER_DIAGNOSTICS } from './catalogue-compiler.js';
import { CONTRACT_DIAGNOSTICS } from './catalogue-contracts.js';
import { READER_DIAGNOSTICS } from './catalogue-readers.js';
import { SYNTAX_DIAGNOSTICS } from './catalogue-syntax.js';
import { VERIFIER_DIAGNOSTICS } from './catalogue-verifier.js';
import type { DiagnosticFlag, DiagnosticInfo } from './entry.js';

export type { DiagnosticFlag, DiagnosticInfo } from './entry.js';

/** The families in the order of docs/diagnostics.md. */
const FAMILIES = [SYNTAX_DIAGNOSTICS, CONTRACT_DIAGNOSTICS, CHECK_DIAGNOSTICS, COMPILER_DIAGNOSTICS, VERIFIER_DIAGNOSTICS, READER_DIAGNOSTICS] as const;

// Typed by the families' own types, so that the declaration file names them instead of spelling
// every entry out a second time.
type ByName = typeof SYNTAX_DIAGNOSTICS &
  typeof CONTRACT_DIAGNOSTICS &
  typeof CHECK_DIAGNOSTICS &
  typeof COMPILER_DIAGNOSTICS &
  typeof VERIFIER_DIAGNOSTICS &
  typeof READER_DIAGNOSTICS;

const BY_NAME: ByName = {
  ...SYNTAX_DIAGNOSTICS,
  ...CONTRACT_DIAGNOSTICS,
  ...CHECK_DIAGNOSTICS,
  ...COMPILER_DIAGNOSTICS,
  ...VERIFIER_DIAGNOSTICS,
  ...READER_DIAGNOSTICS,
};

/** The constant name of a code: `unterminatedString`. */
export type DiagnosticName = keyof typeof BY_NAME;

/** A catalogued code: `'P101'`. */
export type DiagnosticCode = (typeof BY_NAME)[DiagnosticName]['code'];

/** Every code by its constant name. */
export const Codes = Object.fromEntries(Object.entries(BY_NAME).map(([name, entry]) => [name, entry.code])) as {
  readonly [Name in DiagnosticName]: (typeof BY_NAME)[Name]['code'];
};

/** Every entry, family by family (a name given twice would be lost in BY_NAME: the test counts both). */
export const CATALOGUE: readonly DiagnosticInfo[] = FAMILIES.flatMap((family) => Object.values(family));

const BY_CODE: ReadonlyMap<string, DiagnosticInfo> = new Map(CATALOGUE.map((entry) => [entry.code, entry]));

/** The catalogue's entry of a code, or undefined for a code it does not have. */
export function diagnosticInfo(code: string): DiagnosticInfo | undefined {
  return BY_CODE.get(code);
}

/** Whether the catalogue gives `code` the flag. */
export function hasFlag(code: string, flag: DiagnosticFlag): boolean {
  return BY_CODE.get(code)?.flags?.includes(flag) ?? false;
}

/** The entry's heading in docs/diagnostics.md: `### P101 — unterminated string (error)`. */
export function diagnosticHeading(entry: DiagnosticInfo): string {
  return `### ${entry.code} — ${entry.title} (${entry.severities ?? entry.severity})`;
}

/**
 * The anchor GitHub gives that heading (`p101--unterminated-string-error`): lower case, every
 * character but letters, digits, spaces, `-` and `_` dropped, each space a `-`.
 */
export function diagnosticAnchor(entry: DiagnosticInfo): string {
  return diagnosticHeading(entry)
    .slice('### '.length)
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\p{M} _-]/gu, '')
    .replace(/ /g, '-');
}
