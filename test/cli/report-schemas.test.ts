// The CI reports validated against published schemas: SARIF 2.1.0 (OASIS's JSON schema, with
// Python's jsonschema) and JUnit XML (the Jenkins xUnit plugin's XSD, with xmllint), for a
// passing, a failing and a broken intent, from `verify` and from `check`. Debian packages
// python3-jsonschema and libxml2-utils; outside CI a missing one skips loudly, in CI it fails.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run as runCli } from '../../cli/program.js';
import { sharedSolvers } from '../shared-solvers.js';
import { capturedIo } from './captured-io.js';
import { SARIF_LIMITS } from '../../cli/report/verdicts.js';

const SCHEMAS = join(import.meta.dirname, '../fixtures/schemas');
const dir = mkdtempSync(join(tmpdir(), 'plumb-schemas-'));
// One pool of Z3 workers for the file's commands (test/shared-solvers.ts): each `verify` would
// otherwise start and close workers of its own.
const solvers = sharedSolvers();
const run = (...args: Parameters<typeof runCli>): ReturnType<typeof runCli> => solvers(() => runCli(...args));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const haveJsonschema = spawnSync('python3', ['-c', 'import jsonschema'], { encoding: 'utf8' }).status === 0;
const haveXmllint = spawnSync('sh', ['-c', 'command -v xmllint'], { encoding: 'utf8' }).status === 0;
function skipWithout(have: boolean, what: string): boolean {
  if (have || process.env.CI) return false;
  console.warn(`\n*** SKIPPING report schema checks: ${what} is missing. CI runs them. ***\n`);
  return true;
}

const BASE = `network t
routing static
pool infra 10.255.0.0/16
site s {
  router r1 frr
  router r2 cisco-iosxe
  link r1 -- r2
}
segment a 10.1.0.0/24 at s.r1
segment b 10.2.0.0/24 at s.r2
policy {
  allow a -> b : https
}
assert reach a -> b : https
`;
const INTENTS = {
  passing: BASE,
  failing: `${BASE}assert reach a -> b : ssh\nassert reach a -> b : ssh under 1 failure\n`,
  broken: `${BASE}segment c 10.3.0.0/24 at s.nowhere\nassert isolate b -> c\n`,
};
for (const [name, text] of Object.entries(INTENTS)) writeFileSync(join(dir, `${name}.plumb`), text);

function validateSarif(text: string): { status: number | null; out: string } {
  const file = join(dir, 'report.sarif');
  writeFileSync(file, text);
  const script = [
    'import json, sys, jsonschema',
    'schema = json.load(open(sys.argv[1]))',
    'jsonschema.Draft4Validator.check_schema(schema)',
    'errors = list(jsonschema.Draft4Validator(schema).iter_errors(json.load(open(sys.argv[2]))))',
    'for e in errors: print("/".join(map(str, e.absolute_path)), e.message)',
    'sys.exit(1 if errors else 0)',
  ].join('\n');
  const r = spawnSync('python3', ['-c', script, join(SCHEMAS, 'sarif-schema-2.1.0.json'), file], { encoding: 'utf8' });
  return { status: r.status, out: r.stdout + r.stderr };
}

function validateJunit(text: string): { status: number | null; out: string } {
  const file = join(dir, 'report.xml');
  writeFileSync(file, text);
  const r = spawnSync('xmllint', ['--noout', '--schema', join(SCHEMAS, 'junit-10.xsd'), file], { encoding: 'utf8' });
  return { status: r.status, out: r.stderr };
}

/** Each intent proven once, its SARIF and JUnit written in the same run. */
const verified = new Map<string, { sarif: string; junit: string }>();
beforeAll(async () => {
  for (const name of Object.keys(INTENTS)) {
    const c = capturedIo(dir);
    await run(['verify', `${name}.plumb`, '--format', 'json', '--sarif', `${name}.sarif`, '--junit', `${name}.xml`], c);
    verified.set(name, { sarif: readFileSync(join(dir, `${name}.sarif`), 'utf8'), junit: readFileSync(join(dir, `${name}.xml`), 'utf8') });
  }
}, 240_000);

async function report(args: string[]): Promise<string> {
  const c = capturedIo(dir);
  await run(args, c);
  expect(c.out.length, c.err).toBeGreaterThan(0);
  return c.out;
}

