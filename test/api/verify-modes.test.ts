// Every mode of `plumb verify` through the library: the drift check on configuration folders
// (`configs`, with its `secrets`), shards and their merge, one intent per folder (`verifyEach`)
// and progress. Each result is what the CLI prints with `--format json` for the same input (the
// CLI run in-process), survives JSON.stringify/JSON.parse unchanged, and bad input is a value.

import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mergeVerifyReports, verify, verifyEach, type VerifyReport } from '../../api/index.js';
import { run } from '../../cli/program.js';
import { capturedIo } from '../cli/captured-io.js';
import { twoRouterIntent } from '../intent-runs.js';
import { sharedSolvers } from '../shared-solvers.js';

const ROOT = process.cwd();
const tmp = mkdtempSync(join(tmpdir(), 'plumb-api-verify-'));
// One pool of Z3 workers for the file's proofs, the library's and the CLI's (test/shared-solvers.ts):
// each call would otherwise start and close workers of its own; every query starts from a clean solver.
const inPool = sharedSolvers();
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** What the CLI prints to stdout for these arguments, run in `cwd`. */
async function cliJson(args: string[], cwd = ROOT): Promise<{ exit: number; json: unknown; err: string }> {
  const io = capturedIo(cwd);
  const exit = await run(args, io);
  return { exit, json: io.out === '' ? undefined : JSON.parse(io.out), err: io.err };
}

const roundTrips = (x: unknown): void => expect(JSON.parse(JSON.stringify(x))).toStrictEqual(x);

/** A report without its timings, which differ between two runs. */
function untimed(x: unknown): unknown {
  return JSON.parse(JSON.stringify(x), (key, v: unknown) => (key === 'millis' || key === 'startupMillis' || key === 'totalMillis' ? 0 : v));
}

/** Four assertions, one refuted by the policy; no failure budget, so every verdict is the same in every run. */
const FOUR = twoRouterIntent({
  network: 't',
  routing: 'static',
  tail: 'assert reach a -> b : https\nassert isolate b -> a\nassert reach a -> b : ssh\nassert isolate a -> b : dns\n',
});

describe('verify with configs: the drift check', () => {
  it('on the example\'s compile output: what `plumb verify --configs --format json` prints, with what was compared', () => inPool(async () => {
    const result = await verify('examples/acme', { configs: 'examples/acme/out', only: 'isolate' });
    const cli = await cliJson(['verify', 'examples/acme', '--configs', 'examples/acme/out', '--only', 'isolate', '--format', 'json']);
    expect(result.ok).toBe(cli.exit === 0);
    expect(untimed(result.report)).toStrictEqual(untimed(cli.json));
    expect(result.report!.configs).toMatchObject({ devices: 5, unmanaged: [] });
    roundTrips(result);
  }), 600_000);

  it('an edited file is drift at its line; a folder that is no output is an input problem', () => inPool(async () => {
    const dir = join(tmp, 'acme-out');
    cpSync(join(ROOT, 'examples/acme/out'), dir, { recursive: true });
    const file = join(dir, 'fra1/core1/frr.conf');
    // The first interface's OSPF cost, in both families (one cost per interface, as Plumb writes it).
    const raised = (_: string, keyword: string, cost: string): string => ` ${keyword} cost ${Number(cost) + 7}`;
    writeFileSync(file, readFileSync(file, 'utf8').replace(/ (ip ospf) cost (\d+)/, raised).replace(/ (ipv6 ospf6) cost (\d+)/, raised));
    const drifted = await verify('examples/acme', { configs: dir, only: 'reach' });
    expect(drifted.ok).toBe(false);
    expect(drifted.report!.diagnostics.some((d) => d.code === 'V886' && d.span.file.endsWith('fra1/core1/frr.conf'))).toBe(true);
    expect(drifted.report!.configs!.differences).toBeGreaterThan(0);
    const cli = await cliJson(['verify', 'examples/acme', '--configs', dir, '--only', 'reach', '--format', 'json']);
    expect(cli.exit).toBe(1);
    expect(untimed(drifted.report)).toStrictEqual(untimed(cli.json));

    const nowhere = await verify('examples/acme', { configs: join(tmp, 'nowhere') });
    expect(nowhere.ok).toBe(false);
    expect(nowhere.report).toBeUndefined();
    expect(nowhere.inputProblem!.message).toMatch(/^cannot read .*manifest\.json: ENOENT/);
    expect(nowhere.inputProblem!.hint).toContain('plumb compile -o DIR');
    await expect(verify('examples/acme', { configs: 7 as never })).rejects.toThrow(TypeError);
    await expect(verify('examples/acme', { configs: dir, secrets: 'always' as never })).rejects.toThrow(TypeError);
  }), 600_000);
});

