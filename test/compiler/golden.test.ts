// A golden network model for every example under examples/: the review of a compiler change is
// the diff of these files. They change only on purpose:
//   UPDATE_GOLDEN=1 npx vitest run test/compiler/golden.test.ts   (or npm run golden)
// rewrites them (test/golden.ts); without it, any drift fails the test.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileIntent } from '../../pipeline/compile.js';
import { exampleNames, exampleSources } from '../backends/example-output.js';
import { expectGolden } from '../golden.js';
import { json } from './helpers.js';

const ROOT = join(import.meta.dirname, '..', '..');
const GOLDEN = join(ROOT, 'test', 'fixtures', 'models');
const examples = exampleNames();

/** The example's model, through the same pipeline as `plumb compile`; no error on the way. */
function compileExample(name: string) {
  const compiled = compileIntent(exampleSources(name));
  expect(compiled.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return compiled.model!;
}

describe('golden network models', () => {
  it('has examples to compile', () => {
    expect(examples).toContain('acme');
  });

  for (const name of examples) {
    it(`${name}: the model matches test/fixtures/models/${name}.json`, () => {
      expectGolden(join(GOLDEN, `${name}.json`), json(compileExample(name)));
    });

    it(`${name}: compiling twice gives byte-identical models`, () => {
      expect(json(compileExample(name))).toBe(json(compileExample(name)));
    });
  }
});

describe('declaration order does not matter', () => {
  it('acme with its sites, segments and externals reordered compiles to the same model with its plumb.lock (spans aside)', () => {
    const dir = join(ROOT, 'examples', 'acme');
    const text = readFileSync(join(dir, 'acme.plumb'), 'utf8');
    const block = (from: string, to: string) => text.slice(text.indexOf(from), text.indexOf(to));
    const fra = block('site fra1', 'site ams1');
    const ams = block('site ams1', 'link fra1.core1');
    const segs = block('segment web', 'host pg-primary');
    const snow = block('external snowflake', 'external internet');
    const inet = block('external internet', 'service postgres-rw');
    const reordered = text
      .replace(fra + ams, ams + fra)
      .replace(segs, segs.split('\n').filter(Boolean).reverse().join('\n') + '\n')
      .replace(snow + inet, inet + snow);
    expect(reordered).not.toBe(text);
    const strip = (s: string) => s.replace(/"(origin|start|end)": \{[^}]*\}/g, '').replace(/"description": "[^"]*"/g, '').replace(/"span": \{[^}]*\}/g, '');
    // The lock keeps the addresses: without it, the pools hand them out in declaration order.
    const lock = { path: 'examples/acme/plumb.lock', text: readFileSync(join(dir, 'plumb.lock'), 'utf8') };
    const model = (t: string) => {
      const m = compileIntent([{ path: 'examples/acme/acme.plumb', text: t }, lock]).model;
      expect(m).toBeDefined();
      // Policy and assertions keep source order; endpoints, devices and every list are sorted.
      return strip(json(m!));
    };
    expect(model(reordered)).toBe(model(text));
  });
});
