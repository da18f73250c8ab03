// Translation validation, for `plumb compile -o DIR`: before the output folder is replaced, every
// device's rendered files are read back by the same backend and proven equivalent to the
// compiler's DeviceModel (verifier/equivalence.ts). A reader that cannot read what its renderer
// wrote, or a read-back device that differs, is a bug in Plumb: the result lists each such
// device with the reader's errors or the concrete packets and items that differ, and the same in
// the words of the report; the CLI prints it (exit 3) and leaves the output folder untouched.
// The backends and the verifier meet here (and in pipeline/deployed.ts), never in each other.

import type { DeviceModel } from '../compiler/model.js';
import type { RenderedDevice, RenderedOutput } from '../backends/output.js';
import { backendFor } from '../backends/index.js';
import { hasErrors, type Diagnostic } from '../language/diagnostic.js';
import { renderText } from '../language/render.js';
import {
  checkEquivalences,
  differenceText,
  poolSizeFor,
  scopeText,
  withConfigLine,
  type Difference,
  type EquivalenceResult,
  type RuleLines,
} from '../verifier/equivalence.js';
import { SolverPool } from '../verifier/solver-pool.js';
import { ruleLines } from './config-lines.js';

export interface ValidationSummary {
  devices: number;
  lists: number;
  identical: number;
  queries: number;
}

/** One device whose rendered files do not come back as its model. */
export interface ValidationFailure {
  device: string;
  /** `unreadable`: its reader rejects the files its renderer wrote; `different`: read back, but not equal. */
  kind: 'unreadable' | 'different';
  /** The reader's errors (unreadable), spans into the rendered files. */
  errors: Diagnostic[];
  /** What differs, with the config line of the deciding rule where it is known (different). */
  differences: Difference[];
  /** Rule lists the solver could not decide (different). */
  undecided: EquivalenceResult['undecided'];
  /** The failure as the report says it, line by line (the reader's errors as one rendered block). */
  lines: string[];
}

export type ValidationOutcome =
  | { ok: true; summary: ValidationSummary }
  /** `report`: every failure's lines, each ending in a line break, unreadable devices first. */
  | { ok: false; failures: ValidationFailure[]; report: string };

/**
 * Reads every rendered device back and proves it equal to its model. `shown` is the output
 * folder as the user wrote it: file names in reports are `<shown>/<site>/<device>/<file>`.
 */
export async function validateRendered(output: RenderedOutput, shown: string): Promise<ValidationOutcome> {
  const validator = new DeviceValidator(shown);
  try {
    for (const d of output.devices) await validator.add(d);
    return await validator.finish();
  } finally {
    await validator.close();
  }
}

/** Devices kept for one call into the solver (see DeviceValidator). */
const VALIDATION_BATCH = 16;

/** A device read back and waiting for the solver, with what its report needs should it differ. */
interface ReadBack {
  expected: DeviceModel;
  actual: DeviceModel;
  ruleLines: () => RuleLines;
  /** Its place in the order the devices were added (failures are reported in that order). */
  order: number;
}

/** Thrown out of checkEquivalences by a device that needs the solver: it waits for its batch. */
class NeedsSolver extends Error {}
const deferSolver = (): Promise<SolverPool> => Promise.reject(new NeedsSolver());

/**
 * Validation device by device, as the devices are rendered. `add` reads a device back and proves
 * it at once when every rule list comes back equal rule for rule (nearly always: 0 queries at
 * 400 devices), so that its read-back model and its text are dropped while young; a device with
 * a list that needs the solver is kept until VALIDATION_BATCH such devices are waiting, then Z3
 * proves them in one call. Devices were kept and read 16 at a time before, and the collector
 * copied each batch's read-back models into the old generation (promoted bytes of a compile at
 * 100 devices, docs/performance). `finish` proves the rest and gives the outcome of all. `close`
 * stops Z3 (finish does too); call it when a run ends early.
 */
export class DeviceValidator {
  private readonly failures: { failure: ValidationFailure; order: number }[] = [];
  private readonly summary: ValidationSummary = { devices: 0, lists: 0, identical: 0, queries: 0 };
  private batch: ReadBack[] = [];
  private added = 0;
  // Z3 starts once, on the first batch with a list that is not equal rule for rule.
  private pool: SolverPool | undefined;

  constructor(private readonly shown: string) {}

