// Runs the CLI on this process: its arguments, its standard streams, its exit code. This is the
// entry of the single-file build of the CLI (`npm run build` bundles it into dist/cli/bundle/,
// docs/performance/start-up.md), and what cli/main.ts runs from the modules when that build is absent.
// `run` is exported for the build of the check entry's code cache (cli/build-code-cache.ts), which
// runs a check with its output captured.

import { processIo } from './io.js';
import { run } from './program.js';

export { run };

export async function start(argv: readonly string[]): Promise<void> {
  process.exitCode = await run(argv, processIo());
}
