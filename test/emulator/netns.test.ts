// The emulator's one runner (emulator/netns.ts): the synchronous `runSync` that teardown uses
// gives the same results as `run` (exit codes, output, time limits, a missing tool), and the
// batch delete of namespaces removes exactly the lab's namespaces and never turns other text
// into a batch command, the namespaces listed (read from /run/netns) are those `ip netns list`
// names, and the processes of each namespace are those `ip netns pids` names. The namespace test needs root and iproute2: it skips loudly outside CI.

import { execFileSync, spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { newRunId } from '../../emulator/index.js';
import { claimRun, teardownRun } from '../../emulator/teardown.js';
import {
  deleteNamespacesSync,
  haveTool,
  listNamespaces,
  listNamespacesSync,
  namespacePidsOf,
  namespacePidsSync,
  run,
  runSync,
  type ToolResult,
} from '../../emulator/netns.js';

const canUseNamespaces = process.getuid?.() === 0 && haveTool('ip');
if (!canUseNamespaces && !process.env.CI) {
  console.warn(
    '\n*** SKIPPING the namespace test of netns.ts: it needs root and iproute2 (CI runs it as root) ***\n',
  );
}
/** Outside CI a machine without root or `ip` skips; in CI it must not. */
const rootIt = canUseNamespaces || process.env.CI ? it : it.skip;

/** What a caller can rely on (the message of a tool that could not start is the system's). */
function outcome(r: ToolResult): Omit<ToolResult, 'stderr'> & { stderr: string | boolean } {
  return { ...r, stderr: r.code === 127 ? r.stderr.length > 0 : r.stderr };
}

describe('runSync, for callers that cannot wait', () => {
  const cases: [string, string, string[], number?][] = [
    ['a tool that succeeds', 'sh', ['-c', 'echo out; echo err >&2']],
    ['a tool that fails', 'sh', ['-c', 'echo half; echo why >&2; exit 3']],
    ['a tool past its time limit', 'sleep', ['5'], 300],
    ['a tool that is not there', '/nonexistent/plumb-tool', []],
    ['arguments as a vector, never a shell line', 'printf', ['%s|', 'a b', '$(id)', ';']],
  ];
  for (const [what, cmd, args, timeoutMs] of cases) {
    it(`gives the same result as run: ${what}`, async () => {
      const opts = timeoutMs === undefined ? {} : { timeoutMs };
      const sync = runSync(cmd, args, opts);
      expect(outcome(sync)).toEqual(outcome(await run(cmd, args, opts)));
    });
  }

  it('reports each case as the caller expects', () => {
    expect(runSync('sh', ['-c', 'echo half; exit 3'])).toEqual({
      code: 3,
      stdout: 'half\n',
      stderr: '',
      timedOut: false,
    });
    const slow = runSync('sleep', ['5'], { timeoutMs: 300 });
    expect({ code: slow.code, timedOut: slow.timedOut }).toEqual({ code: 124, timedOut: true });
    const missing = runSync('/nonexistent/plumb-tool', []);
    expect({ code: missing.code, timedOut: missing.timedOut }).toEqual({ code: 127, timedOut: false });
    expect(missing.stderr).toMatch(/ENOENT/);
    expect(runSync('cat', [], { input: 'to stdin' }).stdout).toBe('to stdin');
  });
});

describe('namespaces', () => {
  it('names that no lab gives are never handed to ip', () => {
    expect(namespacePidsSync('-n evil')).toEqual([]);
    expect(namespacePidsSync('a b')).toEqual([]);
    // Nothing to delete: no process is started, nothing is thrown.
    expect(() => deleteNamespacesSync(['x\nnetns del y', '-force', ''])).not.toThrow();
  });

  rootIt('deleteNamespacesSync removes the lab namespaces given, and only those', () => {
    const runId = newRunId();
    // Owned by this process, so that a lab starting meanwhile does not remove them as left over.
    claimRun(runId);
    const mine = [`${runId}-d-a`, `${runId}-d-b`];
    const bystander = `${runId}-keep`;
    for (const ns of [...mine, bystander]) execFileSync('ip', ['netns', 'add', ns]);
    try {
      // An unsafe name that would delete the bystander if it reached the batch as text.
      deleteNamespacesSync([...mine, `${runId}-gone\nnetns del ${bystander}`, `${runId}-never-made`]);
      const now = listNamespacesSync();
      expect(now.filter((n) => n.startsWith(runId))).toEqual([bystander]);
    } finally {
      deleteNamespacesSync([bystander]);
      teardownRun(runId);
    }
    expect(listNamespacesSync().filter((n) => n.startsWith(runId))).toEqual([]);
  });

  rootIt('the namespaces listed are those ip netns list names, made and deleted', async () => {
    const runId = newRunId();
    claimRun(runId);
    const made = [`${runId}-d-a`, `${runId}-s-b`];
    const ipSays = (): string[] =>
      execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })
        .split('\n')
        .map((l) => l.split(' ')[0]!)
        .filter((n) => n.startsWith(`${runId}-`))
        .sort();
    const ours = (names: string[]): string[] => names.filter((n) => n.startsWith(`${runId}-`)).sort();
    try {
      for (const ns of made) execFileSync('ip', ['netns', 'add', ns]);
      expect(ipSays()).toEqual(made);
      expect(ours(listNamespacesSync())).toEqual(ipSays());
      expect(ours(await listNamespaces())).toEqual(ipSays());
      execFileSync('ip', ['netns', 'del', made[0]!]);
      expect(ours(listNamespacesSync())).toEqual([made[1]]);
      expect(ours(await listNamespaces())).toEqual([made[1]]);
    } finally {
      deleteNamespacesSync(made);
      teardownRun(runId);
    }
    expect(ours(listNamespacesSync())).toEqual([]);
  });

  rootIt('the processes of each namespace, from one pass over /proc, are those ip netns pids names', async () => {
    const runId = newRunId();
    claimRun(runId);
    const [a, b, empty] = [`${runId}-d-a`, `${runId}-d-b`, `${runId}-d-c`];
    for (const ns of [a, b, empty]) execFileSync('ip', ['netns', 'add', ns]);
    const sleepers = [a, a, b].map((ns) => spawn('ip', ['netns', 'exec', ns, 'sleep', '60'], { stdio: 'ignore' }));
    try {
      const ipSays = (ns: string): number[] =>
        execFileSync('ip', ['netns', 'pids', ns], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number).sort();
      // The sleepers enter their namespace once ip has set it up.
      for (const t0 = Date.now(); (ipSays(a).length < 2 || ipSays(b).length < 1) && Date.now() - t0 < 10_000; )
        await new Promise((r) => setTimeout(r, 50));
      const found = namespacePidsOf([a, b, empty, `${runId}-never-made`, '-n evil']);
      expect([...found.keys()]).toEqual([a, b, empty, `${runId}-never-made`, '-n evil']);
      expect(found.get(a)!.sort()).toEqual(ipSays(a));
      expect(found.get(a)).toHaveLength(2);
      expect(found.get(b)!.sort()).toEqual(ipSays(b));
      expect(found.get(b)).toHaveLength(1);
      expect(found.get(empty)).toEqual([]);
      expect(found.get(`${runId}-never-made`)).toEqual([]);
      expect(namespacePidsSync(b)).toEqual(found.get(b));
    } finally {
      for (const s of sleepers) s.kill('SIGKILL');
      deleteNamespacesSync([a, b, empty]);
      teardownRun(runId);
    }
  });
});
