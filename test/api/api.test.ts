// The library API (api/index.ts) on the acme example and on an intent with an error given in
// memory: each function's result is what the CLI prints with `--format json` (the same objects,
// the CLI run in-process on the same input), survives JSON.stringify/JSON.parse unchanged, and
// bad input comes back as a value, not a throw.

import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyze, compile, diff, render, verify, writeOutput, type SourceText } from '../../api/index.js';
import { run } from '../../cli/program.js';
import { capturedIo } from '../cli/captured-io.js';
import { sharedSolvers } from '../shared-solvers.js';

const ROOT = process.cwd();
const ACME = 'examples/acme';
const ACME_TEXT = readFileSync(join(ACME, 'acme.plumb'), 'utf8');
const SMALL = 'pool infra 10.255.0.0/16\nsite s1 {\n  router r1 frr\n}\nsegment a 10.0.1.0/24 at s1.r1\nsegment b 10.0.2.0/24 at s1.r1\n';
const BROKEN: SourceText[] = [{ path: 'gen/net.plumb', text: `${SMALL}host h 10.0.2.5 in bb\n` }];

const tmp = mkdtempSync(join(tmpdir(), 'plumb-api-'));
// One pool of Z3 workers for the file's proofs and translation validations, the library's and
// the CLI's (test/shared-solvers.ts): each call would otherwise start and close workers of its
// own; every query starts from a clean solver.
const inPool = sharedSolvers();
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** What the CLI prints to stdout for these arguments, run in the repository's folder. */
async function cliJson(args: string[]): Promise<{ exit: number; json: unknown }> {
  const io = capturedIo(ROOT);
  const exit = await run(args, io);
  return { exit, json: JSON.parse(io.out) };
}

const roundTrips = (x: unknown): void => expect(JSON.parse(JSON.stringify(x))).toStrictEqual(x);

/** A report without its timings, which differ between two runs. */
function untimed(x: unknown): unknown {
  return JSON.parse(JSON.stringify(x), (key, v: unknown) => (key === 'millis' || key === 'startupMillis' || key === 'totalMillis' ? 0 : v));
}

describe('analyze', () => {
  it('gives what `plumb check --format json` prints, on acme', () => inPool(async () => {
    const result = analyze(ACME);
    expect(result.ok).toBe(true);
    expect(result.model).toMatchObject({ name: expect.any(String), devices: expect.any(Number) });
    expect(result.model!.devices).toBeGreaterThan(0);
    const cli = await cliJson(['check', ACME, '--format', 'json']);
    expect(cli.exit).toBe(0);
    expect(result.report).toStrictEqual(cli.json);
    roundTrips(result);
  }));

  it('reports an in-memory intent\'s error with its code, place, message and hint', () => {
    const result = analyze(BROKEN);
    expect(result.ok).toBe(false);
    expect(result.model).toBeUndefined();
    const error = result.report!.diagnostics.find((d) => d.severity === 'error')!;
    expect(error).toMatchObject({ code: 'P201', file: 'gen/net.plumb', start: { line: 7, column: 20 } });
    expect(error.message).toBe('unknown segment `bb`');
    expect(error.hint).toBe('did you mean `b`?');
    roundTrips(result);
  });

  it('the same in-memory text and the same file give the same report', () => {
    const inMemory = analyze([{ path: 'examples/acme/acme.plumb', text: ACME_TEXT }]);
    expect(inMemory).toStrictEqual(analyze(ACME));
  });

  it('returns unreadable input as a problem, and throws only for arguments of the wrong type', () => {
    expect(analyze('no/such/folder')).toStrictEqual({ ok: false, inputProblem: { message: 'cannot read no/such/folder: no such file or directory' } });
    expect(analyze([])).toMatchObject({ ok: false, inputProblem: { message: 'no input files' } });
    expect(analyze([{ path: 'a.plumb', text: '' }, { path: 'a.plumb', text: '' }]).inputProblem?.message).toBe('two sources are named a.plumb');
    expect(() => analyze(42 as never)).toThrow(TypeError);
    expect(() => analyze([{ path: 'a.plumb' }] as never)).toThrow(TypeError);
    expect(() => analyze(ACME, { cwd: 7 as never })).toThrow(TypeError);
  });
});

