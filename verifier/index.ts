// The verifier's entry point: proves every assertion of a NetworkModel with Z3, replays every
// counterexample with the concrete simulator, and lints the compiled network.

import type { AssertionModel, NetworkModel } from '../compiler/model.js';
import type { Family } from '../language/address.js';
import { compareDiagnostics, type Diagnostic } from '../language/diagnostic.js';
import { TreeTooLarge } from './forwarding.js';
import { canonicalCounterexample, CLIENT_PORT, judgeAssertion, representative } from './canonical.js';
import { contractLine, decideAnnouncements } from './contracts.js';
import { lintModel, lintSteps } from './lint.js';
import { isEmpty } from './intervals.js';
import { FAMILIES, type NetIndex } from './netindex.js';
import { buildQuery, expandFlow, familiesOf, type ExpandedFlow } from './queries.js';
import { parseOutput, packetFromValues, type SectionResult } from './results.js';
import { screen } from './screen.js';
import { uncovered } from './scope.js';
import { netIndex } from './simulate.js';
import { SolverPool } from './solver-pool.js';
import { scopedSolverPool } from './solver-scope.js';
import type { Packet, Verdict, VerificationReport } from './verdict.js';

export type { Verdict, VerificationReport } from './verdict.js';
export { simulate } from './simulate.js';
export { SolverPool } from './solver-pool.js';
export { withSolverPool } from './solver-scope.js';

export interface VerifyOptions {
  /** Per query; default 30 s. */
  timeoutMs?: number;
  /** Only the assertions whose text contains this. */
  only?: string;
  signal?: AbortSignal;
  /** Z3 workers when no pool is given; default 2 (this machine class has 2 cores). */
  workers?: number;
  /**
   * A started pool to reuse, so that many verifications in one process pay Z3's start-up once
   * (the caller closes it). Cancellation then stops this verification's queries, not the pool.
   */
  pool?: SolverPool;
  /**
   * Workers of `workers` (or 2) Z3s this verification takes as its own when no `pool` is given
   * nor scoped: its caller started them before compiling the model, so that Z3 loads meanwhile
   * (api/verify.ts). They are used, reported and closed as if started here.
   */
  warmPool?: SolverPool;
  /** Lint the network too (default); proofs under failures leave it out on each failed network. */
  lint?: boolean;
  /** Called after each verdict (progress lines). */
  onVerdict?: (v: Verdict, done: number, total: number) => void;
}

export const DEFAULT_TIMEOUT_MS = 30_000;
/** Most assertions per call into Z3. */
const MAX_BATCH = 16;

/** A self-contained script for one query: it starts from a clean solver. */
function sectionScript(section: string, timeoutMs: number): string {
  return `(reset)\n(set-option :random-seed 0)\n(set-option :timeout ${timeoutMs})\n(set-option :produce-models true)\n${section}`;
}

/** Thrown when the simulator does not confirm a counterexample: a bug in Plumb, never in the intent. */
export class VerifierBug extends Error {
  override name = 'VerifierBug';
}

/**
 * Proves every assertion of the model (those whose text contains `only`). Indexes and forwarding
 * trees are cached per model object: treat a model as immutable once it has been verified.
 */
