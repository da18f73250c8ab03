// `plumb lock FILE|DIR... [--check] [--from OUT]`: writes the intent's allocation lock
// (plumb.lock) with the addresses the compiler allocates now, and prints what moved, was added
// or was removed (docs/language.md, "Allocation and plumb.lock"). `--check` writes nothing and
// exits 1 when the file is not what it would write: for CI, so that a change that renumbers is
// seen in review. `--from OUT` records the addresses an output folder's devices carry instead.

import type { Command } from 'commander';
import { lockSources, writeLock } from '../../api/lock.js';
import { displayPath, lockPath, readSources } from '../../pipeline/sources.js';
import { lockChangeLines, lockChangeSummary } from '../../pipeline/lock.js';
import { renderText } from '../../language/render.js';
import { Codes } from '../../language/diagnostics/index.js';
import { ExitCode, UsageError } from '../io.js';
import type { CommandContext } from '../program.js';
import { visibleText } from '../../language/safe-text.js';

export function registerLock(program: Command, ctx: CommandContext): void {
  program
    .command('lock')
    .description('write plumb.lock, the addresses allocated from the pools, so that edits never renumber the rest')
    .argument('<paths...>', '.plumb files, or directories of them, that form one intent')
    .option('--check', 'write nothing; exit 1 when plumb.lock is missing or not what it would be')
    .option('--from <dir>', 'record the addresses the devices of an output folder of plumb compile -o carry (one compiled without a lock keeps its addresses)')
    .action((paths: string[], opts: { check?: boolean; from?: string }) => {
      ctx.setExit(runLock(paths, opts.check === true, ctx, opts.from));
    });
}

export function runLock(paths: readonly string[], check: boolean, ctx: CommandContext, from?: string): ExitCode {
  const read = readSources(paths, ctx.io.cwd);
  const result = lockSources(read, displayPath(lockPath(paths, ctx.io.cwd), ctx.io.cwd), from === undefined ? undefined : { dir: from, cwd: ctx.io.cwd });
  if (result.inputProblem) throw new UsageError(result.inputProblem.message, result.inputProblem.hint);
  const sources = result.sources;
  const color = ctx.io.isTTY && !ctx.io.env.NO_COLOR;
  // The errors that stop it and the addresses that move; the intent's other warnings are
  // `plumb check`'s to print.
  const shownDiagnostics = result.diagnostics.filter((d) => d.severity === 'error' || d.code === Codes.lockedAddressMoved);
  if (shownDiagnostics.length > 0) ctx.io.stderr(renderText(shownDiagnostics, sources, { color }));
  const update = result.lock;
  if (!update) return ExitCode.failed;
  if (result.recorded) ctx.io.stdout(`recorded ${result.recorded.found} of ${result.recorded.of} addresses from ${visibleText(from!)}\n`);
  const shown = visibleText(update.path);
  if (!update.changed) {
    ctx.io.stdout(`${shown} is up to date\n`);
    return ExitCode.ok;
  }
  const summary = lockChangeSummary(update.changes);
  const lines = lockChangeLines(update.changes).map((l) => `${visibleText(l)}\n`).join('');
  if (check) {
    ctx.io.stdout(`${shown} is out of date (${summary})\n${lines}`);
    ctx.io.stderr(`error: ${shown} is not what \`plumb lock\` would write\n  = help: run \`plumb lock\` (or \`plumb compile -o\`) and commit ${shown}\n`);
    return ExitCode.failed;
  }
  try {
    writeLock(update, { cwd: ctx.io.cwd });
  } catch (err) {
    throw new UsageError(`cannot write ${shown}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, 'the lock is written beside the intent: make its folder writable');
  }
  ctx.io.stdout(`wrote ${shown} (${summary})\n${lines}`);
  return ExitCode.ok;
}
