// `plumb diff OLD NEW` and `plumb diff --git BASE [HEAD] [-- PATH...]`: what a change of the
// intent lets through or cuts off, which assertions change verdict, which routes and which
// configuration files change (pipeline/diff.ts). With --git each side is the intent at a
// revision of the git repository around the working directory (HEAD absent: the working tree),
// read with `git ls-tree` and `git show`, run with argument arrays and bounded output.
// Exit 0, or 1 when --fail-on names something that happened, or when either side's intent has
// errors; 2 for bad usage or unreadable input (an unknown revision included).

import { execFile } from 'node:child_process';
import { posix } from 'node:path';
import type { Command } from 'commander';
import { renderText } from '../../language/render.js';
import { diffHas, diffIntents, type DiffSide } from '../../pipeline/diff.js';
import {
  firstInvalidUtf8,
  MAX_SOURCE_BYTES,
  MAX_SOURCE_FILES,
  MAX_TOTAL_SOURCE_BYTES,
  readSources,
  type SourceText,
} from '../../pipeline/sources.js';
import { ExitCode, UsageError } from '../io.js';
import { parseSecondsOption, VERIFY_TIMEOUT } from '../options.js';
import type { CommandContext } from '../program.js';
import { diffErrorsJson, diffJson, readSide } from '../../api/diff.js';
import { wellFormedJson } from '../../language/safe-text.js';
import { LOCK_FILE_NAME } from '../../language/lock.js';
import { renderDiffMarkdown } from '../report/diff-markdown.js';
import { renderDiffText } from '../report/diff-text.js';

const FORMATS = ['text', 'json', 'markdown'] as const;
const FAIL_ON = ['new-flows', 'lost-flows', 'any-change'] as const;
type FailOn = (typeof FAIL_ON)[number];

export interface DiffCommandOptions {
  format: string;
  git?: string;
  failOn?: string;
  timeout?: string;
}

export function registerDiff(program: Command, ctx: CommandContext): void {
  program
    .command('diff')
    .description(
      'what a change of the intent lets through or cuts off: flows, assertions, routes and configs of OLD and NEW',
    )
    .usage('OLD NEW [options]  |  --git BASE [HEAD] [-- PATH...]')
    .argument(
      '[sides...]',
      'OLD and NEW: each a .plumb file or a directory of them; with --git: HEAD (default: the working tree)',
    )
    .option('--git <base>', 'compare the intent at git revision BASE with HEAD (or the working tree)')
    .option('--format <format>', 'output format: text, json or markdown', 'text')
    .option('--fail-on <what>', 'exit 1 when there are: new-flows, lost-flows or any-change')
    .option('--timeout <seconds>', 'time limit per solver query, in seconds (0.001 to 86400)', '30')
    .action(async (sides: string[], opts: DiffCommandOptions, cmd: Command) => {
      ctx.setExit(await runDiff(sides, opts, ctx, argumentsAfterDashes(cmd)));
    });
}

/**
 * The operands after `--` on the command line: commander merges them into the others, and keeps
 * the command line as given in the program's `rawArgs` (not in its types).
 */
function argumentsAfterDashes(cmd: Command): string[] | undefined {
  const raw = (cmd.parent as { rawArgs?: unknown } | null)?.rawArgs;
  if (!Array.isArray(raw)) return undefined;
  const at = raw.indexOf('--');
  return at < 0 ? undefined : raw.slice(at + 1);
}

