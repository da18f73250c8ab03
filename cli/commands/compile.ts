// `plumb compile FILE|DIR... --emit model`: check the intent, compile it, and print the network
// model as JSON (2-space indented, deterministic). `-o DIR` writes every device's configuration
// files instead (pipeline/write-output.ts, device by device), once pipeline/validate.ts has read
// them back and proven them equivalent to the model (`--no-validate` skips that). Diagnostics go to stderr. Exit 0 when
// there is no error (warnings allowed), 1 with errors in the intent or the compilation, 2 for
// usage (including an output folder it refuses: backends/output-guard.ts), 3 when the
// validation fails (a bug in Plumb; nothing is written).
//
// `compileSources` is the shared front half (read, check, compile, report); each output (the
// model on stdout, configuration files in a folder) is one `emit*` function after it.

import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { NetworkModel } from '../../compiler/model.js';
import type { Diagnostic } from '../../language/diagnostic.js';
import { renderText } from '../../language/render.js';
import { visibleText } from '../../language/safe-text.js';
import { jsonChunks } from '../json-chunks.js';
import { ExitCode, UsageError } from '../io.js';
import { ISSUES_URL, type CommandContext } from '../program.js';
import { compileIntent } from '../../pipeline/compile.js';
import { displayPath, lockPath, readSources, type SourceText } from '../../pipeline/sources.js';
import { lockChangeLines, lockChangeSummary, lockUpdate, type LockUpdate } from '../../pipeline/lock.js';
import { OutputFolderError, outputLocationProblem, replaceableProblem, unsupportedDevices, type Manifest } from '../../backends/output.js';
import { renderIntoFolder, type FolderDevice } from '../../pipeline/write-output.js';
import { readPreviousOutput, type PreviousOutput } from '../../pipeline/previous.js';
import { secretValues } from '../../api/compile.js';
import { writeLock } from '../../api/lock.js';

const EMITS = ['model'] as const;
type Emit = (typeof EMITS)[number];

export interface CompileOptions {
  emit?: string;
  out?: string;
  /** False with --no-validate: skip reading the rendered files back (pipeline/validate.ts). */
  validate?: boolean;
  /** With -o: write into the target when DIR is a symbolic link. */
  followSymlink?: boolean;
  /** With -o: seconds to wait for another compile writing DIR (default 10). */
  lockWait?: string;
  /** With -o: an earlier output folder; each device also gets the files that turn it into this one. */
  previous?: string;
}

/** The test hook that stops a write at one step (backends/output-write.ts), to interrupt it there. */
export const PAUSE_ENV = 'PLUMB_PAUSE_OUTPUT_AT';

export function registerCompile(program: Command, ctx: CommandContext): void {
  program
    .command('compile')
    .description('compile an intent into the network model (and device configurations)')
    .argument('<paths...>', '.plumb files, or directories of them, that form one intent')
    .option('--emit <what>', 'print to stdout instead of writing files: model (the network model as JSON)')
    .option('-o, --out <dir>', 'write each device\'s configuration to DIR/<site>/<device>/ and DIR/manifest.json (only files Plumb wrote there are replaced)')
    .option('--no-validate', 'with -o: skip reading each device\'s files back and proving them equivalent to the model')
    .option('--follow-symlink', 'with -o: when DIR is a symbolic link, write into its target')
    .option('--lock-wait <seconds>', 'with -o: how long to wait for another compile writing DIR', '10')
    .option('--previous <dir>', 'with -o: an earlier output folder; also write, per device, the files that turn it into the new version (docs/deploy.md)')
    .action(async (paths: string[], opts: CompileOptions) => {
      ctx.setExit(await runCompile(paths, opts, ctx));
    });
}

export interface CompiledSources {
  sources: SourceText[];
  model: NetworkModel;
  diagnostics: Diagnostic[];
  /** The allocation lock these addresses call for (written by `-o`). */
  lock: LockUpdate;
}

/**
 * Reads, checks and compiles one intent, printing every diagnostic to stderr. Returns the model,
 * or the exit code when the intent has errors (checker or compiler).
 */
