// The CLI over an intent that imports modules (test/fixtures/modules/): `plumb check` and
// `plumb compile` read the imports, the compiled configurations of every platform carry the
// qualified names, read back equal (translation validation), and nft accepts the Linux rules.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../../cli/program.js';
import { nftCheck, skipWithout } from '../backends/tools.js';
import { capturedIo } from './captured-io.js';

const dir = mkdtempSync(join(tmpdir(), 'plumb-modules-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
cpSync(join(import.meta.dirname, '..', 'fixtures', 'modules'), dir, { recursive: true });

describe('plumb check and compile with modules', () => {
  it('checks the intent with its imported modules: no error, exit 0', async () => {
    const io = capturedIo(dir);
    expect(await run(['check', 'site'], io)).toBe(0);
    expect(io.out).not.toContain('error');
    expect(io.err).toBe('');
  });

  it('compiles every platform with the qualified names, validated against the model', async () => {
    const io = capturedIo(dir);
    expect(await run(['compile', 'site', '-o', 'out'], io)).toBe(0);
    expect(io.out + io.err).toMatch(/validated 5 devices: read back/);
    const edge = readFileSync(join(dir, 'out/fra1/edge1/edge1.cfg'), 'utf8');
    expect(edge).toContain('description external partners.analytics: data platform, Frankfurt');
    expect(edge).toContain('ip access-group ext-partners.analytics-in in');
    const fw = readFileSync(join(dir, 'out/fra1/fw1/fw1.set'), 'utf8');
    expect(fw).toContain('allow-partners.all-partners-web-shared.web');
    const manifest = readFileSync(join(dir, 'out/manifest.json'), 'utf8');
    expect(manifest).toContain('"path": "partners/analytics.plumb"');
  });

  it.skipIf(skipWithout('nft', 'nftables'))('nft -c accepts the Linux and FRR hosts\' rules', async () => {
    const out = join(dir, 'out-nft');
    expect(await run(['compile', 'site', '-o', out], capturedIo(dir))).toBe(0);
    for (const device of ['ams1/core2', 'ams1/gw1', 'fra1/core1']) {
      const conf = readFileSync(join(out, device, 'nftables.conf'), 'utf8');
      const r = nftCheck(conf);
      expect(r.output, device).toBe('');
      expect(r.status, device).toBe(0);
    }
    expect(readFileSync(join(out, 'ams1/gw1/nftables.conf'), 'utf8')).toContain('partners.analytics : shared.web');
  });

  it('exits 1 on an error in an imported module, shown in its own file', async () => {
    writeFileSync(join(dir, 'partners', 'broken.plumb'), 'segment x 10.9.0.0/24 at fra1.core1\n');
    const io = capturedIo(dir);
    expect(await run(['check', 'site'], io)).toBe(1);
    expect(io.out).toContain('error[P237]');
    expect(io.out).toContain('--> partners/broken.plumb:1:1');
    rmSync(join(dir, 'partners', 'broken.plumb'));
  });

  it('exits 1 on a missing module, at the import', async () => {
    writeFileSync(join(dir, 'other.plumb'), 'import "gone" as gone\nnetwork other\n');
    const io = capturedIo(dir);
    expect(await run(['check', 'other.plumb'], io)).toBe(1);
    expect(io.out).toContain('error[P230]: no .plumb file or folder gone');
    expect(io.out).toContain('--> other.plumb:1:8');
  });
});
