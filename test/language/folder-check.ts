// Intents written as files into a fresh folder and checked as `plumb check` reads them (the real
// reader, imports followed): for the tests of modules and contracts.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll } from 'vitest';
import { analyze, type Analysis } from '../../language/analyze.js';
import { readSources } from '../../pipeline/sources.js';

/** The analysis, with the folder the files were written to. */
export type FolderCheck = Analysis & { codes: string[]; text: string; dir: string };

/**
 * A checker for the calling test file: each call writes its files under a fresh folder and checks
 * `root` (a path in it; `defaultRoot` when not given). `codes` are the errors' codes, `text` every
 * diagnostic as `CODE FILE:LINE:COLUMN MESSAGE`. The folders go when the file's tests end.
 */
export function folderChecker(prefix: string, defaultRoot: string): (files: Record<string, string>, root?: string) => FolderCheck {
  const base = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(base, { recursive: true, force: true }));
  let count = 0;
  return (files, root = defaultRoot) => {
    const dir = join(base, `t${++count}`);
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    const a = analyze(readSources([root], dir));
    const text = a.diagnostics.map((d) => `${d.code} ${d.span.file}:${d.span.start.line}:${d.span.start.column} ${d.message}`).join('\n');
    return { ...a, codes: a.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code), text, dir };
  };
}
