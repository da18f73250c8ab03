// The Z3 worker: a worker_thread that owns one Z3 (WASM) instance and evaluates SMT-LIB 2 text
// (Z3_eval_smtlib2_string of the low-level API).
// Plain JavaScript so that it runs unchanged from the sources (tests) and from dist/ (the build
// copies it). It builds no formula objects: queries arrive as text, so the high-level API's
// garbage-collection races (Z3Prover/z3 #7723, #7427) cannot happen here. The main thread
// watches it: a crash, an exhausted heap or a hang ends this thread, and a new one is started.

import { parentPort } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { TextEncoder } from 'node:util';

const require = createRequire(import.meta.url);
const { init } = require('z3-solver');

const started = performance.now();
const api = await init();
const Z3 = api.Z3;
const ctx = Z3.mk_context(Z3.mk_config());
parentPort.postMessage({ ready: true, millis: performance.now() - started });

const em = api.em;
const encoder = new TextEncoder();

/**
 * Z3_eval_smtlib2_string on a heap copy of the text. The wrapper's own `eval_smtlib2_string`
 * passes the text on the C stack, which is released as soon as the call returns, while Z3
 * still reads it on its own thread: under load the solver then read corrupted text (seen
 * here as "unknown constant ic" for a query that says `icmp`). A heap copy lives until the
 * answer is back.
 */
async function evalText(text) {
  const bytes = encoder.encode(text);
  const ptr = em._malloc(bytes.length + 1);
  if (!ptr) throw new Error('the solver is out of memory');
  try {
    const heap = em.HEAPU8; // fetched now: the view changes when the WASM memory grows
    heap.set(bytes, ptr);
    heap[ptr + bytes.length] = 0;
    return await em.async_call(em._async_Z3_eval_smtlib2_string, ctx, ptr);
  } finally {
    em._free(ptr);
  }
}

parentPort.on('message', async (msg) => {
  try {
    // Each query in the text starts with (reset): no declaration leaks from one to the next.
    const output = await evalText(msg.text);
    parentPort.postMessage({ id: msg.id, output });
  } catch (err) {
    parentPort.postMessage({ id: msg.id, error: err instanceof Error ? err.message : String(err) });
  }
});
