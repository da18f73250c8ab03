// Claiming a lab's run (emulator/teardown.ts): another `plumb emulate` starting meanwhile removes
// every run it finds without a live owner, so a run's folder must never be seen without its
// owner file, or with that file still empty. A second process watches the folder the way
// `staleRuns` reads it while this one claims runs as fast as it can. Needs root (the folder is
// under /run): skips loudly outside CI.

import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { newRunId } from '../../emulator/index.js';
import { RUN_ROOT, claimRun, cleanStaleRuns, runDir, teardownRun } from '../../emulator/teardown.js';

const canClaim = process.getuid?.() === 0;
if (!canClaim && !process.env.CI) {
  console.warn(`\n*** SKIPPING the run-claim test: it writes under ${RUN_ROOT} and needs root (CI runs it as root) ***\n`);
}
const rootIt = canClaim || process.env.CI ? it : it.skip;

/** Prints every run folder of the given prefix it ever saw without a non-empty owner file. */
const WATCHER = String.raw`
import os, re, sys
root, prefix, stop = sys.argv[1], sys.argv[2], sys.argv[3]
pattern = re.compile(r'^pl[0-9a-f]{6}$')
bad, looks = set(), 0
while not os.path.exists(stop):
    looks += 1
    try:
        entries = os.listdir(root)
    except FileNotFoundError:
        continue
    for e in entries:
        if not (pattern.match(e) and e.startswith(prefix)):
            continue
        try:
            with open(os.path.join(root, e, 'owner')) as f:
                if f.read().strip() == '':
                    bad.add(e)
        except FileNotFoundError:
            if os.path.isdir(os.path.join(root, e)):
                bad.add(e)
print(looks, ' '.join(sorted(bad)))
`;

describe('claiming a run', () => {
  rootIt('leaves the folder with this process as its owner, and nothing half made', () => {
    const runId = newRunId();
    try {
      expect(claimRun(runId)).toBe(runDir(runId));
      expect(readFileSync(join(runDir(runId), 'owner'), 'utf8')).toBe(`${process.pid}\n`);
      // The routing daemons, running as their own user, reach their folders inside it.
      expect(statSync(runDir(runId)).mode & 0o777).toBe(0o755);
      // Claimed again (a lab rebuilt under the same id): still one owner file, still ours.
      writeFileSync(join(runDir(runId), 'owner'), '1\n');
      claimRun(runId);
      expect(readdirSync(runDir(runId))).toEqual(['owner']);
      expect(readFileSync(join(runDir(runId), 'owner'), 'utf8')).toBe(`${process.pid}\n`);
      expect(readdirSync(RUN_ROOT).filter((e) => e.startsWith('.claim-') && readFileSync(join(RUN_ROOT, e, 'owner'), 'utf8') === `${process.pid}\n`)).toEqual([]);
      expect(cleanStaleRuns()).not.toContain(runId);
    } finally {
      teardownRun(runId);
    }
    expect(existsSync(runDir(runId))).toBe(false);
  });

  rootIt('is never seen by another process without its owner', async () => {
    // The first three hex digits of the ids fixed for this test (4,096 ids), so that the watcher
    // looks only at these.
    const prefix = newRunId().slice(0, 5);
    const stop = join(RUN_ROOT, `.stop-${process.pid}`);
    const watcher = spawn('python3', ['-c', WATCHER, RUN_ROOT, prefix, stop], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    watcher.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const ended = new Promise<number | null>((resolve) => watcher.on('close', resolve));
    // Let the watcher start looking before the claims begin.
    for (const t0 = Date.now(); Date.now() - t0 < 300; ) await new Promise((r) => setTimeout(r, 20));
    const ids: string[] = [];
    try {
      for (let round = 0; round < 40; round++) {
        for (let i = 0; i < 100; i++) {
          const id = `${prefix}${(round * 100 + i).toString(16).padStart(3, '0')}`;
          ids.push(id);
          claimRun(id);
        }
        // Give the watcher the processor between rounds, as a lab's other work would.
        await new Promise((r) => setTimeout(r, 5));
      }
    } finally {
      writeFileSync(stop, '');
      expect(await ended).toBe(0);
      // These runs never made a namespace: their folders are all there is.
      for (const id of ids) rmSync(runDir(id), { recursive: true, force: true });
      rmSync(stop, { force: true });
    }
    const [looks, bad = ''] = out.trim().split(' ', 2);
    expect(Number(looks)).toBeGreaterThan(0);
    expect(bad, 'run folders another process saw without their owner').toBe('');
  }, 60_000);
});
