// Reads the intent's files from the command line: files as given, directories as every
// `*.plumb` file inside them (recursively, sorted), so that `plumb check site/` and
// `plumb check site/*.plumb` see the same intent.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { UsageError } from './io.js';

export interface SourceText {
  /** The path as shown in diagnostics: relative to the working directory when inside it. */
  path: string;
  text: string;
}

/** Largest file accepted: bigger inputs are refused with a clear message, not an out-of-memory. */
export const MAX_SOURCE_BYTES = 64 * 1024 * 1024;

export function readSources(paths: readonly string[], cwd: string): SourceText[] {
  if (paths.length === 0) {
    throw new UsageError('no input files', 'give one or more .plumb files or directories');
  }
  const files: string[] = [];
  for (const p of paths) {
    const abs = resolve(cwd, p);
    let st;
    try {
      st = statSync(abs);
    } catch {
      throw new UsageError(`cannot read ${p}: no such file or directory`);
    }
    if (st.isDirectory()) {
      const found = listPlumbFiles(abs);
      if (found.length === 0) {
        throw new UsageError(`${p} contains no .plumb files`);
      }
      files.push(...found);
    } else {
      files.push(abs);
    }
  }
  const seen = new Set<string>();
  const out: SourceText[] = [];
  for (const abs of files) {
    if (seen.has(abs)) continue;
    seen.add(abs);
    const shown = displayPath(abs, cwd);
    let buf: Buffer;
    try {
      if (statSync(abs).size > MAX_SOURCE_BYTES) {
        throw new UsageError(`${shown} is larger than ${MAX_SOURCE_BYTES / 1024 / 1024} MiB`);
      }
      buf = readFileSync(abs);
    } catch (err) {
      if (err instanceof UsageError) throw err;
      throw new UsageError(`cannot read ${shown}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
    const text = buf.toString('utf8');
    if (text.includes('\u0000')) {
      throw new UsageError(`${shown} is not a text file`, 'Plumb reads UTF-8 text files (*.plumb)');
    }
    out.push({ path: shown, text });
  }
  return out;
}

function listPlumbFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules' || entry.name === 'out') continue;
      const full = join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.plumb')) out.push(full);
    }
  };
  walk(dir);
  return out;
}

export function displayPath(abs: string, cwd: string): string {
  const rel = relative(cwd, abs);
  return rel && !rel.startsWith('..') ? rel : abs;
}
