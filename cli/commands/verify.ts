// `plumb verify FILE... [--format text|json|sarif|junit|github] [--json F] [--sarif F] [--junit F]
// [--github] [--timeout S] [--only TEXT]`:
// analyze and compile the intent, prove every assertion with Z3, lint the compiled network.
// `--configs DIR` proves them on the devices read back from a compile output folder instead
// (pipeline/deployed.ts: the drift check; a missing or unreadable device is an error, exit 1).
// The proofs are the library's (api/verify.ts); this file reads the options and prints.
// Exit 0 when every assertion is proven and the intent has no error; 1 when one is refuted or
// unknown or the intent has errors; 2 for bad usage or unreadable input; 3 for a bug (e.g. a
// counterexample the simulator does not confirm).

import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { visibleText } from '../../language/safe-text.js';
import { MAX_FAILURES } from '../../language/intent.js';
import { joinIntents, proveFolders, proveSources, verifiedOk, type ProofSettings, type ProvenIntent } from '../../api/verify.js';
import { readSources } from '../../pipeline/sources.js';
import { ExitCode, UsageError } from '../io.js';
import { VERSION, type CommandContext } from '../program.js';
import { renderReport, REPORT_FORMATS, type ReportFormat, type ReportInput } from '../report/render.js';
import { checkReportTargets, requestedFiles, writeReportFile, type ReportFileOptions } from '../report/outputs.js';
import { statedAssertions } from '../report/unverified.js';
import { mergeShardFiles, parseShard, readShardReports } from '../report/shards.js';
import { summaryLine } from '../report/verdicts.js';
import { parseSecondsOption, VERIFY_TIMEOUT } from '../options.js';

const FORMATS = REPORT_FORMATS;
type Format = ReportFormat;

export interface VerifyCommandOptions extends ReportFileOptions {
  format: string;
  /** Also print GitHub workflow annotations after the main report. */
  github?: boolean;
  /** The folder SARIF locations are relative to (default: the git repository's root). */
  root?: string;
  /** SARIF also lists proven assertions (kind `pass`). */
  sarifProven?: boolean;
  /** `K/N`: prove only the assertions of shard K of N. */
  shard?: string;
  /** The paths are the shards' JSON reports: join them into one report. */
  merge?: boolean;
  /** Each folder of .plumb files below the paths is its own intent. */
  each?: boolean;
  timeout?: string;
  only?: string;
  /** A compile output folder: prove the assertions on the devices its files describe (pipeline/deployed.ts). */
  configs?: string;
  /** Prove every assertion without an `under` clause under up to this many failed links or devices. */
  failures?: string;
  /** With --configs: list every unmanaged line of running configurations, not only their count. */
  verbose?: boolean;
  /** With --configs: `required` makes a secret whose value cannot be read an error (default `optional`: its keys are not compared). */
  secrets?: string;
}

export function registerVerify(program: Command, ctx: CommandContext): void {
  program
    .command('verify')
    .description('prove every assertion of an intent with Z3; refuted ones come with a counterexample packet')
    .argument('<paths...>', '.plumb files, or directories of them, that form one intent')
    .option('--format <format>', 'output format: text, json, sarif, junit or github', 'text')
    .option('--json <file>', 'also write the JSON report to FILE (proving once for every report)')
    .option('--sarif <file>', 'also write the SARIF 2.1.0 report to FILE')
    .option('--junit <file>', 'also write the JUnit XML report to FILE')
    .option('--github', 'also print GitHub workflow annotations after the report')
    .option('--shard <k/n>', 'prove only shard K of N of the assertions (every Nth, from the Kth), for CI machines side by side; write --format json and join with --merge')
    .option('--each', 'each folder of .plumb files below the paths is its own intent: prove them all, report per intent')
    .option('--merge', 'the paths are the JSON reports of the shards of one run: print the report and exit code of the whole run')
    .option('--sarif-proven', 'SARIF also lists each proven assertion, as a result of kind pass (some code-scanning consumers show every result as an alert)')
    .option('--root <dir>', 'make SARIF locations relative to DIR (default: the git repository\'s root, else the working folder)')
    .option('--timeout <seconds>', 'time limit per assertion and address family, in seconds (0.001 to 86400)', '30')
    .option('--only <text>', 'verify only the assertions whose text contains this')
    .option('--failures <n>', 'also prove every assertion (without its own `under` clause) under any N failed links or devices (1 to 3)')
    .option('--configs <dir>', 'prove the assertions on the devices as configured in DIR (written by plumb compile -o, maybe edited since, or the devices\' running configurations in DIR/<site>/<device>/): the drift check')
    .option('--verbose', 'with --configs: list the lines of running configurations outside Plumb\'s scope and the keys not compared, not only how many')
    .option('--secrets <mode>', 'with --configs: optional (default: keys whose secret cannot be read are compared by name only, and the summary says so) or required (a secret that cannot be read is an error)', 'optional')
    .action(async (paths: string[], opts: VerifyCommandOptions) => {
      ctx.setExit(await runVerify(paths, opts, ctx));
    });
}

