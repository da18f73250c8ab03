// Z3's loader (Emscripten) prints "still waiting on run dependencies:" to stderr every 10 s while
// its WASM module compiles, which a loaded machine can take that long to do: that chatter once
// reached the stderr of a `plumb verify` run, which a JSON consumer and the docs' examples
// require empty. The worker (verifier/z3-worker.mjs) drops it. Here the compile is made to take
// longer than the loader's watcher waits (WebAssembly.instantiate delayed in the worker's
// isolate), so the watcher fires: the worker must start with nothing on stderr, and Z3 loaded
// the same way without the worker's filter must print the chatter (so the delay really reaches
// the watcher). The watcher's 10 s interval is shortened in that isolate (only an interval of
// exactly 10 s), so the file waits 2 s, not 12: what is printed, and what the filter must drop,
// is the same.

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const WORKER = fileURLToPath(new URL('../../verifier/z3-worker.mjs', import.meta.url));
const Z3_SOLVER = fileURLToPath(new URL('../../node_modules/z3-solver/build/node.js', import.meta.url));
/** The loader's watcher's interval (Emscripten's `setInterval(..., 10000)`), and what it becomes here. */
const WATCHER_MS = 10_000;
const WATCHER_HERE_MS = 400;
/** Longer than a few of the shortened watcher's intervals. */
const DELAY_MS = 2_000;

const dir = mkdtempSync(join(tmpdir(), 'plumb-z3-loader-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A worker script that delays WASM compilation, then runs `body` (ES module text). */
function slowWorker(name: string, body: string): string {
  const file = join(dir, name);
  writeFileSync(
    file,
    [
      'const setIntervalAsGiven = globalThis.setInterval;',
      `globalThis.setInterval = (f, ms, ...rest) => setIntervalAsGiven(f, ms === ${WATCHER_MS} ? ${WATCHER_HERE_MS} : ms, ...rest);`,
      'const instantiate = WebAssembly.instantiate;',
      `WebAssembly.instantiate = (...args) => new Promise((r) => setTimeout(r, ${DELAY_MS})).then(() => instantiate.apply(WebAssembly, args));`,
      body,
    ].join('\n'),
  );
  return file;
}

/** Runs `worker` in a worker thread of a fresh node until it posts its first message. */
function runUntilMessage(worker: string): Promise<{ stderr: string; message: string }> {
  const driver = [
    "import { Worker } from 'node:worker_threads';",
    `const w = new Worker(${JSON.stringify(worker)});`,
    "w.once('message', (m) => { console.log(JSON.stringify(m)); process.exit(0); });",
    "w.once('error', (e) => { console.log(JSON.stringify({ error: String(e) })); process.exit(1); });",
  ].join('\n');
  return new Promise((resolve, reject) => {
    const file = `${worker}.driver.mjs`;
    writeFileSync(file, driver);
    const child = spawn(process.execPath, [file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', () => resolve({ stderr, message: stdout.trim() }));
  });
}

describe("Z3's loader on a slow machine", () => {
  it('starts the worker with nothing on stderr, where the bare loader prints its chatter', async () => {
    const quiet = slowWorker('quiet.mjs', `await import(${JSON.stringify(pathToFileURL(WORKER).href)});`);
    const bare = slowWorker(
      'bare.mjs',
      [
        "import { createRequire } from 'node:module';",
        "import { parentPort } from 'node:worker_threads';",
        `const { init } = createRequire(import.meta.url)(${JSON.stringify(Z3_SOLVER)});`,
        'await init();',
        'parentPort.postMessage({ ready: true });',
      ].join('\n'),
    );
    const [worker, control] = await Promise.all([runUntilMessage(quiet), runUntilMessage(bare)]);
    expect(control.message).toContain('"ready":true');
    expect(control.stderr).toContain('still waiting on run dependencies');
    expect(worker.message).toContain('"ready":true');
    expect(worker.stderr).toBe('');
  }, 120_000);
});
