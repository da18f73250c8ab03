// `plumb check FILE|DIR... [--format text|json|sarif|junit|github]`: every check short of
// rendering configs and proving: parse, resolve and check one intent, compile it to the network
// model (the compiler's errors and warnings), and lint that model as `plumb verify` does (no
// solver). Prints the diagnostics (in CI formats as `plumb verify` writes them, without
// verdicts). Exit 0 when there is no error (warnings allowed), 1 with errors, 2 when the input
// cannot be read or the usage is wrong.

import type { Command } from 'commander';
import { hasErrors } from '../../language/diagnostic.js';
import { renderJson, renderText } from '../../language/render.js';
import { ExitCode, UsageError } from '../io.js';
import { VERSION, type CommandContext } from '../program.js';
import { checkSources } from '../../api/analyze.js';
import { readSources } from '../../pipeline/sources.js';

const FORMATS = ['text', 'json', 'sarif', 'junit', 'github'] as const;
type Format = (typeof FORMATS)[number];

export function registerCheck(program: Command, ctx: CommandContext): void {
  program
    .command('check')
    .description('check an intent without proving it: syntax, names, addresses, values, platforms, the compiler\'s checks and the network lint')
    .argument('<paths...>', '.plumb files, or directories of them, that form one intent')
    .option('--format <format>', 'output format: text, json, sarif, junit or github', 'text')
    .action(async (paths: string[], opts: { format: string }) => {
      ctx.setExit(await runCheck(paths, opts.format, ctx));
    });
}

export async function runCheck(paths: readonly string[], formatText: string, ctx: CommandContext): Promise<ExitCode> {
  if (!(FORMATS as readonly string[]).includes(formatText)) {
    throw new UsageError(`unknown format \`${formatText}\``, `use one of: ${FORMATS.join(', ')}`);
  }
  const format = formatText as Format;
  const sources = readSources(paths, ctx.io.cwd);
  // The front end, the compiler and the lint that `plumb verify` runs on the compiled model
  // (api/analyze.ts): a clean check means compile and verify warn of nothing more than the
  // proofs themselves.
  const { diagnostics } = checkSources(sources);
  const color = ctx.io.isTTY && !ctx.io.env.NO_COLOR;
  if (format === 'text' || format === 'json') {
    ctx.io.stdout(format === 'json' ? renderJson(diagnostics) : renderText(diagnostics, sources, { color }));
  } else {
    // The CI formats carry the diagnostics only: check proves nothing. Their writers (SARIF,
    // JUnit, GitHub annotations) load only when asked for: the text check is the one that starts often.
    const { emptyReport, renderReport } = await import('../report/render.js');
    ctx.io.stdout(renderReport(format, { report: emptyReport(), diagnostics: [...diagnostics], sources, unverified: [], color: false, cwd: ctx.io.cwd, version: VERSION }));
  }
  return hasErrors(diagnostics) ? ExitCode.failed : ExitCode.ok;
}
