// The examples as the golden tests see them: every folder of examples/ with .plumb files, its
// sources, and its compiled output as `plumb compile examples/<name> -o examples/<name>/out`
// writes it from the repository root. test/backends/golden.test.ts compares the output with the
// checked-in examples/<name>/out/ (UPDATE_GOLDEN=1 rewrites it), test/compiler/golden.test.ts
// the model with test/fixtures/models/<name>.json.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderOutput, type RenderedOutput } from '../../backends/output.js';
import { compileIntent } from '../../pipeline/compile.js';
import type { SourceText } from '../../pipeline/sources.js';

export const EXAMPLES_DIR = 'examples';

/** The examples: every folder of examples/ with .plumb files. */
export function exampleNames(root = EXAMPLES_DIR): string[] {
  return readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory() && readdirSync(join(root, e.name)).some((f) => f.endsWith('.plumb')))
    .map((e) => e.name)
    .sort();
}

/**
 * An example's .plumb files, sorted, then its plumb.lock, with the paths `plumb compile
 * examples/<name>` shows (pipeline/sources.ts reads them in that order).
 */
export function exampleSources(name: string, root = EXAMPLES_DIR): SourceText[] {
  const dir = join(root, name);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.plumb'))
    .sort()
    .concat(existsSync(join(dir, 'plumb.lock')) ? ['plumb.lock'] : [])
    .map((f) => ({ path: join(dir, f), text: readFileSync(join(dir, f), 'utf8') }));
}

/** An example's output as `plumb compile` renders it; `error` when it does not compile. */
export function exampleOutput(name: string, root = EXAMPLES_DIR): { output?: RenderedOutput; error?: string } {
  const sources = exampleSources(name, root);
  const compiled = compileIntent(sources);
  if (!compiled.model) {
    const errors = compiled.diagnostics.filter((d) => d.severity === 'error').length;
    return { error: `${name}: the intent has errors (${errors}, found by ${compiled.stage})` };
  }
  const output = renderOutput(compiled.model, sources);
  if (output.unsupported.length > 0)
    return { error: `${name}: no backend for ${output.unsupported.map((d) => d.platform).join(', ')}` };
  return { output };
}
