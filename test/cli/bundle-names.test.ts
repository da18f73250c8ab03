// The ES bundle (package.json's "bundle" script, dist/cli/bundle/) is what an installed `plumb`
// runs: the code-cache entries are not in the packed package. It is built without esbuild's
// `keepNames`, which wraps every function as it is made in a call that sets its `name` (closures
// made in hot loops included: a 500-rule IOS-XE `compile -o` through the bundle counted 2.46 G
// instructions with it, 2.32 G without), and without minified identifiers, so that functions and
// classes keep the names the source gives them without that call.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, ROOT } from '../api/consumer.js';

const BUNDLE = join(ROOT, 'dist', 'cli', 'bundle');

// esbuild's helper for `keepNames`, minified or not: `(fn, "name") => defineProperty(fn, "name", { value, configurable: true })`.
const NAME_HELPER = /,\s*"name",\s*\{\s*value:\s*[\w$]+,\s*configurable:\s*(?:!0|true)\s*\}/;

beforeAll(async () => {
  await ensureBuilt();
}, 900_000);

describe('the ES bundle', () => {
  it('sets no function names at run time (no keepNames) and keeps the source names', () => {
    const files = readdirSync(BUNDLE).filter((f) => f.endsWith('.js'));
    expect(files.length).toBeGreaterThan(10);
    expect(files.filter((f) => NAME_HELPER.test(readFileSync(join(BUNDLE, f), 'utf8')))).toStrictEqual([]);
    const start = readFileSync(join(BUNDLE, 'start.js'), 'utf8');
    expect(start).toMatch(/\bfunction start\(/);
  });

  it('is built by a script without --keep-names or --minify-identifiers', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.bundle).not.toMatch(/--keep-names|--minify-identifiers/);
  });
});
