// Translation validation for `plumb compile -o DIR`: before the output folder is replaced, every
// device's rendered files are read back by the same backend and proven equivalent to the
// compiler's DeviceModel (verifier/equivalence.ts). A reader that cannot read what its renderer
// wrote, or a read-back device that differs, is a bug in Plumb (exit 3), reported with the
// device and the concrete packet or item; the output folder is then left untouched.

import type { DeviceModel } from '../compiler/model.js';
import type { RenderedOutput } from '../backends/output.js';
import { backendFor } from '../backends/index.js';
import { hasErrors, type Diagnostic } from '../language/diagnostic.js';
import { renderText } from '../language/render.js';
import { visibleText } from '../language/safe-text.js';
import { checkEquivalences, differenceText, scopeText, withConfigLine, type EquivalenceResult, type RuleLines } from '../verifier/equivalence.js';
import { ruleLines } from './config-lines.js';
import { ExitCode, type CliIo } from './io.js';
import { ISSUES_URL } from './program.js';

export interface ValidationSummary {
  devices: number;
  lists: number;
  identical: number;
  queries: number;
}

export type ValidationOutcome = { ok: true; summary: ValidationSummary } | { ok: false; report: string };

/**
 * Reads every rendered device back and proves it equal to its model. `shown` is the output
 * folder as the user wrote it: file names in reports are `<shown>/<site>/<device>/<file>`.
 */
export async function validateRendered(output: RenderedOutput, shown: string): Promise<ValidationOutcome> {
  const lines: string[] = [];
  const pairs: { expected: DeviceModel; actual: DeviceModel; ruleLines: () => RuleLines }[] = [];
  for (const d of output.devices) {
    const backend = backendFor(d.device.platform);
    if (!backend) continue; // renderOutput lists such devices as unsupported; the caller stops first
    const files = d.files.map((f) => ({ path: `${shown}/${d.dir}/${f.path}`, content: f.content }));
    const context = { id: d.device.id, site: d.device.site, name: d.device.name, role: d.device.role };
    const read = backend.read(files, context);
    const errors: Diagnostic[] = read.diagnostics.filter((x) => x.severity === 'error');
    if (!read.device || hasErrors(errors)) {
      lines.push(`device ${d.device.id}: the ${d.device.platform} reader cannot read the files its renderer wrote`);
      if (errors.length > 0) lines.push(renderText(errors, files.map((f) => ({ path: f.path, text: f.content })), { color: false }).trimEnd());
      continue;
    }
    const actual = read.device;
    pairs.push({ expected: d.device, actual, ruleLines: () => ruleLines(backend, files, context, actual) });
  }
  const results = await checkEquivalences(pairs, { workers: 2 });
  // The second read that finds each rule's config line is only paid for when something differs.
  results.forEach((r, i) => lines.push(...failureLines(r, r.equivalent ? {} : pairs[i]!.ruleLines())));
  if (lines.length > 0) {
    return {
      ok: false,
      report:
        `internal error: translation validation failed: a rendered configuration does not behave as its model.\n` +
        `This is a bug in Plumb, not in your intent. Please report it at ${ISSUES_URL} with the command line and the input files.\n` +
        lines.map((l) => `${l}\n`).join(''),
    };
  }
  return {
    ok: true,
    summary: {
      devices: results.length,
      lists: results.reduce((n, r) => n + r.stats.lists, 0),
      identical: results.reduce((n, r) => n + r.stats.identical, 0),
      queries: results.reduce((n, r) => n + r.stats.queries, 0),
    },
  };
}

function failureLines(r: EquivalenceResult, configLines: RuleLines): string[] {
  if (r.equivalent) return [];
  return [
    `device ${r.device}: the files read back differ from the model`,
    ...r.differences.map((d) => `  ${differenceText(withConfigLine(d, configLines))}`),
    ...r.undecided.map((u) => `  ${scopeText(u.scope)}: could not be decided: ${u.reason} (--no-validate skips the check)`),
  ];
}

/** Runs the validation for `plumb compile`; undefined when the files may be written. */
export async function validateBeforeWrite(output: RenderedOutput, shown: string, validate: boolean, io: CliIo): Promise<ExitCode | undefined> {
  if (!validate) {
    io.stderr('warning: --no-validate: the rendered files were not read back and proven equivalent to the model\n');
    return undefined;
  }
  const outcome = await validateRendered(output, shown);
  if (!outcome.ok) {
    // File names in the report are the user's: shown with visible escapes, line by line.
    io.stderr(outcome.report.split('\n').map(visibleText).join('\n'));
    io.stderr(`nothing written: ${visibleText(shown)} is unchanged\n`);
    return ExitCode.internal;
  }
  const s = outcome.summary;
  io.stderr(
    `validated ${s.devices} device${s.devices === 1 ? '' : 's'}: read back, ${s.lists} rule lists equal to the model ` +
      `(${s.identical} rule for rule, ${s.lists - s.identical} proven by Z3 in ${s.queries} queries); interfaces, routes and sessions equal\n`,
  );
  return undefined;
}
