// Assertions whose ends share no address family: `plumb check` warns (P604) at the assertion and
// at the rule, and `plumb verify` reports them `vacuous` — neither proven nor refuted, and no
// failure — in every format; an assertion whose ends share one family of two is proven over that
// family, and the report says which.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../../cli/program.js';
import { capturedIo, type CapturedIo } from './captured-io.js';
import { sharedSolvers } from '../shared-solvers.js';

// One pool of Z3 workers for the file's runs (test/shared-solvers.ts): each command that proves
// would otherwise start and close workers of its own; every query starts from a clean solver.
const inPool = sharedSolvers();
const runInPool = (args: string[], c: Parameters<typeof run>[1]): Promise<number> => inPool(() => run(args, c));

const dir = mkdtempSync(join(tmpdir(), 'plumb-vacuous-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const io = (): CapturedIo => capturedIo(dir);

const INTENT = `network t
pool infra 10.255.0.0/16
site s {
  router r1 frr
  router r2 frr
  link r1 -- r2
}
segment office 10.1.0.0/24 at s.r1
segment lab 2001:db8:1::/64 at s.r2
segment dual 10.3.0.0/24, 2001:db8:3::/64 at s.r2
policy {
  allow office -> lab : https
  allow office -> dual : ssh
}
assert reach office -> lab : https
assert isolate lab -> office
assert reach office -> dual : ssh
`;
writeFileSync(join(dir, 'v.plumb'), INTENT);

interface JsonVerdict {
  status: string;
  families: number[];
  reason?: string;
  assertion: { text: string };
}

describe('assertions about no packet', () => {
  it('plumb check warns at the rule and at the assertion, naming both ends\' families and what to add', async () => {
    const c = io();
    expect(await runInPool(['check', 'v.plumb'], c)).toBe(0);
    const warnings = c.out.split('\n').filter((l) => l.startsWith('warning[P604]'));
    expect(warnings).toEqual([
      'warning[P604]: no address family in common: the sources are IPv4 only and the destinations IPv6 only, so this rule admits no packet',
      'warning[P604]: no address family in common: the sources are IPv4 only and the destinations IPv6 only, so this assertion is about no packet',
      'warning[P604]: no address family in common: the sources are IPv6 only and the destinations IPv4 only, so this assertion is about no packet',
    ]);
    expect(c.out).toContain('--> v.plumb:12:3');
    expect(c.out).toContain('--> v.plumb:15:1');
    expect(c.out).toContain('--> v.plumb:16:1');
    expect(c.out).toContain('= help: add an IPv6 prefix for segment `office`, or an IPv4 prefix for segment `lab`; or name endpoints of one family');
    // The rule that shares IPv4 with `dual` is no vacuous rule.
    expect(c.out).not.toContain('v.plumb:13:');
  });

  it('plumb verify reports them vacuous, proves the partly shared one over IPv4 only, and exits 0', async () => {
    const c = io();
    expect(await runInPool(['verify', 'v.plumb'], c)).toBe(0);
    expect(c.out).toMatch(/^vacuous {2}assert reach office -> lab : https {2}\(.+\) {2}v\.plumb:15$/m);
    expect(c.out).toMatch(/^vacuous {2}assert isolate lab -> office {2}\(.+\) {2}v\.plumb:16$/m);
    expect(c.out).toContain('    reason: no address family in common: the sources are IPv4 only, the destinations IPv6 only');
    expect(c.out).toMatch(/^proven {3}assert reach office -> dual : ssh {2}\(.+\) {2}v\.plumb:17\n {4}note: IPv4 only: the sources have no IPv6 addresses$/m);
    expect(c.out).toMatch(/3 assertions: 1 proven, 0 refuted, 0 unknown, 2 vacuous in /);
    // The front end's warning stands for the rule; the lint does not repeat it (V801, V803).
    expect(c.out).not.toMatch(/V80[13]/);
  });

  it('JSON: the status, the families each verdict was decided over, and the count', async () => {
    const c = io();
    expect(await runInPool(['verify', 'v.plumb', '--format', 'json'], c)).toBe(0);
    const report = JSON.parse(c.out) as { verdicts: JsonVerdict[]; stats: Record<string, number> };
    expect(report.verdicts.map((v) => [v.assertion.text, v.status, v.families])).toEqual([
      ['assert reach office -> lab : https', 'vacuous', []],
      ['assert isolate lab -> office', 'vacuous', []],
      ['assert reach office -> dual : ssh', 'proven', [4]],
    ]);
    expect(report.verdicts[2]!.reason).toBe('IPv4 only: the sources have no IPv6 addresses');
    expect(report.stats).toMatchObject({ assertions: 3, proven: 1, refuted: 0, unknown: 0, vacuous: 2 });
  });

  it('SARIF: results to review, level note, under their own rule', async () => {
    const c = io();
    expect(await runInPool(['verify', 'v.plumb', '--format', 'sarif'], c)).toBe(0);
    const run0 = (JSON.parse(c.out) as { runs: { tool: { driver: { rules: { id: string }[] } }; results: { ruleId: string; kind?: string; level: string; locations: { physicalLocation: { region: { startLine: number } } }[] }[] }[] }).runs[0]!;
    const vacuous = run0.results.filter((r) => r.ruleId === 'assertion-vacuous');
    expect(vacuous.map((r) => [r.kind, r.level, r.locations[0]!.physicalLocation.region.startLine])).toEqual([
      ['review', 'note', 15],
      ['review', 'note', 16],
    ]);
    expect(run0.tool.driver.rules.map((r) => r.id)).toContain('assertion-vacuous');
  });

  it('JUnit: skipped test cases, counted in the suite', async () => {
    const c = io();
    expect(await runInPool(['verify', 'v.plumb', '--format', 'junit'], c)).toBe(0);
    const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(c.out) as {
      testsuites: { skipped: string; failures: string; testsuite: { testcase: { name: string; skipped?: { message: string } }[] } };
    };
    expect(xml.testsuites.skipped).toBe('2');
    expect(xml.testsuites.failures).toBe('0');
    const skipped = xml.testsuites.testsuite.testcase.filter((t) => t.skipped !== undefined);
    expect(skipped.map((t) => t.name)).toEqual(['assert reach office -> lab : https', 'assert isolate lab -> office']);
    expect(skipped[0]!.skipped!.message).toMatch(/^vacuous: no address family in common/);
  });

  it('GitHub: a notice at the assert line, not an error', async () => {
    const c = io();
    expect(await runInPool(['verify', 'v.plumb', '--format', 'github'], c)).toBe(0);
    expect(c.out).toMatch(/^::notice file=v\.plumb,line=15,.*title=assertion vacuous::vacuous: assert reach office -> lab : https/m);
    expect(c.out).not.toMatch(/^::error /m);
  });
});