describe('compile and render', () => {
  it('compile gives the model `plumb compile --emit model` prints, every device\'s files, and their validation', () => inPool(async () => {
    const result = await compile(ACME);
    expect(result.ok).toBe(true);
    const cli = await cliJson(['compile', ACME, '--emit', 'model']);
    expect(result.model).toStrictEqual(cli.json);
    expect(result.validation).toMatchObject({ ok: true, summary: { devices: result.devices!.length } });
    expect(result.manifest!.devices.map((d) => d.id)).toStrictEqual(result.devices!.map((d) => d.id));
    roundTrips(result);
  }), 300_000);

  it('writeOutput writes what `plumb compile -o` writes', () => inPool(async () => {
    const result = await compile(ACME, { validate: false });
    expect(result.validation).toBeUndefined();
    const written = writeOutput(join(tmp, 'api-out'), result);
    expect(written).toMatchObject({ ok: true, devices: result.devices!.length });
    const io = capturedIo(ROOT);
    expect(await run(['compile', ACME, '-o', join(tmp, 'cli-out'), '--no-validate'], io)).toBe(0);
    const files = (dir: string): string[] => readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
    expect(files(join(tmp, 'api-out'))).toStrictEqual(files(join(tmp, 'cli-out')));
    for (const f of files(join(tmp, 'cli-out')).filter((f) => f.includes('.'))) {
      expect(readFileSync(join(tmp, 'api-out', f), 'utf8'), f).toBe(readFileSync(join(tmp, 'cli-out', f), 'utf8'));
    }
    expect(writeOutput(ROOT, result).problem?.message).toContain('is the working directory');
    expect(writeOutput(join(tmp, 'x'), await compile(BROKEN))).toMatchObject({ ok: false });
  }), 300_000);

  it('compile of an intent with an error gives its diagnostics and no model', () => inPool(async () => {
    const result = await compile(BROKEN);
    expect(result).toMatchObject({ ok: false, diagnostics: [{ code: 'P201', file: 'gen/net.plumb' }] });
    expect(result.model).toBeUndefined();
    expect(result.devices).toBeUndefined();
    roundTrips(result);
  }));

  it('render gives one device\'s files as text, or every device\'s', () => inPool(async () => {
    const all = render(ACME);
    expect(all.ok).toBe(true);
    const compiled = await compile(ACME, { validate: false });
    expect(all.devices).toStrictEqual(compiled.devices);
    const one = all.devices![0]!;
    const single = render(ACME, { device: one.id });
    expect(single.devices).toStrictEqual([one]);
    expect(single.text!.startsWith(`==> ${one.dir}/${one.files[0]!.path} <==\n${one.files[0]!.content}`)).toBe(true);
    expect(render(ACME, { device: 'nowhere.r9' }).inputProblem?.message).toBe('no device nowhere.r9 in the intent');
    expect(render(BROKEN)).toMatchObject({ ok: false, diagnostics: [{ code: 'P201' }] });
    roundTrips(single);
  }), 300_000);
});

describe('verify', () => {
  it('gives what `plumb verify --format json` prints, on acme', () => inPool(async () => {
    const result = await verify(ACME);
    const cli = await cliJson(['verify', ACME, '--format', 'json']);
    expect(result.ok).toBe(cli.exit === 0);
    expect(untimed(result.report)).toStrictEqual(untimed(cli.json));
    expect(result.report!.verdicts.length).toBeGreaterThan(0);
    roundTrips(result);
  }), 600_000);

  it('proves an in-memory intent, and reports one with an error without proving it', () => inPool(async () => {
    const text = `${SMALL}policy {\n  allow a -> b : https\n}\nassert reach a -> b : https\nassert isolate b -> a : ssh\n`;
    const proven = await verify([{ path: 'mem.plumb', text }]);
    expect(proven.report!.verdicts.map((v) => v.status)).toStrictEqual(['proven', 'proven']);
    expect(proven.ok).toBe(true);
    const refuted = await verify([{ path: 'mem.plumb', text: text.replace('assert isolate b -> a : ssh', 'assert reach b -> a : ssh') }]);
    expect(refuted.ok).toBe(false);
    expect(refuted.report!.verdicts[1]!.counterexample).toBeDefined();
    roundTrips(refuted);
    const broken = await verify(BROKEN);
    expect(broken).toMatchObject({ ok: false, report: { verdicts: [], diagnostics: [{ code: 'P201', span: { file: 'gen/net.plumb' } }] } });
    await expect(verify(ACME, { timeoutMs: -1 })).rejects.toThrow(TypeError);
  }), 600_000);
});

describe('diff', () => {
  it('gives what `plumb diff --format json` prints', () => inPool(async () => {
    const same = await diff(ACME, ACME);
    expect(same.ok).toBe(true);
    const cli = await cliJson(['diff', ACME, ACME, '--format', 'json']);
    expect(same.report).toStrictEqual(cli.json);
    expect(same.report!.flows!.changes).toStrictEqual([]);
    roundTrips(same);
  }), 600_000);

  it('a change in memory shows in the flows; an error on one side stops the comparison', () => inPool(async () => {
    const before: SourceText[] = [{ path: 'net.plumb', text: `${SMALL}policy {\n  allow a -> b : https\n}\n` }];
    const after: SourceText[] = [{ path: 'net.plumb', text: `${SMALL}policy {\n  allow a -> b : https, ssh\n}\n` }];
    const changed = await diff(before, after);
    expect(changed.ok).toBe(true);
    expect(changed.report).toMatchObject({ old: 'old', new: 'new', flows: { changes: [{ change: 'allowed', source: 'a', destination: 'b' }] } });
    roundTrips(changed);
    const stopped = await diff(before, BROKEN, { labels: { old: 'main', new: 'generated' } });
    expect(stopped).toMatchObject({ ok: false, report: { errors: true, old: 'main', new: 'generated', diagnostics: { old: [], new: [{ code: 'P201', line: 7 }] } } });
    expect((await diff(before, 'no/such.plumb')).inputProblem?.message).toBe('cannot read no/such.plumb: no such file or directory');
  }), 600_000);
});
