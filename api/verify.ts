// `verify`, `verifyEach` and `mergeVerifyReports`: every assertion of an intent proven with Z3, as `plumb verify
// --format json` reports it: on the compiled network, or with `configs` on the devices as
// configured in a folder (the drift check, pipeline/deployed.ts); one shard of the assertions;
// each folder of an intent's files its own intent; the shards' reports joined. `proveSources` and `proveFolders` are the
// steps themselves, with the data `plumb verify` renders its other formats from. The Z3 workers
// start for the call and are closed before it returns, whatever happens, so a program that
// verifies and returns exits on its own.

import { compareDiagnostics, hasErrors, type Diagnostic } from '../language/diagnostic.js';
import { MAX_FAILURES } from '../language/intent.js';
import { compileIntent } from '../pipeline/compile.js';
import { readDeployedNetwork, type DeployedNetwork } from '../pipeline/deployed.js';
import { addNativeRules } from '../pipeline/native-rules.js';
import { proveModel, withContractGuarantees, type ModelToProve } from '../pipeline/prove.js';
import { InputError, intentFolders, readSources, type SourceText } from '../pipeline/sources.js';
import { budgetOf } from '../verifier/failures.js';
import { SolverPool, withSolverPool } from '../verifier/index.js';
import { scopedSolverPool } from '../verifier/solver-scope.js';
import type { VerificationReport } from '../verifier/verdict.js';
import { readIntent, type InputOptions, type InputProblem, type IntentInput } from './input.js';
import { emptyVerificationReport, verifyReport, type DriftReport, type VerifyReport } from './reports.js';
import { inShard, isShard, mergeShards, shardReportOf, sumReports, type Shard, type ShardReport } from './shards.js';

export interface VerifyOptions extends InputOptions {
  /** Time limit per solver query, in milliseconds (default 30,000: `--timeout 30`). */
  timeoutMs?: number;
  /** Only the assertions whose text contains this (`--only`). */
  only?: string;
  /** Also prove the assertions without an `under` clause under up to this many failures (`--failures`). */
  failures?: number;
  /** Z3 worker threads (default 2). */
  workers?: number;
  /** Cancels the proofs: verdicts not yet found become `unknown`. */
  signal?: AbortSignal;
  /** Only shard `index` of `count` of the assertions (`--shard K/N`): every count-th, from the index-th. */
  shard?: Shard;
  /**
   * A folder `plumb compile -o` wrote (maybe edited since) or of the devices' running
   * configurations (`<site>/<device>/`), relative to `cwd`: prove the assertions on the devices
   * as configured there, and report every difference from the intent (`--configs`).
   */
  configs?: string;
  /** With `configs`: `required` makes a secret whose value cannot be read an error (default `optional`: its keys are not compared). */
  secrets?: 'optional' | 'required';
  /** With `configs`: where secrets named `from env` are read (default: process.env). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Called after each verdict with how many are done of how many. */
  onProgress?: (done: number, total: number) => void;
}

export interface VerifyResult {
  /** No error, and every assertion proven (or vacuous): what `plumb verify` exits 0 for. */
  ok: boolean;
  /** What `plumb verify --format json` prints; absent when the input could not be read. */
  report?: VerifyReport;
  inputProblem?: InputProblem;
}

/** How one intent is proven: the options, checked, with their defaults. */
export interface ProofSettings {
  timeoutMs: number;
  only?: string;
  failures?: number;
  workers?: number;
  signal?: AbortSignal;
  shard?: Shard;
  /** The drift check's folder, as given (relative to `cwd`), and where its secrets are read. */
  configs?: { dir: string; cwd: string; env: Readonly<Record<string, string | undefined>>; required: boolean };
  onProgress?: (done: number, total: number) => void;
}

/** One intent proven: what every format of `plumb verify` is rendered from. */
export interface ProvenIntent {
  report: VerificationReport;
  /** Every stage's diagnostics, sorted by file and position. */
  diagnostics: Diagnostic[];
  /** The intent's files, then the configuration files read back (for the lines diagnostics point at). */
  sources: SourceText[];
  /** The intent compiled: false when its errors stopped everything, so nothing was proven. */
  compiled: boolean;
  /** Assertions of the whole intent (before the shard and `only`). */
  assertionCount: number;
  /** With `only`: whether some assertion matched (absent when the intent did not compile). */
  matchedOnly?: boolean;
  /** With `configs`: what the drift check compared, and the lines outside Plumb's scope. */
  configs?: DriftReport;
}

