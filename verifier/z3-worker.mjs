// The Z3 worker: a worker_thread that owns one Z3 (WASM) instance and evaluates SMT-LIB 2 text.
// Plain JavaScript so that it runs unchanged from the sources (tests) and from dist/ (the build
// copies it). It builds no formula objects: queries arrive as text, so the high-level API's
// garbage-collection races (Z3Prover/z3 #7723, #7427) cannot happen here. The main thread
// watches it: a crash, an exhausted heap or a hang ends this thread, and a new one is started.

import { parentPort } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';

const require = createRequire(import.meta.url);
const { init } = require('z3-solver');

const started = performance.now();
const api = await init();
const Z3 = api.Z3;
const ctx = Z3.mk_context(Z3.mk_config());
parentPort.postMessage({ ready: true, millis: performance.now() - started });

parentPort.on('message', async (msg) => {
  try {
    // Each query in the text starts with (reset): no declaration leaks from one to the next.
    const output = await Z3.eval_smtlib2_string(ctx, msg.text);
    parentPort.postMessage({ id: msg.id, output });
  } catch (err) {
    parentPort.postMessage({ id: msg.id, error: err instanceof Error ? err.message : String(err) });
  }
});
