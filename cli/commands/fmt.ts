// `plumb fmt [--check] FILE|DIR...`: rewrites .plumb files in the one canonical layout
// (language/format.ts). Files are written atomically (a temporary file in the same directory,
// then a rename) and only when their text changes. `--check` writes nothing: it lists the files
// that would change and exits 1 if there are any. A file with syntax errors is never touched:
// its diagnostics are printed and the exit code is 1. Unreadable input exits 2.
// A file named through a symbolic link is formatted where the link points (the link stays a
// link); a read-only file, or one whose folder cannot take the temporary file, is reported
// (exit 2) and the other files are still formatted. Temporary files that a killed run left
// beside a file it writes (`.NAME.fmt-<pid>.tmp`, or `NAME.fmt-<pid>.tmp` from earlier
// versions) are removed once their process is gone.

import { lstatSync, readdirSync, realpathSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { Diagnostic } from '../../language/diagnostic.js';
import { isRunning } from '../../backends/output-lock.js';
import { renderText } from '../../language/render.js';
import { visibleText } from '../../language/safe-text.js';
import { ExitCode } from '../io.js';
import type { CommandContext } from '../program.js';
import { displayPath, readSources, type SourceText } from '../../pipeline/sources.js';
import { formatSources } from '../../api/format.js';

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
  // The modules the files import are other teams' files: fmt formats only the files given.
  const sources = readSources(paths, ctx.io.cwd).filter((s) => !s.imported);
  let exit: ExitCode = ExitCode.ok;
  const broken: Diagnostic[] = [];
  const brokenSources: SourceText[] = [];
  const tidied = new Set<string>();
  for (const result of formatSources(sources)) {
    const source = result.source;
    if (result.text === undefined) {
      broken.push(...result.diagnostics);
      brokenSources.push(source);
      exit = Math.max(exit, ExitCode.failed) as ExitCode;
      continue;
    }
    if (result.text === source.text) continue;
    if (check) {
      exit = Math.max(exit, ExitCode.failed) as ExitCode;
    } else {
      const abs = resolve(ctx.io.cwd, source.path);
      removeStaleTemps(abs, tidied, ctx);
      const failure = writeAtomically(abs, source.path, result.text);
      if (failure) {
        ctx.io.stderr(`error: ${visibleText(failure.message)}\n  = help: ${visibleText(failure.hint)}\n`);
        exit = ExitCode.usage;
        continue;
      }
    }
    ctx.io.stdout(`${visibleText(source.path)}\n`);
  }
  if (broken.length > 0) {
    const color = ctx.io.isTTY && !ctx.io.env.NO_COLOR;
    ctx.io.stderr(renderText(broken, brokenSources, { color }));
  }
  return exit;
}

/** Once per folder: removes the temporary files of `plumb fmt` runs that were killed there. */
function removeStaleTemps(abs: string, tidied: Set<string>, ctx: CommandContext): void {
  let folder: string;
  let names: string[];
  try {
    folder = dirname(realpathSync(abs));
    if (tidied.has(folder)) return;
    tidied.add(folder);
    names = readdirSync(folder);
  } catch {
    return; // the write that follows reports the problem
  }
  for (const name of names.sort()) {
    const m = /^\.?.+\.plumb\.fmt-(\d+)\.tmp$/.exec(name);
    if (!m || isRunning({ pid: Number(m[1]) })) continue;
    try {
      if (!lstatSync(join(folder, name)).isFile()) continue;
      unlinkSync(join(folder, name));
      ctx.io.stderr(`note: removed ${visibleText(displayPath(join(folder, name), ctx.io.cwd))}, left by an interrupted plumb fmt\n`);
    } catch {
      /* gone meanwhile, or not ours to remove */
    }
  }
}

/**
 * Writes `text` over the file at `abs` (or the file its link points to) by a temporary file
 * beside it and a rename, keeping the permissions; says what went wrong instead of throwing.
 */
function writeAtomically(abs: string, shown: string, text: string): { message: string; hint: string } | undefined {
  let target = abs;
  let temp: string | undefined;
  try {
    target = realpathSync(abs);
    const mode = statSync(target).mode & 0o7777;
    if ((mode & 0o222) === 0) {
      return { message: `${shown} is read-only, so it was not formatted`, hint: `make it writable (chmod u+w ${shown}) to format it` };
    }
    temp = join(dirname(target), `.${basename(target)}.fmt-${process.pid}.tmp`);
    // 'wx': never write through a file or link that already has the temporary name.
    writeFileSync(temp, text, { mode, flag: 'wx' });
    renameSync(temp, target);
    return undefined;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    if (temp !== undefined && code !== 'EEXIST') rmSync(temp, { force: true });
    const where = target === abs ? 'its folder' : `${dirname(target)} (where the link points)`;
    return {
      message: `cannot write ${shown}: ${code}`,
      hint:
        code === 'EACCES' || code === 'EPERM' || code === 'EROFS'
          ? `fmt writes a temporary file beside the file and renames it into place, so ${where} must be writable`
          : `${shown} is unchanged`,
    };
  }
}