export async function verifyModel(model: NetworkModel, options: VerifyOptions = {}): Promise<VerificationReport> {
  const t0 = performance.now();
  const diagnostics: Diagnostic[] = [];
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const idx = netIndex(model);
  const selected = model.assertions.filter((a) => options.only === undefined || a.text.includes(options.only));

  let done = 0;
  const report = (v: Verdict): void => options.onVerdict?.(v, ++done, selected.length);
  interface Pending {
    assertion: AssertionModel;
    flow: ExpandedFlow;
    /** One script per family query. */
    sections?: string[];
    /** The same queries' questions alone, for the screen (screen.ts). */
    questions?: string[];
    /** Its questions' time in the screen, part of its verdict's time. */
    screenMillis?: number;
    families: (4 | 6)[];
    verdict?: Verdict;
  }
  const pending: Pending[] = selected.map((assertion) => {
    const flow = expandFlow(idx, assertion);
    const families = familiesOf(idx, flow);
    const p: Pending = { assertion, flow, families };
    const missing = [...flow.sources, ...flow.destinations].filter((n) => !idx.endpoint(n) && !idx.isDevice(n));
    if (assertion.contract?.guarantee === 'announces-only') {
      // About the BGP configuration, not packets: decided without a query.
      p.verdict = decideAnnouncements(model, assertion);
      p.families = p.verdict.families ?? [];
    } else if (missing.length > 0) {
      p.verdict = { assertion, status: 'unknown', reason: `unknown endpoint or device ${missing.join(', ')}`, millis: 0 };
    } else if (assertion.via !== undefined && !idx.device(assertion.via)) {
      p.verdict = { assertion, status: 'unknown', reason: `unknown device ${assertion.via}`, millis: 0 };
    } else if (families.length === 0) {
      p.verdict = { assertion, status: 'vacuous', families: [], reason: vacuousReason(idx, flow, assertion), millis: 0 };
    }
    return p;
  });
  // Queries are built batch by batch while the workers solve the previous ones.
  const build = (p: Pending): void => {
    try {
      const queries = p.families.map((f) => buildQuery(idx, p.assertion, p.flow, f));
      // Every family's question is false before solving: proven without a call into Z3.
      if (queries.every((q) => q.unsatisfiable)) {
        p.verdict = { assertion: p.assertion, status: 'proven', millis: 0 };
        report(p.verdict);
        return;
      }
      p.sections = queries.map((q) => sectionScript(q.text, timeoutMs));
      p.questions = queries.map((q) => q.question);
    } catch (err) {
      if (!(err instanceof TreeTooLarge)) throw err;
      p.verdict = { assertion: p.assertion, status: 'unknown', reason: err.message, millis: 0 };
      report(p.verdict);
    }
  };

  const toSolve = pending.filter((p) => p.verdict === undefined);
  const shared = options.pool ?? scopedSolverPool();
  const own = shared === undefined;
  const pool = shared ?? options.warmPool ?? new SolverPool(Math.max(1, Math.min(options.workers ?? 2, toSolve.length)));
  // A warm pool was made before the assertions were known: counted as the pool made here would be.
  const workers = own ? Math.max(1, Math.min(pool.size, toSolve.length)) : pool.size;
  // A shared pool counts for every caller: this run reports its own share.
  const queriesBefore = pool.queries;
  const restartsBefore = pool.restarts;
  for (const p of pending) if (p.verdict) report(p.verdict);
  let cancelled = false;
  const isCancelled = (): boolean => cancelled || pool.isClosed;
  const onAbort = (): void => {
    cancelled = true;
    if (own) void pool.close();
  };
  // Each call into Z3 has a fixed cost, so assertions go in batches; a batch that fails as a
  // whole (crash, hang) is retried one assertion at a time, so that one bad query costs no
  // other assertion its verdict.
  const solveBatch = async (batch: Pending[], retry: boolean, screened = false): Promise<void> => {
    if (batch.length === 0) return;
    const sectionCount = batch.reduce((n, p) => n + p.families.length, 0);
    const text = batch.flatMap((p) => p.sections!).join('\n');
    const deadline = timeoutMs * sectionCount + 10_000;
    // The screen's call counted these questions already.
    const answer = await (screened ? pool.solveUncounted(text, deadline) : pool.solve(text, deadline));
    const result = isCancelled() ? { ok: false as const, reason: 'the verification was cancelled', millis: answer.millis } : answer;
    if (!result.ok && retry && batch.length > 1 && !isCancelled()) {
      await Promise.all(batch.map((p) => solveBatch([p], false)));
      return;
    }
    const parsed = result.ok ? parseOutput(result.output, sectionCount) : [];
    let at = 0;
    const again: Pending[] = [];
    for (const p of batch) {
      // An answer that cannot be read is asked once more, alone, before it counts as a bug.
      if (retry && parsed.slice(at, at + p.families.length).some((x) => x.status === 'error')) {
        again.push(p);
        at += p.families.length;
        continue;
      }
      // An assertion's time is its own queries' time in Z3 (a failed batch's is shared).
      const own = result.ok ? result.queryMillis.slice(at, at + p.families.length) : [];
      const millis = Math.round((p.screenMillis ?? 0) + (own.length === p.families.length ? own.reduce((a, b) => a + b, 0) : (result.millis * p.families.length) / sectionCount));
      p.verdict = result.ok
        ? decide(model, p.assertion, p.flow, p.families, parsed.slice(at, at + p.families.length), millis)
        : { assertion: p.assertion, status: 'unknown', reason: result.reason, millis };
      at += p.families.length;
      report(p.verdict);
    }
    await Promise.all(again.map((p) => solveBatch([p], false)));
  };
  // A batch is screened first (screen.ts): what that proves is decided; the rest is asked as above.
  const screenThenSolve = async (batch: Pending[]): Promise<void> => {
    if (batch.length === 0) return;
    const screened = await screen(pool, batch.map((p) => p.questions!), timeoutMs);
    const rest: Pending[] = [];
    batch.forEach((p, i) => {
      const { proven, millis } = screened[i]!;
      p.screenMillis = millis;
      if (!proven || isCancelled()) return void rest.push(p);
      p.verdict = { assertion: p.assertion, status: 'proven', millis: Math.round(millis) };
      report(p.verdict);
    });
    await solveBatch(rest, true, true);
  };
  try {
    if (toSolve.length > 0) {
      options.signal?.addEventListener('abort', onAbort, { once: true });
      if (options.signal?.aborted) onAbort();
      // Z3 loads in the workers (a warm pool's since before the compile) while this thread builds
      // the first queries: they wait in the pool's queue until a worker is ready. A start that
      // fails closes the pool (its queries end as cancelled) and is thrown below.
      const started = own && !isCancelled() ? pool.start() : undefined;
      started?.catch(() => undefined);
      const size = Math.max(1, Math.min(MAX_BATCH, Math.ceil(toSolve.length / (workers * 4))));
      const solving: Promise<void>[] = [];
      for (let i = 0; i < toSolve.length && !isCancelled(); i += size) {
        const batch = toSolve.slice(i, i + size);
        batch.forEach(build);
        solving.push(screenThenSolve(batch.filter((p) => p.sections !== undefined)));
        // Let the workers' answers in between.
        await new Promise<void>((r) => setImmediate(r));
      }
      // The lint runs on this thread while the workers finish.
      if (options.lint !== false) diagnostics.push(...(await lintBetweenAnswers(model)));
      await Promise.all(solving);
      // Its start-up time (or its failure) when Z3 was asked anything; else the workers are closed unused.
      if (toSolve.some((p) => p.sections !== undefined)) await started;
      for (const p of toSolve) p.verdict ??= { assertion: p.assertion, status: 'unknown', reason: 'the verification was cancelled', millis: 0 };
    }
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    if (own) await pool.close();
  }
  if (toSolve.length === 0 && options.lint !== false) diagnostics.push(...lintModel(model));
  const verdicts = pending.map((p) => withFamilies(idx, p.verdict!, p.flow, p.families));
  const count = (s: Verdict['status']): number => verdicts.filter((v) => v.status === s).length;
  return {
    verdicts,
    diagnostics: diagnostics.sort(compareDiagnostics),
    stats: {
      assertions: verdicts.length,
      proven: count('proven'),
      refuted: count('refuted'),
      unknown: count('unknown'),
      vacuous: count('vacuous'),
      queries: pool.queries - queriesBefore,
      startupMillis: own ? Math.round(pool.startupMillis) : 0,
      totalMillis: Math.round(performance.now() - t0),
      workers,
      restarts: pool.restarts - restartsBefore,
    },
  };
}

