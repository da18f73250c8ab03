// The pending folder's flat layout (backends/output-pending.ts): every file put down is named by
// its number in new/, whatever folder it goes to, and the locked write (output-write.ts) renames
// each to its path, making each of DIR's folders once. Files put down out of path order, with
// files left in place between them (their numbers are skipped), land at their own paths; a
// step that fails at any point of the install leaves the previous output exactly.

import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sha256 } from '../../backends/output.js';
import { PendingOutput, writeFolder, writePending } from '../../backends/output-write.js';
import { snapshot } from '../folder-snapshot.js';

const root = mkdtempSync(join(tmpdir(), 'plumb-pending-flat-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const manifestOf = (files: Record<string, string>): string =>
  `${JSON.stringify({ format: 1, intent: { name: 't', sha256: sha256(''), sources: [] }, devices: [{ id: 's.r', site: 's', name: 'r', role: 'router', platform: 'frr', dir: 's/r', files: Object.entries(files).map(([path, text]) => ({ path, sha256: sha256(text) })) }] }, null, 2)}\n`;

// One device folder per file set, so that the manifest lists every file written: paths are
// relative to s/r. Two "sites" inside it and several folders per site.
const FIRST: Record<string, string> = {
  'b/r2/frr.conf': 'r2 first\n',
  'a/r1/frr.conf': 'r1 first\n',
  'a/r1/setup.sh': '#!/bin/sh\necho r1\n',
  'b/r3/deep/more.txt': 'r3 deep first\n',
  'a/r0/frr.conf': 'r0 first\n',
  'b/r2/nftables.conf': 'r2 nft\n',
};
// The recompile: three files change (two of them in two folders of one site folder: the old
// files are kept in the staging folder's old/ tree, its folders made once), one is new, the
// others stay as they are.
const SECOND: Record<string, string> = {
  ...FIRST,
  'b/r2/frr.conf': 'r2 second\n',
  'a/r1/frr.conf': 'r1 second\n',
  'a/r0/frr.conf': 'r0 second\n',
  'c/r9/frr.conf': 'r9 new\n',
};

const modeOf = (p: string): number => (p.endsWith('.sh') ? 0o755 : 0o644);

/** Puts `files` down in DIR's pending folder in the order given, leaving in place those DIR holds. */
function putDown(dir: string, files: Record<string, string>): PendingOutput {
  const pending = PendingOutput.open(dir);
  for (const [p, text] of Object.entries(files)) {
    const bytes = Buffer.from(text, 'utf8');
    pending.addUnlessInPlace(`s/r/${p}`, bytes, modeOf(p), sha256(text));
  }
  return pending;
}

/** What DIR holds after writing `files` (and its manifest). */
function expected(files: Record<string, string>): Record<string, string> {
  return { ...Object.fromEntries(Object.entries(files).map(([p, t]) => [`s/r/${p}`, t])), 'manifest.json': manifestOf(files) };
}

describe('the flat pending folder', () => {
  it('names each file put down by its number, in one folder without subfolders', () => {
    const pending = putDown(join(root, 'named'), FIRST);
    const news = join(pending.path, 'new');
    expect(readdirSync(news).sort()).toEqual(['0', '1', '2', '3', '4', '5']);
    for (const f of pending.files) expect(statSync(join(news, f.name!)).isFile()).toBe(true);
    expect(pending.files.map((f) => f.name)).toEqual(['0', '1', '2', '3', '4', '5']);
    pending.discard();
  });

  it('writes a new folder: each file at its path with its mode, every folder made', () => {
    const dir = join(root, 'fresh');
    expect(existsSync(dir)).toBe(false);
    writePending(putDown(dir, FIRST), manifestOf(FIRST));
    expect(snapshot(dir)).toEqual(expected(FIRST));
    expect(statSync(join(dir, 's/r/a/r1/setup.sh')).mode & 0o777).toBe(0o755);
  });

  it('a recompile: files left in place skip their numbers, the others land at their own paths', () => {
    const dir = join(root, 'again');
    writeFolder(dir, Object.entries(FIRST).map(([p, content]) => ({ path: `s/r/${p}`, content, mode: modeOf(p) })), manifestOf(FIRST));
    const pending = putDown(dir, SECOND);
    expect(pending.files.filter((f) => f.inPlace).map((f) => f.name)).toEqual([undefined, undefined, undefined]);
    expect(pending.files.filter((f) => !f.inPlace).map((f) => [f.path, f.name])).toEqual([
      ['s/r/b/r2/frr.conf', '0'],
      ['s/r/a/r1/frr.conf', '1'],
      ['s/r/a/r0/frr.conf', '4'],
      ['s/r/c/r9/frr.conf', '6'],
    ]);
    writePending(pending, manifestOf(SECOND));
    expect(snapshot(dir)).toEqual(expected(SECOND));
  });

  for (const failAt of ['staged', 'journal', 'install:1', 'install:2', 'install:3', 'install:4']) {
    it(`a recompile that fails at ${failAt} leaves the previous output exactly`, () => {
      const dir = join(root, `fail-${failAt.replace(':', '-')}`);
      writeFolder(dir, Object.entries(FIRST).map(([p, content]) => ({ path: `s/r/${p}`, content, mode: modeOf(p) })), manifestOf(FIRST));
      const before = snapshot(dir);
      const step = (name: string) => {
        if (name === failAt) throw new Error(`injected at ${name}`);
      };
      expect(() => writePending(putDown(dir, SECOND), manifestOf(SECOND), { step })).toThrow(`injected at ${failAt}`);
      expect(snapshot(dir)).toEqual(before);
    });
  }

  for (const failAt of ['install:1', 'install:4', 'install:6']) {
    it(`a first write into an empty folder that fails at ${failAt} leaves it empty, the folders it made removed`, () => {
      const dir = join(root, `first-${failAt.replace(':', '-')}`);
      mkdirSync(dir);
      const step = (name: string) => {
        if (name === failAt) throw new Error(`injected at ${name}`);
      };
      expect(() => writePending(putDown(dir, FIRST), manifestOf(FIRST), { step })).toThrow(`injected at ${failAt}`);
      expect(snapshot(dir)).toEqual({});
    });
  }
});
