// The compile output folder: layout, manifest, replacement with roll-back of a failed write,
// refusal to clobber a folder that is not Plumb's, byte-identical output, and reading it back
// for the drift check.
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readCompiledDevices } from '../../pipeline/deployed.js';
import {
  manifestText,
  readManifest,
  renderOutput,
  replaceableProblem,
  sha256,
  writeOutput,
  type RenderedOutput,
} from '../../backends/output.js';
import { canonicalDevice } from '../../backends/canonical.js';
import { exampleOutput } from './example-output.js';
import type { CliIo } from '../../cli/io.js';
import { run } from '../../cli/program.js';
import { allDevices, network } from './builder.js';
import { snapshot } from '../folder-snapshot.js';

const tmp = mkdtempSync(join(tmpdir(), 'plumb-output-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const devices = allDevices();
const model = network(devices);
const sources = [{ path: 'acme.plumb', text: 'network acme\n' }];

describe('renderOutput and writeOutput', () => {
  it('writes DIR/<site>/<device>/ and a manifest with every file hash', () => {
    const dir = join(tmp, 'a');
    const output = renderOutput(model, sources);
    writeOutput(dir, output);
    const files = snapshot(dir);
    expect(Object.keys(files)).toEqual([
      'ams1/core2/frr.conf',
      'ams1/core2/nftables.conf',
      'ams1/core2/setup.sh',
      'ams1/fw2/nftables.conf',
      'ams1/fw2/setup.sh',
      'ams1/gw1/nftables.conf',
      'ams1/gw1/setup.sh',
      'fra1/edge2/frr.conf',
      'fra1/edge2/nftables.conf',
      'fra1/edge2/setup.sh',
      'manifest.json',
    ]);
    const manifest = JSON.parse(files['manifest.json']!);
    expect(manifest.format).toBe(1);
    expect(manifest.intent).toEqual({
      name: 'acme',
      sha256: sha256(`${sha256('network acme\n')}  acme.plumb\n`),
      sources: [{ path: 'acme.plumb', sha256: sha256('network acme\n') }],
    });
    expect(manifest.devices[0]).toMatchObject({
      id: 'ams1.core2',
      site: 'ams1',
      name: 'core2',
      role: 'router',
      platform: 'frr',
      dir: 'ams1/core2',
    });
    for (const d of manifest.devices)
      for (const f of d.files) expect(sha256(files[`${d.dir}/${f.path}`]!)).toBe(f.sha256);
  });

  it('is byte-identical for the same model, and replaces a previous output', () => {
    const a = join(tmp, 'b1');
    const b = join(tmp, 'b2');
    writeOutput(a, renderOutput(model, sources));
    writeOutput(b, renderOutput(model, sources));
    writeOutput(b, renderOutput(model, sources));
    expect(snapshot(a)).toEqual(snapshot(b));
    expect(readdirSync(tmp).filter((n) => n.includes('.tmp-') || n.includes('.old-'))).toEqual([]);
  });

  it('leaves files that did not change as they are, and replaces files edited by hand', () => {
    const dir = join(tmp, 'same');
    writeOutput(dir, renderOutput(model, sources));
    const edited = join(dir, 'ams1/gw1/setup.sh');
    writeFileSync(edited, 'edited by hand\n');
    const untouched = join(dir, 'ams1/core2/frr.conf');
    const old = new Date('2001-01-01T00:00:00Z');
    utimesSync(untouched, old, old);
    utimesSync(edited, old, old);
    writeOutput(dir, renderOutput(model, sources));
    expect(statSync(untouched).mtimeMs).toBe(old.getTime());
    expect(statSync(edited).mtimeMs).not.toBe(old.getTime());
    expect(snapshot(dir)).toEqual(snapshot(join(tmp, 'a')));
  });

  it('leaves DIR as it was when writing fails', () => {
    const dir = join(tmp, 'c');
    writeOutput(dir, renderOutput(model, sources));
    const before = snapshot(dir);
    const broken: RenderedOutput = renderOutput(model, sources);
    broken.devices[0]!.files.push({ path: 'frr.conf/impossible', content: 'x' });
    expect(() => writeOutput(dir, broken)).toThrow();
    expect(snapshot(dir)).toEqual(before);
    expect(readdirSync(tmp).filter((n) => n.includes('.tmp-') || n.includes('.old-'))).toEqual([]);
  });

  it('refuses to replace a folder that is not a Plumb output', () => {
    const dir = join(tmp, 'mine');
    mkdirSync(dir);
    writeFileSync(join(dir, 'notes.txt'), 'keep me');
    expect(replaceableProblem(dir)?.message).toMatch(/not a Plumb output folder/);
    expect(replaceableProblem(join(tmp, 'absent'))).toBeUndefined();
  });
});

describe('writeOutput when a step fails', () => {
  const workNames = (dir: string) => readdirSync(dir).filter((n) => n.startsWith('.plumb-'));
  // An earlier output: fewer devices, and different text in every file they share.
  const other = renderOutput(network(devices.slice(0, 2)), [{ path: 'acme.plumb', text: 'network other\n' }]);
  for (const d of other.devices) for (const f of d.files) f.content += '# earlier\n';
  for (const d of other.manifest.devices)
    for (const f of d.files) f.sha256 = sha256(other.devices.find((x) => x.dir === d.dir)!.files.find((x) => x.path === f.path)!.content);

  for (const failAt of ['staged', 'journal', 'install:1', 'install:5']) {
    it(`an error at ${failAt} is rolled back: the previous output and a user's file, nothing added`, () => {
      const dir = join(tmp, `fail-${failAt.replace(':', '-')}`);
      writeOutput(dir, other);
      writeFileSync(join(dir, 'NOTES.txt'), 'mine');
      const before = snapshot(dir);
      const boom = (step: string) => {
        if (step === failAt) throw new Error(`injected at ${step}`);
      };
      expect(() => writeOutput(dir, renderOutput(model, sources), { step: boom })).toThrow(`injected at ${failAt}`);
      expect(snapshot(dir)).toEqual(before);
      expect(workNames(dir)).toEqual([]);
    });
  }

  it('an error after the commit leaves the new output, and the next write finishes the clean-up', () => {
    const dir = join(tmp, 'fail-commit');
    writeOutput(dir, renderOutput(model, sources));
    const boom = (step: string) => {
      if (step === 'commit') throw new Error('injected at commit');
    };
    expect(writeOutput(dir, other, { step: boom }).unfinished).toBe('injected at commit');
    expect(readFileSync(join(dir, 'manifest.json'), 'utf8')).toBe(manifestText(other.manifest));
    expect(workNames(dir).sort()).toEqual(['.plumb-staging-' + process.pid, '.plumb-write.json']);
    const report = writeOutput(dir, other);
    expect(report.recovered).toEqual({ pid: process.pid, outcome: 'finished' });
    const fresh = join(tmp, 'fail-commit-fresh');
    writeOutput(fresh, other);
    expect(snapshot(dir)).toEqual(snapshot(fresh));
  });

  it('a journal that is a FIFO is refused as damaged, without waiting on it', () => {
    const dir = join(tmp, 'fifo-journal');
    writeOutput(dir, other);
    expect(spawnSync('mkfifo', [join(dir, '.plumb-write.json')]).status).toBe(0);
    expect(() => writeOutput(dir, renderOutput(model, sources))).toThrow(/\.plumb-write\.json \(left by an interrupted compile\) is damaged: it is not a regular file/);
    expect(workNames(dir)).toEqual(['.plumb-write.json']);
  });

  it("takes over a dead writer's lock (gone, or its pid reused), and refuses a live one's", () => {
    const dir = join(tmp, 'locks');
    writeOutput(dir, other);
    const dead = Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
    writeFileSync(join(dir, '.plumb-lock'), `pid ${dead}\n`);
    writeOutput(dir, other);
    writeFileSync(join(dir, '.plumb-lock'), `pid ${process.ppid} start 1\n`); // alive, but started later
    writeOutput(dir, other);
    expect(workNames(dir)).toEqual([]);
    writeFileSync(join(dir, '.plumb-lock'), `pid ${process.ppid}\n`);
    let waited = 0;
    const t0 = Date.now();
    expect(() => writeOutput(dir, other, { lockWaitMs: 300, onWait: () => waited++ })).toThrow(
      `${dir} is being written by another plumb compile (pid ${process.ppid})`,
    );
    expect(Date.now() - t0).toBeGreaterThanOrEqual(300);
    expect(waited).toBe(1);
    expect(readFileSync(join(dir, '.plumb-lock'), 'utf8')).toBe(`pid ${process.ppid}\n`);
    rmSync(join(dir, '.plumb-lock'));
  });

  it('a missing folder created by a failed write is removed again', () => {
    const dir = join(tmp, 'never');
    const boom = (step: string) => {
      if (step === 'staged') throw new Error('injected');
    };
    expect(() => writeOutput(dir, other, { step: boom })).toThrow('injected');
    expect(existsSync(dir)).toBe(false);
  });
});

describe('readManifest and readCompiledDevices', () => {
  it('reads back every device as the backends read it, and notices edits', () => {
    const dir = join(tmp, 'd');
    writeOutput(dir, renderOutput(model, sources));
    const m = readManifest(dir);
    if (!('manifest' in m)) throw new Error(m.error);
    writeFileSync(
      join(dir, 'ams1/gw1/setup.sh'),
      readFileSync(join(dir, 'ams1/gw1/setup.sh'), 'utf8') + '\n',
    );
    rmSync(join(dir, 'ams1/fw2/nftables.conf'));
    writeFileSync(join(dir, 'ams1/fw2/extra.nft'), 'table inet x {}\n');
    const read = readCompiledDevices(dir, m.manifest);
    expect(read.map((r) => r.entry.id)).toEqual(['ams1.core2', 'ams1.fw2', 'ams1.gw1', 'fra1.edge2']);
    expect(read.find((r) => r.entry.id === 'ams1.gw1')!.changed).toEqual([join(dir, 'ams1/gw1/setup.sh')]);
    expect(read.find((r) => r.entry.id === 'ams1.fw2')!.missing).toEqual([
      join(dir, 'ams1/fw2/nftables.conf'),
    ]);
    expect(read.find((r) => r.entry.id === 'ams1.fw2')!.extra).toEqual([join(dir, 'ams1/fw2/extra.nft')]);
    expect(read.find((r) => r.entry.id === 'ams1.gw1')!.extra).toEqual([]);
    expect(read.find((r) => r.entry.id === 'ams1.fw2')!.diagnostics.map((d) => d.code)).toEqual(['R905']);
    for (const id of ['ams1.core2', 'ams1.gw1', 'fra1.edge2']) {
      const r = read.find((x) => x.entry.id === id)!;
      expect(r.diagnostics).toEqual([]);
      expect(r.device).toEqual(canonicalDevice(devices.find((d) => d.id === id)!));
    }
  });

  it('says what is wrong with a bad manifest', () => {
    const dir = join(tmp, 'e');
    mkdirSync(dir);
    expect(readManifest(dir)).toEqual({ error: `cannot read ${join(dir, 'manifest.json')}: ENOENT` });
    writeFileSync(join(dir, 'manifest.json'), '{');
    expect(readManifest(dir)).toEqual({ error: `${join(dir, 'manifest.json')} is not valid JSON` });
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ format: 2 }));
    expect(readManifest(dir)).toEqual({ error: `${join(dir, 'manifest.json')}: format 2 is not 1` });
    rmSync(join(dir, 'manifest.json'));
    symlinkSync('/dev/zero', join(dir, 'manifest.json'));
    expect(readManifest(dir)).toEqual({ error: `${join(dir, 'manifest.json')} is not a regular file` });
    expect(replaceableProblem(dir)?.message).toBe(`${join(dir, 'manifest.json')} is not a regular file`);
    rmSync(join(dir, 'manifest.json'));
    expect(spawnSync('mkfifo', [join(dir, 'manifest.json')]).status).toBe(0);
    expect(readManifest(dir)).toEqual({ error: `${join(dir, 'manifest.json')} is not a regular file` });
    rmSync(join(dir, 'manifest.json'));
    const good = renderOutput(model, sources).manifest;
    good.devices[0]!.dir = '../../etc';
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(good));
    expect(readManifest(dir)).toEqual({
      error: `${join(dir, 'manifest.json')}: device ams1.core2: dir must stay inside the folder`,
    });
  });
});

