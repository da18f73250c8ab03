// `plumb diff` as plain data: what a change of the intent does to the network. Both sides are
// checked and compiled (pipeline/compile.ts); when either has errors nothing is compared. Then,
// with one solver pool for all of it: the flows that NEW delivers and OLD does not and the
// reverse (verifier/flow-diff.ts), both sides' assertions proven and compared, every device's
// routes compared, and the compiled configuration files diffed (pipeline/diff-parts.ts); and
// what each party of an implemented contract newly allows the other (pipeline/diff-contracts.ts).

import { allocationChanges, type LockChange } from './lock.js';
import { compareDiagnostics, type Diagnostic } from '../language/diagnostic.js';
import { diffFlows, type FlowDiff, type FlowDiffOptions } from '../verifier/flow-diff.js';
import { SolverPool, verifyModel } from '../verifier/index.js';
import { scopedSolverPool } from '../verifier/solver-scope.js';
import { compileIntent, type Compiled } from './compile.js';
import {
  diffConfigs,
  diffRoutes,
  diffVerdicts,
  type AssertionChange,
  type ConfigChange,
  type RouteChange,
} from './diff-parts.js';
import type { SourceText } from './sources.js';
import { diffContracts, type ContractsDiff } from './diff-contracts.js';

export type { AssertionChange, ConfigChange, RouteChange } from './diff-parts.js';
export type { ContractChange, ContractsDiff } from './diff-contracts.js';

export interface DiffOptions extends Omit<FlowDiffOptions, 'pool'> {
  /** Z3 workers; default 2. */
  workers?: number;
}

export interface DiffSide {
  /** A label for the side: the paths or the revision it was read from. */
  label: string;
  sources: SourceText[];
}

export interface DiffReport {
  flows: FlowDiff;
  assertions: AssertionChange[];
  routes: RouteChange[];
  /** Addresses taken from the pools that moved, were added or were removed (what plumb.lock records). */
  addresses: LockChange[];
  configs: ConfigChange[];
  /** The contracts either side implements: what each party newly allows the other, or no longer. */
  contracts: ContractsDiff;
  /** Warnings of either side (errors stop the comparison). */
  oldDiagnostics: Diagnostic[];
  newDiagnostics: Diagnostic[];
}

export type DiffResult =
  | { ok: true; report: DiffReport }
  /** Either side has errors: each side's check and compilation as far as it got. */
  | { ok: false; old: Compiled; new: Compiled };

export async function diffIntents(
  oldSide: DiffSide,
  newSide: DiffSide,
  options: DiffOptions = {},
): Promise<DiffResult> {
  const before = compileIntent(oldSide.sources);
  const after = compileIntent(newSide.sources);
  if (!before.model || !after.model) return { ok: false, old: before, new: after };
  const shared = scopedSolverPool();
  const pool = shared ?? new SolverPool(Math.max(1, options.workers ?? 2));
  try {
    if (!shared) await pool.start();
    const flowOptions = { ...options, pool };
    const [flows, oldProof, newProof] = await Promise.all([
      diffFlows(before.model, after.model, flowOptions),
      // Only the verdicts are compared: no lint.
      verifyModel(before.model, {
        pool,
        lint: false,
        ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      }),
      verifyModel(after.model, {
        pool,
        lint: false,
        ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      }),
    ]);
    return {
      ok: true,
      report: {
        flows,
        assertions: diffVerdicts(oldProof.verdicts, newProof.verdicts),
        routes: diffRoutes(before.model, after.model),
        addresses: allocationChanges(before.allocations ?? [], after.allocations ?? []),
        configs: diffConfigs(before.model, oldSide.sources, after.model, newSide.sources),
        contracts: diffContracts(before.model, after.model),
        oldDiagnostics: [...before.diagnostics].sort(compareDiagnostics),
        newDiagnostics: [...after.diagnostics].sort(compareDiagnostics),
      },
    };
  } finally {
    if (!shared) await pool.close();
  }
}

/**
 * Whether the report has what `--fail-on` names. A pair the solver could not decide counts as
 * a change of that direction: a gate never passes on a question left open. A contract change is
 * a change (`any-change`), not a flow: what the contract lets the other party do is proven by
 * the verifier on each side, and shows as flows only where a network lets it through.
 */
export function diffHas(report: DiffReport, what: 'new-flows' | 'lost-flows' | 'any-change'): boolean {
  const has = (change: 'allowed' | 'blocked'): boolean =>
    report.flows.changes.some((c) => c.change === change) ||
    report.flows.undecided.some((u) => u.change === change);
  if (what === 'new-flows') return has('allowed');
  if (what === 'lost-flows') return has('blocked');
  return (
    has('allowed') ||
    has('blocked') ||
    report.assertions.length > 0 ||
    report.routes.length > 0 ||
    report.configs.length > 0 ||
    report.contracts.changes.length > 0
  );
}
