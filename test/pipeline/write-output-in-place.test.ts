// A recompile into the same folder (pipeline/write-output.ts, backends/output-pending.ts
// addUnlessInPlace): a file DIR already holds byte for byte, as a file of a mode the write keeps,
// is listed but not put down in the pending folder. The folder written is the same as a write
// of every file; a file of another mode or other bytes (of the same size) is put down and
// replaced; a link is never taken for the file; and a file left out that changes before the
// lock makes the write refuse the run, leaving DIR as it was.

import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderOutput, writeOutput } from '../../backends/output.js';
import { OutputFolderError } from '../../backends/output-lock.js';
import { PendingOutput } from '../../backends/output-pending.js';
import { renderIntoFolder } from '../../pipeline/write-output.js';
import { snapshot } from '../folder-snapshot.js';
import { acmeModel } from './acme-model.js';

const tmp = mkdtempSync(join(tmpdir(), 'plumb-in-place-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const noSecrets = new Map<string, string>();

/**
 * The contents of the files in the pending folder's new/ (flat, each file under its number),
 * what the run put down, sorted.
 */
function putDown(dir: string): string[] {
  const root = join(dir, `.plumb-pending-${process.pid}`, 'new');
  return readdirSync(root)
    .map((n) => readFileSync(join(root, n), 'utf8'))
    .sort();
}

/** A folder with acme's output written the ordinary way, every file's mtime set to `old`. */
function writtenBefore(name: string, old: Date): string {
  const dir = join(tmp, name);
  const { model, sources } = acmeModel();
  writeOutput(dir, renderOutput(model, sources));
  for (const f of readdirSync(dir, { recursive: true }) as string[]) if (lstatSync(join(dir, f)).isFile()) utimesSync(join(dir, f), old, old);
  return dir;
}

describe('renderIntoFolder over its own earlier output', () => {
  const old = new Date('2020-01-01T00:00:00Z');

  it('puts down nothing for an unchanged recompile, and writes the same folder', async () => {
    const dir = writtenBefore('same', old);
    const before = snapshot(dir);
    const { model, sources } = acmeModel();
    const output = await renderIntoFolder(model, sources, { dir, shown: 'out', secrets: noSecrets, validate: true });
    if (!output.ok) throw new Error(output.validation.report);
    expect(putDown(dir)).toEqual([]);
    output.write();
    expect(snapshot(dir)).toEqual(before);
    for (const p of Object.keys(before).filter((q) => q !== 'manifest.json')) expect(statSync(join(dir, p)).mtimeMs, p).toBe(old.getTime());
    expect(readdirSync(dir).filter((n) => n.startsWith('.plumb-'))).toEqual([]);
  });

  it('puts down exactly the files that change, those of another mode and those of other bytes', async () => {
    const dir = writtenBefore('changed', old);
    const { model, sources } = acmeModel((t) => t.replace(/\ballow\b/, 'deny'));
    const expected = join(tmp, 'changed-expected');
    writeOutput(expected, renderOutput(model, sources));
    const unchangedFiles = Object.keys(snapshot(dir)).filter((p) => p !== 'manifest.json' && snapshot(expected)[p] === snapshot(dir)[p]);
    expect(unchangedFiles.length).toBeGreaterThan(2);
    // one unchanged script made not executable, one unchanged file edited in place to the same size
    const script = unchangedFiles.find((p) => p.endsWith('.sh'))!;
    chmodSync(join(dir, script), 0o644);
    const edited = unchangedFiles.find((p) => p !== script)!;
    const text = readFileSync(join(dir, edited), 'utf8');
    writeFileSync(join(dir, edited), `${text.slice(0, -2)}${text.at(-2) === 'x' ? 'y' : 'x'}${text.at(-1)}`);
    const output = await renderIntoFolder(model, sources, { dir, shown: 'out', secrets: noSecrets, validate: true });
    if (!output.ok) throw new Error(output.validation.report);
    const changed = Object.keys(snapshot(expected)).filter((p) => p !== 'manifest.json' && snapshot(expected)[p] !== snapshot(dir)[p]);
    expect(putDown(dir)).toEqual([...changed, script].map((p) => snapshot(expected)[p]!).sort());
    output.write();
    expect(snapshot(dir)).toEqual(snapshot(expected));
    expect(statSync(join(dir, script)).mode & 0o777).toBe(0o755);
    for (const p of unchangedFiles.filter((q) => q !== script && q !== edited)) expect(statSync(join(dir, p)).mtimeMs).toBe(old.getTime());
  });

  it('refuses the run when a file it left out changes before the write, and leaves the folder as it was', async () => {
    const dir = writtenBefore('raced', old);
    const { model, sources } = acmeModel();
    const output = await renderIntoFolder(model, sources, { dir, shown: 'out', secrets: noSecrets, validate: false });
    if (!output.ok) throw new Error('not ok');
    const victim = Object.keys(snapshot(dir)).find((p) => p.endsWith('.sh'))!;
    writeFileSync(join(dir, victim), 'changed meanwhile\n');
    const now = snapshot(dir);
    delete now[Object.keys(now).find((p) => p.startsWith('.plumb-pending-'))!];
    expect(() => output.write()).toThrow(OutputFolderError);
    expect(() => output.write()).toThrow(/changed while Plumb compiled/);
    expect(snapshot(dir)).toEqual(now);
  });
});

describe('PendingOutput.addUnlessInPlace', () => {
  it('puts down a file whose place holds a link to the same bytes, or a file of another size', () => {
    const dir = join(tmp, 'links');
    mkdirSync(dir);
    const pending = PendingOutput.open(dir);
    const bytes = Buffer.from('hostname r1\n');
    writeFileSync(join(dir, 'target'), bytes);
    symlinkSync(join(dir, 'target'), join(dir, 'link'));
    writeFileSync(join(dir, 'longer'), Buffer.concat([bytes, Buffer.from('!')]), { mode: 0o644 });
    writeFileSync(join(dir, 'same'), bytes, { mode: 0o644 });
    for (const p of ['link', 'longer', 'same', 'absent']) pending.addUnlessInPlace(p, bytes, 0o644, 'h');
    expect(pending.files.map((f) => [f.path, f.inPlace ?? false])).toEqual([
      ['link', false],
      ['longer', false],
      ['same', true],
      ['absent', false],
    ]);
    // a private file must be private in place: a readable copy is put down
    unlinkSync(join(dir, 'same'));
    writeFileSync(join(dir, 'same'), bytes, { mode: 0o644 });
    pending.addUnlessInPlace('same', bytes, 0o600, 'h');
    expect(pending.files.at(-1)!.inPlace).toBeUndefined();
    pending.discard();
  });

  it("leaves nothing out where DIR has an interrupted write's journal, or did not exist", () => {
    const bytes = Buffer.from('hostname r1\n');
    const dir = join(tmp, 'journal');
    mkdirSync(dir);
    writeFileSync(join(dir, 'same'), bytes, { mode: 0o644 });
    writeFileSync(join(dir, '.plumb-write.json'), '{}');
    const pending = PendingOutput.open(dir);
    pending.addUnlessInPlace('same', bytes, 0o644, 'h');
    expect(pending.files[0]!.inPlace).toBeUndefined();
    pending.discard();
    const fresh = PendingOutput.open(join(tmp, 'fresh'));
    fresh.addUnlessInPlace('absent', bytes, 0o644, 'h');
    expect(fresh.files[0]!.inPlace).toBeUndefined();
    fresh.discard();
  });
});
