// Z3's own threads start from verifier/z3-worker.mjs, which remembers each function-table entry
// as the table first gave it (`rememberTableEntries`), so that the check Emscripten's build makes on
// every call through the table costs an array read. A table must still answer every `get` as it
// would: the first read of an index from the table itself, a later one without it, and after a
// `set` or `grow` from the table again. A worker started as one of Z3's threads only loads Z3's
// script; it must not load a Z3 of its own and answer the pool's messages.

import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';

const WORKER = fileURLToPath(new URL('../../verifier/z3-worker.mjs', import.meta.url));

type Remember = (proto: object) => void;

/** The worker module, imported outside a worker: it starts nothing there. */
async function rememberTableEntries(): Promise<Remember> {
  const mod = (await import(pathToFileURL(WORKER).href)) as { rememberTableEntries: Remember };
  return mod.rememberTableEntries;
}

/** WebAssembly's table, as far as these tests use it (the compiler's library has no WebAssembly types). */
interface Table {
  readonly length: number;
  get(index: number): unknown;
  set(index: number, value: unknown): void;
  grow(delta: number, value?: unknown): number;
}
const WasmTable = (globalThis as unknown as { WebAssembly: { Table: new (descriptor: { element: string; initial: number }) => Table } }).WebAssembly.Table;

/** A table class whose own reads are counted, with remembered entries on top (the real prototype untouched). */
async function countingTable(): Promise<{ Table: new (size: number) => Table; reads: () => number }> {
  let reads = 0;
  class Counting extends WasmTable {
    constructor(size: number) {
      super({ element: 'externref', initial: size });
    }
    override get(index: number): unknown {
      reads++;
      return super.get(index);
    }
  }
  // The methods wrapped are those found on the prototype chain: the counting `get`, the table's own `set` and `grow`.
  class Remembering extends Counting {}
  (await rememberTableEntries())(Remembering.prototype);
  return { Table: Remembering, reads: () => reads };
}

describe("Z3's function table, remembered", () => {
  it('reads each entry from the table once, and answers as the table does', async () => {
    const { Table, reads } = await countingTable();
    const t = new Table(4);
    const values = [{ a: 1 }, 'two', 3, null];
    values.forEach((v, i) => t.set(i, v));
    for (let round = 0; round < 5; round++) values.forEach((v, i) => expect(t.get(i)).toBe(v));
    expect(reads()).toBe(4);
    // Two tables are kept apart.
    const other = new Table(4);
    other.set(0, 'other');
    expect(other.get(0)).toBe('other');
    expect(t.get(0)).toBe(values[0]);
  });

  it('reads the table again after a set or a grow', async () => {
    const { Table } = await countingTable();
    const t = new Table(2);
    t.set(0, 'before');
    expect(t.get(0)).toBe('before');
    t.set(0, 'after');
    expect(t.get(0)).toBe('after');
    t.grow(2, 'grown');
    expect(t.get(3)).toBe('grown');
    t.set(3, 'set');
    expect(t.get(3)).toBe('set');
    expect(t.get(0)).toBe('after');
  });

  it('leaves an index outside the table to the table, which refuses it as before', async () => {
    const { Table, reads } = await countingTable();
    const t = new Table(2);
    expect(() => t.get(2)).toThrow(RangeError);
    expect(() => t.get(-1)).toThrow(TypeError);
    expect(t.get(1.0)).toBe(undefined);
    expect(reads()).toBe(3);
  });

  it("starts a worker given as one of Z3's threads as such: the table remembered, Z3's thread script loaded, no Z3 of its own", async () => {
    // As Emscripten starts a thread (its workerData says so), then asked from inside what it did:
    // Z3's script, run as a thread, makes the worker look like a web worker (`self`, `postMessage`).
    const probe = [
      "const { parentPort } = require('node:worker_threads');",
      `import(${JSON.stringify(pathToFileURL(WORKER).href)}).then(() => parentPort.postMessage({ get: WebAssembly.Table.prototype.get.name, z3Thread: globalThis.self === globalThis && typeof globalThis.postMessage === 'function' }));`,
    ].join('\n');
    const w = new Worker(probe, { eval: true, workerData: 'em-pthread' });
    try {
      const message = await new Promise((resolve, reject) => {
        w.once('message', resolve);
        w.once('error', reject);
      });
      expect(message).toEqual({ get: 'getRemembered', z3Thread: true });
    } finally {
      await w.terminate();
    }
  }, 60_000);

  it("has Z3 start its threads from the worker's own script", async () => {
    const w = new Worker(WORKER);
    try {
      const message = await new Promise<{ ready?: boolean; threads?: string }>((resolve, reject) => {
        w.once('message', resolve);
        w.once('error', reject);
      });
      expect(message.ready).toBe(true);
      expect(message.threads).toBe(WORKER);
    } finally {
      await w.terminate();
    }
  }, 120_000);
});
