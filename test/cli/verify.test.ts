// `plumb verify`: exit codes, the text report with counterexamples, and the SARIF 2.1.0, JUnit,
// GitHub-annotation and JSON outputs pointing at the `assert` lines.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../cli/io.js';
import { run } from '../../cli/program.js';
import { sharedSolvers } from '../shared-solvers.js';

const dir = mkdtempSync(join(tmpdir(), 'plumb-verify-'));
// One pool of Z3 workers for the file's runs (test/shared-solvers.ts): each `plumb verify` would
// otherwise start and close workers of its own; every query starts from a clean solver.
const inPool = sharedSolvers();
const runInPool = (args: string[], c: CliIo): Promise<number> => inPool(() => run(args, c));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function io(opts: { isTTY?: boolean; cwd?: string } = {}): CliIo & { out: string; err: string } {
  const captured = {
    out: '',
    err: '',
    stdout: (s: string) => void (captured.out += s),
    stderr: (s: string) => void (captured.err += s),
    isTTY: opts.isTTY ?? false,
    cwd: opts.cwd ?? dir,
    env: {},
  };
  return captured;
}

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
assert isolate b -> a
`;
writeFileSync(join(dir, 't.plumb'), INTENT);
writeFileSync(join(dir, 'ok.plumb'), INTENT.replace('assert reach a -> b : ssh\n', ''));
writeFileSync(join(dir, 'broken.plumb'), INTENT.replace('at s.r2', 'at s.r9'));

describe('plumb verify', () => {
  it('exits 0 when every assertion is proven', async () => {
    const c = io();
    expect(await runInPool(['verify', 'ok.plumb'], c)).toBe(0);
    expect(c.out).toMatch(/^proven {3}assert reach a -> b : https {2}\(.+\) {2}ok\.plumb:14$/m);
    expect(c.out).toMatch(/2 assertions: 2 proven, 0 refuted, 0 unknown in /);
    expect(c.err).toBe('');
  });

  it('exits 1 with a counterexample under a refuted assertion', async () => {
    const c = io();
    expect(await runInPool(['verify', 't.plumb'], c)).toBe(1);
    expect(c.out).toMatch(/^REFUTED {2}assert reach a -> b : ssh .* t\.plumb:15$/m);
    expect(c.out).toMatch(/^ {4}packet: tcp 10\.1\.0\.\d+:\d+ -> 10\.2\.0\.\d+:22 \[syn\]$/m);
    expect(c.out).toContain('why: the packet is dropped at s.r1 by its inbound filter');
    expect(c.out).toMatch(/=> DROPPED at s\.r1 \(inbound filter\)/);
    expect(c.out).toContain('3 assertions: 2 proven, 1 refuted, 0 unknown');
  });

  it('--only picks assertions by their text', async () => {
    const c = io();
    expect(await runInPool(['verify', 't.plumb', '--only', 'isolate'], c)).toBe(0);
    expect(c.out).toContain('1 assertion: 1 proven');
  });

  it('writes SARIF 2.1.0 pointing at the assert line', async () => {
    const c = io();
    expect(await runInPool(['verify', 't.plumb', '--format', 'sarif'], c)).toBe(1);
    const sarif = JSON.parse(c.out);
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].tool.driver.name).toBe('plumb');
    const refuted = sarif.runs[0].results.filter((r: { ruleId: string }) => r.ruleId === 'assertion-refuted');
    expect(refuted).toHaveLength(1);
    expect(refuted[0].level).toBe('error');
    expect(refuted[0].locations[0].physicalLocation).toEqual({ artifactLocation: { uri: 't.plumb', uriBaseId: '%SRCROOT%' }, region: { startLine: 15, startColumn: 1, endLine: 15, endColumn: expect.any(Number) } });
    expect(refuted[0].message.text).toContain('packet: tcp');
    // Proven assertions are not results (consumers show results as alerts); the run counts them.
    expect(sarif.runs[0].results.filter((r: { ruleId: string }) => r.ruleId === 'assertion-proven')).toHaveLength(0);
    expect(sarif.runs[0].properties).toMatchObject({ assertions: 3, proven: 2, refuted: 1 });
  });

  it("describes each diagnostic's rule in SARIF from the catalogue, linking to its entry in docs/diagnostics.md", async () => {
    const c = io();
    expect(await runInPool(['verify', 'broken.plumb', '--format', 'sarif'], c)).toBe(1);
    const driver = JSON.parse(c.out).runs[0].tool.driver;
    const rule = driver.rules.find((r: { id: string }) => r.id === 'P201');
    expect(rule).toEqual({
      id: 'P201',
      shortDescription: { text: 'unknown name' },
      fullDescription: { text: 'A name is used that no declaration in any file of the intent defines, and that is not built in.' },
      help: { text: 'A name is used that no declaration in any file of the intent defines, and that is not built in.' },
      helpUri: 'https://github.com/plumb-network/plumb/blob/main/docs/diagnostics.md#p201--unknown-name-error',
    });
    expect(readFileSync(join(import.meta.dirname, '../../docs/diagnostics.md'), 'utf8')).toContain('\n### P201 — unknown name (error)\n');
  });

  it('writes JUnit XML with a failure per refuted assertion', async () => {
    const c = io();
    expect(await runInPool(['verify', 't.plumb', '--format', 'junit'], c)).toBe(1);
    const xml = new XMLParser({ ignoreAttributes: false }).parse(c.out);
    const suite = xml.testsuites.testsuite;
    expect(suite['@_tests']).toBe('3');
    expect(suite['@_failures']).toBe('1');
    const failed = suite.testcase.find((t: { failure?: unknown }) => t.failure);
    expect(failed['@_name']).toBe('assert reach a -> b : ssh');
    expect(failed.failure['@_message']).toContain('dropped at s.r1');
  });

  it('writes GitHub annotations at the assert line', async () => {
    const c = io();
    expect(await runInPool(['verify', 't.plumb', '--format', 'github'], c)).toBe(1);
    const line = c.out.split('\n').find((l) => l.startsWith('::error '))!;
    expect(line).toMatch(/^::error file=t\.plumb,line=15,col=1,endLine=15,endColumn=\d+,title=assertion refuted::refuted%3A|^::error file=t\.plumb,line=15,col=1,endLine=15,endColumn=\d+,title=assertion refuted::refuted: /);
    expect(line).toContain('%0A'); // the counterexample's lines, escaped
  });

  it('writes JSON with the verdicts and their counterexamples', async () => {
    const c = io();
    expect(await runInPool(['verify', 't.plumb', '--format', 'json'], c)).toBe(1);
    const report = JSON.parse(c.out);
    expect(report.verdicts.map((v: { status: string }) => v.status)).toEqual(['proven', 'refuted', 'proven']);
    expect(report.verdicts[1].counterexample.packet.destinationPort).toBe(22);
    expect(report.stats.assertions).toBe(3);
  });

  it('exits 1 on an intent with errors, without verifying', async () => {
    const c = io();
    expect(await runInPool(['verify', 'broken.plumb'], c)).toBe(1);
    expect(c.out).toContain('error');
    expect(c.out).not.toContain('assertions:');
  });

  it('shows a progress line on a terminal only', async () => {
    const tty = io({ isTTY: true });
    await runInPool(['verify', 't.plumb'], tty);
    expect(tty.err).toContain('verifying: 3/3');
    // Without a terminal (CI logs) there is none: see the first test, whose stderr is empty.
  });

  it('exits 2 on bad usage', async () => {
    for (const args of [
      ['verify', 't.plumb', '--format', 'xml'],
      ['verify', 't.plumb', '--timeout', '-1'],
      ['verify', 't.plumb', '--only', 'no such assertion'],
      ['verify', 'missing.plumb'],
    ]) {
      const c = io();
      expect(await run(args, c), args.join(' ')).toBe(2);
      expect(c.err).toMatch(/^error: /);
    }
  });

  it('takes --timeout from 0.001 to 86400 seconds and refuses anything else with the range', async () => {
    // 0.0004 used to round to 0 ms, which Z3 reads as no limit; 1e3 and 0x10 are not decimals.
    for (const value of ['0.0004', '0', '-1', '86400.5', '86401', '1e3', '0x10', 'NaN', 'Infinity', '', ' ', '30s']) {
      const c = io();
      expect(await runInPool(['verify', 'ok.plumb', '--timeout', value], c), value).toBe(2);
      expect(c.err).toBe(`error: invalid --timeout \`${value}\`: give a number of seconds from 0.001 to 86400\n  = help: e.g. --timeout 30\n`);
      expect(c.out).toBe('');
    }
  });

  it('--timeout 0.001 gives the solver 1 ms: what it does not decide in time is unknown, with the reason', async () => {
    const c = io();
    const exit = await runInPool(['verify', 't.plumb', '--timeout', '0.001', '--format', 'json'], c);
    const verdicts = JSON.parse(c.out).verdicts as { status: string; reason?: string }[];
    const unknown = verdicts.filter((v) => v.status === 'unknown');
    // Z3 may decide a query within 1 ms; what it does not decide must say why.
    expect(exit).toBe(1);
    for (const v of unknown) expect(v.reason).toMatch(/timeout|canceled|gave no answer/);
    expect(verdicts.filter((v) => v.status === 'proven').length + unknown.length + verdicts.filter((v) => v.status === 'refuted').length).toBe(3);
  });

  it('--timeout 86400, the maximum, proves as the default does', async () => {
    const c = io();
    expect(await runInPool(['verify', 'ok.plumb', '--timeout', '86400', '--format', 'json'], c)).toBe(0);
    const report = JSON.parse(c.out);
    expect(report.verdicts.map((v: { status: string }) => v.status)).toEqual(['proven', 'proven']);
    expect(report.stats.restarts).toBe(0);
  });
});
