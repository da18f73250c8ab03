import { chmodSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CliIo } from '../../cli/io.js';
import { run } from '../../cli/program.js';

interface Captured {
  io: CliIo;
  out: () => string;
  err: () => string;
}

function capture(cwd: string): Captured {
  let out = '';
  let err = '';
  return {
    io: { stdout: (s) => void (out += s), stderr: (s) => void (err += s), isTTY: false, cwd, env: {} },
    out: () => out,
    err: () => err,
  };
}

const MESSY = 'network   demo\nsite a {\n    router r1   frr   # the only router\n}\n\n\n\ngroup g = x ,y\n';
const CANONICAL = 'network demo\nsite a {\n  router r1 frr  # the only router\n}\n\ngroup g = x, y\n';

describe('plumb fmt', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'plumb-fmt-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('rewrites a file in the canonical layout, lists it, and leaves no temporary file', async () => {
    writeFileSync(join(dir, 'a.plumb'), MESSY);
    chmodSync(join(dir, 'a.plumb'), 0o640);
    const c = capture(dir);
    expect(await run(['fmt', 'a.plumb'], c.io)).toBe(0);
    expect(readFileSync(join(dir, 'a.plumb'), 'utf8')).toBe(CANONICAL);
    expect(c.out()).toBe('a.plumb\n');
    expect(readdirSync(dir)).toEqual(['a.plumb']);
    expect(statSync(join(dir, 'a.plumb')).mode & 0o777).toBe(0o640);
  });

  it('does not touch a file that is already canonical', async () => {
    const path = join(dir, 'a.plumb');
    writeFileSync(path, CANONICAL);
    const before = statSync(path).mtimeMs;
    const c = capture(dir);
    expect(await run(['fmt', 'a.plumb'], c.io)).toBe(0);
    expect(c.out()).toBe('');
    expect(statSync(path).mtimeMs).toBe(before);
  });

  it('--check writes nothing, lists the files that would change and exits 1', async () => {
    writeFileSync(join(dir, 'messy.plumb'), MESSY);
    writeFileSync(join(dir, 'clean.plumb'), CANONICAL);
    const c = capture(dir);
    expect(await run(['fmt', '--check', 'messy.plumb', 'clean.plumb'], c.io)).toBe(1);
    expect(c.out()).toBe('messy.plumb\n');
    expect(readFileSync(join(dir, 'messy.plumb'), 'utf8')).toBe(MESSY);
  });

  it('--check exits 0 when every file is canonical', async () => {
    writeFileSync(join(dir, 'clean.plumb'), CANONICAL);
    const c = capture(dir);
    expect(await run(['fmt', '--check', 'clean.plumb'], c.io)).toBe(0);
    expect(c.out()).toBe('');
  });

  it('formats every .plumb file of a directory', async () => {
    writeFileSync(join(dir, 'a.plumb'), MESSY);
    writeFileSync(join(dir, 'b.plumb'), MESSY);
    const c = capture(dir);
    expect(await run(['fmt', '.'], c.io)).toBe(0);
    expect(c.out()).toBe('a.plumb\nb.plumb\n');
    expect(readFileSync(join(dir, 'b.plumb'), 'utf8')).toBe(CANONICAL);
  });

  it('prints the syntax errors, exits 1 and leaves a broken file untouched', async () => {
    const broken = 'segment web 10.0.0.0/24 fra1.fw1\nsite x {\n  router r1 frr\n';
    writeFileSync(join(dir, 'bad.plumb'), broken);
    writeFileSync(join(dir, 'good.plumb'), MESSY);
    const c = capture(dir);
    expect(await run(['fmt', 'bad.plumb', 'good.plumb'], c.io)).toBe(1);
    expect(readFileSync(join(dir, 'bad.plumb'), 'utf8')).toBe(broken);
    expect(readFileSync(join(dir, 'good.plumb'), 'utf8')).toBe(CANONICAL);
    expect(c.err()).toContain('error[P104]: expected `at` before the gateway device, found `fra1`');
    expect(c.err()).toContain('bad.plumb:1:25');
    expect(c.err()).toContain('error[P108]');
    expect(c.err()).toContain('bad.plumb:2:8');
  });

  it('exits 2 on a file it cannot read, and on no files at all', async () => {
    const c = capture(dir);
    expect(await run(['fmt', 'missing.plumb'], c.io)).toBe(2);
    expect(c.err()).toContain('cannot read missing.plumb');
    expect(await run(['fmt'], capture(dir).io)).toBe(2);
  });
});

describe('the bundled examples', () => {
  it('are in the canonical layout (`plumb fmt --check examples/` exits 0)', async () => {
    const c = capture(process.cwd());
    expect(await run(['fmt', '--check', 'examples/'], c.io), c.out() + c.err()).toBe(0);
  });
});
