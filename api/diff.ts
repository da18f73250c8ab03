// `diff`: what a change of the intent does to the network (pipeline/diff.ts): the flows NEW
// delivers that OLD does not and the reverse, the assertions that change verdict, and the
// routes and configuration files that change, as `plumb diff --format json` prints it. Each
// side's files are named relative to the side, so the same file on both sides has one name.

import { basename, dirname, relative, resolve, sep } from 'node:path';
import type { Diagnostic, Span } from '../language/diagnostic.js';
import { diffIntents, type AssertionChange, type ConfigChange, type ContractsDiff, type DiffReport, type DiffSide, type RouteChange } from '../pipeline/diff.js';
import { isLockPath } from '../language/lock.js';
import type { LockChange } from '../pipeline/lock.js';
import { displayPath, type SourceText } from '../pipeline/sources.js';
import type { FlowChange, FlowDiff, RuleRef, StopReason } from '../verifier/flow-diff.js';
import { readIntent, type InputOptions, type InputProblem, type IntentInput } from './input.js';
import { asJson } from './reports.js';

export type { AssertionChange, ConfigChange, RouteChange } from '../pipeline/diff.js';
export type { FlowChange, FlowDiff, RuleRef, StopReason } from '../verifier/flow-diff.js';

/** The schema version of `plumb diff --format json` (docs/cli.md). */
export const DIFF_REPORT_VERSION = 1;

export interface DiffOptions extends InputOptions {
  /** Time limit per solver query, in milliseconds (default 30,000). */
  timeoutMs?: number;
  /** Names of the two sides in the report (default: the paths given, or `old` and `new`). */
  labels?: { old: string; new: string };
}

/** A place in the intent: the file and the line. */
export interface JsonLine {
  file: string;
  line: number;
}

export type JsonRuleRef = Omit<RuleRef, 'origin'> & { origin?: JsonLine };

export type JsonFlowChange = Omit<FlowChange, 'admittedBy' | 'stoppedBy'> & {
  admittedBy: JsonRuleRef[];
  stoppedBy: Omit<StopReason, 'rule'> & { rule?: JsonRuleRef };
};

export interface DiffDiagnostic {
  code: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
  file: string;
  line: number;
  column: number;
}

/** `plumb diff --format json`; with errors on either side, only `errors: true` and the diagnostics. */
export interface DiffJsonReport {
  version: number;
  old: string;
  new: string;
  errors?: true;
  flows?: { changes: JsonFlowChange[]; undecided: FlowDiff['undecided']; truncated: string[]; pairs: FlowDiff['pairs'] };
  assertions?: AssertionChange[];
  routes?: RouteChange[];
  /** Addresses taken from the pools that moved, were added or were removed. */
  addresses?: LockChange[];
  configs?: ConfigChange[];
  /** What each party of a contract either side implements newly allows the other, or no longer. */
  contracts?: ContractsDiff;
  diagnostics: { old: DiffDiagnostic[]; new: DiffDiagnostic[] };
}

export interface DiffResult {
  /** Both sides check and compile, and were compared. */
  ok: boolean;
  /** What `plumb diff --format json` prints; absent when a side's input could not be read. */
  report?: DiffJsonReport;
  inputProblem?: InputProblem;
}

export async function diff(oldInput: IntentInput, newInput: IntentInput, options: DiffOptions = {}): Promise<DiffResult> {
  if (options.timeoutMs !== undefined && !(Number.isInteger(options.timeoutMs) && options.timeoutMs >= 1)) throw new TypeError('options.timeoutMs must be a whole number of milliseconds, at least 1');
  const cwd = options.cwd ?? process.cwd();
  const sides: DiffSide[] = [];
  for (const [input, fallback] of [[oldInput, 'old'], [newInput, 'new']] as const) {
    const side = readSide(input, cwd, fallback);
    if ('inputProblem' in side) return { ok: false, inputProblem: side.inputProblem };
    sides.push(side);
  }
  const [oldSide, newSide] = sides as [DiffSide, DiffSide];
  const labels = options.labels ?? { old: oldSide.label, new: newSide.label };
  const result = await diffIntents(oldSide, newSide, options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {});
  if (!result.ok) return { ok: false, report: diffErrorsJson(result.old.diagnostics, result.new.diagnostics, labels) };
  return { ok: true, report: diffJson(result.report, labels) };
}