export async function verify(input: IntentInput, options: VerifyOptions = {}): Promise<VerifyResult> {
  const settings = proofSettings(options);
  const read = readIntent(input, options);
  if ('inputProblem' in read) return { ok: false, inputProblem: read.inputProblem };
  const proven = await proveSources(read.sources, settings);
  if ('inputProblem' in proven) return { ok: false, inputProblem: proven.inputProblem };
  return { ok: provenOk(proven), report: provenReport(proven, settings.shard) };
}

export interface VerifyEachResult {
  /** Every intent's `ok`. */
  ok: boolean;
  /** Each intent: its folder (named relative to `cwd`), and its report. */
  intents?: { folder: string; ok: boolean; report: VerifyReport }[];
  /** All of them as one report: what `plumb verify --each --format json` prints. */
  report?: VerifyReport;
  inputProblem?: InputProblem;
}

/**
 * `plumb verify --each`: every folder below the paths that holds .plumb files is its own intent,
 * proven in turn (with `shard`, each intent's shard of its assertions).
 */
export async function verifyEach(paths: string | readonly string[], options: Omit<VerifyOptions, 'configs' | 'secrets' | 'env'> = {}): Promise<VerifyEachResult> {
  if ((options as VerifyOptions).configs !== undefined) throw new TypeError('verifyEach proves several intents: it takes no configs (give them to verify, with the one intent they were compiled from)');
  const settings = proofSettings(options);
  const list = typeof paths === 'string' ? [paths] : paths;
  if (!Array.isArray(list) || !list.every((p) => typeof p === 'string')) throw new TypeError('verifyEach takes a folder or an array of folders');
  const proven = await proveFolders(list, options.cwd ?? process.cwd(), settings);
  if ('inputProblem' in proven) return { ok: false, inputProblem: proven.inputProblem };
  const intents = proven.map((p) => ({ folder: p.folder, ok: provenOk(p), report: provenReport(p, settings.shard) }));
  const all = joinIntents(proven);
  return { ok: intents.every((i) => i.ok), intents, report: verifyReport(all.report, all.diagnostics) };
}

/**
 * The JSON reports of every shard of one run (the `shard` option) as the report of the whole
 * run, as `plumb verify --merge` joins them. Synchronous; a report that is not a shard's, a
 * shard missing or given twice, or shards of different runs are an `inputProblem`.
 */
export function mergeVerifyReports(reports: readonly VerifyReport[]): VerifyResult {
  if (!Array.isArray(reports)) throw new TypeError('mergeVerifyReports takes an array of reports');
  const shards: ShardReport[] = [];
  for (const [i, r] of reports.entries()) {
    const read = shardReportOf(`report ${i + 1}`, r);
    if ('problem' in read) return { ok: false, inputProblem: read.problem };
    shards.push(read);
  }
  const merged = mergeShards(shards);
  if ('problem' in merged) return { ok: false, inputProblem: merged.problem };
  return { ok: verifiedOk(merged, merged.diagnostics), report: verifyReport(merged, merged.diagnostics) };
}

/**
 * Compiles and proves one intent: on its devices as configured in `settings.configs` when given.
 * Z3 starts loading in its workers before the compile (unless a scope has started them already),
 * so that its start-up overlaps the compile; they are closed before this returns, whatever happens.
 */
export async function proveSources(intentSources: readonly SourceText[], p: ProofSettings): Promise<ProvenIntent | { inputProblem: InputProblem }> {
  const warm = scopedSolverPool() === undefined ? new SolverPool(Math.max(1, p.workers ?? 2)) : undefined;
  // Not awaited: the verifier waits for it, or the compile fails and it is closed unused (a
  // start that fails is thrown by the verifier's own wait, not left unhandled here).
  warm?.start().catch(() => undefined);
  try {
    return await compileAndProve(intentSources, p, warm);
  } finally {
    await warm?.close();
  }
}

