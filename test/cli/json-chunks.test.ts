// The model's JSON printed in pieces (cli/json-chunks.ts): joined, the pieces are
// JSON.stringify's text to the byte, for any value JSON can hold and the odd ones it leaves out or
// rewrites; and `plumb compile --emit model` prints a network's model in writes of about a
// megabyte, each taken by the pipe before the next, not one string (at 400 devices the text is
// longer than a string may be).

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateIntent, prng } from '../../bench/generate.js';
import { networkOptions } from '../../bench/whole.js';
import { jsonChunks } from '../../cli/json-chunks.js';
import { run } from '../../cli/program.js';
import { capturedIo } from './captured-io.js';

const joined = (value: unknown, indent = 2, depth = 2): string | undefined => {
  const pieces = [...jsonChunks(value, indent, depth)];
  return pieces.length === 0 ? undefined : pieces.join('');
};

/** A random value of JSON's kinds and of what JSON.stringify skips, rewrites or unboxes. */
function randomValue(next: () => number, depth: number): unknown {
  const pick = Math.floor(next() * (depth > 0 ? 14 : 9));
  switch (pick) {
    case 0: return null;
    case 1: return next() < 0.5;
    case 2: return Math.floor(next() * 2000) - 1000;
    case 3: return next() * 1e6;
    case 4: return ['', 'a', 'line\nbreak', 'quote"s', 'tab\t', 'ü ☃', '\u2028'][Math.floor(next() * 7)];
    case 5: return undefined;
    case 6: return () => 1;
    case 7: return new Date(Math.floor(next() * 1e12));
    case 8: return [new Number(3), new String('boxed'), new Boolean(false), Number.NaN, Infinity][Math.floor(next() * 5)];
    case 9: return { toJSON: (key: string) => `toJSON of ${key}` };
    case 10: return next() < 0.3 ? [] : Array.from({ length: Math.floor(next() * 5) }, () => randomValue(next, depth - 1));
    default: {
      if (next() < 0.2) return {};
      const out: Record<string, unknown> = {};
      const n = Math.floor(next() * 5);
      for (let i = 0; i < n; i++) out[`k${Math.floor(next() * 8)}${i === 2 ? '\n"' : ''}`] = randomValue(next, depth - 1);
      return out;
    }
  }
}

describe('jsonChunks', () => {
  it('joins to JSON.stringify(value, null, indent) for 3,000 seeded values at every split depth', () => {
    const next = prng(20261207);
    for (let i = 0; i < 3000; i++) {
      const value = randomValue(next, 4);
      for (const [indent, depth] of [[2, 0], [2, 1], [2, 3], [4, 2], [0, 2]] as const) {
        expect(joined(value, indent, depth), `value ${i}, indent ${indent}, depth ${depth}`).toBe(
          JSON.stringify(value, null, indent),
        );
      }
    }
  });

  it('gives no text for what JSON.stringify gives none, and splits an array member by member', () => {
    expect(joined(undefined)).toBeUndefined();
    expect(joined(() => 1)).toBeUndefined();
    expect([...jsonChunks({ a: [{ x: 1 }, { y: 'two' }] }, 2, 2)]).toEqual([
      '{\n  "a": ',
      '[',
      '\n    ',
      '{\n      "x": 1\n    }',
      ',\n    ',
      '{\n      "y": "two"\n    }',
      '\n  ]',
      '\n}',
    ]);
  });
});

describe('plumb compile --emit model, in pieces', () => {
  it("prints a 40-device network's model as JSON.stringify does, in writes of about a megabyte", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plumb-model-pieces-'));
    try {
      writeFileSync(join(dir, 'net.plumb'), generateIntent(networkOptions(40)));
      const io = capturedIo(dir);
      const writes: number[] = [];
      const stdout = io.stdout;
      let waited = 0;
      io.stdout = (s: string) => {
        // every write but the first comes after the one before it was taken
        expect(waited).toBe(writes.length);
        writes.push(s.length);
        stdout(s);
      };
      io.stdoutTaken = () => {
        waited++;
        return Promise.resolve();
      };
      expect(await run(['compile', 'net.plumb', '--emit', 'model'], io)).toBe(0);
      const model = JSON.parse(io.out) as { devices: unknown[] };
      expect(io.out).toBe(`${JSON.stringify(model, null, 2)}\n`);
      expect(model.devices.length).toBeGreaterThan(30);
      // each write is about a megabyte (the pieces are a device's members at most)
      expect(writes.length).toBeGreaterThan(2);
      expect(waited).toBe(writes.length - 1);
      const largestMember = Math.max(
        ...model.devices.flatMap((d) => Object.values(d as object).map((v) => JSON.stringify(v, null, 2).length)),
      );
      for (const n of writes.slice(0, -1)) expect(n).toBeLessThan((1 << 20) + 2 * largestMember);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
