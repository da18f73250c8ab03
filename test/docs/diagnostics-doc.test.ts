// docs/diagnostics.md is the catalogue of every diagnostic code. This test keeps it true: each
// code has one entry, each P1xx-P6xx entry's example really triggers its code, and every code
// the source can emit has an entry.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../language/analyze.js';
import { parse } from '../../language/parser.js';

interface Entry {
  code: string;
  line: number;
  examples: string[];
}

function entries(markdown: string): Entry[] {
  const out: Entry[] = [];
  const lines = markdown.split('\n');
  let fence: string | undefined;
  let block: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (fence !== undefined) {
      if (line.startsWith('```')) {
        if (fence === 'plumb' && out.length > 0) out[out.length - 1]!.examples.push(block.join('\n') + '\n');
        fence = undefined;
      } else {
        block.push(line);
      }
      continue;
    }
    if (line.startsWith('```')) {
      fence = line.slice(3).trim();
      block = [];
      continue;
    }
    const heading = /^### ([PCVR][0-9]{3})\b/.exec(line);
    if (heading) out.push({ code: heading[1]!, line: i + 1, examples: [] });
  }
  return out;
}

const DOC = readFileSync('docs/diagnostics.md', 'utf8');
const ENTRIES = entries(DOC);
const FRONT_END = /^P[1-6][0-9]{2}$/;

/** Every quoted diagnostic code in the source folders: what the tool can emit. */
function emittedCodes(): Set<string> {
  const codes = new Set<string>();
  const walk = (dir: string): void => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name.endsWith('.ts')) {
        for (const m of readFileSync(full, 'utf8').matchAll(/['"`]([PCVR][0-9]{3})['"`]/g)) codes.add(m[1]!);
      }
    }
  };
  ['language', 'compiler', 'verifier', 'backends', 'emulator', 'cli', 'lsp'].forEach(walk);
  return codes;
}

describe('docs/diagnostics.md', () => {
  it('has entries, each code once', () => {
    expect(ENTRIES.length).toBeGreaterThan(40);
    const seen = new Map<string, number>();
    for (const e of ENTRIES) {
      expect(seen.has(e.code), `${e.code} at line ${e.line} repeats line ${seen.get(e.code)}`).toBe(false);
      seen.set(e.code, e.line);
    }
  });

  it('documents every code the source emits', () => {
    const documented = new Set(ENTRIES.map((e) => e.code));
    const missing = [...emittedCodes()].filter((c) => !documented.has(c)).sort();
    expect(missing, `codes without an entry in docs/diagnostics.md`).toEqual([]);
  });

  it.each(ENTRIES.filter((e) => FRONT_END.test(e.code)).map((e) => [e.code, e] as const))(
    '%s: its example triggers it',
    (code, entry) => {
      expect(entry.examples.length, `${code} has no \`\`\`plumb example`).toBeGreaterThan(0);
      for (const text of entry.examples) {
        const got = analyze([{ path: 'example.plumb', text }]).diagnostics.map((d) => d.code);
        expect(got, `example of ${code} (line ${entry.line})`).toContain(code);
      }
    },
  );

  // Compiler (C7xx), verifier (V8xx) and read-back (R9xx) examples need their own stages to
  // trigger: those stages' tests run them. Here they must at least parse.
  const later = ENTRIES.filter((e) => !FRONT_END.test(e.code) && e.examples.length > 0);
  it.skipIf(later.length === 0)('C7xx/V8xx/R9xx examples parse', () => {
    for (const e of later) {
      for (const text of e.examples) {
        const errors = parse(text, 'example.plumb').diagnostics.filter((d) => d.severity === 'error');
        expect(errors.map((d) => d.message), `example of ${e.code} (line ${e.line})`).toEqual([]);
      }
    }
  });
});
