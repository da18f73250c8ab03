// The benchmark suites `npm run bench` runs, in order. A stage adds its suite here: a name, a
// one-line description and a function that measures and returns rows for the table.

import { compilerSuite } from './compiler.js';
import { frontendSuite } from './frontend.js';
import { lspSuite } from './lsp.js';
import { verifierSuite } from './verifier.js';

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

export interface BenchSuite {
  name: string;
  description: string;
  run(): Promise<BenchResult> | BenchResult;
}

export const SUITES: BenchSuite[] = [frontendSuite, compilerSuite, lspSuite, verifierSuite];
