// The process exits by itself after verification: the Z3 workers (and their threads) end.

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('shut-down', () => {
  it('a child process that verified exits by itself, promptly', async () => {
    const child = spawn(process.execPath, ['node_modules/vite-node/vite-node.mjs', 'test/verifier/child/verify-and-exit.ts'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const killer = setTimeout(() => child.kill('SIGKILL'), 50_000);
    const { code, signal, exitedAt } = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; exitedAt: number }>((resolve) =>
      child.on('exit', (c, s) => resolve({ code: c, signal: s, exitedAt: Date.now() })),
    );
    clearTimeout(killer);
    expect(signal, `the child did not exit by itself; stderr: ${err}`).toBeNull();
    expect(code, err).toBe(0);
    expect(out).toContain('verdicts refuted proven');
    const done = Number(out.match(/done (\d+)/)?.[1]);
    // After the last line, only the runner's own clean-up remains: no worker keeps it alive.
    expect(exitedAt - done).toBeLessThan(5_000);
  });
});
