// Reading files and output folders back (pipeline/read-file.ts, pipeline/deployed.ts,
// pipeline/config-lines.ts with backends/origin-tag.ts): bounded and never blocking, paths as
// reports show them, a folder that is no compile output as a problem value, and origin tags
// made unreadable without touching anything else.

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatOriginTag, parseOriginTag, withoutOriginTags } from '../../backends/origin-tag.js';
import { readManifest, renderOutput, writeOutput } from '../../backends/output.js';
import type { Span } from '../../language/diagnostic.js';
import { compileIntent } from '../../pipeline/compile.js';
import { readCompiledDevices, readConfigFile, readDeployedNetwork } from '../../pipeline/deployed.js';
import { readRegularFile } from '../../pipeline/read-file.js';

const tmp = mkdtempSync(join(tmpdir(), 'plumb-pipeline-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const ACME = [{ path: 'examples/acme/acme.plumb', text: readFileSync('examples/acme/acme.plumb', 'utf8') }];

describe('readRegularFile', () => {
  it('reads a regular file up to its limit, and says what else it found', () => {
    const file = join(tmp, 'ten.txt');
    writeFileSync(file, 'network n\n');
    expect(readRegularFile(file, 10)).toEqual({ bytes: Buffer.from('network n\n') });
    expect(readRegularFile(file, 9)).toEqual({ tooLarge: true });
    expect('notRegular' in readRegularFile(tmp, 10)).toBe(true);
    const missing = readRegularFile(join(tmp, 'missing'), 10);
    expect('error' in missing && (missing.error as NodeJS.ErrnoException).code).toBe('ENOENT');
  });

  it('refuses a FIFO and a device without waiting on them', () => {
    const fifo = join(tmp, 'pipe');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    expect('notRegular' in readRegularFile(fifo, 10)).toBe(true);
    expect('notRegular' in readRegularFile('/dev/zero', 10)).toBe(true);
    expect(readConfigFile(fifo)).toBeUndefined();
  });
});

describe('reading a compile output folder', () => {
  const dir = join(tmp, 'out');
  const compiled = compileIntent(ACME);
  writeOutput(dir, renderOutput(compiled.model!, ACME));

  it('shows every path as the caller asks', () => {
    const read = readManifest(dir);
    if (!('manifest' in read)) throw new Error(read.error);
    const devices = readCompiledDevices(dir, read.manifest, (path) => path.replace(`${tmp}/`, ''));
    const gw1 = devices.find((d) => d.entry.id === 'ams1.gw1')!;
    expect(gw1.files.map((f) => f.path)).toEqual(['out/ams1/gw1/nftables.conf', 'out/ams1/gw1/setup.sh']);
    expect(gw1.device?.id).toBe('ams1.gw1');
    expect([gw1.changed, gw1.missing, gw1.extra]).toEqual([[], [], []]);
  });

  it('gives a folder without a manifest as a problem, in the words of the folder given', async () => {
    mkdirSync(join(tmp, 'empty'));
    const deployed = await readDeployedNetwork(compiled.model!, 'empty', ACME, tmp);
    expect(deployed).toEqual({
      problem: {
        message: 'cannot read empty/manifest.json: ENOENT',
        hint: 'give the folder that `plumb compile -o DIR` wrote (it has manifest.json), or a folder of the devices\' running configurations (DIR/<site>/<device>/)',
      },
    });
  });
});

describe('withoutOriginTags', () => {
  const span: Span = { file: 'my site.plumb', start: { line: 31, column: 3, offset: 812 }, end: { line: 31, column: 40, offset: 849 } };

  it('makes every tag unreadable, the PAN-OS form with an escaped space too, and changes nothing else', () => {
    const tag = formatOriginTag(span);
    expect(parseOriginTag(tag)).toEqual(span);
    const text = `# @ ${tag} allow a -> b\norigin=${tag.replace(' ', '%20')}\nip saddr 10.0.0.0/8 drop\n`;
    const untagged = withoutOriginTags(text);
    expect(untagged).toBe(
      `# @ my%20site.plumb:31:3-31:40 [untagged] allow a -> b\norigin=my%20site.plumb:31:3-31:40%20[untagged]\nip saddr 10.0.0.0/8 drop\n`,
    );
    expect(parseOriginTag(untagged.split('\n')[0]!.slice(4, 40))).toBeUndefined();
  });
});
