// The pipeline's front half as data: how far an intent gets (the stage), which diagnostics come
// back in which order, and that a model comes back only when no stage reported an error.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compile } from '../../compiler/index.js';
import { analyze } from '../../language/analyze.js';
import { checkIntent, compileIntent } from '../../pipeline/compile.js';

const ACME = [{ path: 'examples/acme/acme.plumb', text: readFileSync('examples/acme/acme.plumb', 'utf8') }];

/** Seventeen parallel links: checks clean, refused by the compiler (C705). */
const TOO_MANY_LINKS = [
  {
    path: 'links.plumb',
    text: `pool infra 10.255.0.0/16\nsite fra1 {\n  router edge1 frr\n  router edge2 frr\n${'  link edge1 -- edge2\n'.repeat(17)}}\n`,
  },
];

describe('checkIntent', () => {
  it('stops at the check stage on a syntax error, with the front end diagnostics and no intent', () => {
    const checked = checkIntent([{ path: 'broken.plumb', text: 'site fra1 {\n  router edge1 frr\n' }]);
    expect(checked.stage).toBe('check');
    expect(checked.intent).toBeUndefined();
    expect(checked.diagnostics.some((d) => d.severity === 'error')).toBe(true);
  });

  it('gives the checked intent of a clean one', () => {
    const checked = checkIntent(ACME);
    expect(checked.stage).toBe('done');
    expect(checked.intent?.devices.length).toBeGreaterThan(0);
    expect(checked.diagnostics).toEqual(analyze(ACME).diagnostics);
  });
});

describe('compileIntent', () => {
  it('compiles a clean intent: the front end diagnostics, then the compiler warnings, and the model', () => {
    const compiled = compileIntent(ACME);
    const analysis = analyze(ACME);
    const direct = compile(analysis.intent!);
    expect(compiled.stage).toBe('done');
    expect(compiled.model).toEqual(direct.model);
    expect(compiled.diagnostics).toEqual([...analysis.diagnostics, ...direct.diagnostics]);
    expect(compiled.diagnostics.map((d) => d.code)).toContain('C703');
  });

  it('stops at the compile stage on a compiler error: the intent but no model', () => {
    const compiled = compileIntent(TOO_MANY_LINKS);
    expect(compiled.stage).toBe('compile');
    expect(compiled.intent).toBeDefined();
    expect(compiled.model).toBeUndefined();
    expect(compiled.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code)).toEqual(['C705']);
  });

  it('stops at the check stage without compiling an intent with errors', () => {
    const compiled = compileIntent([{ path: 'x.plumb', text: 'site fra1 {\n  router edge1 junos\n}\n' }]);
    expect(compiled.stage).toBe('check');
    expect(compiled.intent).toBeUndefined();
    expect(compiled.model).toBeUndefined();
  });

  it('takes a checked intent as well as the files', () => {
    const checked = checkIntent(ACME);
    expect(compileIntent(checked)).toEqual(compileIntent(ACME));
    // A checked result that stopped is passed through, never compiled.
    const stopped = checkIntent([{ path: 'broken.plumb', text: 'site {' }]);
    expect(compileIntent(stopped)).toEqual({ stage: 'check', diagnostics: stopped.diagnostics });
  });
});