export async function runVerify(paths: readonly string[], opts: VerifyCommandOptions, ctx: CommandContext): Promise<ExitCode> {
  if (!(FORMATS as readonly string[]).includes(opts.format)) {
    throw new UsageError(`unknown format \`${opts.format}\``, `use one of: ${FORMATS.join(', ')}`);
  }
  const format = opts.format as Format;
  const files = requestedFiles(opts, ctx.io.cwd);
  checkReportTargets(files);
  const root = rootOption(opts.root, ctx.io.cwd);
  if (opts.merge) {
    if (opts.shard !== undefined || opts.configs !== undefined || opts.only !== undefined || opts.failures !== undefined || opts.each) {
      throw new UsageError('--merge joins finished reports: it takes no --shard, --configs, --only, --failures or --each', 'give those to the shards\' runs');
    }
    return mergeReports(paths, { format, files, root, github: opts.github === true, sarifProven: opts.sarifProven === true }, ctx);
  }
  const shard = opts.shard !== undefined ? parseShard(opts.shard) : undefined;
  const failures = failuresOption(opts.failures);
  const secretsRequired = secretsOption(opts.secrets);
  const progress = ctx.io.isTTY && format === 'text';
  const proving: ProofSettings = {
    timeoutMs: parseSecondsOption(opts.timeout ?? '30', VERIFY_TIMEOUT),
    ...(failures !== undefined ? { failures } : {}),
    ...(opts.only !== undefined ? { only: opts.only } : {}),
    ...(shard ? { shard } : {}),
    ...(opts.configs !== undefined ? { configs: { dir: opts.configs, cwd: ctx.io.cwd, env: ctx.io.env, required: secretsRequired } } : {}),
    ...(progress ? { onProgress: (done: number, total: number) => showProgress(done, total, ctx) } : {}),
  };
  const out: Outputs = { format, files, root, github: opts.github === true, sarifProven: opts.sarifProven === true, verbose: opts.verbose === true };
  if (opts.each) {
    if (opts.configs !== undefined) throw new UsageError('--each proves several intents: it takes no --configs', 'give --configs to the run of the one intent it was compiled from');
    return verifyEach(paths, proving, out, ctx);
  }
  const one = proved(await proveSources(readSources(paths, ctx.io.cwd), proving), progress, ctx);
  if (proving.only !== undefined && one.matchedOnly === false) {
    throw new UsageError(`no assertion matches --only \`${proving.only}\``, 'give a part of an assertion\'s text, e.g. "reach office"');
  }
  return emitReports(reportData(one), { ...out, ...(shard ? { shard: { ...shard, assertions: one.assertionCount } } : {}) }, ctx);
}

function showProgress(done: number, total: number, ctx: CommandContext): void {
  if (total > 2) ctx.io.stderr(`\r\u001b[Kverifying: ${done}/${total}`);
}

/** A proof's result, or its folder's problem as the usage error it is; the progress line cleared. */
function proved<T extends ProvenIntent | ProvenIntent[]>(result: T | { inputProblem: { message: string; hint?: string } }, progress: boolean, ctx: CommandContext): T {
  if ('inputProblem' in result) throw new UsageError(result.inputProblem.message, result.inputProblem.hint);
  const verdicts = Array.isArray(result) ? result.reduce((n, r) => n + r.report.verdicts.length, 0) : result.report.verdicts.length;
  if (progress && verdicts > 2) ctx.io.stderr('\r\u001b[K');
  return result;
}

type ReportData = Pick<ReportInput, 'report' | 'diagnostics' | 'sources' | 'unverified' | 'configs'>;

/** What the reports are rendered from: an intent with errors lists the assertions it states, unproven. */
function reportData(p: ProvenIntent): ReportData {
  return { report: p.report, diagnostics: p.diagnostics, sources: p.sources, unverified: p.compiled ? [] : statedAssertions(p.sources), ...(p.configs ? { configs: p.configs } : {}) };
}

/**
 * `--each DIR...`: every folder of .plumb files below the DIRs is its own intent, proven in
 * turn with one set of Z3 workers. Text reports each intent under a heading; the other formats
 * hold every intent's verdicts and diagnostics in one report (their locations name the files).
 */