async function compileAndProve(intentSources: readonly SourceText[], p: ProofSettings, warm: SolverPool | undefined): Promise<ProvenIntent | { inputProblem: InputProblem }> {
  const sources = [...intentSources];
  const compiled = compileIntent(sources);
  let toProve: ModelToProve = compiled;
  let configs: DriftReport | undefined;
  if (compiled.model && p.configs !== undefined) {
    // The devices come from the configuration files, the rest from the intent. The keys read
    // back are compared with the secrets' values, read as `compile -o` reads them.
    const c = p.configs;
    const deployed: DeployedNetwork | { problem: InputProblem } = await readDeployedNetwork(compiled.model, c.dir, sources, c.cwd, { env: c.env, cwd: c.cwd, required: c.required });
    if ('problem' in deployed) return { inputProblem: deployed.problem };
    sources.push(...deployed.sources);
    configs = { ...(deployed.summary ? { summary: deployed.summary } : {}), unmanaged: deployed.unmanaged };
    toProve = { diagnostics: [...compiled.diagnostics, ...deployed.diagnostics], ...(deployed.model ? { model: deployed.model } : {}) };
  }
  // The contracts' guarantees are assertions too: a shard takes its part of them.
  if (toProve.model) toProve = { ...toProve, model: withContractGuarantees(toProve.model), guaranteesAdded: true };
  const assertionCount = toProve.model?.assertions.length ?? 0;
  const shard = p.shard;
  if (toProve.model && shard) {
    // The model keeps its network (lint sees all of it) with the shard's assertions only.
    toProve = { ...toProve, model: { ...toProve.model, assertions: toProve.model.assertions.filter((_, i) => inShard(shard, i)) } };
  }
  const only = p.only;
  const matchedOnly = toProve.model && only !== undefined ? toProve.model.assertions.some((a) => a.text.includes(only)) : undefined;
  const base = { sources, compiled: compiled.model !== undefined, assertionCount, ...(matchedOnly !== undefined ? { matchedOnly } : {}), ...(configs ? { configs } : {}) };
  if (matchedOnly === false) return { report: emptyVerificationReport(), diagnostics: [], ...base };
  const onProgress = p.onProgress;
  // Proofs under failures share one pool between their steps (pipeline/prove.ts): the warm one
  // is given as that pool; otherwise the verifier takes it as its own.
  const model = toProve.model;
  const underFailures = model !== undefined && model.assertions.some((a) => budgetOf(model, a, p.failures) !== undefined);
  const proof = await proveModel(toProve, {
    ...(warm ? (underFailures ? { pool: warm } : { warmPool: warm }) : {}),
    timeoutMs: p.timeoutMs,
    ...(only !== undefined ? { only } : {}),
    ...(p.failures !== undefined ? { failures: p.failures } : {}),
    ...(p.workers !== undefined ? { workers: p.workers } : {}),
    ...(p.signal !== undefined ? { signal: p.signal } : {}),
    ...(onProgress ? { onVerdict: (_v: unknown, done: number, total: number) => onProgress(done, total) } : {}),
  });
  const report = proof.report ?? emptyVerificationReport();
  // A counterexample's rules, by their lines in the configuration `plumb compile -o` writes.
  if (compiled.model && p.configs === undefined) addNativeRules(report.verdicts, compiled.model);
  return { report, diagnostics: proof.diagnostics.sort(compareDiagnostics), ...base };
}

/**
 * Every intent below the paths (`verify --each`), proven in turn with one set of Z3 workers: the
 * enclosing scope's (`withSolverPool`), or workers of its own, started while the first intent
 * compiles.
 */
export async function proveFolders(paths: readonly string[], cwd: string, p: ProofSettings): Promise<(ProvenIntent & { folder: string })[] | { inputProblem: InputProblem }> {
  let folders: ReturnType<typeof intentFolders>;
  try {
    folders = intentFolders(paths, cwd);
  } catch (err) {
    return inputProblemOf(err);
  }
  if (scopedSolverPool() !== undefined) return proveInTurn(folders, cwd, p);
  const pool = new SolverPool(p.workers ?? 2);
  // Z3 loads while the first intent compiles; a start that failed is thrown once they are done.
  const started = pool.start();
  started.catch(() => undefined);
  try {
    return await withSolverPool(pool, async () => {
      const proven = await proveInTurn(folders, cwd, p);
      if (!('inputProblem' in proven)) await started;
      return proven;
    });
  } finally {
    await pool.close();
  }
}

