// `plumb compile FILE|DIR... --emit model`: check the intent, compile it, and print the network
// model as JSON (2-space indented, deterministic). `-o DIR` writes every device's configuration
// files instead (backends/output.ts), once cli/validate.ts has read them back and proven them
// equivalent to the model (`--no-validate` skips that). Diagnostics go to stderr. Exit 0 when
// there is no error (warnings allowed), 1 with errors in the intent or the compilation, 2 for
// usage, 3 when the validation fails (a bug in Plumb; nothing is written).
//
// `compileSources` is the shared front half (read, check, compile, report); each output (the
// model on stdout, configuration files in a folder) is one `emit*` function after it.

import { resolve } from 'node:path';
import type { Command } from 'commander';
import { compile } from '../../compiler/index.js';
import type { NetworkModel } from '../../compiler/model.js';
import { analyze } from '../../language/analyze.js';
import { hasErrors, type Diagnostic } from '../../language/diagnostic.js';
import { renderText } from '../../language/render.js';
import { ExitCode, UsageError } from '../io.js';
import type { CommandContext } from '../program.js';
import { readSources, type SourceText } from '../sources.js';
import { renderOutput, replaceableProblem, writeOutput } from '../../backends/output.js';
import { validateBeforeWrite } from '../validate.js';

const EMITS = ['model'] as const;
type Emit = (typeof EMITS)[number];

export interface CompileOptions {
  emit?: string;
  out?: string;
  /** False with --no-validate: skip reading the rendered files back (cli/validate.ts). */
  validate?: boolean;
}

export function registerCompile(program: Command, ctx: CommandContext): void {
  program
    .command('compile')
    .description('compile an intent into the network model (and device configurations)')
    .argument('<paths...>', '.plumb files, or directories of them, that form one intent')
    .option('--emit <what>', 'print to stdout instead of writing files: model (the network model as JSON)')
    .option('-o, --out <dir>', 'write each device\'s configuration to DIR/<site>/<device>/ and DIR/manifest.json (atomically)')
    .option('--no-validate', 'with -o: skip reading each device\'s files back and proving them equivalent to the model')
    .action(async (paths: string[], opts: CompileOptions) => {
      ctx.setExit(await runCompile(paths, opts, ctx));
    });
}

export interface Compiled {
  sources: SourceText[];
  model: NetworkModel;
  diagnostics: Diagnostic[];
}

/**
 * Reads, checks and compiles one intent, printing every diagnostic to stderr. Returns the model,
 * or the exit code when the intent has errors (checker or compiler).
 */
export function compileSources(paths: readonly string[], ctx: CommandContext): Compiled | ExitCode {
  const sources = readSources(paths, ctx.io.cwd);
  const analysis = analyze(sources);
  const color = ctx.io.isTTY && !ctx.io.env.NO_COLOR;
  const report = (diags: readonly Diagnostic[]) => {
    if (diags.length > 0) ctx.io.stderr(renderText(diags, sources, { color }));
  };
  if (!analysis.intent) {
    report(analysis.diagnostics);
    return ExitCode.failed;
  }
  const { model, diagnostics } = compile(analysis.intent);
  const all = [...analysis.diagnostics, ...diagnostics];
  report(all);
  if (hasErrors(all)) return ExitCode.failed;
  return { sources, model, diagnostics: all };
}

export async function runCompile(paths: readonly string[], opts: CompileOptions, ctx: CommandContext): Promise<ExitCode> {
  if (opts.emit === undefined && opts.out === undefined) {
    throw new UsageError('nothing to emit', 'use -o DIR to write the configurations, or --emit model to print the network model');
  }
  if (opts.emit !== undefined && opts.out !== undefined) {
    throw new UsageError('--emit and -o exclude each other', 'run the command once for each');
  }
  if (opts.out !== undefined) return emitToFolder(paths, resolve(ctx.io.cwd, opts.out), opts.out, opts.validate !== false, ctx);
  if (opts.emit === undefined || !(EMITS as readonly string[]).includes(opts.emit)) {
    throw new UsageError(`unknown --emit value \`${opts.emit}\``, `use one of: ${EMITS.join(', ')}`);
  }
  const compiled = compileSources(paths, ctx);
  if (typeof compiled === 'number') return compiled;
  emitToStdout(opts.emit as Emit, compiled, ctx);
  return ExitCode.ok;
}

/** `-o DIR`: every device's files and the manifest, written atomically; DIR is unchanged on failure. */
async function emitToFolder(paths: readonly string[], dir: string, shown: string, validate: boolean, ctx: CommandContext): Promise<ExitCode> {
  const problem = replaceableProblem(dir);
  if (problem) throw new UsageError(problem, 'choose another folder, or remove it');
  const compiled = compileSources(paths, ctx);
  if (typeof compiled === 'number') return compiled;
  const output = renderOutput(compiled.model, compiled.sources);
  if (output.unsupported.length > 0) {
    for (const d of output.unsupported) ctx.io.stderr(`error: no backend renders platform ${d.platform} (device ${d.id}) yet\n`);
    ctx.io.stderr(`nothing written: ${shown} is unchanged\n`);
    return ExitCode.failed;
  }
  const invalid = await validateBeforeWrite(output, shown, validate, ctx.io);
  if (invalid !== undefined) return invalid;
  try {
    writeOutput(dir, output);
  } catch (err) {
    throw new UsageError(`cannot write ${shown}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, `${shown} is unchanged`);
  }
  const files = output.devices.reduce((n, d) => n + d.files.length, 0);
  ctx.io.stdout(`wrote ${output.devices.length} devices (${files} files) and ${shown}/manifest.json\n`);
  return ExitCode.ok;
}

function emitToStdout(what: Emit, compiled: Compiled, ctx: CommandContext): void {
  if (what === 'model') ctx.io.stdout(modelJson(compiled.model));
}

/** The model as the CLI prints it (and as golden files store it). */
export function modelJson(model: NetworkModel): string {
  return `${JSON.stringify(model, null, 2)}\n`;
}
