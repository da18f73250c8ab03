// Several reports from one proof (`--json/--sarif/--junit FILE`, `--github`), SARIF that code
// scanning maps from any folder of a repository, JUnit that fails every assertion of an intent
// with errors, and `plumb check` in the CI formats.

import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../../cli/program.js';
import { capturedIo } from './captured-io.js';
import { sharedSolvers } from '../shared-solvers.js';

// One pool of Z3 workers for the file's runs (test/shared-solvers.ts): each command that proves
// would otherwise start and close workers of its own; every query starts from a clean solver.
const inPool = sharedSolvers();
const runInPool = (args: string[], c: Parameters<typeof run>[1]): Promise<number> => inPool(() => run(args, c));

const repo = mkdtempSync(join(tmpdir(), 'plumb-outputs-'));
afterAll(() => rmSync(repo, { recursive: true, force: true }));
// A repository with the intent in a subfolder: code scanning resolves paths from the root.
mkdirSync(join(repo, '.git'));
mkdirSync(join(repo, 'net', 'reports'), { recursive: true });

const INTENT = `network t
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
assert reach a -> b : ssh
`;
writeFileSync(join(repo, 'net', 't.plumb'), INTENT);
writeFileSync(join(repo, 'net', 'broken.plumb'), `${INTENT}segment c 10.3.0.0/24 at s.nowhere\n`);
const cli = join(import.meta.dirname, '../../docs/cli.md');

