// Proving as data (pipeline/prove.ts): the stage an intent reached, the report only when there
// was a model, and the diagnostics sorted for the CLI (proveIntent) or in stage order for the
// language server (proveModel).

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compareDiagnostics, type Diagnostic } from '../../language/diagnostic.js';
import { compileIntent } from '../../pipeline/compile.js';
import { proveIntent, proveModel } from '../../pipeline/prove.js';

const ACME = [{ path: 'examples/acme/acme.plumb', text: readFileSync('examples/acme/acme.plumb', 'utf8') }];
const TOO_MANY_LINKS = [
  {
    path: 'links.plumb',
    text: `pool infra 10.255.0.0/16\nsite fra1 {\n  router edge1 frr\n  router edge2 frr\n${'  link edge1 -- edge2\n'.repeat(17)}}\n`,
  },
];

const sorted = (diagnostics: readonly Diagnostic[]): Diagnostic[] => [...diagnostics].sort(compareDiagnostics);

describe('proveIntent', () => {
  it('proves every assertion of a clean intent; the diagnostics of every stage come sorted', async () => {
    const proved = await proveIntent(ACME, { workers: 1 });
    expect(proved.stage).toBe('done');
    expect(proved.report?.verdicts.length).toBe(proved.model!.assertions.length);
    expect(proved.report!.stats.proven).toBeGreaterThan(0);
    expect(proved.diagnostics).toEqual(sorted(proved.diagnostics));
    expect(proved.diagnostics).toEqual(sorted([...compileIntent(ACME).diagnostics, ...proved.report!.diagnostics]));
  }, 120_000);

  it('proves only the assertions `only` selects', async () => {
    const proved = await proveIntent(ACME, { workers: 1, only: 'isolate' });
    const selected = proved.model!.assertions.filter((a) => a.text.includes('isolate'));
    expect(selected.length).toBeGreaterThan(0);
    expect(proved.report!.verdicts.map((v) => v.assertion.text)).toEqual(selected.map((a) => a.text));
  }, 120_000);

  it('stops before the verifier when the compiler reports an error: no report', async () => {
    const proved = await proveIntent(TOO_MANY_LINKS);
    expect(proved.stage).toBe('compile');
    expect(proved.report).toBeUndefined();
    expect(proved.diagnostics).toEqual(sorted(compileIntent(TOO_MANY_LINKS).diagnostics));
  });
});

describe('proveModel', () => {
  it('passes the diagnostics through, in their order, when there is no model', async () => {
    const compiled = compileIntent(TOO_MANY_LINKS);
    const proof = await proveModel(compiled);
    expect(proof).toEqual({ diagnostics: compiled.diagnostics });
  });
});
