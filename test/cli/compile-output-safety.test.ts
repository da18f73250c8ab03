// `plumb compile -o DIR` never destroys what it did not write: the built CLI in temporary
// folders, refusing the sources' folders, the working directory and its ancestors, the root,
// the home folder, links and foreign files in the way (exit 2, a hint, nothing changed), and
// keeping a user's files when it replaces its own output.

import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snapshot } from '../folder-snapshot.js';
import { compileGoldens, INTENT_A, workspaces, plumb, ROOT, workEntries } from './compile-output-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'plumb-out-safety-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const workspace = workspaces(tmp);

/** The output of each intent, written once into a folder of its own. */
let golden: { a: Record<string, string>; b: Record<string, string> } = { a: {}, b: {} };
beforeAll(async () => {
  golden = await compileGoldens(workspace());
  expect(Object.keys(golden.a)).toContain('s/r2/setup.sh');
  expect(Object.keys(golden.b)).toContain('s/r3/frr.conf');
}, 120_000);

/** Exit 2 with one `error:` line naming `message` and a help line; no stack trace. */
function expectRefused(r: { status: number | null; stderr: string; stdout: string }, message: RegExp): void {
  expect(r.status, r.stderr).toBe(2);
  expect(r.stderr).toMatch(/^error: /m);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).toMatch(/^ {2}= help: /m);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.stdout).toBe('');
}

