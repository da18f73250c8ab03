// Z3 workers with a watchdog. Each worker (z3-worker.mjs) owns one Z3 and answers one query at a
// time (Z3's check holds a module-wide lock, so parallel proofs need separate workers). A crash,
// an exhausted WASM heap or a hang past the deadline ends that query with a reason, never a
// silent pass, and the worker is replaced.

import { Worker } from 'node:worker_threads';

/**
 * `millis`: the time the text spent in a worker (queueing excluded); `queryMillis`: each of its
 * queries' own time in Z3 (a text holds one query per `(reset)` line), in order.
 */
export type SolveResult = { ok: true; output: string; millis: number; queryMillis: number[] } | { ok: false; reason: string; millis: number };

interface Job {
  text: string;
  /** Scoped queries for one context (`solveScoped`); `text` is then unused. */
  scoped?: readonly string[];
  /** Not counted in `queries`: questions a counted call already asked (`solveUncounted`). */
  uncounted?: boolean;
  started?: number;
  deadlineMs: number;
  resolve(r: SolveResult): void;
}

interface Slot {
  worker: Worker;
  job?: Job;
  timer?: NodeJS.Timeout;
  /** Bumped on every restart so that late events of a dead worker are ignored. */
  generation: number;
}

const WORKER_URL = new URL('./z3-worker.mjs', import.meta.url);

