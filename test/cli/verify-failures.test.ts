// `plumb verify --failures N`: every assertion without its own `under` clause is proven under
// any N failed links or devices too; the report names the failed link of a refutation and ends
// with one "survives ..." line per failure budget (text), or `stats.failures` (JSON).

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run as runCli } from '../../cli/program.js';
import { OSPF_RING } from '../ospf-ring.js';
import { sharedSolvers } from '../shared-solvers.js';
import { capturedIo, type CapturedIo } from './captured-io.js';

const dir = mkdtempSync(join(tmpdir(), 'plumb-failures-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const io = (): CapturedIo => capturedIo(dir);
// One pool of Z3 workers for the file's commands (test/shared-solvers.ts): each `verify` would
// otherwise start and close workers of its own.
const solvers = sharedSolvers();
const run = (...args: Parameters<typeof runCli>): ReturnType<typeof runCli> => solvers(() => runCli(...args));

// A ring of three routers, one segment on each: every path survives any one failure.
const INTENT = `${OSPF_RING}segment lab 10.3.0.0/24 at s.r3
policy {
  allow office -> db : postgres
  allow office -> lab : ssh
}
assert reach office -> db : postgres
assert reach office -> lab : ssh
assert isolate lab -> db
`;

describe('plumb verify --failures', () => {
  writeFileSync(join(dir, 't.plumb'), INTENT);

  it('proves under any 1 failure and says how many assertions survive it', async () => {
    const c = io();
    expect(await run(['verify', 't.plumb', '--failures', '1'], c)).toBe(0);
    expect(c.out).toContain('note: under any 1 failure: ');
    expect(c.out.trimEnd().split('\n').at(-1)).toBe('survives any 1 failure: 3 of 3');
  }, 120_000);

  it('names the failed element of a refutation, and counts it in JSON', async () => {
    // Without r1 -- r3, office reaches lab only over r2: failing r2 cuts it off.
    writeFileSync(join(dir, 'line.plumb'), INTENT.replace('  link r1 -- r3\n', ''));
    const c = io();
    expect(await run(['verify', 'line.plumb', '--failures', '1', '--format', 'json'], c)).toBe(1);
    const report = JSON.parse(c.out) as { verdicts: { status: string; failed?: string[]; counterexample?: { summary: string } }[]; stats: { failures: unknown } };
    const lab = report.verdicts[1]!;
    expect(lab.status).toBe('refuted');
    expect(lab.failed).toHaveLength(1);
    expect(lab.counterexample!.summary).toMatch(/^with s\.r\d( -- s\.r\d)? failed \(routing re-converged\): /);
    expect(report.stats.failures).toEqual([{ budget: 'any 1 failure', survived: 1, assertions: 3 }]);
  }, 120_000);

  it('refuses a number of failures out of range', async () => {
    const c = io();
    await expect(run(['verify', 't.plumb', '--failures', '4'], c)).resolves.toBe(2);
    expect(c.err).toContain('invalid --failures `4`');
  });
});
