// Builds the commander program and runs one command line in-process. Commands register
// themselves from cli/commands/, loaded only when the command line needs them (commandsFor); each
// returns its exit code instead of calling process.exit,
// so the same code runs under `npx plumb` and in tests. Messages on stderr quote command-line
// arguments and file names: they are shown through visibleText, never raw.

import { Command, CommanderError } from 'commander';
import { visibleText } from '../language/safe-text.js';
import type { InputError } from '../pipeline/sources.js';
import { ExitCode, UsageError, type CliIo } from './io.js';
import { COMMANDS, type CommandEntry } from './commands/index.js';

export const ISSUES_URL = 'https://github.com/plumb-network/plumb/issues';
export const VERSION = '0.1.0';

/** What a command's action gets: the I/O and a place to put its exit code. */
export interface CommandContext {
  io: CliIo;
  setExit(code: ExitCode): void;
}

export type CommandRegistrar = (program: Command, ctx: CommandContext) => void;

export async function run(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  let exit: ExitCode = ExitCode.ok;
  const ctx: CommandContext = {
    io,
    setExit: (code) => {
      exit = Math.max(exit, code) as ExitCode;
    },
  };
  const program = new Command('plumb')
    .description('Network intent compiler and verifier')
    .version(VERSION, '-V, --version')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout(s),
      writeErr: (s) => io.stderr(visibleLines(s)),
    })
    .showHelpAfterError('(run plumb --help for usage)');
  for (const entry of commandsFor(argv)) (await entry.load())(program, ctx);
  program.commands.forEach((c) => c.exitOverride());
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exit;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end here with exit code 0.
      return err.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    }
    if (err instanceof UsageError || (await isInputError(err))) {
      const { message, hint } = err as UsageError | InputError;
      io.stderr(`error: ${visibleText(message)}\n`);
      if (hint) io.stderr(`  = help: ${visibleText(hint)}\n`);
      return ExitCode.usage;
    }
    const detail = err instanceof Error ? (err.stack ?? err.message) : String(err);
    io.stderr(
      `internal error: this is a bug in Plumb, not in your intent.\n` +
        `Please report it at ${ISSUES_URL} with the command line and the input files.\n\n${visibleLines(detail)}\n`,
    );
    return ExitCode.internal;
  }
}

/** The commands a command line needs registered: the one its first word names, none for
 * `--version` alone, and all of them otherwise (the help lists them, an unknown name gets its
 * did-you-mean). */
export function commandsFor(argv: readonly string[]): readonly CommandEntry[] {
  const entry = COMMANDS.find((c) => c.name === argv[0]);
  if (entry) return [entry];
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) return [];
  return COMMANDS;
}

/** Whether the pipeline could not read the intent's files. Its module (and the parser it
 * imports) is loaded here only when an error gets this far: `plumb --version` loads neither. */
async function isInputError(err: unknown): Promise<boolean> {
  const { InputError } = await import('../pipeline/sources.js');
  return err instanceof InputError;
}

/** Multi-line text with its line breaks kept and everything else a terminal acts on escaped. */
function visibleLines(text: string): string {
  return text.split('\n').map(visibleText).join('\n');
}
