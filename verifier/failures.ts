// Proofs under failures: an assertion `under N failures` holds when it holds in the network
// re-converged after every set of up to N failed links and devices (the gateways its own
// endpoints attach to excepted); `under failure of ...` when it holds with exactly those failed.
// Each failed network is made by failures-network.ts (the configs minus the failed parts, routed
// again by the compiler's converge) and proven by the same Z3 queries as the intact one
// (verifyModel), so a refutation is a packet and its hop trace on the re-converged network.
//
// Pruning (docs/architecture.md, "Proofs under failures", argues it sound): the sets are grown
// one element at a time, and a set F is only grown by an element some packet of the flow, or its
// reply, can cross in the network with F failed (relevantElements). An element no such path
// crosses changes no forwarding entry the flow uses when it fails, so the flow's verdict with it
// failed too is the verdict with F failed, already proven. An assertion stops at its first
// refutation: the smallest failure set that breaks it.

import type { AssertionModel, FailureModel, NetworkModel } from '../compiler/model.js';
import { failModel, failureElements, failureKey, failureText, gatewaysOf, relevantElements, type FailureElement } from './failures-network.js';
import { verifyModel, type VerifyOptions } from './index.js';
import { expandFlow } from './queries.js';
import { netIndex } from './simulate.js';
import { SolverPool } from './solver-pool.js';
import { scopedSolverPool } from './solver-scope.js';
import type { Verdict } from './verdict.js';

/** How many failures an assertion must survive: up to a number, or exactly these elements. */
export type FailureBudget = { failures: number } | { failed: FailureModel[] };

export interface FailureOptions extends VerifyOptions {
  /** The budget of assertions without an `under` clause (0 or absent: the network's `survive`, if written). */
  failures?: number;
  /** Each assertion's verdict on the intact network, from verifyModel: the empty failure set. */
  intact: readonly Verdict[];
}

/** One assertion's worst case under its failures. */
export interface FailureVerdict {
  assertion: AssertionModel;
  budget: FailureBudget;
  /** Refuted (by the smallest failure set found), unknown, or proven for every set. */
  verdict: Verdict;
  /** The failure set of the verdict: the one that refutes it or could not be decided; [] when proven. */
  failed: FailureModel[];
  /** Failure sets proven for it (the empty set included), after pruning. */
  sets: number;
  /** The non-empty failure sets proven for it, smallest first (what `plumb emulate` fails for real). */
  explored: FailureModel[][];
}

export interface FailureRun {
  results: FailureVerdict[];
  /** Distinct failed networks converged and proven. */
  networks: number;
  millis: number;
}

/** The failures an assertion is proven under: its own `under`, else the run's `--failures`, else the network's `survive`. */
export function budgetOf(model: NetworkModel, a: AssertionModel, failures: number | undefined): FailureBudget | undefined {
  if (a.under) return a.under;
  const n = failures ?? model.survive?.failures ?? 0;
  return n > 0 ? { failures: n } : undefined;
}

const setKey = (keys: readonly string[]): string => [...keys].sort().join('\n');

interface Track {
  assertion: AssertionModel;
  budget: FailureBudget;
  /** Failure sets (element keys) proven at the last level, to grow. */
  frontier: string[][];
  seen: Set<string>;
  excluded: Set<string>;
  sources: string[];
  destinations: string[];
  sets: number;
  /** Non-empty failure sets proven for it (element keys), in the order their proofs ended. */
  proven: string[][];
  /** The verdict on the intact network, when it was proven there. */
  intact?: Verdict;
  worst?: { verdict: Verdict; failed: string[] };
}

