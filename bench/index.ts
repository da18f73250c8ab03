// The benchmark suites of `npm run bench`, in order. A suite is a name, a one-line description
// and a function that measures and returns rows for the table. `npm run bench` runs DEFAULT_SUITES
// (whole processes, what users run); the in-process suites of single stages run when named
// (`npm run bench -- compiler`), and so does the failures suite (tens of minutes).

import { compilerSuite } from './compiler.js';
import { failuresSuite } from './failures.js';
import { frontendSuite } from './frontend.js';
import { lspSuite } from './lsp.js';
import { verifierSuite } from './verifier.js';
import { aclSuite, networksSuite, startupSuite } from './whole.js';

/** One line of a suite's table: a case name and its measurements, by column. */
export interface BenchRow {
  case: string;
  [column: string]: string | number;
}

export interface BenchResult {
  rows: BenchRow[];
  /** Sentences printed under the table, e.g. a scaling ratio and its limit. */
  notes: string[];
  /** False when a requirement the suite checks (e.g. linear growth) is not met. */
  ok: boolean;
}

/** From the command line: `--quick` (the smallest sizes, no ceilings enforced: a smoke test) and
 * `--burn` (a CPU burner on the other core while the language server is measured). */
export interface BenchOptions {
  quick: boolean;
  burn: boolean;
}

export interface BenchSuite {
  name: string;
  description: string;
  run(options: BenchOptions): Promise<BenchResult> | BenchResult;
}

export const SUITES: BenchSuite[] = [startupSuite, networksSuite, aclSuite, lspSuite, frontendSuite, compilerSuite, verifierSuite, failuresSuite];

/** What `npm run bench` runs when no suite is named. */
export const DEFAULT_SUITES = ['startup', 'networks', 'acl', 'lsp'];