// The tests run at once: each works in a workspace of its own (its own DIR, sources and lock),
// and each is a few CLI processes one after another that otherwise leave the second core idle.
describe.concurrent('plumb compile -o refuses folders it must not write', () => {
  it('a folder holding the sources, even with a manifest.json from an earlier compile', async () => {
    const w = workspace();
    const proj = join(w, 'proj');
    mkdirSync(proj);
    writeFileSync(join(proj, 'acme.plumb'), INTENT_A);
    writeFileSync(join(proj, 'NOTES.txt'), 'mine\n');
    expect((await plumb(['compile', 'proj', '-o', 'proj/out'], w)).status).toBe(0);
    writeFileSync(join(proj, 'manifest.json'), readFileSync(join(proj, 'out', 'manifest.json')));
    const before = snapshot(proj);
    expectRefused(await plumb(['compile', 'proj', '-o', 'proj'], w), /proj is one of the intent's sources/);
    expectRefused(await plumb(['compile', 'proj/acme.plumb', '-o', 'proj'], w), /proj contains the intent's source acme\.plumb/);
    expect(snapshot(proj)).toEqual(before);
  });

  it('a folder above the sources (sources in a subfolder of DIR)', async () => {
    const w = workspace();
    mkdirSync(join(w, 'proj', 'src'), { recursive: true });
    writeFileSync(join(w, 'proj', 'src', 'a.plumb'), INTENT_A);
    writeFileSync(join(w, 'proj', 'manifest.json'), '{}');
    const before = snapshot(join(w, 'proj'));
    expectRefused(await plumb(['compile', 'proj/src', '-o', 'proj'], w), /proj contains the intent's source src/);
    expectRefused(await plumb(['compile', 'proj/src/a.plumb', '-o', './proj/src/..'], w), /contains the intent's source src\/a\.plumb/);
    expect(snapshot(join(w, 'proj'))).toEqual(before);
  });

  it('`.`, the working directory by another name, and its ancestors, even when empty', async () => {
    const w = workspace();
    const empty = join(w, 'empty');
    mkdirSync(empty);
    expectRefused(await plumb(['compile', '../a.plumb', '-o', '.'], empty), /\. is the working directory/);
    expectRefused(await plumb(['compile', '../a.plumb', '-o', empty], empty), /is the working directory/);
    expectRefused(await plumb(['compile', 'a.plumb', '-o', '..'], w), /\.\. contains the working directory/);
    expect(snapshot(empty)).toEqual({});
  });

  it('the filesystem root and the home folder', async () => {
    const w = workspace();
    const home = join(w, 'home');
    mkdirSync(home);
    expectRefused(await plumb(['compile', 'a.plumb', '-o', '/'], w), /\/ is the root of the filesystem/);
    expectRefused(await plumb(['compile', 'a.plumb', '-o', home], w, { HOME: home }), /is your home folder/);
    expectRefused(await plumb(['compile', 'a.plumb', '-o', w], join(w, 'home'), { HOME: home }), /contains your home folder/);
    expect(snapshot(home)).toEqual({});
  });

  it('a symbolic link, unless --follow-symlink; then the link stays and its target gets the output', async () => {
    const w = workspace();
    mkdirSync(join(w, 'real'));
    symlinkSync('real', join(w, 'link'));
    expectRefused(await plumb(['compile', 'a.plumb', '-o', 'link'], w), /link is a symbolic link \(to real\)/);
    expect(snapshot(w)['link']).toBe('-> real');
    expect(snapshot(join(w, 'real'))).toEqual({});
    const r = await plumb(['compile', 'a.plumb', '-o', 'link', '--follow-symlink'], w);
    expect(r.status, r.stderr).toBe(0);
    expect(snapshot(w)['link']).toBe('-> real');
    expect(snapshot(join(w, 'real'))).toEqual(golden.a);
    symlinkSync('nowhere', join(w, 'dangling'));
    expectRefused(await plumb(['compile', 'a.plumb', '-o', 'dangling', '--follow-symlink'], w), /dangling is a symbolic link to nowhere, which does not exist/);
  });

  it('a link inside DIR on the way to a device folder: nothing is written through it', async () => {
    const w = workspace();
    expect((await plumb(['compile', 'a.plumb', '-o', 'out'], w)).status).toBe(0);
    mkdirSync(join(w, 'elsewhere'));
    writeFileSync(join(w, 'elsewhere', 'precious'), 'x');
    rmSync(join(w, 'out', 's'), { recursive: true });
    symlinkSync(join(w, 'elsewhere'), join(w, 'out', 's'));
    const before = snapshot(join(w, 'out'));
    expectRefused(await plumb(['compile', 'b.plumb', '-o', 'out'], w), /out\/s is a symbolic link, where Plumb keeps a device's files/);
    expect(snapshot(join(w, 'out'))).toEqual(before);
    expect(snapshot(join(w, 'elsewhere'))).toEqual({ precious: 'x' });
  });

  it('a non-empty folder without manifest.json, and one whose manifest.json is unusable', async () => {
    const w = workspace();
    mkdirSync(join(w, 'mine'));
    writeFileSync(join(w, 'mine', 'keep'), 'x');
    expectRefused(await plumb(['compile', 'a.plumb', '-o', 'mine'], w), /not a Plumb output folder/);
    writeFileSync(join(w, 'mine', 'manifest.json'), '{"format": 1, "devices": [');
    expectRefused(await plumb(['compile', 'a.plumb', '-o', 'mine'], w), /cannot tell which files it wrote/);
    expect(snapshot(join(w, 'mine'))).toEqual({ keep: 'x', 'manifest.json': '{"format": 1, "devices": [' });
    writeFileSync(join(w, 'file'), 'x');
    expectRefused(await plumb(['compile', 'a.plumb', '-o', 'file'], w), /file exists and is not a folder/);
  });

  it('a file Plumb did not write where the new output puts one', async () => {
    const w = workspace();
    expect((await plumb(['compile', 'a.plumb', '-o', 'out'], w)).status).toBe(0);
    mkdirSync(join(w, 'out', 's', 'r3'));
    writeFileSync(join(w, 'out', 's', 'r3', 'frr.conf'), 'hand-written\n');
    const before = snapshot(join(w, 'out'));
    expectRefused(await plumb(['compile', 'b.plumb', '-o', 'out'], w), /out\/s\/r3\/frr\.conf exists and Plumb did not write it/);
    expect(snapshot(join(w, 'out'))).toEqual(before);
  });

  it('a bad --lock-wait', async () => {
    const w = workspace();
    for (const v of ['-1', 'soon', '1e3', '7200']) expectRefused(await plumb(['compile', 'a.plumb', '-o', 'out', '--lock-wait', v], w), /invalid --lock-wait/);
  });
});

describe.concurrent('plumb compile -o replaces only its own files', () => {
  it("keeps a user's files, in DIR and in device folders, while files and devices come and go", async () => {
    const w = workspace();
    expect((await plumb(['compile', 'a.plumb', '-o', 'out'], w)).status).toBe(0);
    expect(snapshot(join(w, 'out'))).toEqual(golden.a);
    writeFileSync(join(w, 'out', 'NOTES.txt'), 'my notes\n');
    writeFileSync(join(w, 'out', 's', 'r2', 'extra.conf'), 'by hand\n');
    writeFileSync(join(w, 'out', 's', 'r1', 'frr.conf'), 'edited by hand, listed: replaced\n');
    const r = await plumb(['compile', 'b.plumb', '-o', 'out'], w);
    expect(r.status, r.stderr).toBe(0);
    expect(snapshot(join(w, 'out'))).toEqual({ ...golden.b, 'NOTES.txt': 'my notes\n', 's/r2/extra.conf': 'by hand\n' });
    expect(workEntries(join(w, 'out'))).toEqual([]);
    // Back to A: r3's folder goes (empty), r2's comes back beside the kept file.
    expect((await plumb(['compile', 'a.plumb', '-o', 'out'], w)).status).toBe(0);
    expect(snapshot(join(w, 'out'))).toEqual({ ...golden.a, 'NOTES.txt': 'my notes\n', 's/r2/extra.conf': 'by hand\n' });
  });

  it('writes into an empty folder, and creates a missing one with its parents', async () => {
    const w = workspace();
    mkdirSync(join(w, 'empty'));
    expect((await plumb(['compile', 'a.plumb', '-o', 'empty'], w)).status).toBe(0);
    expect(snapshot(join(w, 'empty'))).toEqual(golden.a);
    expect((await plumb(['compile', 'a.plumb', '-o', 'x/y/z'], w)).status).toBe(0);
    expect(snapshot(join(w, 'x', 'y', 'z'))).toEqual(golden.a);
  });
});

describe('docs/cli.md, the compile -o section', () => {
  it('shows the refusal exactly as the CLI prints it', async () => {
    const doc = readFileSync(join(ROOT, 'docs', 'cli.md'), 'utf8');
    const from = doc.indexOf('**Folders that are refused.**');
    const block = doc.slice(doc.indexOf('```\n$ plumb compile', from) + 4, doc.indexOf('\n```', doc.indexOf('```\n$ plumb compile', from) + 4) + 1);
    const [command, ...printed] = block.split('\n');
    expect(command).toBe('$ plumb compile proj/acme.plumb -o proj');
    const w = workspace();
    mkdirSync(join(w, 'proj'));
    writeFileSync(join(w, 'proj', 'acme.plumb'), INTENT_A);
    const r = await plumb(command!.split(' ').slice(2), w);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(printed.join('\n'));
  });
});
