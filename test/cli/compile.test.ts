// `plumb compile --emit model`, run in-process like the real CLI (`plumb graph`: graph.test.ts).

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CliIo } from '../../cli/io.js';
import { run } from '../../cli/program.js';

const ROOT = join(import.meta.dirname, '..', '..');

function capture(cwd: string, env: Record<string, string | undefined> = {}) {
  let out = '';
  let err = '';
  const io: CliIo = { stdout: (s) => void (out += s), stderr: (s) => void (err += s), isTTY: false, cwd, env };
  return { io, out: () => out, err: () => err };
}

describe('plumb compile --emit model', () => {
  it('prints the golden model of acme, 2-space indented, and its warnings on stderr', async () => {
    const c = capture(ROOT);
    expect(await run(['compile', 'examples/acme/acme.plumb', '--emit', 'model'], c.io)).toBe(0);
    expect(c.out()).toBe(readFileSync(join(ROOT, 'test', 'fixtures', 'models', 'acme.json'), 'utf8'));
    expect(c.out().startsWith('{\n  "version": 1,\n')).toBe(true);
    expect(c.err()).toContain('warning[C703]');
  });

  it('accepts a directory and gives the same bytes', async () => {
    const a = capture(ROOT);
    const b = capture(ROOT);
    await run(['compile', 'examples/acme', '--emit', 'model'], a.io);
    await run(['compile', 'examples/acme/acme.plumb', '--emit', 'model'], b.io);
    expect(a.out()).toBe(b.out());
  });

  describe('failures', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'plumb-compile-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('exits 1 on an intent with errors and prints no model', async () => {
      writeFileSync(join(dir, 'bad.plumb'), 'site s {\n  router r1 frr\n}\nsegment a 10.0.0.0/24 at s.nope\n');
      const c = capture(dir);
      expect(await run(['compile', 'bad.plumb', '--emit', 'model'], c.io)).toBe(1);
      expect(c.out()).toBe('');
      expect(c.err()).toContain('error[');
    });

    it('exits 2 without --emit, with an unknown --emit, or with a missing file', async () => {
      writeFileSync(join(dir, 'ok.plumb'), 'pool p 10.255.0.0/16\nsite s {\n  router r1 frr\n}\n');
      for (const argv of [['compile', 'ok.plumb'], ['compile', 'ok.plumb', '--emit', 'configs'], ['compile', 'missing.plumb', '--emit', 'model']]) {
        const c = capture(dir);
        expect(await run(argv, c.io), argv.join(' ')).toBe(2);
        expect(c.err()).toMatch(/^error: /);
        expect(c.err()).not.toContain('    at ');
      }
    });
  });
});
