// The Z3 worker: a worker_thread that owns one Z3 (WASM) instance and evaluates SMT-LIB 2 text
// (Z3_eval_smtlib2_string of the low-level API).
// Plain JavaScript so that it runs unchanged from the sources (tests) and from dist/ (the build
// copies it). It builds no formula objects: queries arrive as text, so the high-level API's
// garbage-collection races (Z3Prover/z3 #7723, #7427) cannot happen here. The main thread
// watches it: a crash, an exhausted heap or a hang ends this thread, and a new one is started.

import { writeSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { TextEncoder } from 'node:util';

const require = createRequire(import.meta.url);

/**
 * Z3 solves on threads of its own (Emscripten's pthreads, each a worker of this process), which
 * Emscripten starts from the script `mainScriptUrlOrBlob` names. They are started from this file,
 * which then only readies the function table (`rememberTableEntries`) and loads Z3's own script,
 * which runs the thread as it would have.
 */
const Z3_THREAD = 'em-pthread';

/**
 * z3-solver's build checks every call through Z3's function table against the table itself:
 * Emscripten's `getWasmTableEntry`, built with assertions, reads its own mirror of the table and
 * then `wasmTable.get(funcPtr)` on every call, which the engine answers through a slow path. At
 * 400 devices that was 18 % of a solver thread's time, on the calls C++ exceptions may pass
 * through. Here a table remembers each entry as its first `get` returned it, so the check costs
 * an array read; `set` and `grow` from JavaScript (Emscripten's `addFunction`, the only writer:
 * Z3's WebAssembly code does not write its table) forget the table's entries. The mirror answers
 * from its first read already, so every call goes where it went before.
 */
export function rememberTableEntries(proto) {
  const { get, set, grow } = proto;
  const remembered = new WeakMap();
  proto.get = function getRemembered(index) {
    let entries = remembered.get(this);
    if (entries === undefined) remembered.set(this, (entries = new Array(this.length)));
    if (!(typeof index === 'number' && Number.isInteger(index) && index >= 0 && index < entries.length)) return get.call(this, index);
    let entry = entries[index];
    if (entry === undefined) entries[index] = entry = get.call(this, index);
    return entry;
  };
  proto.set = function setForgetting(...args) {
    remembered.delete(this);
    return set.apply(this, args);
  };
  proto.grow = function growForgetting(...args) {
    remembered.delete(this);
    return grow.apply(this, args);
  };
}

/**
 * Z3's loader (Emscripten) prints "still waiting on run dependencies:", each pending dependency
 * and "(end of list)" to stderr every 10 s while the WASM module is still being compiled, which
 * a loaded machine can take that long to do. That is progress chatter, not an error, and it
 * would land in the middle of a user's `plumb verify` output (and in every JSON consumer's
 * stderr); anything else Z3 prints still goes to stderr as Emscripten would print it.
 */
const LOADER_WAITING = /^(still waiting on run dependencies:|dependency: .*|\(end of list\))$/;
function printErr(...args) {
  const text = args.join(' ');
  if (LOADER_WAITING.test(text)) return;
  writeSync(2, `${text}\n`);
}

let Z3;
let em;
const encoder = new TextEncoder();

/** Loads Z3, says so, then answers the pool's queries one at a time. */
async function serve() {
  const { init } = require('z3-solver');
  const started = performance.now();
  const api = await init({ printErr, mainScriptUrlOrBlob: fileURLToPath(import.meta.url) });
  Z3 = api.Z3;
  em = api.em;
  parentPort.on('message', answer);
  // `threads`: the script Z3's threads start from, as Emscripten reads it (for a test).
  parentPort.postMessage({ ready: true, millis: performance.now() - started, threads: em.mainScriptUrlOrBlob });
}

/**
 * Z3_eval_smtlib2_string on a heap copy of the text. The wrapper's own `eval_smtlib2_string`
 * passes the text on the C stack, which is released as soon as the call returns, while Z3
 * still reads it on its own thread: under load the solver then read corrupted text (seen
 * here as "unknown constant ic" for a query that says `icmp`). A heap copy lives until the
 * answer is back.
 */
async function evalText(ctx, text) {
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

/**
 * The queries of a text: each starts at a line `(reset)`. Anything before the first one belongs
 * to the first query.
 */
function queriesOf(text) {
  const parts = text.split(/^(?=\(reset\)$)/m);
  return parts.length > 1 && parts[0].trim() === '' ? parts.slice(1) : parts;
}

/**
 * Each query runs in a Z3 context of its own, created for it and deleted after it. `(reset)`
 * alone is not enough: it clears the declarations but not the context's term table, whose ids
 * steer Z3's choices, so a query's model depended on which queries the same worker had solved
 * before it (`plumb verify` printed different counterexamples from run to run). A fresh context
 * costs about a millisecond; the same text now always gets the same answer.
 */
async function evalQuery(text) {
  const ctx = newContext();
  try {
    return await evalText(ctx, text);
  } finally {
    Z3.del_context(ctx);
  }
}

function newContext() {
  const config = Z3.mk_config();
  const ctx = Z3.mk_context(config);
  Z3.del_config(config);
  return ctx;
}

/** The whole output of a scope that ended cleanly: one answer, its end mark, nothing else. */
const CLEAN_SCOPE = /^(sat|unsat)\n@end\n$/;

/**
 * Scoped queries (each `(push)`, its question, `(check-sat)`, `(echo "@end")`, `(pop)`) one
 * after the other in one context: Z3's incremental solver answers such small questions several
 * times faster than a fresh context each. A model found there depends on what the context saw
 * before, so the caller takes only "unsat" from here. A scope whose output is anything but a
 * clean answer (an error; a time-out, after which Z3 cancels the scope's pop and later pushes,
 * so that its assertions would stay and could make the next question unsatisfiable) ends that
 * context: the next scope starts in a fresh one, and no question sees another's assertions.
 * Each query's output and time are returned on their own, in order. The questions are asked
 * first as one text (evalJoined); only those it does not answer cleanly come here one by one.
 */
async function evalScoped(queries, outputs, millis) {
  const joined = queries.length > 1 ? await evalJoined(queries, outputs, millis) : 0;
  let ctx = newContext();
  try {
    for (const query of queries.slice(joined)) {
      const t0 = performance.now();
      const output = await evalText(ctx, query);
      millis.push(performance.now() - t0);
      outputs.push(output);
      if (!CLEAN_SCOPE.test(output)) {
        Z3.del_context(ctx);
        ctx = newContext();
      }
    }
  } finally {
    Z3.del_context(ctx);
  }
}

/** One clean scope's whole output, where a joined call's outputs are read one after the other. */
const CLEAN_ANSWER = /(?:un)?sat\n@end\n/y;

/**
 * `evalScoped`'s questions first as one text in one fresh context: the same commands in the same
 * order as one call per question, without a call's fixed cost for each (the text's copy, the
 * hand-over to Z3's thread and back: 12 % of the screen's CPU at 400 devices). The outputs are read as
 * clean answers from the start; the first anything else ends what is taken, and the clean answer
 * just before it is not taken either (an error printed by its `(pop)` comes after its "@end").
 * Those are pushed to `outputs` (each with an equal share of the call's time) and their number
 * returned; the rest are asked one by one as before, from a fresh context.
 */
async function evalJoined(queries, outputs, millis) {
  const ctx = newContext();
  const t0 = performance.now();
  let output;
  try {
    output = await evalText(ctx, queries.join(''));
  } finally {
    Z3.del_context(ctx);
  }
  const answers = [];
  let at = 0;
  while (answers.length < queries.length) {
    CLEAN_ANSWER.lastIndex = at;
    const m = CLEAN_ANSWER.exec(output);
    if (!m) break;
    answers.push(m[0]);
    at = CLEAN_ANSWER.lastIndex;
  }
  if (answers.length < queries.length || at !== output.length) answers.pop();
  const share = (performance.now() - t0) / queries.length;
  for (const a of answers) {
    outputs.push(a);
    millis.push(share);
  }
  return answers.length;
}

async function answer(msg) {
  try {
    // Each query's own time in Z3, so that a batch's time is not spread over its queries.
    const millis = [];
    if (msg.scoped) {
      // One output per query, as a JSON array: no query's text can shift another's answer.
      const outputs = [];
      await evalScoped(msg.scoped, outputs, millis);
      parentPort.postMessage({ id: msg.id, output: JSON.stringify(outputs), millis });
      return;
    }
    let output = '';
    for (const query of queriesOf(msg.text)) {
      const t0 = performance.now();
      output += await evalQuery(query);
      millis.push(performance.now() - t0);
    }
    parentPort.postMessage({ id: msg.id, output, millis });
  } catch (err) {
    parentPort.postMessage({ id: msg.id, error: err instanceof Error ? err.message : String(err) });
  }
}

// Last, once every declaration above is made. Imported by a test outside a worker, it starts nothing.
if (workerData === Z3_THREAD) {
  rememberTableEntries(globalThis.WebAssembly.Table.prototype);
  require('z3-solver/build/z3-built.js');
} else if (parentPort) {
  await serve();
}