/** Proves every assertion that has a failure budget under it; the others are left out of the result. */
export async function verifyUnderFailures(model: NetworkModel, options: FailureOptions): Promise<FailureRun> {
  const t0 = performance.now();
  const { links, devices } = failureElements(model);
  const elements = new Map<string, FailureElement>([...links, ...devices].map((e) => [e.key, e]));
  const idx = netIndex(model);
  const tracks: Track[] = [];
  model.assertions.forEach((assertion, i) => {
    if (options.only !== undefined && !assertion.text.includes(options.only)) return;
    const budget = budgetOf(model, assertion, options.failures);
    if (!budget) return;
    const flow = expandFlow(idx, assertion);
    const intact = options.intact.find((v) => v.assertion === assertion) ?? options.intact[i];
    const track: Track = {
      assertion,
      budget,
      frontier: [],
      seen: new Set(),
      excluded: gatewaysOf(model, [...flow.sources, ...flow.destinations]),
      sources: flow.sources,
      destinations: flow.destinations,
      sets: 0,
      proven: [],
      ...(intact ? { intact } : {}),
    };
    if ('failures' in budget) {
      // The empty set is the intact network, proven already.
      if (intact && intact.status !== 'proven') track.worst = { verdict: intact, failed: [] };
      else {
        track.frontier = [[]];
        track.sets = 1;
      }
    }
    tracks.push(track);
  });

  const shared = options.pool ?? scopedSolverPool();
  const pool = shared ?? new SolverPool(Math.max(1, options.workers ?? 2));
  if (!shared) await pool.start();
  let networks = 0;
  try {
    // Named sets: one failed network each.
    const named = tracks.filter((t) => 'failed' in t.budget);
    const namedSets = new Map<string, { failed: FailureModel[]; tracks: Track[] }>();
    for (const t of named) {
      const failed = (t.budget as { failed: FailureModel[] }).failed;
      const key = setKey(failed.map(failureKey));
      const entry = namedSets.get(key) ?? { failed, tracks: [] };
      entry.tracks.push(t);
      namedSets.set(key, entry);
    }
    await proveSets(
      model,
      [...namedSets.values()].map((s) => ({ keys: s.failed.map(failureKey), failed: s.failed, tracks: s.tracks })),
      pool,
      options,
      false,
    );
    networks += namedSets.size;

    // Counted budgets: level by level, each set grown only by relevant elements.
    let previous = new Map<string, NetworkModel>([['', model]]);
    const maxLevel = Math.max(0, ...tracks.map((t) => ('failures' in t.budget ? t.budget.failures : 0)));
    for (let level = 1; level <= maxLevel; level++) {
      const sets = new Map<string, { keys: string[]; failed: FailureModel[]; tracks: Track[] }>();
      for (const t of tracks) {
        if (!('failures' in t.budget) || t.budget.failures < level || isRefuted(t)) continue;
        const next: string[][] = [];
        for (const base of t.frontier) {
          const net = previous.get(setKey(base));
          if (!net) continue;
          for (const key of relevantElements(net, t.sources, t.destinations)) {
            if (t.excluded.has(key) || base.includes(key) || !elements.has(key)) continue;
            const keys = [...base, key].sort();
            const k = setKey(keys);
            if (t.seen.has(k)) continue;
            t.seen.add(k);
            next.push(keys);
            const entry = sets.get(k) ?? { keys, failed: keys.map((x) => elements.get(x)!.failure), tracks: [] };
            entry.tracks.push(t);
            sets.set(k, entry);
          }
        }
        t.frontier = next;
      }
      // The failed networks are kept only when a next level grows their sets.
      const proven = await proveSets(model, [...sets.values()], pool, options, level < maxLevel);
      networks += sets.size;
      // A set is grown further only for the assertions it did not break.
      for (const t of tracks) t.frontier = t.frontier.filter((keys) => proven.get(setKey(keys))?.has(t) ?? false);
      previous = proven.networks;
    }
  } finally {
    if (!shared) await pool.close();
  }

  const results = tracks.map((t): FailureVerdict => {
    const failed = (t.worst?.failed ?? []).map((k) => elements.get(k)?.failure).filter((f): f is FailureModel => f !== undefined);
    // Proven under every failure set: the intact network's verdict (its families) stands.
    const verdict = t.worst?.verdict ?? { assertion: t.assertion, status: 'proven' as const, millis: 0, ...(t.intact?.families ? { families: t.intact.families } : {}) };
    // Smallest first, then by key: the same order whatever order the concurrent proofs ended in.
    const ordered = [...t.proven].sort(compareKeys);
    const explored = ordered.map((keys) => keys.map((k) => elements.get(k)?.failure).filter((f): f is FailureModel => f !== undefined));
    return { assertion: t.assertion, budget: t.budget, verdict: describe(model, verdict, t, failed), failed, sets: t.sets, explored };
  });
  return { results, networks, millis: Math.round(performance.now() - t0) };
}

