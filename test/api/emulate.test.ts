// `emulate` through the library: bad input and bad options before anything is built, an intent
// with errors reported as `plumb emulate --format json` reports it (no lab), and on a machine
// that cannot run a lab, the `labProblem` where the CLI exits 2. A lab itself runs in the test of
// docs/api.md's examples (and in test/emulator/).

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { emulate, type SourceText } from '../../api/index.js';
import { labProblem } from '../../api/emulate.js';
import { run } from '../../cli/program.js';
import { capturedIo } from '../cli/captured-io.js';

const tmp = mkdtempSync(join(tmpdir(), 'plumb-api-emulate-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const BROKEN: SourceText[] = [{ path: 'net.plumb', text: 'pool infra 10.255.0.0/16\nsite s1 {\n  router r1 frr\n}\nsegment a 10.0.1.0/24 at s1.r1\nhost h 10.0.1.5 in aa\n' }];
const lab = labProblem();

describe('emulate', () => {
  it('returns unreadable input as a problem, and throws only for options of the wrong type', async () => {
    expect(await emulate('no/such.plumb', { cwd: tmp })).toStrictEqual({ ok: false, inputProblem: { message: 'cannot read no/such.plumb: no such file or directory' } });
    await expect(emulate(BROKEN, { convergenceLimitMs: 0 })).rejects.toThrow(TypeError);
    await expect(emulate(BROKEN, { failures: 4 })).rejects.toThrow(TypeError);
    await expect(emulate(BROKEN, { keep: 'yes' as never })).rejects.toThrow(TypeError);
    await expect(emulate(42 as never)).rejects.toThrow(TypeError);
    await expect(emulate(BROKEN, { with: BROKEN, failures: 1 })).rejects.toThrow(/joint lab/);
    expect(await emulate(BROKEN, { cwd: tmp, with: 'no/such.plumb' })).toStrictEqual({ ok: false, inputProblem: { message: 'cannot read no/such.plumb: no such file or directory' } });
  });

  it.runIf(lab === undefined)('with another intent: two intents that are not the parties of one contract are an inputProblem, as `--with` exits 2 for', async () => {
    const plain: SourceText[] = [{ path: 'net.plumb', text: 'pool infra 10.255.0.0/16\nsite s1 {\n  router r1 frr\n}\nsegment a 10.0.1.0/24 at s1.r1\n' }];
    const result = await emulate(plain, { with: plain });
    expect(result.ok).toBe(false);
    expect(result.inputProblem?.message).toMatch(/contract/);
    expect(result.report).toBeUndefined();
  });

  it.runIf(lab === undefined)('reports an intent with errors as `plumb emulate --format json` does, building nothing', async () => {
    const result = await emulate(BROKEN);
    expect(result.ok).toBe(false);
    expect(result.report!.emulation).toBeNull();
    expect(result.report!.diagnostics.diagnostics[0]).toMatchObject({ code: 'P201', file: 'net.plumb', start: { line: 6 } });
    writeFileSync(join(tmp, 'net.plumb'), BROKEN[0]!.text);
    const io = capturedIo(tmp);
    expect(await run(['emulate', 'net.plumb', '--format', 'json'], io)).toBe(1);
    expect(result.report).toStrictEqual(JSON.parse(io.out));
    expect(JSON.parse(JSON.stringify(result))).toStrictEqual(result);
  });

  it.runIf(lab !== undefined)('on a machine that cannot run a lab: a labProblem naming what is missing, where the CLI exits 2', async () => {
    const result = await emulate(BROKEN);
    expect(result).toStrictEqual({ ok: false, labProblem: lab });
    expect(lab!.missing.length).toBeGreaterThan(0);
    writeFileSync(join(tmp, 'net.plumb'), BROKEN[0]!.text);
    const io = capturedIo(tmp);
    expect(await run(['emulate', 'net.plumb'], io)).toBe(2);
    expect(io.err).toContain(`plumb emulate cannot run here: missing ${lab!.missing.join(', ')}`);
  });
});
