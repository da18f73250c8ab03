// The C7xx entries of docs/diagnostics.md: every example really triggers its code through the
// whole front end and the compiler, and every code the compiler emits has an entry.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compile } from '../../compiler/index.js';
import { analyze } from '../../language/analyze.js';

const ROOT = join(import.meta.dirname, '..', '..');
const DOC = readFileSync(join(ROOT, 'docs', 'diagnostics.md'), 'utf8');

function compilerEntries(): { code: string; examples: string[] }[] {
  const out: { code: string; examples: string[] }[] = [];
  const lines = DOC.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const heading = /^### (C7[0-9]{2})\b/.exec(lines[i]!);
    if (heading) out.push({ code: heading[1]!, examples: [] });
    else if (lines[i] === '```plumb' && out.length > 0 && /^C7/.test(out[out.length - 1]!.code)) {
      const start = i + 1;
      let j = start;
      while (lines[j] !== '```') j++;
      out[out.length - 1]!.examples.push(`${lines.slice(start, j).join('\n')}\n`);
      i = j;
    } else if (/^### [PVR]/.test(lines[i]!)) {
      out.push({ code: 'other', examples: [] });
    }
  }
  return out.filter((e) => e.code !== 'other');
}

describe('docs/diagnostics.md, compiler section', () => {
  const entries = compilerEntries();

  it('lists every code the compiler can emit', () => {
    const emitted = new Set<string>();
    for (const f of readdirSync(join(ROOT, 'compiler'))) {
      if (!f.endsWith('.ts')) continue;
      for (const m of readFileSync(join(ROOT, 'compiler', f), 'utf8').matchAll(/'(C7[0-9]{2})'/g)) emitted.add(m[1]!);
    }
    expect(emitted.size).toBeGreaterThan(0);
    expect(entries.map((e) => e.code).sort()).toEqual([...emitted].sort());
  });

  // The size limits' examples would be thousands of lines: size-guard.test.ts triggers them.
  const GENERATED = new Set(['C706', 'C707', 'C708', 'C709']);
  for (const entry of entries.filter((e) => !GENERATED.has(e.code))) {
    it(`${entry.code}: its example triggers it`, () => {
      expect(entry.examples.length).toBeGreaterThan(0);
      for (const text of entry.examples) {
        const analysis = analyze([{ path: 'example.plumb', text }]);
        expect(analysis.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        const { diagnostics } = compile(analysis.intent!);
        expect(diagnostics.map((d) => d.code)).toContain(entry.code);
      }
    });
  }
});