export function compileSources(paths: readonly string[], ctx: CommandContext): CompiledSources | ExitCode {
  const sources = readSources(paths, ctx.io.cwd);
  const compiled = compileIntent(sources);
  const color = ctx.io.isTTY && !ctx.io.env.NO_COLOR;
  if (compiled.diagnostics.length > 0) ctx.io.stderr(renderText(compiled.diagnostics, sources, { color }));
  if (!compiled.model || !compiled.intent || !compiled.allocations) return ExitCode.failed;
  const lock = lockUpdate(sources, compiled.intent, compiled.allocations, displayPath(lockPath(paths, ctx.io.cwd), ctx.io.cwd));
  return { sources, model: compiled.model, diagnostics: compiled.diagnostics, lock };
}

export async function runCompile(paths: readonly string[], opts: CompileOptions, ctx: CommandContext): Promise<ExitCode> {
  if (opts.emit === undefined && opts.out === undefined) {
    throw new UsageError('nothing to emit', 'use -o DIR to write the configurations, or --emit model to print the network model');
  }
  if (opts.emit !== undefined && opts.out !== undefined) {
    throw new UsageError('--emit and -o exclude each other', 'run the command once for each');
  }
  if (opts.previous !== undefined && opts.out === undefined) {
    throw new UsageError('--previous needs -o DIR', 'the delta files are written beside the configurations, e.g. -o out --previous out');
  }
  if (opts.out !== undefined) return emitToFolder(paths, opts.out, opts, ctx);
  if (opts.emit === undefined || !(EMITS as readonly string[]).includes(opts.emit)) {
    throw new UsageError(`unknown --emit value \`${opts.emit}\``, `use one of: ${EMITS.join(', ')}`);
  }
  const compiled = compileSources(paths, ctx);
  if (typeof compiled === 'number') return compiled;
  await emitToStdout(opts.emit as Emit, compiled, ctx);
  return ExitCode.ok;
}

/**
 * `-o DIR`: every device's files and the manifest (backends/output-write.ts). DIR is checked
 * before compiling (where it is, what it holds) so that a refusal costs nothing; the write
 * checks its contents again under the folder's lock.
 */
