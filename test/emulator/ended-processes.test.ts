// A lab's processes count as ended once they are zombies (emulator/teardown.ts's stillRunning):
// an ended daemon's parent is the init process, which on some machines reaps only every second
// or two, and teardown (and a failed device's stop, emulator/failures.ts) waited for that. Here a
// zombie that nobody reaps at all stands for it: its parent, outside the namespace, never waits.
// And the frr user's ids are looked up once a process (emulator/frr.ts's frrIdsOnce). The
// namespace cases need root and iproute2: they skip loudly outside CI.

import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { frrIdsOnce } from '../../emulator/frr.js';
import { stopDaemons } from '../../emulator/failures.js';
import { newRunId } from '../../emulator/index.js';
import { haveTool, namespacePidsSync, type ToolResult } from '../../emulator/netns.js';
import { claimRun, stillRunning, teardownRun, teardownRunAsync } from '../../emulator/teardown.js';

const canUseNamespaces = process.getuid?.() === 0 && haveTool('ip');
if (!canUseNamespaces && !process.env.CI) {
  console.warn('\n*** SKIPPING the teardown cases of ended-processes.test.ts: they need root and iproute2 (CI runs them as root) ***\n');
}
const rootIt = canUseNamespaces || process.env.CI ? it : it.skip;

/** The processes' own wait before SIGKILL (teardown's grace, a failed device's stop): a waiting teardown takes at least this long. */
const GRACE_MS = 3000;

const parents: ChildProcess[] = [];
afterEach(() => {
  for (const p of parents.splice(0)) p.kill('SIGKILL');
});

/**
 * A process (optionally inside a namespace) whose parent never reaps it: the parent is a shell
 * that starts it and then becomes a `sleep`. Resolves with the child's pid.
 */
async function unreapedChild(ns?: string): Promise<number> {
  const start = ns ? `ip netns exec ${ns} sleep 600` : 'sleep 600';
  const parent = spawn('sh', ['-c', `${start} & echo $!; exec sleep 600`], { stdio: ['ignore', 'pipe', 'ignore'] });
  parents.push(parent);
  const line = await new Promise<string>((resolve) => parent.stdout!.once('data', (d: Buffer) => resolve(String(d))));
  // Until the shell has become the sleep, it could still reap the child itself.
  await waitFor(() => readFileSync(`/proc/${parent.pid}/comm`, 'utf8').trim() === 'sleep');
  return Number(line.trim());
}

function stateOf(pid: number): string {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
}

async function waitFor(what: () => boolean): Promise<void> {
  for (const t0 = Date.now(); !what() && Date.now() - t0 < 10_000; ) await new Promise((r) => setTimeout(r, 20));
  expect(what()).toBe(true);
}

describe('a zombie has ended', () => {
  it('stillRunning: false for a zombie that still has a pid, true for its parent', async () => {
    const pid = await unreapedChild();
    expect(stillRunning(pid)).toBe(true);
    process.kill(pid, 'SIGKILL');
    await waitFor(() => stateOf(pid) === 'Z');
    // The pid is still taken (signal 0 reaches it), yet the process has ended.
    expect(() => process.kill(pid, 0)).not.toThrow();
    expect(stillRunning(pid)).toBe(false);
    expect(stillRunning(parents[0]!.pid!)).toBe(true);
  });

  it('stillRunning reads the state after the command, whatever the command holds', () => {
    const self = process.pid;
    expect(stillRunning(self, () => `${self} (a) Z (b) S 1 2 3`)).toBe(true);
    expect(stillRunning(self, () => `${self} (x y) Z 1 2 3`)).toBe(false);
    expect(stillRunning(self, () => `${self} (dead) X 1 2 3`)).toBe(false);
    expect(stillRunning(self, () => { throw new Error('gone'); })).toBe(false);
  });

  it("a failed device's daemons are stopped without waiting for their zombies to be reaped", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plumb-stop-'));
    try {
      const pid = await unreapedChild();
      writeFileSync(join(dir, 'zebra.pid'), `${pid}\n`);
      const t0 = Date.now();
      await stopDaemons(dir, ['zebra']);
      expect(stateOf(pid)).toBe('Z');
      expect(Date.now() - t0).toBeLessThan(GRACE_MS - 500);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  for (const [name, teardown] of [
    ['teardownRunAsync', teardownRunAsync],
    ['teardownRun (from a signal handler)', async (id: string) => teardownRun(id)],
  ] as const) {
    rootIt(`${name} does not wait for the zombies of the processes it ended`, async () => {
      const runId = newRunId();
      claimRun(runId);
      const ns = `${runId}-d-a`;
      try {
        execFileSync('ip', ['netns', 'add', ns]);
        const pid = await unreapedChild(ns);
        await waitFor(() => namespacePidsSync(ns).includes(pid));
        const t0 = Date.now();
        const result = await teardown(runId);
        const took = Date.now() - t0;
        expect(result.processes).toBe(1);
        expect(stateOf(pid)).toBe('Z');
        expect(took).toBeLessThan(GRACE_MS - 500);
      } finally {
        teardownRun(runId);
      }
    });
  }
});

describe('the frr user', () => {
  const tool = (out: string, code = 0): ToolResult => ({ code, stdout: out, stderr: '', timedOut: false });

  it('is looked up at the first call only, and the answer kept', () => {
    const calls: string[][] = [];
    const ids = frrIdsOnce((cmd, args) => {
      calls.push([cmd, ...args]);
      return tool(args[0] === '-u' ? '101\n' : '102\n');
    });
    expect(ids()).toEqual({ uid: 101, gid: 102 });
    expect(ids()).toEqual({ uid: 101, gid: 102 });
    expect(calls).toEqual([
      ['id', '-u', 'frr'],
      ['id', '-g', 'frr'],
    ]);
  });

  it('without such a user: no ids, and not asked again', () => {
    let calls = 0;
    const ids = frrIdsOnce(() => {
      calls++;
      return tool('', 1);
    });
    expect(ids()).toBeUndefined();
    expect(ids()).toBeUndefined();
    expect(calls).toBe(2);
  });
});
