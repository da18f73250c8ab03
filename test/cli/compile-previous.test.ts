// `plumb compile -o DIR --previous OLD_DIR`, in-process like the real CLI: the delta files beside
// each device's configuration and in the manifest (with the previous manifest's sha256, each
// device's status, the devices removed), the summary, OLD_DIR equal to DIR, determinism, and the
// refusals of a previous output that is not what its manifest lists (exit 2, nothing written).

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OutputFolderError, readManifest, renderOutput, writeOutput, type Manifest } from '../../backends/output.js';
import { compileIntent } from '../../pipeline/compile.js';
import { run } from '../../cli/program.js';
import { versionTexts } from '../backends/delta-linux-versions.js';
import { capturedIo } from './captured-io.js';
import { INTENT_A, INTENT_B } from './compile-output-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'plumb-previous-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const manifest = (dir: string): Manifest => JSON.parse(readFileSync(join(tmp, dir, 'manifest.json'), 'utf8')) as Manifest;

function write(name: string, text: string): string {
  mkdirSync(join(tmp, 'src'), { recursive: true });
  writeFileSync(join(tmp, 'src', name), text);
  return `src/${name}`;
}

async function compile(...args: string[]) {
  const io = capturedIo(tmp);
  const status = await run(['compile', ...args], io);
  return { status, out: io.out, err: io.err };
}

const { n, n1 } = versionTexts();
const srcN = write('n.plumb', n);
const srcN1 = write('n1.plumb', n1);

