// Proving an intent, as plain data: check and compile it (pipeline/compile.ts), stop on errors,
// then prove every assertion with Z3 and lint the network (verifier/index.ts). Used by `plumb
// verify`, the language server's proofs on save and the verifier's benchmark.
//
// `proveModel` is the last step alone, for a model that is already there: the compiled one, or
// the drift check's deployed network (pipeline/deployed.ts). It returns the diagnostics in the
// order the stages produced them, as the language server shows them; `proveIntent`, the whole
// way from the files, returns them sorted (compareDiagnostics) as the CLI reports them.
//
// A model that implements contracts is proven with its side's guarantees after its own
// assertions, and its reaches to the other parties assuming their offers (verifier/contracts.ts).

import type { NetworkModel } from '../compiler/model.js';
import { compareDiagnostics, type Diagnostic } from '../language/diagnostic.js';
import { budgetOf, verifyUnderFailures, type FailureBudget } from '../verifier/failures.js';
import { failureText } from '../verifier/failures-network.js';
import { withContractGuarantees } from '../verifier/contracts.js';
import { SolverPool, verifyModel, type VerifyOptions } from '../verifier/index.js';
import { scopedSolverPool } from '../verifier/solver-scope.js';
import type { FailureStats, VerificationReport, Verdict } from '../verifier/verdict.js';
import { compileIntent, type Checked, type Compiled } from './compile.js';
import type { SourceText } from './sources.js';

export { withContractGuarantees };

/**
 * Time limit per query, assertions to prove (`only`), cancellation, workers or a started pool,
 * progress; `failures`: prove the assertions without an `under` clause under up to that many
 * failed links or devices too (`plumb verify --failures N`).
 */
export type ProveOptions = VerifyOptions & { failures?: number };

/** What a proof starts from: the diagnostics so far and, when they allow it, the model. */
export interface ModelToProve {
  diagnostics: readonly Diagnostic[];
  /** Absent when an earlier stage stopped: nothing is proven. */
  model?: NetworkModel;
  /**
   * The model's assertions already hold its contracts' guarantees (`withContractGuarantees`,
   * applied before a shard takes its part of them); otherwise they are added here.
   */
  guaranteesAdded?: true;
}

export interface ModelProof {
  /** The input's diagnostics, then the verifier's (assertions about nothing, loops, black holes). */
  diagnostics: Diagnostic[];
  /** Present exactly when there was a model to prove. */
  report?: VerificationReport;
}

export interface Proved extends Compiled {
  /** Every stage's diagnostics, sorted by file and position. */
  diagnostics: Diagnostic[];
  /** Present exactly when `stage` is `done`. */
  report?: VerificationReport;
}

/** Proves the assertions of a model that earlier stages let through; nothing when they did not. */
export async function proveModel(input: ModelToProve, options: ProveOptions = {}): Promise<ModelProof> {
  if (!input.model) return { diagnostics: [...input.diagnostics] };
  const model = input.guaranteesAdded ? input.model : withContractGuarantees(input.model);
  const underFailures = model.assertions.some((a) => budgetOf(model, a, options.failures) !== undefined);
  const report = underFailures ? await withPool(options, (pool) => proveUnderFailures(model, { ...options, pool })) : await verifyModel(model, options);
  return { diagnostics: [...input.diagnostics, ...report.diagnostics], report };
}

/** Runs `body` with the caller's pool, the scope's, or one started and closed here (Z3 starts once for all the proofs). */
async function withPool<T>(options: ProveOptions, body: (pool: SolverPool) => Promise<T>): Promise<T> {
  const given = options.pool ?? scopedSolverPool();
  if (given) return body(given);
  const pool = new SolverPool(Math.max(1, options.workers ?? 2));
  await pool.start();
  try {
    return await body(pool);
  } finally {
    await pool.close();
  }
}

/**
 * Proves the intact network, then each assertion with a failure budget under it
 * (verifier/failures.ts): its verdict becomes the worst case found, and the stats count per
 * budget how many assertions survive it.
 */
async function proveUnderFailures(model: NetworkModel, options: ProveOptions & { pool: SolverPool }): Promise<VerificationReport> {
  const report = await verifyModel(model, options);
  const run = await verifyUnderFailures(model, { ...options, intact: report.verdicts });
  const worst = new Map(run.results.map((r) => [r.assertion, r]));
  const verdicts = report.verdicts.map((v) => {
    const r = worst.get(v.assertion);
    // An assertion that is not proven on the intact network keeps that verdict as its worst case.
    return r ? { ...r.verdict, millis: v.millis + r.verdict.millis } : v;
  });
  const budgets = new Map<string, FailureStats>();
  for (const r of run.results) {
    const name = budgetText(model, r.budget);
    const entry = budgets.get(name) ?? { budget: name, survived: 0, assertions: 0 };
    entry.assertions++;
    if (r.verdict.status === 'proven') entry.survived++;
    budgets.set(name, entry);
  }
  const count = (s: Verdict['status']): number => verdicts.filter((v) => v.status === s).length;
  return {
    ...report,
    verdicts,
    stats: {
      ...report.stats,
      proven: count('proven'),
      refuted: count('refuted'),
      unknown: count('unknown'),
      totalMillis: report.stats.totalMillis + run.millis,
      failures: [...budgets.values()],
      failedNetworks: run.networks,
    },
  };
}

/** `any 1 failure`, `failure of fra1.r1 -- fra1.r2, fra1.fw1`. */
function budgetText(model: NetworkModel, budget: FailureBudget): string {
  if ('failures' in budget) return `any ${budget.failures} failure${budget.failures === 1 ? '' : 's'}`;
  return `failure of ${budget.failed.map((f) => failureText(model, f, true)).join(', ')}`;
}

/** Checks, compiles and proves one intent (or a checked one), stopping at the first stage with errors. */
export async function proveIntent(input: readonly SourceText[] | Checked, options: ProveOptions = {}): Promise<Proved> {
  const compiled = compileIntent(input);
  const proof = await proveModel(compiled, options);
  return {
    ...compiled,
    diagnostics: proof.diagnostics.sort(compareDiagnostics),
    ...(proof.report ? { report: proof.report } : {}),
  };
}
