// `plumb compile -o DIR` killed with SIGKILL before or in the middle of its write, and run
// concurrently.
// The kill lands at a chosen step deterministically: the child stops there
// (PLUMB_PAUSE_OUTPUT_AT) and says so, then is killed. After every kill DIR exists, holds one
// whole manifest.json (the previous or the new), and the user's files; recovery leaves exactly
// the previous output (killed before the commit) or exactly the new one (after it); the next
// compile succeeds and leaves nothing behind.

import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recoverFolder } from '../../backends/output-write.js';
import { snapshot } from '../folder-snapshot.js';
import { compileGoldens, workspaces, plumb, start, startPaused, workEntries } from './compile-output-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'plumb-out-kill-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const workspace = workspaces(tmp);

/** The output of each intent, written once into a folder of its own (out-a, out-b of goldenDir). */
let golden: { a: Record<string, string>; b: Record<string, string> } = { a: {}, b: {} };
let goldenDir = '';
beforeAll(async () => {
  goldenDir = workspace();
  golden = await compileGoldens(goldenDir);
}, 120_000);

const USER_FILES = { 'NOTES.txt': 'my notes\n', 's/r1/hand.txt': 'added by hand\n' };

/**
 * DIR with A's output and a user's files in it: a copy of the folder `plumb compile a.plumb -o`
 * wrote once (nothing in it names its folder: golden.b's manifest is the same in every one).
 */
async function previousOutput(w: string): Promise<string> {
  const out = join(w, 'out');
  cpSync(join(goldenDir, 'out-a'), out, { recursive: true });
  expect(snapshot(out)).toEqual(golden.a);
  for (const [p, text] of Object.entries(USER_FILES)) writeFileSync(join(out, p), text);
  return out;
}

/** A snapshot without Plumb's working entries (lock, journal, staging). */
function visible(dir: string): Record<string, string> {
  return Object.fromEntries(Object.entries(snapshot(dir)).filter(([p]) => !p.startsWith('.plumb-')));
}

// B differs from A in 5 files (r1's nftables.conf is the same, so it is not moved): the kill
// lands with every file rendered and validated but the lock not taken, before anything moved,
// after the journal, after the first, a middle and the last file moved in, after the commit and
// after the clean-up.
const STEPS = ['rendered', 'staged', 'journal', 'install:1', 'install:3', 'install:5', 'commit', 'cleanup'] as const;
const COMMITTED = new Set(['commit', 'cleanup']);
/** Steps with no journal: nothing to roll back or finish. */
const UNJOURNALED = new Set(['rendered', 'staged', 'cleanup']);

