// The checked intent of whole examples and what analyze promises of it. The intent built from
// given text (acme's, canonical prefixes, expanded services) is recorded by the cases under
// test/language/cases/intent/.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../language/analyze.js';
import { BASE, run } from './analyze-helpers.js';

const example = (name: string): { path: string; text: string } => {
  const path = `examples/${name}/${name}.plumb`;
  return { path, text: readFileSync(path, 'utf8') };
};

describe('the checked intent', () => {
  it.each(['acme', 'multicloud', 'campus'])('examples/%s checks clean', (name) => {
    const a = analyze([example(name)]);
    expect(a.diagnostics).toEqual([]);
    expect(a.intent).toBeDefined();
  });

  it('takes the intent name from the first file when there is no network line', () => {
    expect(analyze([{ path: 'dir/branch.plumb', text: BASE }]).intent!.name).toBe('branch');
  });

  it('has no intent when there is an error, and is deterministic', () => {
    expect(run(`${BASE}host h 10.10.9.1 in db\nassert reach h -> web\n`).intent).toBeUndefined();
    const once = JSON.stringify(analyze([example('acme')]));
    expect(JSON.stringify(analyze([example('acme')]))).toBe(once);
  });
});
