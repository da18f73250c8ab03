// `plumb compile --emit model` and `plumb graph`, run in-process like the real CLI.

import { spawnSync } from 'node:child_process';
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

describe('plumb graph', () => {
  it('draws sites as clusters, devices by platform, links with addresses, segments and externals', async () => {
    const c = capture(ROOT);
    expect(await run(['graph', 'examples/acme/acme.plumb'], c.io)).toBe(0);
    const dot = c.out();
    expect(dot.startsWith('graph "acme" {')).toBe(true);
    expect(dot).toContain('subgraph "cluster_0" {\n    label="ams1";');
    expect(dot).toContain('"fra1.fw1" [label="fw1\\npaloalto-panos');
    expect(dot).toMatch(/"fra1\.core1" -- "fra1\.fw1" \[label="eth2 10\.255\.\d+\.\d+\/31\\nethernet1\/1 10\.255\.\d+\.\d+\/31"\]/);
    expect(dot).toContain('"segment:web" [label="web\\n10.10.1.0/24\\n2001:db8:10:1::/64", shape=note]');
    expect(dot).toContain('"external:internet" [label="internet\\n0.0.0.0/0", shape=cloud]');
    const again = capture(ROOT);
    await run(['graph', 'examples/acme/acme.plumb', '--format', 'dot'], again.io);
    expect(again.out()).toBe(dot);
  });

  const hasDot = spawnSync('dot', ['-V']).error === undefined;
  if (!hasDot && !process.env.CI) console.warn('\n*** Graphviz `dot` is not installed: skipping the SVG test ***\n');
  it.skipIf(!hasDot && !process.env.CI)('renders SVG through Graphviz dot', async () => {
    const c = capture(ROOT);
    expect(await run(['graph', 'examples/acme/acme.plumb', '--format', 'svg'], c.io)).toBe(0);
    expect(c.out()).toContain('<svg');
    expect(c.out()).toContain('fra1.fw1');
  });

  it('says clearly when Graphviz is missing', async () => {
    const saved = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      const c = capture(ROOT);
      expect(await run(['graph', 'examples/acme/acme.plumb', '--format', 'svg'], c.io)).toBe(2);
      expect(c.err()).toContain('Graphviz `dot` was not found');
      expect(c.out()).toBe('');
    } finally {
      process.env.PATH = saved;
    }
  });

  it('rejects an unknown format', async () => {
    const c = capture(ROOT);
    expect(await run(['graph', 'examples/acme/acme.plumb', '--format', 'png'], c.io)).toBe(2);
  });
});
