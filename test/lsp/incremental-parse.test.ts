// Incremental parsing must give exactly what a parse of the whole text gives, after any edit.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeParsed } from '../../language/analyze.js';
import { parse } from '../../language/parser.js';
import { prng } from '../../bench/generate.js';
import { IncrementalParser, splitChunks } from '../../lsp/incremental-parse.js';
import { expectEqual } from '../expect-equal.js';
import { generatedIntent, ROOT } from './harness.js';

const ACME = readFileSync(join(ROOT, 'examples/acme/acme.plumb'), 'utf8');
const SNIPPETS = ['{', '}', '"', ',', ' -> ', ':', '=', '\n', '\n}\n', 'site x {\n', '# c { "\n', 'segment', ' web', 'x', '\n  router r frr\n'];

function randomEdit(text: string, rand: () => number): string {
  const at = Math.floor(rand() * text.length);
  const kind = rand();
  if (kind < 0.4) return text.slice(0, at) + SNIPPETS[Math.floor(rand() * SNIPPETS.length)]! + text.slice(at);
  if (kind < 0.7) return text.slice(0, at) + text.slice(Math.min(text.length, at + 1 + Math.floor(rand() * 40)));
  // Move a line elsewhere (a declaration changes place, the chunks around it shift).
  const lines = text.split('\n');
  const from = Math.floor(rand() * lines.length);
  const [line] = lines.splice(from, 1);
  lines.splice(Math.floor(rand() * lines.length), 0, line!);
  return lines.join('\n');
}

describe('incremental parsing', () => {
  it('cuts a large file into many chunks at top-level declarations', () => {
    const text = generatedIntent(600, 3);
    const chunks = splitChunks(text);
    expect(chunks.length).toBeGreaterThan(20);
    expect(chunks[0]!.start).toBe(0);
    expect(chunks[chunks.length - 1]!.end).toBe(text.length);
    for (let i = 1; i < chunks.length; i++) expect(chunks[i]!.start).toBe(chunks[i - 1]!.end);
  });

  it('equals a whole parse after each of 100 random edits (seeded)', () => {
    const rand = prng(20261125);
    const base = generatedIntent(300, 5, 6);
    let text = `${ACME}\n${base}`;
    const incremental = new IncrementalParser(parse, 'big.plumb');
    for (let i = 0; i < 100; i++) {
      text = randomEdit(text, rand);
      const got = incremental.parse(text);
      expectEqual(got, parse(text, 'big.plumb'), `edit ${i}`);
      // The checker reads the trees; it must not disturb the chunks kept for the next parse.
      if (i % 25 === 0) analyzeParsed([got]);
    }
  });

  it('reuses unchanged chunks: an edit re-parses only what it touched', () => {
    const text = generatedIntent(2000, 9);
    let calls = 0;
    let parsedLength = 0;
    const counting = (t: string, p: string): ReturnType<typeof parse> => {
      calls++;
      parsedLength += t.length;
      return parse(t, p);
    };
    const incremental = new IncrementalParser(counting, 'big.plumb');
    incremental.parse(text);
    calls = 0;
    parsedLength = 0;
    const middle = text.indexOf('\n', text.length / 2) + 1;
    const edited = `${text.slice(0, middle)}# a new comment line\n${text.slice(middle)}`;
    expectEqual(incremental.parse(edited), parse(edited, 'big.plumb'));
    expect(calls).toBe(1);
    expect(parsedLength).toBeLessThan(text.length / 20);
  });
});