const isRefuted = (t: Track): boolean => t.worst?.verdict.status === 'refuted';

/** Proves each set's assertions on its failed network; says which assertions each set did not break. */
async function proveSets(
  model: NetworkModel,
  sets: { keys: string[]; failed: FailureModel[]; tracks: Track[] }[],
  pool: SolverPool,
  options: FailureOptions,
  keep: boolean,
): Promise<Map<string, Set<Track>> & { networks: Map<string, NetworkModel> }> {
  const proven = Object.assign(new Map<string, Set<Track>>(), { networks: new Map<string, NetworkModel>() });
  // Which assertions each set is proven for is fixed before any proof starts, and the verdicts
  // are applied in the sets' key order after all have ended: the counts and the refuting set are
  // then the same whatever order the concurrent proofs end in (a shard of one assertion and the
  // whole run give the same counterexample).
  const live = sets.map((set) => set.tracks.filter((t) => !isRefuted(t)));
  const outcomes = new Map<Track, { keys: string[]; verdict: Verdict }[]>();
  // A few failed networks at a time: their queries keep the workers busy, their models stay few.
  const CONCURRENT = 4;
  let next = 0;
  const work = async (): Promise<void> => {
    while (next < sets.length) {
      const i = next++;
      const set = sets[i]!;
      const tracks = live[i]!;
      if (tracks.length === 0) continue;
      const failedNet = failModel(model, set.failed);
      const assertions = tracks.map((t) => t.assertion);
      const report = await verifyModel({ ...failedNet, assertions }, { ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}), ...(options.signal ? { signal: options.signal } : {}), pool, lint: false });
      const key = setKey(set.keys);
      const ok = new Set<Track>();
      tracks.forEach((t, j) => {
        const v = report.verdicts[j]!;
        t.sets++;
        if (v.status === 'proven' || v.status === ('vacuous' as Verdict['status'])) {
          ok.add(t);
          if (set.keys.length > 0) t.proven.push(set.keys);
        } else outcomes.set(t, [...(outcomes.get(t) ?? []), { keys: set.keys, verdict: v }]);
      });
      proven.set(key, ok);
      if (keep && ok.size > 0) proven.networks.set(key, failedNet);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENT, sets.length) }, work));
  // A refutation wins over an unknown; among equals, the set first in key order.
  for (const [t, found] of outcomes) {
    const byKey = [...found].sort((a, b) => compareKeys(a.keys, b.keys));
    const refuted = byKey.find((o) => o.verdict.status === 'refuted');
    if (refuted) t.worst = { verdict: refuted.verdict, failed: refuted.keys };
    else if (!t.worst) t.worst = { verdict: byKey[0]!.verdict, failed: byKey[0]!.keys };
  }
  return proven;
}

const compareKeys = (a: readonly string[], b: readonly string[]): number => {
  const x = setKey(a);
  const y = setKey(b);
  return a.length - b.length || (x < y ? -1 : x > y ? 1 : 0);
};

/** The verdict as reports show it: which elements failed, and how many failure sets were proven. */
function describe(model: NetworkModel, v: Verdict, t: Track, failed: FailureModel[]): Verdict {
  const names = failed.map((f) => failureText(model, f));
  const budget = 'failures' in t.budget ? `any ${t.budget.failures} failure${t.budget.failures === 1 ? '' : 's'}` : `failure of ${t.budget.failed.map((f) => failureText(model, f, true)).join(', ')}`;
  const out: Verdict = { ...v, assertion: t.assertion, failed: names, failureSets: t.sets };
  if (v.status === 'proven') {
    out.reason =
      'failures' in t.budget
        ? `under ${budget}: ${t.sets} failure set${t.sets === 1 ? '' : 's'} proven (no other can change the flow's paths)`
        : `under ${budget}`;
  } else if (v.status === 'refuted' && v.counterexample) {
    const prefix = names.length > 0 ? `with ${names.join(', ')} failed` : 'with nothing failed';
    out.counterexample = { ...v.counterexample, summary: `${prefix} (routing re-converged): ${v.counterexample.summary}` };
  } else if (v.status === 'unknown') {
    out.reason = `${names.length > 0 ? `with ${names.join(', ')} failed` : 'with nothing failed'}: ${v.reason ?? 'undecided'}`;
  }
  return out;
}