async function emitToFolder(paths: readonly string[], shown: string, opts: CompileOptions, ctx: CommandContext): Promise<ExitCode> {
  const lockWaitText = (opts.lockWait ?? '10').trim();
  const lockWait = /^\d+(?:\.\d+)?$/.test(lockWaitText) ? Number(lockWaitText) : Number.NaN;
  if (!(lockWait >= 0 && lockWait <= 3600)) {
    throw new UsageError(
      `invalid --lock-wait \`${opts.lockWait}\`: give a number of seconds from 0 to 3600`,
      'e.g. --lock-wait 30, or 0 to give up at once when another compile is writing the folder',
    );
  }
  const where = outputLocationProblem(resolve(ctx.io.cwd, shown), shown, {
    sources: paths.map((p) => resolve(ctx.io.cwd, p)),
    cwd: ctx.io.cwd,
    ...(ctx.io.env.HOME ? { home: ctx.io.env.HOME } : {}),
    followSymlink: opts.followSymlink === true,
  });
  if ('problem' in where) throw new UsageError(where.problem.message, where.problem.hint);
  const dir = where.dir;
  const problem = replaceableProblem(dir, shown);
  if (problem) throw new UsageError(problem.message, problem.hint);
  // Read (and checked) before anything is written: the previous output may be DIR itself.
  const previous = opts.previous === undefined ? undefined : readPrevious(opts.previous, ctx);
  const compiled = compileSources(paths, ctx);
  if (typeof compiled === 'number') return compiled;
  // The secrets' values are read (api/compile.ts); one that cannot be read stops the run, with
  // its errors, before anything is written.
  const secrets = secretValues(compiled.model, { env: ctx.io.env, cwd: ctx.io.cwd });
  if (secrets.diagnostics.length > 0) ctx.io.stderr(renderText(secrets.diagnostics, compiled.sources, { color: ctx.io.isTTY && !ctx.io.env.NO_COLOR }));
  if (!secrets.values) {
    ctx.io.stderr(`nothing written: ${visibleText(shown)} is unchanged\n`);
    return ExitCode.failed;
  }
  const unsupported = unsupportedDevices(compiled.model);
  if (unsupported.length > 0) {
    for (const d of unsupported) ctx.io.stderr(`error: no backend renders platform ${d.platform} (device ${d.id}) yet\n`);
    ctx.io.stderr(`nothing written: ${visibleText(shown)} is unchanged\n`);
    return ExitCode.failed;
  }
  const validate = opts.validate !== false;
  if (!validate) ctx.io.stderr('warning: --no-validate: the rendered files were not read back and proven equivalent to the model\n');
  // Device by device: rendered, validated and put down in DIR's pending folder (pipeline/write-output.ts).
  const output = await writeErrors(shown, () =>
    renderIntoFolder(compiled.model, compiled.sources, { dir, shown, secrets: secrets.values!, validate, ...(previous ? { previous } : {}) }),
  );
  if (!output.ok) {
    const report =
      `internal error: translation validation failed: a rendered configuration does not behave as its model.\n` +
      `This is a bug in Plumb, not in your intent. Please report it at ${ISSUES_URL} with the command line and the input files.\n` +
      output.validation.report;
    // File names in the report are the user's: shown with visible escapes, line by line.
    ctx.io.stderr(report.split('\n').map(visibleText).join('\n'));
    ctx.io.stderr(`nothing written: ${visibleText(shown)} is unchanged\n`);
    return ExitCode.internal;
  }
  if (output.validation) {
    const s = output.validation;
    ctx.io.stderr(
      `validated ${s.devices} device${s.devices === 1 ? '' : 's'}: read back, ${s.lists} rule lists equal to the model ` +
        `(${s.identical} rule for rule, ${s.lists - s.identical} proven by Z3 in ${s.queries} queries); interfaces, routes and sessions equal\n`,
    );
  }
  const step = pauseHook(ctx);
  step?.('rendered'); // every device is in the pending folder; the lock is not taken yet
  const report = await writeErrors(shown, async () =>
    output.write({
      lockWaitMs: lockWait * 1000,
      onWait: (owner) =>
        ctx.io.stderr(`waiting for another plumb compile${owner ? ` (pid ${owner.pid})` : ''} to finish writing ${visibleText(shown)}\n`),
      step,
      ...(previous && sameFolder(resolve(ctx.io.cwd, opts.previous!), dir) ? { expectManifest: previous.manifestSha256 } : {}),
    }),
  );
  if (report.recovered) {
    const { pid, outcome } = report.recovered;
    ctx.io.stderr(
      outcome === 'finished'
        ? `note: finished the interrupted compile (pid ${pid}) that had already committed ${visibleText(shown)}\n`
        : `note: rolled back the interrupted compile (pid ${pid}) of ${visibleText(shown)} to the previous output\n`,
    );
  }
  for (const stale of report.removedStale) ctx.io.stderr(`note: removed ${visibleText(stale)}, left by an interrupted run\n`);
  if (report.unfinished) {
    ctx.io.stderr(`warning: the output is written, but cleaning up after it failed (${report.unfinished}); the next plumb compile -o ${visibleText(shown)} finishes it\n`);
  }
  const files = output.devices.reduce((n, d) => n + d.files.length, 0);
  const deltas = output.devices.reduce((n, d) => n + (d.delta?.files.length ?? 0), 0);
  const deltaText = previous ? `, ${deltas} delta file${deltas === 1 ? '' : 's'}` : '';
  ctx.io.stdout(`wrote ${output.devices.length} devices (${files} files${deltaText}) and ${visibleText(shown)}/manifest.json\n`);
  if (previous) ctx.io.stdout(deltaSummary(output.devices, output.manifest, previous, opts.previous!));
  return writeAllocationLock(compiled.lock, ctx);
}

/**
 * The configurations just written hold these addresses: plumb.lock records them, so that the
 * next edit keeps them. A lock that cannot be written leaves the output good, and says so.
 */
function writeAllocationLock(update: LockUpdate, ctx: CommandContext): ExitCode {
  const shown = visibleText(update.path);
  try {
    if (!writeLock(update, { cwd: ctx.io.cwd })) return ExitCode.ok;
  } catch (err) {
    ctx.io.stderr(
      `error: the configurations are written, but ${shown} is not (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})\n  = help: make the intent's folder writable and run \`plumb lock\`: until then, an edit may renumber devices\n`,
    );
    return ExitCode.usage;
  }
  const lines = lockChangeLines(update.changes).map((l) => `${visibleText(l)}\n`).join('');
  ctx.io.stdout(`wrote ${shown} (${lockChangeSummary(update.changes)})\n${lines}`);
  return ExitCode.ok;
}