describe('verify with shard, and mergeVerifyReports', () => {
  const sources = [{ path: 'four.plumb', text: FOUR }];
  let whole: VerifyReport;
  const shards: VerifyReport[] = [];

  it('proves every Nth assertion, says which shard it was, and equals `plumb verify --shard`', () => inPool(async () => {
    whole = (await verify(sources)).report!;
    for (const index of [1, 2]) shards.push((await verify(sources, { shard: { index, count: 2 } })).report!);
    expect(shards[1]!.shard).toStrictEqual({ index: 2, count: 2, assertions: 4 });
    expect(shards[1]!.verdicts.map((v) => v.assertion.text)).toStrictEqual(['assert isolate b -> a', 'assert isolate a -> b : dns']);
    writeFileSync(join(tmp, 'four.plumb'), FOUR);
    const cli = await cliJson(['verify', 'four.plumb', '--shard', '1/2', '--format', 'json'], tmp);
    expect(untimed(shards[0])).toStrictEqual(untimed(cli.json));
    await expect(verify(sources, { shard: { index: 3, count: 2 } })).rejects.toThrow(TypeError);
  }), 600_000);

  it('merges the shards into the unsharded report, in any order; refuses a missing, a repeated or a foreign report', () => {
    const merged = mergeVerifyReports([shards[1]!, shards[0]!]);
    expect(merged.ok).toBe(false);
    const counts = (r: VerifyReport): unknown => ({ ...r.stats, startupMillis: 0, totalMillis: 0, workers: 0, queries: 0 });
    expect(untimed(merged.report!.verdicts)).toStrictEqual(untimed(whole.verdicts));
    expect(merged.report!.diagnostics).toStrictEqual(whole.diagnostics);
    expect(counts(merged.report!)).toStrictEqual(counts(whole));
    expect(merged.report!.shard).toBeUndefined();
    roundTrips(merged);
    expect(mergeVerifyReports([shards[0]!]).inputProblem?.message).toBe('shard 2/2 missing');
    expect(mergeVerifyReports([shards[0]!, shards[0]!, shards[1]!]).inputProblem?.message).toBe('report 1 and report 2 are both shard 1/2');
    expect(mergeVerifyReports([whole]).inputProblem?.message).toBe('report 1 is not the report of a shard');
    expect(mergeVerifyReports([{ version: 1 } as never]).inputProblem?.message).toBe('report 1 is not a plumb verify JSON report of version 2');
    expect(mergeVerifyReports([]).inputProblem?.message).toBe('no shard reports to merge');
  });
});

describe('verifyEach', () => {
  it('proves each folder as its own intent: each folder\'s report, and all of them as `plumb verify --each --format json` prints', () => inPool(async () => {
    const sites = join(tmp, 'sites');
    for (const [folder, text] of [
      ['fra', FOUR.replace('network t', 'network fra')],
      ['lab/nested', FOUR.replace('network t', 'network lab').replace('assert reach a -> b : ssh\n', '')],
    ] as const) {
      mkdirSync(join(sites, folder), { recursive: true });
      writeFileSync(join(sites, folder, 'net.plumb'), text);
    }
    const progress: number[] = [];
    const result = await verifyEach('sites', { cwd: tmp, onProgress: (done) => progress.push(done) });
    expect(result.intents!.map((i) => [i.folder, i.ok, i.report.stats.assertions])).toStrictEqual([
      ['sites/fra', false, 4],
      ['sites/lab/nested', true, 3],
    ]);
    expect(result.ok).toBe(false);
    expect(progress.length).toBe(7);
    const cli = await cliJson(['verify', '--each', 'sites', '--format', 'json'], tmp);
    expect(cli.exit).toBe(1);
    expect(untimed(result.report)).toStrictEqual(untimed(cli.json));
    roundTrips(result);
    expect((await verifyEach('nowhere', { cwd: tmp })).inputProblem?.message).toBe('cannot read nowhere: no such file or directory');
    expect((await verifyEach('sites/fra/net.plumb', { cwd: tmp })).inputProblem?.message).toBe('sites/fra/net.plumb is not a folder');
    await expect(verifyEach('sites', { cwd: tmp, configs: 'out' } as never)).rejects.toThrow(TypeError);
  }), 600_000);
});
