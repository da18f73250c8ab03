// How an architectural invariant is stated and judged. An invariant finds every place in the
// source tree that breaks the letter of its rule; places in the files it excuses (each with the
// reason, which docs/architecture.md repeats) are allowed, and an excuse that no longer excuses
// anything is itself a failure, so that the list only ever shrinks. Every invariant carries a
// small invented tree that breaks it, which the tests judge too: a rule that cannot fail is not
// a test.

import { factsOf, type ImportFact, type LiteralFact, type SourceFacts } from './source-facts.js';

export interface Finding {
  file: string;
  line: number;
  column: number;
  /** What is wrong there, with the offending text and what is allowed instead. */
  message: string;
}

export interface Invariant {
  /** The sentence of docs/architecture.md's "Invariants" section; the test has this name. */
  sentence: string;
  /** Every place in the tree that breaks the letter of the rule, excused or not. */
  findings(tree: readonly SourceFacts[]): Finding[];
  /** File → why it may break the letter of the rule (the doc lists the same files). */
  exceptions?: Readonly<Record<string, string>>;
  /** A tree (path → text) that breaks the rule, and where (`file:line:column`) it must be caught. */
  counterexample: { files: Readonly<Record<string, string>>; caughtAt: readonly string[] };
}

export interface Judgement {
  /** `file:line:column: message`, for every finding outside the excused files. */
  violations: string[];
  /** Excused files where the rule found nothing: the excuse is stale. */
  staleExceptions: string[];
}

export function formatFinding(f: Finding): string {
  return `${f.file}:${f.line}:${f.column}: ${f.message}`;
}

export function judge(invariant: Invariant, tree: readonly SourceFacts[]): Judgement {
  const found = invariant.findings(tree);
  const excused = invariant.exceptions ?? {};
  const violations = found.filter((f) => !Object.hasOwn(excused, f.file)).map(formatFinding);
  const used = new Set(found.map((f) => f.file));
  const staleExceptions = Object.keys(excused).filter((file) => !used.has(file));
  return { violations, staleExceptions };
}

/** Reads an invented tree (path → text). */
export function treeOf(files: Readonly<Record<string, string>>): SourceFacts[] {
  return Object.entries(files).map(([path, text]) => factsOf({ path, text }));
}

/** The top folder of a path: its layer (`language`, `compiler`, ...). */
export function folderOf(path: string): string {
  return path.split('/')[0]!;
}

export function importFinding(i: ImportFact, message: string): Finding {
  return { file: i.file, line: i.line, column: i.column, message: `imports '${i.specifier}': ${message}` };
}

export function literalFinding(l: LiteralFact, message: string): Finding {
  return { file: l.file, line: l.line, column: l.column, message: `${JSON.stringify(l.text)}: ${message}` };
}

/** Whether `specifier` names the package or Node module `name` (`x`, `node:x`, `x/sub`). */
export function namesModule(specifier: string, name: string): boolean {
  const bare = specifier.startsWith('node:') ? specifier.slice(5) : specifier;
  return bare === name || bare.startsWith(`${name}/`);
}

export function allImports(tree: readonly SourceFacts[]): ImportFact[] {
  return tree.flatMap((f) => f.imports);
}

export function allLiterals(tree: readonly SourceFacts[]): LiteralFact[] {
  return tree.flatMap((f) => f.literals);
}