  /** Whether every device proven so far came back as its model. */
  get ok(): boolean {
    return this.failures.length === 0;
  }

  async add(device: RenderedDevice): Promise<void> {
    const order = this.added++;
    const read = readBack(device, this.shown);
    if (read === undefined) return;
    if ('failure' in read) {
      this.failures.push({ failure: read.failure, order });
      return;
    }
    const pending: ReadBack = { ...read, order };
    let results: EquivalenceResult[];
    try {
      results = await checkEquivalences([pending], { workers: 2, poolWhenNeeded: deferSolver });
    } catch (err) {
      if (!(err instanceof NeedsSolver)) throw err;
      this.batch.push(pending);
      if (this.batch.length >= VALIDATION_BATCH) await this.flush();
      return;
    }
    this.proven([pending], results);
  }

  async finish(): Promise<ValidationOutcome> {
    await this.flush();
    await this.close();
    if (this.failures.length > 0) {
      // Unreadable devices first, then the devices that differ, each in the order added.
      const failures = [...this.failures]
        .sort((a, b) => (a.failure.kind === b.failure.kind ? a.order - b.order : a.failure.kind === 'unreadable' ? -1 : 1))
        .map((f) => f.failure);
      return { ok: false, failures, report: failures.flatMap((f) => f.lines).map((l) => `${l}\n`).join('') };
    }
    return { ok: true, summary: { ...this.summary } };
  }

  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    await pool?.close();
  }

  private async flush(): Promise<void> {
    const batch = this.batch;
    this.batch = [];
    if (batch.length === 0) return;
    this.proven(batch, await checkEquivalences(batch, { workers: 2, poolWhenNeeded: (queries) => this.poolWhenNeeded(queries) }));
  }

  /** Counts the devices' results and keeps the failures of those that differ. */
  private proven(devices: readonly ReadBack[], results: readonly EquivalenceResult[]): void {
    const s = this.summary;
    results.forEach((r, i) => {
      s.devices++;
      s.lists += r.stats.lists;
      s.identical += r.stats.identical;
      s.queries += r.stats.queries;
      // The second read that finds each rule's config line is only paid for when something differs.
      if (!r.equivalent) this.failures.push({ failure: differenceFailure(r, devices[i]!.ruleLines()), order: devices[i]!.order });
    });
  }

  private async poolWhenNeeded(queries: number): Promise<SolverPool> {
    if (!this.pool) {
      this.pool = new SolverPool(poolSizeFor(queries, 2));
      await this.pool.start();
    }
    return this.pool;
  }
}

/**
 * Reads one device back: the pair to prove, or the failure of files its reader rejects;
 * undefined for a platform without a backend (renderOutput lists such devices as unsupported;
 * the caller stops first).
 */
function readBack(d: RenderedDevice, shown: string): Omit<ReadBack, 'order'> | { failure: ValidationFailure } | undefined {
  const backend = backendFor(d.device.platform);
  if (!backend) return undefined;
  const files = d.files.map((f) => ({ path: `${shown}/${d.dir}/${f.path}`, content: f.content }));
  const context = { id: d.device.id, site: d.device.site, name: d.device.name, role: d.device.role };
  const read = backend.read(files, context);
  const errors: Diagnostic[] = read.diagnostics.filter((x) => x.severity === 'error');
  if (!read.device || hasErrors(errors)) {
    const lines = [`device ${d.device.id}: the ${d.device.platform} reader cannot read the files its renderer wrote`];
    if (errors.length > 0) lines.push(renderText(errors, files.map((f) => ({ path: f.path, text: f.content })), { color: false }).trimEnd());
    return { failure: { device: d.device.id, kind: 'unreadable', errors, differences: [], undecided: [], lines } };
  }
  const actual = read.device;
  return { expected: d.device, actual, ruleLines: () => ruleLines(backend, files, context, actual) };
}

function differenceFailure(result: EquivalenceResult, configLines: RuleLines): ValidationFailure {
  const differences = result.differences.map((d) => withConfigLine(d, configLines));
  return {
    device: result.device,
    kind: 'different',
    errors: [],
    differences,
    undecided: result.undecided,
    lines: [
      `device ${result.device}: the files read back differ from the model`,
      ...differences.map((d) => `  ${differenceText(d)}`),
      ...result.undecided.map((u) => `  ${scopeText(u.scope)}: could not be decided: ${u.reason} (--no-validate skips the check)`),
    ],
  };
}