export async function runDiff(
  sides: readonly string[],
  opts: DiffCommandOptions,
  ctx: CommandContext,
  afterDashes?: readonly string[],
): Promise<ExitCode> {
  if (!(FORMATS as readonly string[]).includes(opts.format))
    throw new UsageError(`unknown format \`${opts.format}\``, `use one of: ${FORMATS.join(', ')}`);
  if (opts.failOn !== undefined && !(FAIL_ON as readonly string[]).includes(opts.failOn)) {
    throw new UsageError(`unknown --fail-on \`${opts.failOn}\``, `use one of: ${FAIL_ON.join(', ')}`);
  }
  const timeoutMs = parseSecondsOption(opts.timeout ?? '30', VERIFY_TIMEOUT);
  const [oldSide, newSide] =
    opts.git !== undefined
      ? await gitSides(opts.git, sides, afterDashes, ctx.io.cwd)
      : pathSides(sides, ctx.io.cwd);
  const labels = { old: oldSide.label, new: newSide.label };
  const result = await diffIntents(oldSide, newSide, { timeoutMs });
  if (!result.ok) {
    if (opts.format === 'json')
      ctx.io.stdout(`${wellFormedJson(diffErrorsJson(result.old.diagnostics, result.new.diagnostics, labels))}\n`);
    else {
      const color = opts.format === 'text' && ctx.io.isTTY && !ctx.io.env.NO_COLOR;
      const side = (name: string, side: DiffSide, diags: typeof result.old.diagnostics): string =>
        diags.length === 0 ? '' : `${name} (${side.label}):\n${renderText(diags, side.sources, { color })}`;
      const text = `${side('errors in OLD', oldSide, result.old.model ? [] : result.old.diagnostics)}${side('errors in NEW', newSide, result.new.model ? [] : result.new.diagnostics)}`;
      ctx.io.stdout(
        opts.format === 'markdown'
          ? `### plumb diff: the intent has errors\n\n\`\`\`\`text\n${text.replace(/````/g, '` ` ` `')}\`\`\`\`\n`
          : text,
      );
    }
    return ExitCode.failed;
  }
  const output =
    opts.format === 'json'
      ? `${wellFormedJson(diffJson(result.report, labels))}\n`
      : opts.format === 'markdown'
        ? renderDiffMarkdown(result.report, labels)
        : renderDiffText(result.report, labels);
  ctx.io.stdout(output);
  return opts.failOn !== undefined && diffHas(result.report, opts.failOn as FailOn)
    ? ExitCode.failed
    : ExitCode.ok;
}

function pathSides(sides: readonly string[], cwd: string): [DiffSide, DiffSide] {
  if (sides.length !== 2) {
    throw new UsageError(
      `plumb diff takes two sides, OLD and NEW (${sides.length} given)`,
      'e.g. plumb diff before/ after/, or plumb diff --git origin/main',
    );
  }
  // Each side's files named relative to it (api/diff.ts), so the same file on both sides has one name.
  return [pathSide(sides[0]!, cwd), pathSide(sides[1]!, cwd)];
}

function pathSide(path: string, cwd: string): DiffSide {
  const side = readSide(path, cwd, path);
  if ('inputProblem' in side) throw new UsageError(side.inputProblem.message, side.inputProblem.hint);
  return side;
}

async function gitSides(
  base: string,
  sides: readonly string[],
  afterDashes: readonly string[] | undefined,
  cwd: string,
): Promise<[DiffSide, DiffSide]> {
  const paths = afterDashes ?? [];
  const revisions = afterDashes ? sides.slice(0, sides.length - afterDashes.length) : sides;
  if (revisions.length > 1)
    throw new UsageError(
      `--git takes at most one more revision, HEAD (${revisions.length} given)`,
      'put paths after --: plumb diff --git main HEAD -- net/',
    );
  const head = revisions[0];
  const within = paths.length > 0 ? paths : ['.'];
  const oldSide: DiffSide = { label: base, sources: await gitSources(base, within, cwd) };
  const newSide: DiffSide =
    head === undefined
      ? { label: 'working tree', sources: readSources(within, cwd) }
      : { label: head, sources: await gitSources(head, within, cwd) };
  return [oldSide, newSide];
}

/** Largest listing `git ls-tree` may print (names of every file under the paths). */
const MAX_LISTING_BYTES = 16 * 1024 * 1024;