/** How long the lint runs between two looks at the workers' answers. */
const LINT_SLICE_MS = 10;

/**
 * The lint, in slices of about `LINT_SLICE_MS` between which the workers' answers come in: the
 * pool gives a worker its next query only when this thread takes its answer, so a lint run in
 * one go would leave the workers idle for as long as it takes.
 */
async function lintBetweenAnswers(model: NetworkModel): Promise<Diagnostic[]> {
  const steps = lintSteps(model);
  let last = performance.now();
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    if (performance.now() - last >= LINT_SLICE_MS) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      last = performance.now();
    }
  }
}

const familyName = (f: Family): string => `IPv${f}`;

/** The families of addresses the endpoints have, in our order. */
const familiesHeld = (idx: NetIndex, endpoints: readonly string[]): Family[] => FAMILIES.filter((f) => endpoints.some((n) => !isEmpty(idx.addresses(n, f))));

/** Why an assertion is about no packet: an end without addresses, or no family in common. */
function vacuousReason(idx: NetIndex, flow: ExpandedFlow, assertion: AssertionModel): string {
  // A contract's offer at or to addresses none of the endpoints has.
  if (assertion.scope?.destinations && flow.destinations.length === 0) return `no segment, host or device of ours has an address within ${assertion.scope.destinations.join(', ')}`;
  const src = familiesHeld(idx, flow.sources);
  const dst = familiesHeld(idx, flow.destinations);
  if (src.length === 0 && dst.length === 0) return 'neither the sources nor the destinations have addresses: no packet to prove anything about';
  if (src.length === 0) return 'the sources have no addresses: no packet to prove anything about';
  if (dst.length === 0) return 'the destinations have no addresses: no packet to prove anything about';
  return `no address family in common: the sources are ${src.map(familyName).join(' and ')} only, the destinations ${dst.map(familyName).join(' and ')} only`;
}

/**
 * The verdict with the families it was decided over; a proven assertion whose ends share one
 * family while one end also has the other says so in its note (`IPv4 only: ...`).
 */