/** The longest delay setTimeout keeps (a signed 32-bit count of milliseconds). */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export class SolverPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 0;
  private closed = false;
  restarts = 0;
  queries = 0;
  /** Milliseconds until every worker had Z3 initialised (the start-up cost). */
  startupMillis = 0;

  constructor(readonly size: number) {}

  /**
   * Starts the workers and waits until every Z3 is ready (one that failed while loading counts
   * once its replacement is) or the pool is closed, whichever comes first. Queries may be given
   * before it resolves: they wait in the queue until a worker is ready. Called again, it
   * returns the first call's promise (a pool started early is started once).
   */
  start(): Promise<void> {
    return (this.starting ??= this.startWorkers());
  }

  private starting?: Promise<void>;

  private async startWorkers(): Promise<void> {
    // Closed first (an abort before the start): no worker is made that nobody would end.
    if (this.closed) return;
    const t0 = performance.now();
    try {
      for (let i = 0; i < this.size; i++) this.slots.push(this.spawn());
    } catch (err) {
      // A worker that cannot even be created: the ones already made are ended, and queries
      // given meanwhile end as cancelled instead of waiting for a worker that never comes.
      await this.close();
      throw err;
    }
    await new Promise<void>((resolve) => {
      this.allReady = resolve;
      this.checkAllReady();
    });
    if (!this.closed) this.startupMillis = performance.now() - t0;
  }

  /** Resolves `start()`'s wait, once every slot is ready or the pool is closed. */
  private allReady?: () => void;

  private checkAllReady(): void {
    if (!this.allReady || !(this.closed || this.slots.every((s) => this.isReady.has(s)))) return;
    const resolve = this.allReady;
    this.allReady = undefined;
    resolve();
  }

  /** Evaluates an SMT-LIB script; the watchdog stops it after `deadlineMs`. */
  solve(text: string, deadlineMs: number): Promise<SolveResult> {
    if (this.closed) return Promise.resolve({ ok: false, reason: 'the verification was cancelled', millis: 0 });
    return new Promise((resolve) => {
      this.queue.push({ text, deadlineMs, resolve });
      this.dispatch();
    });
  }

  /** Ends the worker running a query (for tests of the recovery path); true if one was busy. */
  killBusyWorker(): boolean {
    const slot = this.slots.find((s) => s.job);
    if (!slot) return false;
    this.fail(slot, 'the solver worker was killed');
    return true;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.checkAllReady();
    for (const job of this.queue.splice(0)) job.resolve({ ok: false, reason: 'the verification was cancelled', millis: 0 });
    await Promise.all(
      this.slots.map(async (s) => {
        if (s.timer) clearTimeout(s.timer);
        const job = s.job;
        s.job = undefined;
        s.generation++;
        job?.resolve({ ok: false, reason: 'the verification was cancelled', millis: 0 });
        await s.worker.terminate();
      }),
    );
  }

  private spawn(): Slot {
    const slot = { generation: 0 } as Slot;
    this.attach(slot);
    return slot;
  }

  /** Starts a fresh worker for the slot; events of earlier workers are ignored. */
  private attach(slot: Slot): void {
    const worker = new Worker(WORKER_URL);
    const generation = slot.generation;
    slot.worker = worker;
    this.isReady.delete(slot);
    const mine = (): boolean => slot.worker === worker && slot.generation === generation;
    worker.on('message', (msg: { ready?: boolean; id?: number; output?: string; error?: string; millis?: number[] }) => {
      if (!mine()) return;
      if (msg.ready) {
        this.isReady.add(slot);
        this.checkAllReady();
        this.dispatch();
        return;
      }
      const job = slot.job;
      if (!job) return;
      if (slot.timer) clearTimeout(slot.timer);
      slot.job = undefined;
      slot.timer = undefined;
      const millis = performance.now() - (job.started ?? performance.now());
      job.resolve(msg.error !== undefined ? { ok: false, reason: `the solver failed: ${msg.error}`, millis } : { ok: true, output: msg.output ?? '', millis, queryMillis: msg.millis ?? [] });
      this.dispatch();
    });
    worker.on('error', (err) => {
      if (mine()) this.fail(slot, `the solver crashed: ${err.message}`);
    });
    worker.on('exit', (code) => {
      if (mine() && !this.closed) this.fail(slot, `the solver worker exited (code ${code})`);
    });
  }

  private isReady = new WeakSet<Slot>();

  private dispatch(): void {
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (slot.job) continue;
      if (!this.isReady.has(slot)) continue;
      const job = this.queue.shift()!;
      slot.job = job;
      job.started = performance.now();
      if (!job.uncounted) this.queries++;
      this.watch(slot, job, Number.isNaN(job.deadlineMs) ? Infinity : Math.max(1, job.deadlineMs));
      slot.worker.postMessage(job.scoped ? { id: this.nextId++, scoped: job.scoped } : { id: this.nextId++, text: job.text });
    }
  }

  /**
   * Stops the slot's query when `remainingMs` pass. Node's timers hold at most 2^31-1 ms (about
   * 24.8 days) and fire at once beyond it, while a batch's deadline (--timeout up to a day, per
   * query in the batch) can be longer: a long wait is armed in steps.
   */
  private watch(slot: Slot, job: Job, remainingMs: number): void {
    const step = Math.min(remainingMs, MAX_TIMER_MS);
    slot.timer = setTimeout(() => {
      if (slot.job !== job) return;
      if (remainingMs > step) this.watch(slot, job, remainingMs - step);
      else this.fail(slot, `the solver gave no answer within ${job.deadlineMs < 1000 ? `${job.deadlineMs} ms` : `${Math.round(job.deadlineMs / 1000)} s`} and was stopped`);
    }, step);
  }

  /** Ends the slot's query with `reason` and replaces its worker. */
  private fail(slot: Slot, reason: string): void {
    if (slot.timer) clearTimeout(slot.timer);
    const job = slot.job;
    slot.job = undefined;
    slot.timer = undefined;
    const old = slot.worker;
    slot.generation++;
    void old.terminate();
    job?.resolve({ ok: false, reason, millis: performance.now() - (job.started ?? performance.now()) });
    if (this.closed) return;
    this.restarts++;
    this.attach(slot);
    this.dispatch();
  }

  /**
   * Evaluates scoped queries (each `(push)` ... `(check-sat)` `(echo "@end")` `(pop)`) one after
   * the other in one Z3 context (z3-worker.mjs, `evalScoped`): several times cheaper than `solve`
   * for small questions, but a model found there depends on the queries before it, so only an
   * "unsat" may be taken from it. `outputs` and `queryMillis` hold each query's own output and
   * time in Z3, in order; the watchdog stops the call after `deadlineMs`.
   */
  solveScoped(queries: readonly string[], deadlineMs: number): Promise<ScopedResult> {
    if (this.closed) return Promise.resolve({ ok: false, reason: 'the verification was cancelled', millis: 0 });
    return new Promise((resolve) => {
      const job: Job = { text: '', scoped: queries, deadlineMs, resolve: (r) => resolve(scopedResult(r, queries.length)) };
      this.queue.push(job);
      this.dispatch();
    });
  }

  /**
   * `solve`, not counted in `queries`: for the questions of a `solveScoped` call (counted once)
   * that are asked again, each in a fresh context.
   */
  solveUncounted(text: string, deadlineMs: number): Promise<SolveResult> {
    if (this.closed) return Promise.resolve({ ok: false, reason: 'the verification was cancelled', millis: 0 });
    return new Promise((resolve) => {
      this.queue.push({ text, deadlineMs, resolve, uncounted: true });
      this.dispatch();
    });
  }
}

/** `solveScoped`'s answer: each query's own output (`outputs[i]`) and time in Z3 (`queryMillis[i]`). */
export type ScopedResult = { ok: true; outputs: string[]; millis: number; queryMillis: number[] } | { ok: false; reason: string; millis: number };

/** The worker's answer to a scoped call (its output a JSON array of strings, one per query), checked. */
function scopedResult(r: SolveResult, count: number): ScopedResult {
  if (!r.ok) return r;
  let outputs: unknown;
  try {
    outputs = JSON.parse(r.output);
  } catch {
    outputs = undefined;
  }
  if (!Array.isArray(outputs) || outputs.length !== count || r.queryMillis.length !== count || !outputs.every((o) => typeof o === 'string')) {
    return { ok: false, reason: 'the solver gave no answer per query', millis: r.millis };
  }
  return { ok: true, outputs: outputs as string[], millis: r.millis, queryMillis: r.queryMillis };
}
