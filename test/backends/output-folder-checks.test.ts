// The way to each output path checked once a folder (backends/output-recover.ts entryAt with the
// plan's `folders`): what each folder was is remembered across the paths of one plan, a folder
// that is a link or no folder refuses every path under it, and a recompile into a folder with a
// link on the way is still refused as a whole.

import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OutputFolderError } from '../../backends/output-lock.js';
import { MANIFEST_FORMAT } from '../../backends/manifest.js';
import { entryAt } from '../../backends/output-recover.js';
import { writeFolder } from '../../backends/output-write.js';

const tmp = mkdtempSync(join(tmpdir(), 'plumb-folder-checks-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let n = 0;
/** A fresh DIR holding `files` (relative paths, made with their folders). */
function folderWith(files: readonly string[]): string {
  const dir = join(tmp, `d${n++}`);
  for (const f of files) {
    mkdirSync(join(dir, f, '..'), { recursive: true });
    writeFileSync(join(dir, f), f);
  }
  return dir;
}

describe('entryAt with the folders of one plan', () => {
  it('gives what it gives without them, and keeps each folder on the way once', () => {
    const paths = ['s1/r1/a.cfg', 's1/r1/b.cfg', 's1/r2/c.cfg', 's2/r3/d.cfg', 's1/r1/sub/h.cfg', 'gone/r4/e.cfg', 'gone/r5/f.cfg', 's1/r6/g.cfg'];
    const dir = folderWith(paths.slice(0, 5));
    const folders = new Map<string, boolean>();
    for (const p of paths) expect(entryAt(dir, p, dir, folders)?.size, p).toBe(entryAt(dir, p, dir)?.size);
    expect([...folders].sort()).toEqual([
      ['gone', false],
      ['s1', true],
      ['s1/r1', true],
      ['s1/r1/sub', true],
      ['s1/r2', true],
      ['s1/r6', false],
      ['s2', true],
      ['s2/r3', true],
    ]);
  });

  it('answers a folder it kept without looking again (nothing is written during a plan)', () => {
    const dir = folderWith(['s1/r1/a.cfg']);
    const folders = new Map<string, boolean>();
    expect(entryAt(dir, 'new/r9/z.cfg', dir, folders)).toBeUndefined();
    mkdirSync(join(dir, 'new', 'r9'), { recursive: true });
    writeFileSync(join(dir, 'new', 'r9', 'z.cfg'), 'z');
    expect(entryAt(dir, 'new/r9/z.cfg', dir, folders)).toBeUndefined();
    expect(entryAt(dir, 'new/r9/z.cfg', dir)?.isFile()).toBe(true);
    expect(entryAt(dir, 's1/r1/a.cfg', dir, folders)?.isFile()).toBe(true);
    rmSync(join(dir, 's1', 'r1'), { recursive: true });
    symlinkSync(join(dir, 'new', 'r9'), join(dir, 's1', 'r1'));
    expect(entryAt(dir, 's1/r1/z.cfg', dir, folders)?.isFile()).toBe(true);
    expect(() => entryAt(dir, 's1/r1/z.cfg', dir)).toThrow(/is a symbolic link/);
  });

  it('refuses every path under a link or a file where a folder goes, and keeps neither', () => {
    const dir = folderWith(['s1/r1/a.cfg', 'elsewhere/r2/b.cfg', 'plain']);
    symlinkSync(join(dir, 'elsewhere'), join(dir, 's2'));
    const folders = new Map<string, boolean>();
    for (const p of ['s2/r2/b.cfg', 's2/r2/c.cfg', 'plain/r3/c.cfg', 'plain/r3/d.cfg']) {
      expect(() => entryAt(dir, p, dir, folders), p).toThrow(OutputFolderError);
    }
    expect(() => entryAt(dir, 's2/r2/b.cfg', dir, folders)).toThrow(/is a symbolic link/);
    expect(() => entryAt(dir, 'plain/r3/c.cfg', dir, folders)).toThrow(/is not a folder/);
    expect(folders.has('s2') || folders.has('plain')).toBe(false);
  });
});

describe('a recompile with a link on the way', () => {
  it('is refused, and the folder keeps what it held', () => {
    const dir = join(tmp, 'recompile');
    const files = ['s1/r1/a.cfg', 's1/r1/b.cfg', 's1/r2/c.cfg'].map((path) => ({ path, content: `${path}\n`, mode: 0o644 }));
    writeFolder(dir, files, manifestOf(files));
    rmSync(join(dir, 's1', 'r2'), { recursive: true });
    mkdirSync(join(tmp, 'outside'), { recursive: true });
    symlinkSync(join(tmp, 'outside'), join(dir, 's1', 'r2'));
    expect(() => writeFolder(dir, files.map((f) => ({ ...f, content: `${f.content}changed\n` })), manifestOf(files))).toThrow(/s1\/r2 is a symbolic link/);
    expect(entryAt(dir, 's1/r1/a.cfg', dir)?.size).toBe('s1/r1/a.cfg\n'.length);
  });
});

/** A manifest that lists `files` as two devices' files (by their `<site>/<device>` folders). */
function manifestOf(files: readonly { path: string }[]): string {
  const byDir = new Map<string, string[]>();
  for (const f of files) {
    const dir = f.path.split('/').slice(0, 2).join('/');
    byDir.set(dir, [...(byDir.get(dir) ?? []), f.path.split('/').slice(2).join('/')]);
  }
  const devices = [...byDir].map(([dir, names]) => {
    const [site, name] = dir.split('/');
    return { id: `${site}.${name}`, site, name, role: 'router', platform: 'frr', dir, files: names.map((path) => ({ path, sha256: '0'.repeat(64) })) };
  });
  return `${JSON.stringify({ format: MANIFEST_FORMAT, intent: { name: 'n', sha256: '0'.repeat(64), sources: [] }, devices }, null, 2)}\n`;
}
