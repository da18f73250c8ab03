// `verify --shard K/N` and `--merge`: the shards' reports joined equal one unsharded run
// (verdicts in source order, counts, diagnostics once, exit code), and bad merges are refused.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../cli/program.js';
import { staticChainIntent } from '../intent-runs.js';
import { capturedIo } from './captured-io.js';
import { sharedSolvers } from '../shared-solvers.js';

// One pool of Z3 workers for the file's runs (test/shared-solvers.ts): each command that proves
// would otherwise start and close workers of its own; every query starts from a clean solver.
const inPool = sharedSolvers();
const runInPool = (args: string[], c: Parameters<typeof run>[1]): Promise<number> => inPool(() => run(args, c));

const dir = mkdtempSync(join(tmpdir(), 'plumb-shards-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Seven assertions (two refuted: one by the policy, one by a failure of the chain r1 -- r2 -- r3).
writeFileSync(
  join(dir, 't.plumb'),
  staticChainIntent(`assert reach a -> b : https
assert reach a -> c : ssh
assert reach b -> c : dns
assert isolate c -> a
assert reach a -> b : ssh
assert isolate b -> a : https
assert reach a -> c : ssh under 1 failure`),
);

type Json = { verdicts: { status: string; assertion: { text: string }; millis?: number }[]; diagnostics: unknown[]; stats: Record<string, unknown>; shard?: unknown };
const stable = (r: Json): unknown => ({
  verdicts: r.verdicts.map((v) => ({ ...v, millis: 0 })),
  diagnostics: r.diagnostics,
  counts: (({ assertions, proven, refuted, unknown, vacuous }) => ({ assertions, proven, refuted, unknown, vacuous }))(r.stats as Record<string, number>),
});

let whole: Json;
let wholeExit: number;
beforeAll(async () => {
  const c = capturedIo(dir);
  wholeExit = await runInPool(['verify', 't.plumb', '--format', 'json'], c);
  whole = JSON.parse(c.out);
  for (const k of [1, 2, 3]) {
    const s = capturedIo(dir);
    await runInPool(['verify', 't.plumb', '--shard', `${k}/3`, '--json', `shard-${k}.json`, '--format', 'text'], s);
  }
}, 300_000);

describe('verify --shard and --merge', () => {
  it('proves every Nth assertion in a shard and says which shard it was', () => {
    const s2 = JSON.parse(readFileSync(join(dir, 'shard-2.json'), 'utf8')) as Json;
    expect(s2.shard).toEqual({ index: 2, count: 3, assertions: 7 });
    expect(s2.verdicts.map((v) => v.assertion.text)).toEqual(['assert reach a -> c : ssh', 'assert reach a -> b : ssh']);
  });

  it('merges the shards into exactly the unsharded report and exit code', async () => {
    const c = capturedIo(dir);
    const exit = await runInPool(['verify', '--merge', 'shard-3.json', 'shard-1.json', 'shard-2.json', '--format', 'json'], c);
    expect(exit).toBe(wholeExit);
    expect(exit).toBe(1);
    const merged = JSON.parse(c.out) as Json;
    expect(stable(merged)).toEqual(stable(whole));
    expect(merged.shard).toBeUndefined();
    const t = capturedIo(dir);
    await runInPool(['verify', '--merge', 'shard-1.json', 'shard-2.json', 'shard-3.json'], t);
    expect(t.out).toMatch(/^7 assertions: 5 proven, 2 refuted, 0 unknown/m);
    expect(t.out).toMatch(/^survives any 1 failure: 0 of 1$/m);
  });

  it('refuses a missing, a repeated or a foreign shard, and bad --shard values', async () => {
    const missing = capturedIo(dir);
    expect(await runInPool(['verify', '--merge', 'shard-1.json', 'shard-3.json'], missing)).toBe(2);
    expect(missing.err).toContain('shard 2/3 missing');
    const twice = capturedIo(dir);
    expect(await runInPool(['verify', '--merge', 'shard-1.json', 'shard-1.json', 'shard-2.json', 'shard-3.json'], twice)).toBe(2);
    expect(twice.err).toContain('are both shard 1/3');
    writeFileSync(join(dir, 'plain.json'), JSON.stringify(whole));
    const plain = capturedIo(dir);
    expect(await runInPool(['verify', '--merge', 'plain.json'], plain)).toBe(2);
    expect(plain.err).toContain('is not the report of a shard');
    for (const bad of ['0/3', '4/3', '1/0', 'a/b', '1/3/4']) {
      const c = capturedIo(dir);
      expect(await runInPool(['verify', 't.plumb', '--shard', bad], c), bad).toBe(2);
      expect(c.err).toContain('invalid --shard');
    }
  });
});