describe('verify: several reports from one proof', () => {
  it('writes text to stdout and JSON, SARIF and JUnit files, and annotations, all of the same verdicts', async () => {
    const c = capturedIo(join(repo, 'net'));
    const code = await runInPool(['verify', 't.plumb', '--json', 'reports/v.json', '--sarif', 'reports/v.sarif', '--junit', 'reports/v.xml', '--github'], c);
    expect(code).toBe(1);
    expect(c.out).toMatch(/^REFUTED {2}assert reach a -> b : ssh/m);
    expect(c.out).toMatch(/^::error file=t\.plumb,line=15,/m);
    const json = JSON.parse(readFileSync(join(repo, 'net/reports/v.json'), 'utf8'));
    expect(json.stats).toMatchObject({ assertions: 2, proven: 1, refuted: 1 });
    const junit = new XMLParser({ ignoreAttributes: false }).parse(readFileSync(join(repo, 'net/reports/v.xml'), 'utf8'));
    expect(junit.testsuites['@_tests']).toBe('2');
    expect(junit.testsuites['@_failures']).toBe('1');
    const sarif = JSON.parse(readFileSync(join(repo, 'net/reports/v.sarif'), 'utf8'));
    const results = sarif.runs[0].results;
    expect(results.filter((r: { ruleId: string }) => r.ruleId.startsWith('assertion-')).map((r: { ruleId: string }) => r.ruleId)).toEqual(['assertion-refuted']);
    // Relative to the repository's root, not to the folder plumb ran in.
    expect(results[0].locations[0].physicalLocation.artifactLocation).toEqual({ uri: 'net/t.plumb', uriBaseId: '%SRCROOT%' });
    expect(sarif.runs[0].originalUriBaseIds['%SRCROOT%'].uri).toBe(`file://${repo}/`);
    // No temporary files are left beside the reports.
    expect(existsSync(join(repo, 'net/reports'))).toBe(true);
    expect(readdir(join(repo, 'net/reports'))).toEqual(['v.json', 'v.sarif', 'v.xml']);
  });

  it('gives every SARIF rule a short and a full description, help, and a link to a heading that exists', async () => {
    const c = capturedIo(join(repo, 'net'));
    await runInPool(['verify', 'broken.plumb', '--format', 'sarif'], c);
    const rules = JSON.parse(c.out).runs[0].tool.driver.rules as { id: string; shortDescription?: { text: string }; fullDescription?: { text: string }; help?: { text: string }; helpUri: string }[];
    expect(rules.length).toBeGreaterThan(3);
    const doc = readFileSync(cli, 'utf8');
    for (const r of rules) {
      expect(r.shortDescription?.text, r.id).toBeTruthy();
      expect(r.fullDescription?.text, r.id).toBeTruthy();
      expect(r.help?.text, r.id).toBeTruthy();
      if (r.id.startsWith('assertion-')) {
        const anchor = r.helpUri.split('#')[1]!;
        const headings = [...doc.matchAll(/^#+ (.+)$/gm)].map((m) => slug(m[1]!));
        expect(headings, r.helpUri).toContain(anchor);
      }
    }
  });

  it('fails every stated assertion in JUnit when the intent has errors, instead of listing none', async () => {
    const c = capturedIo(join(repo, 'net'));
    expect(await runInPool(['verify', 'broken.plumb', '--format', 'junit'], c)).toBe(1);
    const junit = new XMLParser({ ignoreAttributes: false }).parse(c.out);
    const cases = [junit.testsuites.testsuite.testcase].flat() as { '@_name': string; error?: { '@_type': string }; failure?: unknown }[];
    const notVerified = cases.filter((t) => t.error?.['@_type'] === 'not-verified').map((t) => t['@_name']);
    expect(notVerified).toEqual(['assert reach a -> b : https', 'assert reach a -> b : ssh']);
    expect(cases.some((t) => t.failure !== undefined && t['@_name'].startsWith('P'))).toBe(true);
    expect(junit.testsuites['@_errors']).toBe('2');
  });

  it('refuses report files it could not write before proving anything (exit 2)', async () => {
    const c = capturedIo(join(repo, 'net'));
    await expect(run(['verify', 't.plumb', '--sarif', 'missing/v.sarif'], c)).resolves.toBe(2);
    expect(c.err).toContain('its folder does not exist');
    expect(c.out).toBe('');
    const d = capturedIo(join(repo, 'net'));
    await expect(run(['verify', 't.plumb', '--sarif', 'x.out', '--json', 'x.out'], d)).resolves.toBe(2);
    expect(d.err).toContain('name the same file');
  });
});

describe('check in the CI formats', () => {
  it('writes SARIF, JUnit and annotations of the diagnostics', async () => {
    const s = capturedIo(join(repo, 'net'));
    expect(await runInPool(['check', 'broken.plumb', '--format', 'sarif'], s)).toBe(1);
    const results = JSON.parse(s.out).runs[0].results as { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[];
    expect(results.length).toBeGreaterThan(0);
    expect(results[0]!.locations[0]!.physicalLocation.artifactLocation.uri).toBe('net/broken.plumb');
    const j = capturedIo(join(repo, 'net'));
    expect(await runInPool(['check', 'broken.plumb', '--format', 'junit'], j)).toBe(1);
    expect(j.out).toContain('<failure message=');
    const g = capturedIo(join(repo, 'net'));
    expect(await runInPool(['check', 'broken.plumb', '--format', 'github'], g)).toBe(1);
    expect(g.out).toMatch(/^::error file=broken\.plumb,line=16,/m);
    expect(g.out).not.toContain('0 assertions');
    const ok = capturedIo(join(repo, 'net'));
    expect(await runInPool(['check', 't.plumb', '--format', 'sarif'], ok)).toBe(0);
    // Only the compiler's warning about the stateless IOS-XE router, as verify reports it.
    const warnings = JSON.parse(ok.out).runs[0].results as { ruleId: string; level: string }[];
    expect(warnings.length).toBeGreaterThan(0);
    expect(warnings.map((r) => `${r.level} ${r.ruleId}`)).toEqual(warnings.map(() => 'warning C703'));
  });
});

function readdir(path: string): string[] {
  return readdirSync(path).sort();
}

/** GitHub's heading anchor: lower case, punctuation but `-` and `_` dropped, spaces as `-`. */
function slug(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
}

describe('verify --root', () => {
  it('makes SARIF locations relative to the folder given', async () => {
    const c = capturedIo(join(repo, 'net'));
    await runInPool(['verify', 't.plumb', '--format', 'sarif', '--root', '.'], c);
    const sarif = JSON.parse(c.out);
    expect(sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation).toEqual({ uri: 't.plumb', uriBaseId: '%SRCROOT%' });
    expect(sarif.runs[0].originalUriBaseIds['%SRCROOT%'].uri).toBe(`file://${repo}/net/`);
    const bad = capturedIo(join(repo, 'net'));
    expect(await runInPool(['verify', 't.plumb', '--root', 'nowhere'], bad)).toBe(2);
    expect(bad.err).toContain('is not a folder');
  });
});
