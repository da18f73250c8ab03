// The suite's order (vitest.config.ts) names its lab and slow files by path: a file renamed,
// merged into another or deleted would silently lose its place (it would run among the rest,
// possibly last and alone on one worker). Each path named there must be a test file the suite
// runs, named once.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');

/** The test files a configuration's text names, in order. */
export function namedTestFiles(configText: string): string[] {
  return [...configText.matchAll(/'(test\/[^'*]+\.test\.ts)'/g)].map((m) => m[1]!);
}

describe("the suite's order in vitest.config.ts", () => {
  const named = namedTestFiles(readFileSync(join(ROOT, 'vitest.config.ts'), 'utf8'));

  it('names only test files that exist, each once', () => {
    expect(named.length).toBeGreaterThan(10);
    expect(named.filter((f) => !existsSync(join(ROOT, f)))).toEqual([]);
    expect(named.filter((f, i) => named.indexOf(f) !== i)).toEqual([]);
  });

  it('is read from the text as the configuration writes it', () => {
    expect(namedTestFiles("const LABS = [\n  'test/a/b.test.ts',\n  'test/c.test.ts',\n];\ninclude: ['test/**/*.test.ts'],\n// 'src/x.ts'")).toEqual([
      'test/a/b.test.ts',
      'test/c.test.ts',
    ]);
  });
});
