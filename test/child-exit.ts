// A child process that must exit by itself: what the shut-down tests run. A worker, timer or
// handle left open keeps a Node process alive after its last line; the child prints `done <ms>`
// when its work is over, and the test measures how long after that the process ended.

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

export interface ChildExit {
  code: number | null;
  /** The signal that ended it: only the test's own kill after `killAfterMs`. */
  signal: NodeJS.Signals | null;
  out: string;
  err: string;
  /** Milliseconds from the child's `done <ms>` line to its exit (NaN without that line). */
  afterDoneMs: number;
}

/** Runs `script` (a path from the project's root) under vite-node and waits for it to end; a child
 * still running after `killAfterMs` is killed, so the test fails on its signal rather than hanging. */
export async function runChildToExit(script: string, killAfterMs = 50_000): Promise<ChildExit> {
  const child = spawn(process.execPath, ['node_modules/vite-node/vite-node.mjs', script], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const killer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
  const { code, signal, exitedAt } = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; exitedAt: number }>((resolve) =>
    child.on('exit', (c, s) => resolve({ code: c, signal: s, exitedAt: Date.now() })),
  );
  clearTimeout(killer);
  const done = Number(out.match(/done (\d+)/)?.[1]);
  return { code, signal, out, err, afterDoneMs: exitedAt - done };
}