describe('plumb compile --previous', () => {
  it('writes each changed device\'s delta files and lists them in the manifest, over the previous manifest\'s sha256', async () => {
    expect((await compile(srcN, '-o', 'v1', '--no-validate')).status).toBe(0);
    const r = await compile(srcN1, '-o', 'v2', '--previous', 'v1');
    expect(r.err).toContain('validated 7 devices');
    expect(r.status).toBe(0);
    const m = manifest('v2');
    expect(m.previous).toEqual({ manifest: sha(join(tmp, 'v1', 'manifest.json')), intent: manifest('v1').intent.sha256, removed: [] });
    const deltas = Object.fromEntries(m.devices.map((d) => [d.id, d.delta]));
    expect(deltas['sae.wl2']!.status).toBe('changed');
    expect(deltas['sae.wl2']!.files.map((f) => f.path)).toEqual(['setup.delta.sh']);
    expect(deltas['sae.tgw2']!.files.map((f) => f.path)).toEqual(['frr.reload.sh', 'setup.delta.sh']);
    for (const d of m.devices) {
      expect(d.delta, d.id).toBeDefined();
      for (const f of d.delta!.files) {
        const path = join(tmp, 'v2', d.dir, f.path);
        expect(sha(path), `${d.id} ${f.path}`).toBe(f.sha256);
        if (f.path.endsWith('.sh')) expect(statSync(path).mode & 0o111).not.toBe(0);
      }
      // The configuration files are those of a plain compile: the deltas are beside them.
      expect(d.files.map((f) => f.path).some((p) => p.includes('.delta.') || p.endsWith('.reload.sh'))).toBe(false);
    }
    expect(readFileSync(join(tmp, 'v2/sae/wl2/setup.delta.sh'), 'utf8')).toContain('address del 10.50.1.1/24 dev eth2');
    const changed = m.devices.filter((d) => d.delta!.status === 'changed' || d.delta!.status === 'full').length;
    expect(r.out).toContain(`deltas over v1/manifest.json (sha256 ${m.previous!.manifest}): ${changed} changed, ${7 - changed} unchanged, 0 new, 0 removed`);
    expect(r.out).toMatch(/^ {2}changed {2}sae\.tgw2 {3}frr\.reload\.sh, setup\.delta\.sh$/m);
    expect(readManifest(join(tmp, 'v2'))).toHaveProperty('manifest');
  });

  it('is deterministic, and OLD_DIR may be DIR itself: the same bytes as into another folder', async () => {
    expect((await compile(srcN1, '-o', 'v2b', '--previous', 'v1', '--no-validate')).status).toBe(0);
    expect((await compile(srcN, '-o', 'same', '--no-validate')).status).toBe(0);
    expect((await compile(srcN1, '-o', 'same', '--previous', 'same', '--no-validate')).status).toBe(0);
    const m = manifest('v2');
    for (const dir of ['v2b', 'same']) {
      expect(readFileSync(join(tmp, dir, 'manifest.json'), 'utf8')).toBe(readFileSync(join(tmp, 'v2', 'manifest.json'), 'utf8'));
      for (const d of m.devices)
        for (const f of [...d.files, ...d.delta!.files]) expect(sha(join(tmp, dir, d.dir, f.path)), `${dir} ${d.id} ${f.path}`).toBe(f.sha256);
    }
    // Again over itself: nothing changed, and the delta files of the run before are removed.
    const again = await compile(srcN1, '-o', 'same', '--previous', 'same', '--no-validate');
    expect(again.status).toBe(0);
    expect(again.out).toContain(': 0 changed, 7 unchanged, 0 new, 0 removed');
    expect(manifest('same').devices.every((d) => d.delta!.status === 'unchanged' && d.delta!.files.length === 0)).toBe(true);
    expect(existsSync(join(tmp, 'same/sae/wl2/setup.delta.sh'))).toBe(false);
    expect(existsSync(join(tmp, 'same/sae/wl2/setup.sh'))).toBe(true);
  });

  it('a new device gets no delta (apply its full configuration), a removed one is listed', async () => {
    const a = write('a.plumb', INTENT_A);
    const b = write('b.plumb', INTENT_B);
    expect((await compile(a, '-o', 'ta', '--no-validate')).status).toBe(0);
    const r = await compile(b, '-o', 'tb', '--previous', 'ta', '--no-validate');
    expect(r.status).toBe(0);
    const m = manifest('tb');
    expect(m.devices.map((d) => [d.id, d.delta!.status])).toEqual([
      ['s.r1', 'changed'],
      ['s.r3', 'new'],
    ]);
    expect(m.previous!.removed).toEqual([{ id: 's.r2', platform: 'linux', dir: 's/r2' }]);
    expect(r.out).toContain('1 changed, 0 unchanged, 1 new, 1 removed');
    expect(r.out).toMatch(/^ {2}new {6}s\.r3 {2}new device: apply the full configuration$/m);
    expect(r.out).toMatch(/^ {2}removed {2}s\.r2 {2}no longer in the intent/m);
  });

  it('with OLD_DIR as DIR, the write refuses a manifest.json changed since the deltas were computed from it', async () => {
    expect((await compile(srcN, '-o', 'raced', '--no-validate')).status).toBe(0);
    const before = readFileSync(join(tmp, 'raced', 'manifest.json'), 'utf8');
    const sources = [{ path: srcN1, text: n1 }];
    const output = renderOutput(compileIntent(sources).model!, sources);
    expect(() => writeOutput(join(tmp, 'raced'), output, { shown: 'raced', expectManifest: '0'.repeat(64) })).toThrow(OutputFolderError);
    expect(readFileSync(join(tmp, 'raced', 'manifest.json'), 'utf8')).toBe(before);
    writeOutput(join(tmp, 'raced'), output, { shown: 'raced', expectManifest: sha(join(tmp, 'raced', 'manifest.json')) });
    expect(readFileSync(join(tmp, 'raced', 'manifest.json'), 'utf8')).not.toBe(before);
  });

  describe('refuses a previous output that is not what its manifest lists (exit 2, nothing written)', () => {
    const refused = async (prepare: () => string, message: string) => {
      const old = prepare();
      const r = await compile(srcN1, '-o', 'refused', '--previous', old, '--no-validate');
      expect(r.status).toBe(2);
      expect(r.err).toContain(message);
      expect(r.err).toContain('= help:');
      expect(existsSync(join(tmp, 'refused'))).toBe(false);
    };

    it('a missing file', () =>
      refused(() => {
        rmSync(join(tmp, 'm1'), { recursive: true, force: true });
        return 'm1';
      }, 'cannot read the previous output m1: ENOENT'));

    it('a folder without a manifest', () =>
      refused(() => {
        mkdirSync(join(tmp, 'empty'), { recursive: true });
        return 'empty';
      }, 'empty/manifest.json cannot be read (ENOENT)'));

    it('a device file removed, and one edited by hand', async () => {
      expect((await compile(srcN, '-o', 'edited', '--no-validate')).status).toBe(0);
      await refused(() => {
        unlinkSync(join(tmp, 'edited/sae/wl2/setup.sh'));
        writeFileSync(join(tmp, 'edited/euc/wl1/nftables.conf'), '# edited\n', { flag: 'a' });
        return 'edited';
      }, 'the previous output edited is not what its manifest.json lists: sae/wl2/setup.sh is missing, euc/wl1/nftables.conf was changed since it was written');
    });

    it('as docs/cli.md shows it, exactly', async () => {
      const doc = readFileSync(join(import.meta.dirname, '../../docs/cli.md'), 'utf8');
      const at = doc.indexOf('error: the previous output old');
      expect(at).toBeGreaterThan(0);
      const shown = doc.slice(at, doc.indexOf('\n```', at) + 1);
      expect((await compile(srcN, '-o', 'old', '--no-validate')).status).toBe(0);
      unlinkSync(join(tmp, 'old/sae/wl2/setup.sh'));
      writeFileSync(join(tmp, 'old/euc/wl1/nftables.conf'), '# edited\n', { flag: 'a' });
      const r = await compile(srcN1, '-o', 'out', '--previous', 'old', '--no-validate');
      expect(r.status).toBe(2);
      expect(r.err).toBe(shown);
    });

    it('--previous without -o is a usage error', async () => {
      const r = await compile(srcN1, '--emit', 'model', '--previous', 'v1');
      expect(r.status).toBe(2);
      expect(r.err).toContain('--previous needs -o DIR');
    });
  });
});
