// `verify --each`: a folder of intents (each subfolder one network, with the same names in
// several of them) proven intent by intent, not merged into one namespace.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../../cli/program.js';
import { capturedIo } from './captured-io.js';
import { twoRouterIntent } from '../intent-runs.js';
import { sharedSolvers } from '../shared-solvers.js';

// One pool of Z3 workers for the file's runs (test/shared-solvers.ts): each command that proves
// would otherwise start and close workers of its own; every query starts from a clean solver.
const inPool = sharedSolvers();
const runInPool = (args: string[], c: Parameters<typeof run>[1]): Promise<number> => inPool(() => run(args, c));

const dir = mkdtempSync(join(tmpdir(), 'plumb-each-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const intent = (name: string, extra: string): string => twoRouterIntent({ network: name, routing: 'static', tail: `assert reach a -> b : https\n${extra}` });
for (const [folder, extra] of [
  ['sites/fra', ''],
  ['sites/ams', 'assert reach a -> b : ssh\n'],
  ['sites/lab/nested', ''],
] as const) {
  mkdirSync(join(dir, folder), { recursive: true });
  writeFileSync(join(dir, folder, 'net.plumb'), intent(folder.split('/').pop()!, extra));
}
mkdirSync(join(dir, 'sites/fra/out'));
writeFileSync(join(dir, 'sites/fra/out/ignored.plumb'), 'not an intent');

describe('verify --each', () => {
  it('proves each folder of .plumb files as its own intent, and reports per intent', async () => {
    const merged = capturedIo(dir);
    expect(await runInPool(['verify', 'sites'], merged)).toBe(1);
    expect(merged.out).toContain('P2'); // one namespace: the same names declared three times

    const c = capturedIo(dir);
    expect(await runInPool(['verify', '--each', 'sites', '--junit', 'each.xml'], c)).toBe(1);
    const headings = [...c.out.matchAll(/^== (.+)$/gm)].map((m) => m[1]);
    expect(headings).toEqual(['sites/ams', 'sites/fra', 'sites/lab/nested']);
    expect(c.out).toMatch(/^REFUTED {2}assert reach a -> b : ssh .* sites\/ams\/net\.plumb:15$/m);
    expect(c.out).toMatch(/^3 intents: 4 assertions: 3 proven, 1 refuted, 0 unknown/m);
  });

  it('gives one JSON report of every intent, and refuses files and --configs', async () => {
    const c = capturedIo(dir);
    await runInPool(['verify', '--each', 'sites/fra', 'sites/lab', '--format', 'json'], c);
    const json = JSON.parse(c.out);
    expect(json.stats).toMatchObject({ assertions: 2, proven: 2 });
    expect(json.verdicts.map((v: { assertion: { origin: { file: string } } }) => v.assertion.origin.file)).toEqual(['sites/fra/net.plumb', 'sites/lab/nested/net.plumb']);
    const file = capturedIo(dir);
    expect(await runInPool(['verify', '--each', 'sites/fra/net.plumb'], file)).toBe(2);
    expect(file.err).toContain('is not a folder');
    const configs = capturedIo(dir);
    expect(await runInPool(['verify', '--each', 'sites', '--configs', 'x'], configs)).toBe(2);
  });
});