function io(): CliIo & { out: string; err: string } {
  const c = {
    out: '',
    err: '',
    stdout: (s: string) => void (c.out += s),
    stderr: (s: string) => void (c.err += s),
    isTTY: false,
    cwd: process.cwd(),
    env: {},
  };
  return c;
}

describe('plumb compile -o DIR', () => {
  it('writes the example like npm run golden does, byte for byte, twice', async () => {
    const dir = join(tmp, 'cli');
    const golden = join(tmp, 'golden');
    writeOutput(golden, exampleOutput('multicloud').output!);
    const c = io();
    expect(await run(['compile', 'examples/multicloud', '-o', dir], c)).toBe(0);
    expect(c.out).toMatch(/^wrote \d+ devices \(\d+ files\) and .*manifest\.json\n$/);
    expect(snapshot(dir)).toEqual(snapshot(golden));
    expect(await run(['compile', 'examples/multicloud', '-o', dir], io())).toBe(0);
    expect(snapshot(dir)).toEqual(snapshot(golden));
  });

  it('leaves DIR alone on an intent with errors (exit 1) and on a foreign folder (exit 2)', async () => {
    const dir = join(tmp, 'cli2');
    expect(await run(['compile', 'examples/multicloud', '-o', dir], io())).toBe(0);
    const before = snapshot(dir);
    const bad = join(tmp, 'bad.plumb');
    writeFileSync(bad, 'site s {\n  router r frr\n}\nsegment web 10.0.0.0/24 at s.nowhere\n');
    expect(await run(['compile', bad, '-o', dir], io())).toBe(1);
    expect(snapshot(dir)).toEqual(before);
    const foreign = join(tmp, 'foreign');
    mkdirSync(foreign);
    writeFileSync(join(foreign, 'keep'), 'x');
    const c = io();
    expect(await run(['compile', 'examples/multicloud', '-o', foreign], c)).toBe(2);
    expect(c.err).toContain('not a Plumb output folder');
    expect(snapshot(foreign)).toEqual({ keep: 'x' });
    expect(existsSync(join(foreign, 'manifest.json'))).toBe(false);
  });

  it('refuses --emit with -o, and no output at all', async () => {
    expect(await run(['compile', 'examples/multicloud', '-o', join(tmp, 'x'), '--emit', 'model'], io())).toBe(
      2,
    );
    expect(await run(['compile', 'examples/multicloud'], io())).toBe(2);
  });
});
