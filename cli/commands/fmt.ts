// `plumb fmt [--check] FILE|DIR...`: rewrites .plumb files in the one canonical layout
// (language/format.ts). Files are written atomically (a temporary file in the same directory,
// then a rename) and only when their text changes. `--check` writes nothing: it lists the files
// that would change and exits 1 if there are any. A file with syntax errors is never touched:
// its diagnostics are printed and the exit code is 1. Unreadable input exits 2.

import { renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { Diagnostic } from '../../language/diagnostic.js';
import { formatText } from '../../language/format.js';
import { renderText } from '../../language/render.js';
import { ExitCode, UsageError } from '../io.js';
import type { CommandContext } from '../program.js';
import { readSources, type SourceText } from '../sources.js';

export function registerFmt(program: Command, ctx: CommandContext): void {
  program
    .command('fmt')
    .description('format .plumb files in the canonical layout (keeps every comment)')
    .argument('<paths...>', '.plumb files, or directories of them')
    .option('--check', 'write nothing; list the files that would change and exit 1 if any')
    .action((paths: string[], opts: { check?: boolean }) => {
      ctx.setExit(runFmt(paths, opts.check === true, ctx));
    });
}

export function runFmt(paths: readonly string[], check: boolean, ctx: CommandContext): ExitCode {
  const sources = readSources(paths, ctx.io.cwd);
  let exit: ExitCode = ExitCode.ok;
  const broken: Diagnostic[] = [];
  const brokenSources: SourceText[] = [];
  for (const source of sources) {
    const result = formatText(source.text, source.path);
    if (result.text === undefined) {
      broken.push(...result.diagnostics);
      brokenSources.push(source);
      exit = ExitCode.failed;
      continue;
    }
    if (result.text === source.text) continue;
    if (!check) writeAtomically(resolve(ctx.io.cwd, source.path), source.path, result.text);
    else exit = ExitCode.failed;
    ctx.io.stdout(`${source.path}\n`);
  }
  if (broken.length > 0) {
    const color = ctx.io.isTTY && !ctx.io.env.NO_COLOR;
    ctx.io.stderr(renderText(broken, brokenSources, { color }));
  }
  return exit;
}

function writeAtomically(abs: string, shown: string, text: string): void {
  const temp = `${abs}.fmt-${process.pid}.tmp`;
  try {
    writeFileSync(temp, text, { mode: statSync(abs).mode & 0o7777 });
    renameSync(temp, abs);
  } catch (err) {
    rmSync(temp, { force: true });
    throw new UsageError(`cannot write ${shown}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
}