/**
 * One side as `plumb diff OLD NEW` reads it: a path's files named relative to it (a folder's by
 * their path inside it, a file by its name), so that the same file on both sides has the same
 * name and rules' intent lines and the files' origin comments differ only where the intent
 * does; in-memory sources as given.
 */
export function readSide(input: IntentInput, cwd: string, fallbackLabel: string): DiffSide | { inputProblem: InputProblem } {
  const read = readIntent(input, { cwd });
  if ('inputProblem' in read) return read;
  if (typeof input !== 'string' && !(Array.isArray(input) && input.length === 1 && typeof input[0] === 'string')) {
    const paths = Array.isArray(input) && input.every((i) => typeof i === 'string') ? (input as string[]) : undefined;
    return { label: paths ? paths.join(' ') : fallbackLabel, sources: read.sources };
  }
  const path = typeof input === 'string' ? input : (input[0] as string);
  return { label: path, sources: sideRelative(path, read.sources, cwd) };
}

function sideRelative(side: string, sources: SourceText[], cwd: string): SourceText[] {
  const root = displayPath(resolve(cwd, side), cwd);
  // The intent's plumb.lock (read beside a file given) is not what tells a folder from a file.
  const files = sources.filter((s) => !isLockPath(s.path));
  const isDir = files.length !== 1 || files[0]!.path !== root;
  const base = isDir ? root : dirname(root);
  return sources.map((s) => {
    if (!isDir && s.path === root) return { ...s, path: basename(s.path) };
    if (s.path.startsWith(`${base}${sep}`)) return { ...s, path: s.path.slice(base.length + 1) };
    // A module imported from outside the side (`../contracts`): named from the side, as its
    // importer's path reaches it, so that the import still links.
    return { ...s, path: relative(base, s.path).split(sep).join('/') };
  });
}

const at = (s: Span | undefined): JsonLine | undefined => (s ? { file: s.file, line: s.start.line } : undefined);

const rule = (r: RuleRef): JsonRuleRef => ({ ...r, origin: at(r.origin) });

/** The report as data: spans become `{ file, line }`; the rest is as pipeline/diff.ts returns it. */
export function diffJson(r: DiffReport, labels: { old: string; new: string }): DiffJsonReport {
  return asJson({
    version: DIFF_REPORT_VERSION,
    old: labels.old,
    new: labels.new,
    flows: {
      changes: r.flows.changes.map((c) => ({
        ...c,
        admittedBy: c.admittedBy.map(rule),
        stoppedBy: stopped(c.stoppedBy),
      })),
      undecided: r.flows.undecided,
      truncated: r.flows.truncated,
      pairs: r.flows.pairs,
    },
    assertions: r.assertions,
    routes: r.routes,
    addresses: r.addresses,
    configs: r.configs,
    contracts: r.contracts,
    diagnostics: { old: r.oldDiagnostics.map(diffDiagnostic), new: r.newDiagnostics.map(diffDiagnostic) },
  });
}

function stopped(s: StopReason): JsonFlowChange['stoppedBy'] {
  // The rule stays where it is among the fields, as the JSON text has always ordered them.
  return { ...s, ...(s.rule ? { rule: rule(s.rule) } : {}) } as JsonFlowChange['stoppedBy'];
}

/** Either side's errors: what stopped the comparison. */
export function diffErrorsJson(old: readonly Diagnostic[], now: readonly Diagnostic[], labels: { old: string; new: string }): DiffJsonReport {
  return asJson({ version: DIFF_REPORT_VERSION, old: labels.old, new: labels.new, errors: true as const, diagnostics: { old: old.map(diffDiagnostic), new: now.map(diffDiagnostic) } });
}

function diffDiagnostic(d: Diagnostic): DiffDiagnostic {
  return { code: d.code, severity: d.severity, message: d.message, file: d.span.file, line: d.span.start.line, column: d.span.start.column };
}