describe.skipIf(skipWithout(haveJsonschema, 'python3-jsonschema'))('SARIF against the SARIF 2.1.0 schema', () => {
  for (const name of Object.keys(INTENTS)) {
    it(`verify on the ${name} intent`, async () => {
      const v = validateSarif(verified.get(name)!.sarif);
      expect(v.out).toBe('');
      expect(v.status).toBe(0);
    });
  }
  it('check on the broken intent', async () => {
    const v = validateSarif(await report(['check', 'broken.plumb', '--format', 'sarif']));
    expect(v.status, v.out).toBe(0);
  });
  it('the validator rejects a report that breaks the schema', async () => {
    const sarif = JSON.parse(verified.get('failing')!.sarif);
    sarif.runs[0].results[0].level = 'fatal';
    expect(validateSarif(JSON.stringify(sarif)).status).toBe(1);
  });
});

describe.skipIf(skipWithout(haveXmllint, 'xmllint (libxml2-utils)'))('JUnit against the xUnit plugin XSD', () => {
  for (const name of Object.keys(INTENTS)) {
    it(`verify on the ${name} intent`, async () => {
      const v = validateJunit(verified.get(name)!.junit);
      expect(v.status, v.out).toBe(0);
    });
  }
  it('check on the broken intent', async () => {
    const v = validateJunit(await report(['check', 'broken.plumb', '--format', 'junit']));
    expect(v.status, v.out).toBe(0);
  });
  it('the validator rejects a report that breaks the schema', async () => {
    const xml = verified.get('failing')!.junit.replace('<testcase ', '<testcase bogus="1" ');
    expect(validateJunit(xml).status).not.toBe(0);
  });
});

describe("SARIF within GitHub code scanning's upload limits", () => {
  it('has one run, results and rules under 25,000, locations under 1,000, every result naming a rule it describes', () => {
    for (const name of Object.keys(INTENTS)) {
      const sarif = JSON.parse(verified.get(name)!.sarif) as {
        runs: { tool: { driver: { rules: { id: string; helpUri: string }[] } }; results: { ruleId: string; message: { text: string }; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[]; relatedLocations?: unknown[] }[] }[];
      };
      expect(sarif.runs.length).toBeLessThanOrEqual(SARIF_LIMITS.runs);
      const run0 = sarif.runs[0]!;
      expect(run0.results.length).toBeLessThanOrEqual(SARIF_LIMITS.resultsPerRun);
      expect(run0.tool.driver.rules.length).toBeLessThanOrEqual(SARIF_LIMITS.rulesPerRun);
      const ids = run0.tool.driver.rules.map((r) => r.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const r of run0.tool.driver.rules) expect(r.helpUri).toMatch(/^https:\/\//);
      for (const res of run0.results) {
        expect(ids, name).toContain(res.ruleId);
        expect(res.message.text.length).toBeGreaterThan(0);
        expect(res.locations.length + (res.relatedLocations?.length ?? 0)).toBeLessThanOrEqual(SARIF_LIMITS.locationsPerResult + 1);
        expect(res.locations[0]!.physicalLocation.artifactLocation.uri).not.toMatch(/^\//);
        expect(res.locations[0]!.physicalLocation.region.startLine).toBeGreaterThanOrEqual(1);
      }
    }
  });

  it('lists proven assertions only when asked (--sarif-proven), as pass results, still valid', async () => {
    const c = capturedIo(dir);
    await run(['verify', 'passing.plumb', '--format', 'sarif', '--sarif-proven'], c);
    const results = JSON.parse(c.out).runs[0].results as { ruleId: string; kind: string; level: string }[];
    expect(results.filter((r) => r.ruleId === 'assertion-proven').map((r) => [r.kind, r.level])).toEqual([['pass', 'none']]);
    expect(JSON.parse(c.out).runs[0].tool.driver.rules.map((r: { id: string }) => r.id)).toContain('assertion-proven');
    expect(JSON.parse(verified.get('passing')!.sarif).runs[0].results.filter((r: { ruleId: string }) => r.ruleId === 'assertion-proven')).toEqual([]);
    if (haveJsonschema) expect(validateSarif(c.out).status).toBe(0);
  });
});
