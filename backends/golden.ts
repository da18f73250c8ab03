// The examples' compiled output, checked in under examples/<name>/out/ (the same files as
// `plumb compile examples/<name> -o examples/<name>/out` from the repository root). `npm run
// golden` regenerates them on purpose; test/backends/golden.test.ts fails when they drift.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../language/analyze.js';
import { hasErrors } from '../language/diagnostic.js';
import { compile } from '../compiler/index.js';
import { renderOutput, writeOutput, type RenderedOutput } from './output.js';

export const EXAMPLES_DIR = 'examples';

/** The examples: every folder of examples/ with .plumb files. */
export function exampleNames(root = EXAMPLES_DIR): string[] {
  return readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory() && readdirSync(join(root, e.name)).some((f) => f.endsWith('.plumb')))
    .map((e) => e.name)
    .sort();
}

/** An example's output as `plumb compile` renders it; `error` when it does not compile. */
export function exampleOutput(
  name: string,
  root = EXAMPLES_DIR,
): { output?: RenderedOutput; error?: string } {
  const dir = join(root, name);
  const sources = readdirSync(dir)
    .filter((f) => f.endsWith('.plumb'))
    .sort()
    .map((f) => ({ path: join(dir, f), text: readFileSync(join(dir, f), 'utf8') }));
  const analysis = analyze(sources);
  if (!analysis.intent)
    return {
      error: `${name}: the intent has errors (${analysis.diagnostics.filter((d) => d.severity === 'error').length})`,
    };
  const { model, diagnostics } = compile(analysis.intent);
  if (hasErrors(diagnostics)) return { error: `${name}: the compiler reported errors` };
  const output = renderOutput(model, sources);
  if (output.unsupported.length > 0)
    return { error: `${name}: no backend for ${output.unsupported.map((d) => d.platform).join(', ')}` };
  return { output };
}

/** Regenerates examples/<name>/out/ for every example; returns the exit code. */
export function updateGolden(root = EXAMPLES_DIR, log: (line: string) => void = console.log): number {
  let failed = 0;
  for (const name of exampleNames(root)) {
    let result: ReturnType<typeof exampleOutput>;
    try {
      result = exampleOutput(name, root);
    } catch (err) {
      result = { error: `${name}: ${(err as Error).message}` };
    }
    if (!result.output) {
      log(`FAILED ${result.error}`);
      failed++;
      continue;
    }
    writeOutput(join(root, name, 'out'), result.output);
    log(`wrote ${join(root, name, 'out')} (${result.output.devices.length} devices)`);
  }
  return failed > 0 ? 1 : 0;
}
