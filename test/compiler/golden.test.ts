// A golden network model for every example under examples/: the review of a compiler change is
// the diff of these files. They change only on purpose:
//   PLUMB_UPDATE_GOLDEN=1 npx vitest run test/compiler/golden.test.ts
// rewrites them; without it, any drift fails the test.

import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compile } from '../../compiler/index.js';
import { analyze } from '../../language/analyze.js';
import { json } from './helpers.js';

const ROOT = join(import.meta.dirname, '..', '..');
const GOLDEN = join(ROOT, 'test', 'fixtures', 'models');
const examples = readdirSync(join(ROOT, 'examples'), { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();

function compileExample(name: string) {
  const dir = join('examples', name);
  const files = readdirSync(join(ROOT, dir))
    .filter((f) => f.endsWith('.plumb'))
    .sort()
    .map((f) => ({ path: `${dir}/${f}`, text: readFileSync(join(ROOT, dir, f), 'utf8') }));
  const analysis = analyze(files);
  expect(analysis.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return compile(analysis.intent!);
}

describe('golden network models', () => {
  it('has examples to compile', () => {
    expect(examples).toContain('acme');
  });

  for (const name of examples) {
    it(`${name}: the model matches test/fixtures/models/${name}.json`, () => {
      const { model, diagnostics } = compileExample(name);
      expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      const text = json(model);
      const file = join(GOLDEN, `${name}.json`);
      if (process.env.PLUMB_UPDATE_GOLDEN === '1') writeFileSync(file, text);
      expect(existsSync(file), `missing ${file}: run with PLUMB_UPDATE_GOLDEN=1 to create it`).toBe(true);
      expect(text).toBe(readFileSync(file, 'utf8'));
    });

    it(`${name}: compiling twice gives byte-identical models`, () => {
      expect(json(compileExample(name).model)).toBe(json(compileExample(name).model));
    });
  }
});

describe('declaration order does not matter', () => {
  it('acme with its sites, segments and externals reordered compiles to the same model (spans aside)', () => {
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
    const model = (t: string) => {
      const a = analyze([{ path: 'examples/acme/acme.plumb', text: t }]);
      expect(a.intent).toBeDefined();
      const m = compile(a.intent!).model;
      // Policy and assertions keep source order; endpoints, devices and every list are sorted.
      return strip(json(m));
    };
    expect(model(reordered)).toBe(model(text));
  });
});