/** `--previous OLD_DIR`: the previous output, read and checked; a usage error (exit 2) when it is not one. */
function readPrevious(shown: string, ctx: CommandContext): PreviousOutput {
  const read = readPreviousOutput(resolve(ctx.io.cwd, shown), shown);
  if ('problem' in read) throw new UsageError(read.problem.message, read.problem.hint);
  return read.previous;
}

function sameFolder(a: string, b: string): boolean {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return false;
  }
}

/** What changed against the previous output, device by device (docs/cli.md). */
function deltaSummary(devices: readonly FolderDevice[], manifest: Manifest, old: PreviousOutput, shownPrevious: string): string {
  const previous = manifest.previous!;
  const count = (status: string) => devices.filter((d) => d.delta?.status === status).length;
  const changed = count('changed') + count('full');
  const lines = [
    `deltas over ${visibleText(shownPrevious)}/manifest.json (sha256 ${previous.manifest}): ` +
      `${changed} changed, ${count('unchanged')} unchanged, ${count('new')} new, ${previous.removed.length} removed`,
  ];
  const width = Math.max(0, ...devices.map((d) => d.id.length), ...previous.removed.map((d) => d.id.length));
  const row = (status: string, id: string, what: string) => `  ${status.padEnd(8)} ${visibleText(id).padEnd(width)}  ${what}`;
  for (const d of devices) {
    const id = d.id;
    if (d.delta?.status === 'changed') lines.push(row('changed', id, d.delta.files.map((f) => visibleText(f)).join(', ')));
    if (d.delta?.status === 'full') lines.push(row('changed', id, `${d.platform} writes no delta: apply the full configuration`));
    const was = old.manifest.devices.find((o) => o.id === id)?.platform;
    const what = was ? `was ${was}, now ${d.platform}` : 'new device';
    if (d.delta?.status === 'new') lines.push(row('new', id, `${what}: apply the full configuration`));
  }
  for (const d of previous.removed) {
    lines.push(row('removed', d.id, `no longer in the intent: its previous configuration stays on the device until it is removed`));
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Runs a step that writes into the output folder: a refusal of the folder is a usage error (exit
 * 2), and so is an I/O error, after which DIR holds the previous output.
 */
async function writeErrors<T>(shown: string, write: () => Promise<T> | T): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (err instanceof OutputFolderError) throw new UsageError(err.message, err.hint);
    const code = (err as NodeJS.ErrnoException).code;
    if (code === undefined) throw err;
    throw new UsageError(`cannot write ${shown}: ${code} (${(err as Error).message})`, `${shown} holds the previous output`);
  }
}

/** With PLUMB_PAUSE_OUTPUT_AT=<step>, the write says so on stderr and stops there for a minute. */
function pauseHook(ctx: CommandContext): ((step: string) => void) | undefined {
  const at = ctx.io.env[PAUSE_ENV];
  if (!at) return undefined;
  return (step) => {
    if (step !== at) return;
    ctx.io.stderr(`paused at ${step} (pid ${process.pid})\n`);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000);
  };
}

async function emitToStdout(what: Emit, compiled: CompiledSources, ctx: CommandContext): Promise<void> {
  if (what !== 'model') return;
  // written a megabyte or so at a time, each taken before the next: the whole text of a large
  // model is longer than a string may be
  let pending: string[] = [];
  let size = 0;
  for (const piece of modelJsonPieces(compiled.model)) {
    // a reader that stopped early takes nothing more: the rest is not made
    if (ctx.io.stdoutClosed?.()) return;
    pending.push(piece);
    size += piece.length;
    if (size < 1 << 20) continue;
    ctx.io.stdout(pending.join(''));
    await ctx.io.stdoutTaken?.();
    pending = [];
    size = 0;
  }
  ctx.io.stdout(pending.join(''));
}

/**
 * The model as the CLI prints it (and as golden files store it): `JSON.stringify(model, null, 2)`
 * and a line break, in pieces of at most one device member each.
 */
function* modelJsonPieces(model: NetworkModel): Generator<string> {
  yield* jsonChunks(model, 2, 3);
  yield '\n';
}
