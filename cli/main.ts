#!/usr/bin/env node
// The `plumb` executable. It runs the CLI's bundled build (dist/cli/bundle/, made by `npm run
// build`: one file for the start and one per command, a few dozen modules' worth of loading
// saved on every run) when it is there and not older than the CLI's modules, and the modules
// otherwise; see docs/performance/start-up.md. `check` and `compile`, the commands that start most
// often, run from their entries with V8's code cache when the build made them (cli/code-cache.ts).
// Node's compile cache is turned on where Node has one (22.1 and later). Without the bundle, the single-file build of the
// parser library (cli/load-hooks.ts) is used for every command but `--version`. A `compile` of a
// large intent (and a `check` or `verify` when PLUMB_SEMI_SPACE says so) first re-runs in a Node
// with a larger young generation (cli/young-generation.ts).

import { existsSync, statSync } from 'node:fs';
import * as nodeModule from 'node:module';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import type { LoadHookData } from './load-hooks.js';
import { builtinsFirst, flagsFor } from './v8-flags.js';
import { reExecuted, runWithSemiSpace, SEMI_SPACE_RESET, semiSpaceFor } from './young-generation.js';

type Start = typeof import('./start.js');

const argv = process.argv.slice(2);
const loader = nodeModule as { enableCompileCache?: () => unknown; register?: typeof nodeModule.register };
const bundled = new URL('./bundle/start.js', import.meta.url);
const modulesTime = statSync(fileURLToPath(new URL('./start.js', import.meta.url)), { throwIfNoEntry: false })?.mtimeMs;

// A large intent's run in a Node with a larger young generation (cli/young-generation.ts),
// decided from the sizes of its files before anything else is loaded; this process then only waits for it.
// The process so started sets the flag back to its default at once: the heap keeps its size, and
// Node's compiled built-ins and the entries' code caches match V8's flags again.
if (reExecuted(process.env)) {
  setFlagsFromString(SEMI_SPACE_RESET);
  await runHere();
} else {
  const semiSpaceMb = semiSpaceFor(argv, process.env, process.execArgv, process.cwd());
  if (semiSpaceMb === undefined || !(await runWithSemiSpace(fileURLToPath(import.meta.url), argv, semiSpaceMb))) await runHere();
}

async function runHere(): Promise<void> {
  // The built-ins the command is known to need are loaded first (cli/v8-flags.ts): once the flags
  // below are set, V8 refuses the compiled code Node ships for its built-in modules, and each one
  // loaded after that is compiled from its source.
  loadBuiltinsFirst(argv[0]);

  // The heap's growth and the tier-up budget (cli/v8-flags.ts), set before anything is allocated;
  // the entries' code caches are made under the same flags. The language server keeps V8's budget.
  setFlagsFromString(flagsFor(argv[0]));

  loader.enableCompileCache?.();
  let cli: Start | undefined;
  if (bundleIsCurrent()) {
    // The entries and their code caches are in a repository's build, not in the packed package:
    // a command runs from dist/cli/code-cache/COMMAND.cjs when the build wrote one
    // (CACHED_COMMANDS of cli/code-cache.ts; that module is loaded only then).
    const command = argv[0];
    if (command !== undefined && /^[a-z]+$/.test(command) && existsSync(fileURLToPath(new URL(`./code-cache/${command}.cjs`, import.meta.url)))) {
      cli = (await import('./code-cache.js')).loadCachedEntry(command, bundled.href, modulesTime ?? 0);
    }
    cli ??= (await import(bundled.href)) as Start;
  } else {
    if (!(argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V'))) useSingleFileParserLibrary();
    cli = await import('./start.js');
  }
  await cli.start(argv);
}

/** Whether the bundle is there and made after the modules: a `tsc` build alone (no bundle step)
 * rewrites the modules and leaves an older bundle behind. The packed package has the bundle only. */
function bundleIsCurrent(): boolean {
  const bundle = statSync(fileURLToPath(bundled), { throwIfNoEntry: false });
  if (!bundle) return false;
  return modulesTime === undefined || modulesTime <= bundle.mtimeMs;
}

function useSingleFileParserLibrary(): void {
  if (!loader.register) return;
  let chevrotain: string;
  try {
    chevrotain = new URL('../chevrotain.mjs', import.meta.resolve('chevrotain')).href;
  } catch {
    return;
  }
  if (!existsSync(fileURLToPath(chevrotain))) return;
  const data: LoadHookData = { chevrotain };
  loader.register('./load-hooks.js', import.meta.url, { data });
}

function loadBuiltinsFirst(command: string | undefined): void {
  const first = builtinsFirst(command);
  if (!first) return;
  const require = nodeModule.createRequire(import.meta.url);
  for (const name of first.modules) require(name);
  // A standard stream is made on its first use, with the modules it needs (a pipe's: node:net).
  for (const stream of first.streams) void process[stream];
}
