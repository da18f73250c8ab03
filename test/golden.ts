// The one mechanism behind every golden file of the tests: the examples' compiled output
// (examples/<name>/out/), the examples' models (test/fixtures/models/), the backends' fixtures
// (test/fixtures/backends/) and the front end's case baselines (test/language/cases/). A test
// hands its output to expectGolden (one file) or expectGoldenFolder (a folder it owns whole);
// without the switch a missing or different file fails the test, and with UPDATE_GOLDEN=1 the
// files are written first (an unchanged file is left alone), so that a change of output is
// reviewed as the diff of these files. `npm run golden` runs every golden test with the switch on.

import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { expect } from 'vitest';

/** The switch: `UPDATE_GOLDEN=1` rewrites golden files instead of comparing with them. */
export const UPDATING_GOLDEN = process.env.UPDATE_GOLDEN === '1';

const HOW_TO_UPDATE = 'UPDATE_GOLDEN=1 (npm run golden) writes it';

/** `actual` must be the content of the golden file at `path`; with the switch, it becomes it. */
export function expectGolden(path: string, actual: string): void {
  if (UPDATING_GOLDEN) writeIfChanged(path, actual);
  expect(existsSync(path), `${path} is missing: ${HOW_TO_UPDATE}`).toBe(true);
  expect(actual, `${path} differs: ${HOW_TO_UPDATE}`).toBe(readFileSync(path, 'utf8'));
}

/** Writes a golden folder when updating: by default each file, and every other file removed. */
export type FolderWriter = (dir: string, files: ReadonlyMap<string, string>) => void;

/**
 * The folder `dir` must hold exactly `files` (relative path → content), nothing more. With the
 * switch, `write` puts them there first (a test whose folder is a program's output passes that
 * program's own writer, so that modes and all are as it writes them).
 */
export function expectGoldenFolder(dir: string, files: ReadonlyMap<string, string>, write: FolderWriter = writeFolder): void {
  if (UPDATING_GOLDEN) write(dir, files);
  expect(existsSync(dir), `${dir} is missing: ${HOW_TO_UPDATE}`).toBe(true);
  expect(filesUnder(dir), `the files of ${dir} (${HOW_TO_UPDATE})`).toEqual([...files.keys()].sort());
  for (const [path, content] of files) {
    expect(readFileSync(join(dir, path), 'utf8'), `${join(dir, path)} differs: ${HOW_TO_UPDATE}`).toBe(content);
  }
}

function writeFolder(dir: string, files: ReadonlyMap<string, string>): void {
  for (const path of existsSync(dir) ? filesUnder(dir) : []) {
    if (!files.has(path)) rmSync(join(dir, path));
  }
  for (const [path, content] of files) writeIfChanged(join(dir, path), content);
}

/** Every file under `dir`, as sorted paths relative to it. */
export function filesUnder(dir: string): string[] {
  const found: string[] = [];
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(join(folder, entry.name));
      else found.push(relative(dir, join(folder, entry.name)));
    }
  };
  walk(dir);
  return found.sort();
}

// An unchanged file is left alone, so an update run touches only what changed.
function writeIfChanged(path: string, content: string): void {
  if (existsSync(path) && readFileSync(path, 'utf8') === content) return;
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
}
