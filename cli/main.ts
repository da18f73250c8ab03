#!/usr/bin/env node
// The `plumb` executable. It runs the CLI's bundled build (dist/cli/bundle/, made by `npm run
// build`: one file for the start and one per command, a few dozen modules' worth of loading
// saved on every run) when it is there and not older than the CLI's modules, and the modules
// otherwise; see docs/performance.md. Node's compile cache is turned on where Node has one (22.1
// and later). Without the bundle, the single-file build of the parser library
// (cli/load-hooks.ts) is used for every command but `--version`.

import { existsSync, statSync } from 'node:fs';
import * as nodeModule from 'node:module';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import type { LoadHookData } from './load-hooks.js';

type Start = typeof import('./start.js');

// V8 grows the heap by up to 4x its live size between collections when a program allocates fast,
// as compile and verify do: `compile -o` at 400 devices peaked at 2.5 GiB for a live heap near
// 1 GiB. Growing it by half at most keeps the peak near what is live (1.1 GiB there) for the same
// CPU time (docs/performance.md, "Memory"); it is no ceiling, so a larger intent still gets the
// heap it needs. Set before anything is allocated, for every command.
setFlagsFromString('--heap-growing-percent=50');

const argv = process.argv.slice(2);
const loader = nodeModule as { enableCompileCache?: () => unknown; register?: typeof nodeModule.register };
loader.enableCompileCache?.();
const bundled = new URL('./bundle/start.js', import.meta.url);
let cli: Start;
if (bundleIsCurrent()) {
  cli = (await import(bundled.href)) as Start;
} else {
  if (!(argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V'))) useSingleFileParserLibrary();
  cli = await import('./start.js');
}
await cli.start(argv);

/** Whether the bundle is there and made after the modules: a `tsc` build alone (no bundle step)
 * rewrites the modules and leaves an older bundle behind. The packed package has the bundle only. */
function bundleIsCurrent(): boolean {
  const bundle = statSync(fileURLToPath(bundled), { throwIfNoEntry: false });
  if (!bundle) return false;
  const modules = statSync(fileURLToPath(new URL('./start.js', import.meta.url)), { throwIfNoEntry: false });
  return !modules || modules.mtimeMs <= bundle.mtimeMs;
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
