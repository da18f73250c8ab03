// `plumb report FILE|DIR... -o FILE.html [--against OLD] [--no-times]`: one self-contained HTML
// page about an intent (cli/report/html.ts): the topology picture of `plumb graph`, every
// assertion proven as `plumb verify` proves it, each counterexample's path drawn on the
// picture, the diagnostics, the configuration files `plumb compile` writes (keys left as their
// secrets' placeholders: a report is shared, a key is not) linked to the intent lines, and with
// `--against OLD` the flow diff of `plumb diff OLD NEW`. The file is written atomically.
// Exit 0 when every assertion is proven and the intent has no error, 1 otherwise (the report is
// still written when the intent compiles), 2 for bad usage or no Graphviz.

import { resolve } from 'node:path';
import type { Command } from 'commander';
import { renderOutput } from '../../backends/output.js';
import { compareDiagnostics, hasErrors } from '../../language/diagnostic.js';
import { renderText } from '../../language/render.js';
import { checkIntent } from '../../pipeline/compile.js';
import { diffIntents } from '../../pipeline/diff.js';
import { addNativeRules } from '../../pipeline/native-rules.js';
import { proveModel } from '../../pipeline/prove.js';
import { readSide } from '../../api/diff.js';
import { ExitCode, UsageError } from '../io.js';
import { parseSecondsOption, VERIFY_TIMEOUT } from '../options.js';
import type { CommandContext } from '../program.js';
import { renderDiffText } from '../report/diff-text.js';
import { renderReportHtml, type ReportPage } from '../report/html.js';
import { reportPicture } from '../report/html-picture.js';
import { writeReportFile } from '../report/outputs.js';
import { emptyReport } from '../report/render.js';
import { DEFAULT_LAYOUT, toDot } from '../report/picture.js';
import { compileSources } from './compile.js';
import { renderPicture } from './graph.js';

export interface ReportOptions {
  out?: string;
  against?: string;
  timeout?: string;
  /** false with --no-times: no time of making, no solver times (the same bytes for the same intent). */
  times?: boolean;
}

export function registerReport(program: Command, ctx: CommandContext): void {
  program
    .command('report')
    .description('write one self-contained HTML page: the picture, the verdicts with their paths drawn, warnings, configurations, and the flow diff')
    .argument('<paths...>', '.plumb files, or directories of them, that form one intent')
    .option('-o, --out <file>', 'the HTML file to write (required)')
    .option('--against <old>', 'also show the flow diff from the intent OLD (a file or folder) to this one')
    .option('--timeout <seconds>', 'time limit per assertion and address family, in seconds (0.001 to 86400)', '30')
    .option('--no-times', 'leave out the time the report was made and the solver times, so that the same intent gives the same file')
    .action(async (paths: string[], opts: ReportOptions) => {
      ctx.setExit(await runReport(paths, opts, ctx));
    });
}

export async function runReport(paths: readonly string[], opts: ReportOptions, ctx: CommandContext): Promise<ExitCode> {
  if (opts.out === undefined) throw new UsageError('plumb report writes a file', 'add -o FILE, e.g. -o report.html');
  const timeoutMs = parseSecondsOption(opts.timeout ?? '30', VERIFY_TIMEOUT);
  const times = opts.times !== false;
  const compiled = compileSources(paths, ctx);
  if (typeof compiled === 'number') return compiled;
  const { model, sources } = compiled;
  const intent = checkIntent(sources).intent;
  // The picture first: without Graphviz there is no report to prove for.
  const picture = reportPicture(renderPicture(toDot(model, { layout: DEFAULT_LAYOUT, descriptions: { ...(intent?.description ? { network: intent.description } : {}) } }), DEFAULT_LAYOUT, 'svg').toString('utf8'));
  const proof = await proveModel(compiled, { timeoutMs });
  const report = proof.report ?? emptyReport();
  addNativeRules(report.verdicts, model);
  const diagnostics = [...proof.diagnostics].sort(compareDiagnostics);
  const output = renderOutput(model, sources);
  const unsupported = output.unsupported.map((d) => `${d.id} (${d.platform})`);
  const diff = opts.against !== undefined ? await againstDiff(opts.against, paths, timeoutMs, ctx) : undefined;
  const page: ReportPage = {
    name: model.name,
    ...(intent?.description ? { description: intent.description } : {}),
    ...(times ? { madeAt: new Date().toISOString() } : {}),
    times,
    picture,
    verdicts: report.verdicts,
    stats: report.stats,
    diagnostics,
    sources,
    devices: output.devices.map((d) => ({ id: d.device.id, platform: d.device.platform, dir: d.dir, files: d.files.map((f) => ({ path: f.path, content: f.content })) })),
    ...(unsupported.length > 0 ? { configsProblem: `no backend renders ${unsupported.join(', ')}` } : {}),
    ...(diff ? { diff } : {}),
  };
  writeReportFile(resolve(ctx.io.cwd, opts.out), opts.out, renderReportHtml(page));
  const failed = hasErrors(diagnostics) || report.stats.refuted > 0 || report.stats.unknown > 0;
  return failed ? ExitCode.failed : ExitCode.ok;
}

/** `--against OLD`: `plumb diff OLD PATHS`'s text; a side with errors is shown with its errors. */
async function againstDiff(old: string, paths: readonly string[], timeoutMs: number, ctx: CommandContext): Promise<{ against: string; text: string }> {
  const oldSide = readSide(old, ctx.io.cwd, old);
  if ('inputProblem' in oldSide) throw new UsageError(`--against: ${oldSide.inputProblem.message}`, oldSide.inputProblem.hint);
  const newSide = readSide(paths.length === 1 ? paths[0]! : [...paths], ctx.io.cwd, 'new');
  if ('inputProblem' in newSide) throw new UsageError(newSide.inputProblem.message, newSide.inputProblem.hint);
  const labels = { old: oldSide.label, new: newSide.label };
  const result = await diffIntents(oldSide, newSide, { timeoutMs });
  if (!result.ok) return { against: old, text: `the flows were not compared: ${old} has errors\n${renderText(result.old.diagnostics, oldSide.sources, { color: false })}` };
  return { against: old, text: renderDiffText(result.report, labels) };
}
