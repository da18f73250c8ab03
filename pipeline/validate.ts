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

/** Devices read back and proven per batch. */
const VALIDATION_BATCH = 16;

/**
 * Validation device by device, as the devices are rendered: `add` keeps a device until its batch
 * is full, then reads the batch back and proves it, so that memory holds one batch of rendered
 * and read-back devices, not the whole network's; `finish` proves the rest and gives the
 * outcome of all. `close` stops Z3 (finish does too); call it when a run ends early.
 */
export class DeviceValidator {
  private readonly failures: ValidationFailure[] = [];
  private readonly summary: ValidationSummary = { devices: 0, lists: 0, identical: 0, queries: 0 };
  private batch: RenderedDevice[] = [];
  // Z3 starts once, on the first batch with a list that is not equal rule for rule.
  private pool: SolverPool | undefined;

  constructor(private readonly shown: string) {}

  /** Whether every device proven so far came back as its model. */
  get ok(): boolean {
    return this.failures.length === 0;
  }

  async add(device: RenderedDevice): Promise<void> {
    this.batch.push(device);
    if (this.batch.length >= VALIDATION_BATCH) await this.flush();
  }

  async finish(): Promise<ValidationOutcome> {
    await this.flush();
    await this.close();
    const failures = this.failures;
    if (failures.length > 0) {
      // Unreadable devices first, in output order, then the devices that differ.
      failures.sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'unreadable' ? -1 : 1));
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
    const results = await validateBatch(batch, this.shown, this.failures, (queries) => this.poolWhenNeeded(queries));
    const s = this.summary;
    for (const r of results) {
      s.devices++;
      s.lists += r.stats.lists;
      s.identical += r.stats.identical;
      s.queries += r.stats.queries;
    }
  }

  private async poolWhenNeeded(queries: number): Promise<SolverPool> {
    if (!this.pool) {
      this.pool = new SolverPool(poolSizeFor(queries, 2));
      await this.pool.start();
    }
    return this.pool;
  }
}

/** Reads one batch of devices back and proves them; adds their failures, returns their results. */
async function validateBatch(
  devices: RenderedOutput['devices'],
  shown: string,
  failures: ValidationFailure[],
  poolWhenNeeded: (queries: number) => Promise<SolverPool>,
): Promise<EquivalenceResult[]> {
  const pairs: { expected: DeviceModel; actual: DeviceModel; ruleLines: () => RuleLines }[] = [];
  for (const d of devices) {
    const backend = backendFor(d.device.platform);
    if (!backend) continue; // renderOutput lists such devices as unsupported; the caller stops first
    const files = d.files.map((f) => ({ path: `${shown}/${d.dir}/${f.path}`, content: f.content }));
    const context = { id: d.device.id, site: d.device.site, name: d.device.name, role: d.device.role };
    const read = backend.read(files, context);
    const errors: Diagnostic[] = read.diagnostics.filter((x) => x.severity === 'error');
    if (!read.device || hasErrors(errors)) {
      const lines = [`device ${d.device.id}: the ${d.device.platform} reader cannot read the files its renderer wrote`];
      if (errors.length > 0) lines.push(renderText(errors, files.map((f) => ({ path: f.path, text: f.content })), { color: false }).trimEnd());
      failures.push({ device: d.device.id, kind: 'unreadable', errors, differences: [], undecided: [], lines });
      continue;
    }
    const actual = read.device;
    pairs.push({ expected: d.device, actual, ruleLines: () => ruleLines(backend, files, context, actual) });
  }
  const results = await checkEquivalences(pairs, { workers: 2, poolWhenNeeded });
  // The second read that finds each rule's config line is only paid for when something differs.
  results.forEach((result, i) => {
    if (!result.equivalent) failures.push(differenceFailure(result, pairs[i]!.ruleLines()));
  });
  return results;
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
