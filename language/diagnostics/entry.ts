// What the catalogue says about one diagnostic code: the data that docs/diagnostics.md's
// headings, SARIF's rule descriptions and the front end's filtering are made from. Plain data,
// so that every stage (and the documentation test) reads the same entry.

import type { Severity } from '../diagnostic.js';

/**
 * What a stage does with a code beyond reporting it.
 * - `hidden-after-syntax-error`: a report that something is missing; after a syntax error the
 *   recovered tree may lack the very lines that would supply it, so `analyze` leaves it out.
 * - `name-unresolved`: a name that did not resolve, which leaves its target looking unused.
 * - `hidden-when-names-unresolved`: left out when some name did not resolve (see above).
 * - `hidden-when-a-pool-may-be-missing`: computed from the pools, which only a dropped `pool`
 *   line can shrink (any other dropped line asks less of them): left out after a syntax error
 *   only when the parser dropped a line that starts with `pool` or a line of no known statement,
 *   which may be a misspelt `pool`.
 */
export type DiagnosticFlag = 'hidden-after-syntax-error' | 'name-unresolved' | 'hidden-when-names-unresolved' | 'hidden-when-a-pool-may-be-missing';

export interface DiagnosticInfo {
  /** The stable code: a letter for the family (P front end, C compiler, V verifier, R readers), three digits. */
  readonly code: string;
  /** The severity a diagnostic of this code has unless its call site says otherwise. */
  readonly severity: Severity;
  /** How docs/diagnostics.md's heading states the severity when it varies ("error; a warning for X"). */
  readonly severities?: string;
  /** The heading of its entry in docs/diagnostics.md, and SARIF's short description. */
  readonly title: string;
  /** One sentence: what it means. SARIF's full description and help. */
  readonly help: string;
  readonly flags?: readonly DiagnosticFlag[];
}