function withFamilies(idx: NetIndex, v: Verdict, flow: ExpandedFlow, families: Family[]): Verdict {
  const out: Verdict = { ...v, families: v.families ?? [...families] };
  if (v.status !== 'proven' || families.length !== 1 || v.reason !== undefined || v.assertion.contract?.guarantee === 'announces-only') return out;
  const other: Family = families[0] === 4 ? 6 : 4;
  const srcHas = familiesHeld(idx, flow.sources).includes(other);
  const dstHas = familiesHeld(idx, flow.destinations).includes(other);
  if (!srcHas && !dstHas) return out;
  const lacking = srcHas ? 'the destinations have' : 'the sources have';
  out.reason = `${familyName(families[0]!)} only: ${lacking} no ${familyName(other)} addresses`;
  return out;
}

function decide(model: NetworkModel, assertion: AssertionModel, flow: ExpandedFlow, families: (4 | 6)[], sections: SectionResult[], millis: number): Verdict {
  const unknowns: string[] = [];
  for (let i = 0; i < families.length; i++) {
    const s = sections[i];
    if (!s) {
      unknowns.push('the solver gave no answer');
      continue;
    }
    if (s.status === 'error') throw new VerifierBug(`the solver rejected a query: ${s.reason}`);
    if (s.status === 'unknown') {
      unknowns.push(`the solver could not decide (IPv${families[i]}): ${s.reason}`);
      continue;
    }
    if (s.status === 'unsat') continue;
    const found = packetFromValues(s.values, families[i]!, assertion.property);
    if (assertion.assumes && uncovered(netIndex(model), found, assertion.assumes)) return outsideOffers(model, assertion, flow, found, millis);
    if (judgeAssertion(model, assertion, flow, found).holds) {
      throw new VerifierBug(`the simulator does not confirm the counterexample of "${assertion.text}": ${JSON.stringify(found)}`);
    }
    // The report shows the preferred packet (host addresses, a client port), still confirmed.
    const canonical = canonicalCounterexample(model, assertion, flow, found);
    // A network failure stays one: the preferred packet must not be one the other party does not offer.
    const packet = assertion.assumes && uncovered(netIndex(model), canonical, assertion.assumes) ? found : canonical;
    const judged = judgeAssertion(model, assertion, flow, packet);
    const summary = assertion.contract ? `${judged.summary}, breaking ${contractLine(assertion.contract.name, assertion.origin)}` : judged.summary;
    return {
      assertion,
      status: 'refuted',
      counterexample: { summary, packet, traces: judged.traces, ...(judged.reply ? { reply: judged.reply } : {}) },
      millis,
    };
  }
  if (unknowns.length > 0) return { assertion, status: 'unknown', reason: unknowns.join('; '), millis };
  return { assertion, status: 'proven', millis };
}

/**
 * A `reach` to a contract's other party refuted by a packet no offer of that party covers: what
 * the intent asks is more than the contract lets it assume. The traces show what the network does
 * with the packet; the summary what the other party offers, by the contract's lines.
 */
function outsideOffers(model: NetworkModel, assertion: AssertionModel, flow: ExpandedFlow, found: Packet, millis: number): Verdict {
  const assumes = assertion.assumes!;
  // The preferred addresses (each end's first host) and client port where the packet stays outside every offer.
  const idx = netIndex(model);
  let packet: Packet = { ...found, ...(found.sourcePort !== undefined ? { sourcePort: CLIENT_PORT } : {}) };
  // The flow's ends at the other party: its external, or a part of it (`datahub.api`).
  const theirs = flow.destinations.filter((n) => n === assumes.external || idx.endpoint(n)?.partOf === assumes.external);
  for (const [field, ends] of [['source', flow.sources], ['destination', theirs.length > 0 ? theirs : [assumes.external]]] as const) {
    const address = representative(model, ends, packet.family, packet[field]);
    const candidate = address === undefined ? undefined : { ...packet, [field]: address };
    if (candidate && uncovered(idx, candidate, assumes)) packet = candidate;
  }
  const judged = judgeAssertion(model, assertion, flow, packet);
  const offers = assumes.offers.map((o) => `${o.text.replace(' offers ', ' offers only ')} (${contractLine(assumes.contract, o.origin)})`);
  const what = offers.length > 0 ? offers.join('; ') : `${assumes.party} offers nothing (${contractLine(assumes.contract, assumes.origin)})`;
  return {
    assertion,
    status: 'refuted',
    counterexample: {
      summary: `the packet is outside what ${assumes.party} offers: ${what}`,
      packet,
      traces: judged.traces,
      ...(judged.reply ? { reply: judged.reply } : {}),
    },
    millis,
  };
}