/** The folders' intents proven one after another, in the solver scope the caller opened. */
async function proveInTurn(folders: ReturnType<typeof intentFolders>, cwd: string, p: ProofSettings): Promise<(ProvenIntent & { folder: string })[] | { inputProblem: InputProblem }> {
  const results: (ProvenIntent & { folder: string })[] = [];
  for (const f of folders) {
    let sources: SourceText[];
    try {
      sources = readSources(f.files, cwd);
    } catch (err) {
      return inputProblemOf(err);
    }
    const proven = await proveSources(sources, p);
    if ('inputProblem' in proven) return proven;
    results.push({ folder: f.folder, ...proven });
  }
  return results;
}

/** Several intents' proofs as one report: verdicts and diagnostics in turn, counts and times summed. */
export function joinIntents(proven: readonly ProvenIntent[]): { report: VerificationReport; diagnostics: Diagnostic[] } {
  return { report: sumReports(proven.map((r) => r.report)), diagnostics: proven.flatMap((r) => r.diagnostics) };
}

/** What `plumb verify` exits 0 for: no error, nothing refuted or unknown. */
export function verifiedOk(report: VerificationReport, diagnostics: readonly Diagnostic[]): boolean {
  return !hasErrors(diagnostics) && report.stats.refuted === 0 && report.stats.unknown === 0;
}

function provenOk(p: ProvenIntent): boolean {
  return verifiedOk(p.report, p.diagnostics);
}

function provenReport(p: ProvenIntent, shard?: Shard): VerifyReport {
  return verifyReport(p.report, p.diagnostics, {
    ...(shard ? { shard: { ...shard, assertions: p.assertionCount } } : {}),
    ...(p.configs ? { configs: p.configs } : {}),
  });
}

function inputProblemOf(err: unknown): { inputProblem: InputProblem } {
  if (!(err instanceof InputError)) throw err;
  return { inputProblem: err.hint === undefined ? { message: err.message } : { message: err.message, hint: err.hint } };
}

/** The options checked (TypeError for the wrong type or range: a bug in the caller) and defaulted. */
function proofSettings(o: VerifyOptions): ProofSettings {
  const positive = (name: string, v: unknown, max: number): void => {
    if (v !== undefined && !(typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= max)) throw new TypeError(`options.${name} must be a whole number from 1 to ${max}`);
  };
  positive('timeoutMs', o.timeoutMs, 86_400_000);
  positive('failures', o.failures, MAX_FAILURES);
  positive('workers', o.workers, 64);
  if (o.only !== undefined && typeof o.only !== 'string') throw new TypeError('options.only must be a string');
  if (o.shard !== undefined && !(typeof o.shard === 'object' && o.shard !== null && isShard(o.shard))) throw new TypeError('options.shard must be { index, count } with 1 <= index <= count <= 1000');
  if (o.configs !== undefined && typeof o.configs !== 'string') throw new TypeError('options.configs must be a folder\'s path');
  if (o.secrets !== undefined && o.secrets !== 'optional' && o.secrets !== 'required') throw new TypeError('options.secrets must be \'optional\' or \'required\'');
  if (o.onProgress !== undefined && typeof o.onProgress !== 'function') throw new TypeError('options.onProgress must be a function');
  const cwd = o.cwd ?? process.cwd();
  return {
    timeoutMs: o.timeoutMs ?? 30_000,
    ...(o.only !== undefined ? { only: o.only } : {}),
    ...(o.failures !== undefined ? { failures: o.failures } : {}),
    ...(o.workers !== undefined ? { workers: o.workers } : {}),
    ...(o.signal !== undefined ? { signal: o.signal } : {}),
    ...(o.shard !== undefined ? { shard: { index: o.shard.index, count: o.shard.count } } : {}),
    ...(o.configs !== undefined ? { configs: { dir: o.configs, cwd, env: o.env ?? process.env, required: o.secrets === 'required' } } : {}),
    ...(o.onProgress !== undefined ? { onProgress: o.onProgress } : {}),
  };
}