/** The intent files at a revision: every `*.plumb` file under the paths (or a path named exactly), by name, and the intent's plumb.lock. */
async function gitSources(rev: string, paths: readonly string[], cwd: string): Promise<SourceText[]> {
  if (rev.startsWith('-') || rev.length === 0)
    throw new UsageError(`invalid revision \`${rev}\``, 'give a branch, tag or commit, e.g. origin/main');
  await git(['rev-parse', '--verify', '--quiet', `${rev}^{commit}`], cwd, 4096).catch(() => {
    throw new UsageError(
      `unknown git revision \`${rev}\``,
      'fetch it first (e.g. git fetch origin main) or give a branch, tag or commit',
    );
  });
  const listing = (
    await git(['ls-tree', '-r', '-z', '--name-only', rev, '--', ...paths], cwd, MAX_LISTING_BYTES)
  ).toString('utf8');
  const names = listing
    .split('\0')
    .filter((n) => n !== '' && (n.endsWith('.plumb') || paths.includes(n)))
    .sort();
  if (names.length === 0)
    throw new UsageError(
      `no .plumb file at ${rev} under ${paths.join(', ')}`,
      "run plumb diff inside the intent's folder, or give its paths after --",
    );
  if (names.length > MAX_SOURCE_FILES)
    throw new UsageError(`more than ${MAX_SOURCE_FILES} intent files at ${rev}`);
  const sources: SourceText[] = [];
  let total = 0;
  for (const name of names) {
    const shown = `${rev}:${name}`;
    const buf = await git(['show', `${rev}:./${name}`], cwd, MAX_SOURCE_BYTES).catch((err: unknown) => {
      throw new UsageError(
        `cannot read ${shown}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`,
      );
    });
    total += buf.length;
    if (total > MAX_TOTAL_SOURCE_BYTES)
      throw new UsageError(`the intent at ${rev} is larger than ${MAX_TOTAL_SOURCE_BYTES} bytes`);
    if (firstInvalidUtf8(buf) < buf.length || buf.includes(0))
      throw new UsageError(`${shown} is not a UTF-8 text file`);
    sources.push({ path: name, text: buf.toString('utf8') });
  }
  // The allocation lock where plumb compile would read it at that revision (pipeline/sources.ts):
  // in the folder given, or beside the first file given.
  const first = posix.normalize(paths[0] ?? '.');
  const lockName = posix.normalize(posix.join(names.includes(first) ? posix.dirname(first) : first, LOCK_FILE_NAME));
  const lock = await git(['show', `${rev}:./${lockName}`], cwd, MAX_SOURCE_BYTES).catch(() => undefined);
  if (lock !== undefined) {
    total += lock.length;
    if (total > MAX_TOTAL_SOURCE_BYTES) throw new UsageError(`the intent at ${rev} is larger than ${MAX_TOTAL_SOURCE_BYTES} bytes`);
    if (firstInvalidUtf8(lock) < lock.length || lock.includes(0)) throw new UsageError(`${rev}:${lockName} is not a UTF-8 text file`);
    sources.push({ path: lockName, text: lock.toString('utf8') });
  }
  return sources;
}

/** Runs git with an argument array (no shell), its output bounded to `maxBytes`. */
function git(args: readonly string[], cwd: string, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      ['-c', 'core.quotePath=off', ...args],
      {
        cwd,
        encoding: 'buffer',
        maxBuffer: maxBytes,
        env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0' },
        windowsHide: true,
      },
      (err, stdout, stderr) => {
        if (err) {
          const code = (err as NodeJS.ErrnoException).code;
          if (code === 'ENOENT') reject(new UsageError('git is not installed (plumb diff --git runs git)'));
          else if (code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER')
            reject(new Error(`more than ${maxBytes} bytes`));
          else reject(new Error(stderr.toString('utf8').trim() || err.message));
        } else resolve(stdout);
      },
    );
  });
}
