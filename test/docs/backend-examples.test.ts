// The configuration examples of docs/backends/*.md are what the compiler writes: each block that
// follows "From `examples/acme` (... `site.device` ...)" or "From the hand-built ... (PATH)" is
// abridged, never invented, so every line of it stands in that device's output files (or the
// fixture named). A change of addresses or origin tags that leaves the docs behind fails here.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const DOCS = join(ROOT, 'docs', 'backends');

interface Example {
  doc: string;
  line: number;
  files: string[];
  blocks: { line: number; lines: string[] }[];
}

/** The blocks right after each "From ..." line (fenced blocks separated by blank lines only). */
function examples(doc: string): Example[] {
  const lines = readFileSync(join(DOCS, doc), 'utf8').split('\n');
  const out: Example[] = [];
  for (let i = 0; i < lines.length; i++) {
    const from = /^From `examples\/(\w+)` \(.*?`([\w-]+)\.([\w-]+)`/.exec(lines[i]!);
    const fixture = /^From the hand-built .*\((test\/fixtures\/[^)]+)\)/.exec(lines[i]!);
    if (!from && !fixture) continue;
    const files = from
      ? readdirSync(join(ROOT, 'examples', from[1]!, 'out', from[2]!, from[3]!)).map((f) => join(ROOT, 'examples', from[1]!, 'out', from[2]!, from[3]!, f))
      : [join(ROOT, fixture![1]!)];
    const example: Example = { doc, line: i + 1, files, blocks: [] };
    let j = i + 1;
    while (j < lines.length) {
      if (lines[j]!.trim() === '') {
        j++;
        continue;
      }
      if (!lines[j]!.startsWith('```')) break;
      const start = j + 1;
      let end = start;
      while (end < lines.length && !lines[end]!.startsWith('```')) end++;
      example.blocks.push({ line: start + 1, lines: lines.slice(start, end) });
      j = end + 1;
    }
    out.push(example);
  }
  return out;
}

const ALL = readdirSync(DOCS)
  .filter((f) => f.endsWith('.md'))
  .sort()
  .flatMap(examples);

describe('the examples of docs/backends/', () => {
  it('are found (one per platform page)', () => {
    expect(ALL.map((e) => e.doc)).toEqual(['cisco-iosxe.md', 'frr.md', 'linux.md', 'paloalto-panos.md']);
    for (const e of ALL) expect(e.blocks.length, `${e.doc}:${e.line}`).toBeGreaterThan(0);
  });

  it.each(ALL.map((e) => [`${e.doc}:${e.line}`, e] as const))('%s: every line is in the output it names', (_, e) => {
    const written = new Set(e.files.flatMap((f) => readFileSync(f, 'utf8').split('\n').map((l) => l.trimEnd())));
    for (const b of e.blocks) {
      b.lines.forEach((l, k) => {
        if (l.trim() === '' || /^\s*(\.\.\.|…)\s*$/.test(l)) return;
        expect(written.has(l.trimEnd()), `${e.doc}:${b.line + k}: ${l}`).toBe(true);
      });
    }
  });
});