describe('kill -9 during plumb compile -o', () => {
  for (const step of STEPS) {
    it(`at ${step}: one whole manifest, user files kept, then recovered to exactly one output`, async () => {
      const w = workspace();
      const out = await previousOutput(w);
      const before = readFileSync(join(out, 'manifest.json'), 'utf8');
      const run = await startPaused(['compile', 'b.plumb', '-o', 'out'], w, step);
      run.child.kill('SIGKILL');
      expect(await run.exited).toBe(null);

      const manifest = readFileSync(join(out, 'manifest.json'), 'utf8');
      expect(manifest).toBe(COMMITTED.has(step) ? golden.b['manifest.json'] : before);
      const seen = visible(out);
      for (const [p, text] of Object.entries(USER_FILES)) expect(seen[p]).toBe(text);
      for (const [p, text] of Object.entries(seen)) {
        if (p in USER_FILES || text === '/') continue;
        expect([golden.a[p], golden.b[p]], p).toContain(text); // every file whole, old or new
      }
      if (!UNJOURNALED.has(step)) expect(workEntries(out)).toContain('.plumb-write.json');
      if (step === 'rendered') expect(workEntries(out)).toEqual([`.plumb-pending-${run.pid}`]);

      const report = recoverFolder(out);
      const expected = COMMITTED.has(step) ? golden.b : golden.a;
      expect(snapshot(out)).toEqual({ ...expected, ...USER_FILES });
      if (UNJOURNALED.has(step)) expect(report.recovered).toBeUndefined();
      else expect(report.recovered).toEqual({ pid: run.pid, outcome: COMMITTED.has(step) ? 'finished' : 'rolled back' });
      if (step === 'staged') expect(report.removedStale).toEqual([join(out, `.plumb-staging-${run.pid}`)]);
      if (step === 'rendered') expect(report.removedStale).toEqual([join(out, `.plumb-pending-${run.pid}`)]);
    }, 60_000);
  }

  it('the next compile recovers by itself, says so, and leaves nothing behind', async () => {
    const w = workspace();
    const out = await previousOutput(w);
    const run = await startPaused(['compile', 'b.plumb', '-o', 'out'], w, 'install:3');
    run.child.kill('SIGKILL');
    await run.exited;
    const r = await plumb(['compile', 'b.plumb', '-o', 'out'], w);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain(`note: rolled back the interrupted compile (pid ${run.pid}) of out to the previous output`);
    expect(snapshot(out)).toEqual({ ...golden.b, ...USER_FILES });
  }, 60_000);

  it('a first compile killed mid-write leaves a folder the next compile accepts', async () => {
    const w = workspace();
    const run = await startPaused(['compile', 'a.plumb', '-o', 'out'], w, 'install:2');
    run.child.kill('SIGKILL');
    await run.exited;
    expect(existsSync(join(w, 'out', 'manifest.json'))).toBe(false);
    const r = await plumb(['compile', 'a.plumb', '-o', 'out'], w);
    expect(r.status, r.stderr).toBe(0);
    expect(snapshot(join(w, 'out'))).toEqual(golden.a);
  }, 60_000);

  it("removes the temporary folders of killed runs of older versions beside DIR, not a live run's", async () => {
    const w = workspace();
    await previousOutput(w);
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const deadPid = Number(dead.stdout);
    for (const name of [`.out.tmp-${deadPid}`, `.out.old-${deadPid}`, `.out.tmp-${process.pid}`]) {
      mkdirSync(join(w, name, 's'), { recursive: true });
      writeFileSync(join(w, name, 'manifest.json'), '{}');
    }
    const r = await plumb(['compile', 'a.plumb', '-o', 'out'], w);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain(`note: removed .out.old-${deadPid}, left by an interrupted run`);
    expect(r.stderr).toContain(`note: removed .out.tmp-${deadPid}, left by an interrupted run`);
    expect(readdirSync(w).filter((x) => x.startsWith('.out.'))).toEqual([`.out.tmp-${process.pid}`]);
  }, 60_000);

  it('a damaged journal is refused with a clear message, and nothing is touched', async () => {
    const w = workspace();
    const out = await previousOutput(w);
    writeFileSync(join(w, 'victim'), 'x');
    const journal = { format: 1, pid: 1, staging: '.plumb-staging-1', nextManifest: '0'.repeat(64), previous: ['../victim'], next: [] };
    writeFileSync(join(out, '.plumb-write.json'), JSON.stringify(journal));
    const before = snapshot(w);
    const r = await plumb(['compile', 'b.plumb', '-o', 'out'], w);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('error: out/.plumb-write.json (left by an interrupted compile) is damaged: bad path "../victim"');
    expect(r.stderr).toMatch(/= help: check the folder against its manifest\.json/);
    expect(snapshot(w)).toEqual(before);
  }, 60_000);
});

describe('concurrent plumb compile -o to one folder', () => {
  it('two at once both succeed, one after the other; DIR is exactly one of the outputs', async () => {
    for (let round = 0; round < 3; round++) {
      const w = workspace();
      const [a, b] = await Promise.all([plumb(['compile', 'a.plumb', '-o', 'out'], w), plumb(['compile', 'b.plumb', '-o', 'out'], w)]);
      expect(a.status, a.stderr).toBe(0);
      expect(b.status, b.stderr).toBe(0);
      const got = snapshot(join(w, 'out'));
      expect([golden.a, golden.b]).toContainEqual(got);
      expect(readdirSync(w).sort()).toEqual(['a.plumb', 'b.plumb', 'out', 'plumb.lock']);
    }
  }, 120_000);

  it('a writer holding the lock: refused at once with --lock-wait 0, waited for otherwise; a killed holder is taken over', async () => {
    const w = workspace();
    const out = await previousOutput(w);
    const holder = await startPaused(['compile', 'b.plumb', '-o', 'out'], w, 'journal');
    const refused = await plumb(['compile', 'a.plumb', '-o', 'out', '--lock-wait', '0'], w);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain(`error: out is being written by another plumb compile (pid ${holder.pid})`);
    expect(refused.stderr).toContain('= help: wait for it to finish');
    const waiter = start(['compile', 'a.plumb', '-o', 'out', '--lock-wait', '60'], w);
    await waiter.until(new RegExp(`waiting for another plumb compile \\(pid ${holder.pid}\\) to finish writing out`));
    holder.child.kill('SIGKILL');
    expect(await waiter.exited, waiter.stderr()).toBe(0);
    expect(waiter.stderr()).toContain(`rolled back the interrupted compile (pid ${holder.pid})`);
    expect(snapshot(out)).toEqual({ ...golden.a, ...USER_FILES });
  }, 120_000);
});
