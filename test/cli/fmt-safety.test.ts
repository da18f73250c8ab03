// `plumb fmt` on files it must write with care: a file named through a symbolic link (the
// target is formatted, the link stays), a read-only file and a read-only folder (exit 2, a
// clear message, the file unchanged, the other files still formatted), and a link planted at
// the temporary file's name (never written through); temporary files of killed runs removed.

import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../cli/io.js';
import { run } from '../../cli/program.js';

const ROOT = join(import.meta.dirname, '..', '..');
const MESSY = 'network   demo\nsite a {\n    router r1   frr\n}\n';
const CANONICAL = 'network demo\nsite a {\n  router r1 frr\n}\n';

const tmp = mkdtempSync(join(tmpdir(), 'plumb-fmt-safety-'));
chmodSync(tmp, 0o755); // the read-only-folder test runs the CLI as an unprivileged user
afterAll(() => {
  spawnSync('chmod', ['-R', 'u+w', tmp]);
  rmSync(tmp, { recursive: true, force: true });
});
let n = 0;
function folder(): string {
  const dir = join(tmp, `f${n++}`);
  mkdirSync(dir, { mode: 0o755 });
  chmodSync(dir, 0o755);
  return dir;
}

function capture(cwd: string): CliIo & { out: string; err: string } {
  const io = { out: '', err: '', stdout: (s: string) => void (io.out += s), stderr: (s: string) => void (io.err += s), isTTY: false, cwd, env: {} };
  return io;
}

describe('plumb fmt writes with care', () => {
  it('formats the target of a symbolic link and keeps the link', async () => {
    const dir = folder();
    mkdirSync(join(dir, 'real'));
    writeFileSync(join(dir, 'real', 'a.plumb'), MESSY, { mode: 0o640 });
    symlinkSync('real/a.plumb', join(dir, 'link.plumb'));
    const io = capture(dir);
    expect(await run(['fmt', 'link.plumb'], io)).toBe(0);
    expect(io.out).toBe('link.plumb\n');
    expect(lstatSync(join(dir, 'link.plumb')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(dir, 'link.plumb'))).toBe('real/a.plumb');
    expect(readFileSync(join(dir, 'real', 'a.plumb'), 'utf8')).toBe(CANONICAL);
    expect(statSync(join(dir, 'real', 'a.plumb')).mode & 0o777).toBe(0o640);
    expect(readdirSync(dir).sort()).toEqual(['link.plumb', 'real']);
    expect(readdirSync(join(dir, 'real'))).toEqual(['a.plumb']);
  });

  it('leaves a read-only file alone with a clear message, and formats the others', async () => {
    const dir = folder();
    writeFileSync(join(dir, 'ro.plumb'), MESSY, { mode: 0o444 });
    writeFileSync(join(dir, 'rw.plumb'), MESSY);
    const io = capture(dir);
    expect(await run(['fmt', 'ro.plumb', 'rw.plumb'], io)).toBe(2);
    expect(io.err).toBe('error: ro.plumb is read-only, so it was not formatted\n  = help: make it writable (chmod u+w ro.plumb) to format it\n');
    expect(io.out).toBe('rw.plumb\n');
    expect(readFileSync(join(dir, 'ro.plumb'), 'utf8')).toBe(MESSY);
    expect(readFileSync(join(dir, 'rw.plumb'), 'utf8')).toBe(CANONICAL);
  });

  it('never writes through a link planted at the temporary name', async () => {
    const dir = folder();
    writeFileSync(join(dir, 'a.plumb'), MESSY);
    writeFileSync(join(dir, 'victim'), 'keep\n');
    symlinkSync('victim', join(dir, `.a.plumb.fmt-${process.pid}.tmp`));
    const io = capture(dir);
    expect(await run(['fmt', 'a.plumb'], io)).toBe(2);
    expect(io.err).toContain('error: cannot write a.plumb: EEXIST');
    expect(readFileSync(join(dir, 'victim'), 'utf8')).toBe('keep\n');
    expect(readFileSync(join(dir, 'a.plumb'), 'utf8')).toBe(MESSY);
  });

  it("removes temporary files of killed runs, not a live run's, when it writes beside them", async () => {
    const dir = folder();
    writeFileSync(join(dir, 'a.plumb'), MESSY);
    const dead = Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
    const stale = [`.a.plumb.fmt-${dead}.tmp`, `a.plumb.fmt-${dead}.tmp`];
    const live = `.b.plumb.fmt-${process.ppid}.tmp`;
    for (const name of [...stale, live]) writeFileSync(join(dir, name), 'half a file');
    const io = capture(dir);
    expect(await run(['fmt', 'a.plumb'], io)).toBe(0);
    expect(io.err).toBe(stale.sort().map((name) => `note: removed ${name}, left by an interrupted plumb fmt\n`).join(''));
    expect(readdirSync(dir).sort()).toEqual([live, 'a.plumb'].sort());
    expect(readFileSync(join(dir, 'a.plumb'), 'utf8')).toBe(CANONICAL);
  });

  // Root ignores folder permissions: as root, the CLI runs as nobody through setpriv.
  const isRoot = process.getuid?.() === 0;
  const hasSetpriv = spawnSync('setpriv', ['--version']).status === 0;
  const canDrop = !isRoot || hasSetpriv;
  if (!canDrop && !process.env.CI) console.warn('\n*** SKIPPING the read-only folder test: running as root without setpriv (util-linux). CI runs it. ***\n');
  it.skipIf(!canDrop && !process.env.CI)('reports a read-only folder (the built CLI), leaving the file as it was', () => {
    const dir = folder();
    const ro = join(dir, 'ro');
    const rw = join(dir, 'rw');
    mkdirSync(ro);
    mkdirSync(rw);
    writeFileSync(join(ro, 'a.plumb'), MESSY, { mode: 0o666 });
    writeFileSync(join(rw, 'b.plumb'), MESSY, { mode: 0o666 });
    chmodSync(join(ro, 'a.plumb'), 0o666);
    chmodSync(join(rw, 'b.plumb'), 0o666);
    chmodSync(rw, 0o777);
    chmodSync(ro, 0o555);
    const cli = [process.execPath, join(ROOT, 'dist', 'cli', 'main.js'), 'fmt', 'ro/a.plumb', 'rw/b.plumb'];
    const argv = isRoot ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', ...cli] : cli;
    const r = spawnSync(argv[0]!, argv.slice(1), { cwd: dir, encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toBe(
      'error: cannot write ro/a.plumb: EACCES\n  = help: fmt writes a temporary file beside the file and renames it into place, so its folder must be writable\n',
    );
    expect(r.stdout).toBe('rw/b.plumb\n');
    expect(readFileSync(join(ro, 'a.plumb'), 'utf8')).toBe(MESSY);
    expect(readdirSync(ro)).toEqual(['a.plumb']);
    expect(readFileSync(join(rw, 'b.plumb'), 'utf8')).toBe(CANONICAL);
  });
});