async function verifyEach(paths: readonly string[], p: ProofSettings, out: Outputs, ctx: CommandContext): Promise<ExitCode> {
  const results = proved(await proveFolders(paths, ctx.io.cwd, p), p.onProgress !== undefined, ctx);
  if (p.only !== undefined && !results.some((r) => r.matchedOnly === true)) {
    throw new UsageError(`no assertion of the ${results.length} intents matches --only \`${p.only}\``, 'give a part of an assertion\'s text, e.g. "reach office"');
  }
  const data = results.map(reportData);
  const all = { ...joinIntents(results), sources: data.flatMap((r) => r.sources), unverified: data.flatMap((r) => r.unverified) };
  if (out.format !== 'text') return emitReports(all, out, ctx);
  // Text: each intent's report under its folder, then the total; the files and --github as usual.
  const color = ctx.io.isTTY && !ctx.io.env.NO_COLOR;
  const text = results
    .map((r, i) => `== ${visibleText(r.folder)}\n${renderReport('text', { ...data[i]!, color, cwd: ctx.io.cwd, version: VERSION })}`)
    .join('\n');
  return emitReports(all, { ...out, format: 'json' }, ctx, () => `${text}\n${results.length} intents: ${summaryLine(all.report)}\n`);
}

interface Outputs {
  format: Format;
  files: ReturnType<typeof requestedFiles>;
  root: string | undefined;
  github: boolean;
  sarifProven?: boolean;
  shard?: { index: number; count: number; assertions: number };
  verbose?: boolean;
}

/** Every report asked for, from the same data: files first, then stdout; the run's exit code. */
function emitReports(data: ReportData, out: Outputs, ctx: CommandContext, stdoutText?: () => string): ExitCode {
  const color = ctx.io.isTTY && !ctx.io.env.NO_COLOR;
  const render = (f: Format, withColor: boolean): string =>
    renderReport(f, { ...data, color: withColor, cwd: ctx.io.cwd, version: VERSION, ...(out.root !== undefined ? { root: out.root } : {}), ...(out.shard ? { shard: out.shard } : {}), ...(out.sarifProven ? { sarifProven: true } : {}), ...(out.verbose ? { verbose: true } : {}) });
  for (const file of out.files) writeReportFile(file.abs, file.path, render(file.format, false));
  ctx.io.stdout(stdoutText ? stdoutText() : render(out.format, color));
  if (out.github && out.format !== 'github') ctx.io.stdout(render('github', false));
  return verifiedOk(data.report, data.diagnostics) ? ExitCode.ok : ExitCode.failed;
}

/** `--merge REPORT...`: the shards' JSON reports as one run's report and exit code. */
function mergeReports(paths: readonly string[], out: Outputs, ctx: CommandContext): ExitCode {
  const report = mergeShardFiles(readShardReports(paths, ctx.io.cwd));
  // The diagnostics' files, where they can be read, for the text report's source lines.
  const sources = [...new Set(report.diagnostics.map((d) => d.span.file))].flatMap((file) => {
    try {
      return [{ path: file, text: readFileSync(resolve(ctx.io.cwd, file), 'utf8') }];
    } catch {
      return [];
    }
  });
  return emitReports({ report, diagnostics: report.diagnostics, sources, unverified: [] }, out, ctx);
}

/** `--root DIR`: an existing folder, absolute. */
function rootOption(dir: string | undefined, cwd: string): string | undefined {
  if (dir === undefined) return undefined;
  const abs = resolve(cwd, dir);
  let isDir = false;
  try {
    isDir = statSync(abs).isDirectory();
  } catch {
    // reported below
  }
  if (!isDir) throw new UsageError(`--root ${visibleText(dir)} is not a folder`, 'give the folder that SARIF locations should be relative to, e.g. the repository\'s root');
  return abs;
}

/** `--secrets optional|required`. */
function secretsOption(text: string | undefined): boolean {
  if (text === undefined || text === 'optional') return false;
  if (text === 'required') return true;
  throw new UsageError(`invalid --secrets \`${visibleText(text)}\``, 'give optional (keys of secrets that cannot be read are not compared) or required (such a secret is an error)');
}

/** `--failures N`: a whole number from 1 to MAX_FAILURES. */
function failuresOption(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = /^[0-9]+$/.test(text) ? Number(text) : NaN;
  if (!(n >= 1 && n <= MAX_FAILURES)) throw new UsageError(`invalid --failures \`${text}\``, `give a number of failures from 1 to ${MAX_FAILURES}`);
  return n;
}
