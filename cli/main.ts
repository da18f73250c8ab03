#!/usr/bin/env node
// The `plumb` executable. Before loading the program it speeds up loading what the command needs
// (docs/performance.md): Node's compile cache where Node has one (22.1 and later), and the
// single-file build of the parser library (cli/load-hooks.ts) for every command but `--version`.

import { existsSync } from 'node:fs';
import * as nodeModule from 'node:module';
import { fileURLToPath } from 'node:url';
import type { LoadHookData } from './load-hooks.js';

const argv = process.argv.slice(2);
const loader = nodeModule as { enableCompileCache?: () => unknown; register?: typeof nodeModule.register };
loader.enableCompileCache?.();
if (!(argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V'))) useSingleFileParserLibrary();

const { processIo } = await import('./io.js');
const { run } = await import('./program.js');
process.exitCode = await run(argv, processIo());

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
