// The limits of docs/cli.md ("Limits") on the built CLI, run as a real process with a hard
// timeout: devices, FIFOs, oversized files and intents, invalid UTF-8, and the costliest texts
// under the byte limit, each checked for its exit code, its message, its CPU time and its peak
// memory (GNU time's maximum resident set size, when /usr/bin/time is there).

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_SOURCE_BYTES, MAX_TOTAL_SOURCE_BYTES, readSourceFile, readSources, SOURCE_LIMITS } from '../../pipeline/sources.js';

const ROOT = join(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli', 'main.js');
const GNU_TIME = '/usr/bin/time';
const HAS_TIME = spawnSync(GNU_TIME, ['-f', '%M', 'true']).status === 0;
if (!HAS_TIME && !process.env.CI) console.warn('\n*** SKIPPING the CPU time and peak memory checks: /usr/bin/time (Debian package time) is missing. CI runs them. ***\n');

const dir = mkdtempSync(join(tmpdir(), 'plumb-limits-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Measured {
  status: number | null;
  stdout: string;
  stderr: string;
  /** User + system CPU seconds, and peak resident memory in MiB (NaN without GNU time). */
  cpuSeconds: number;
  peakMiB: number;
}

/** Runs the built CLI with a hard timeout of `timeoutMs` and measures it. */
function plumb(args: string[], timeoutMs = 60_000): Measured {
  const command = HAS_TIME ? GNU_TIME : process.execPath;
  const argv = HAS_TIME ? ['-f', 'plumb-measured %U %S %M', process.execPath, CLI, ...args] : [CLI, ...args];
  const r = spawnSync(command, argv, { cwd: dir, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error;
  let stderr = r.stderr;
  let cpuSeconds = NaN;
  let peakMiB = NaN;
  const m = /plumb-measured (\S+) (\S+) (\d+)\n?$/.exec(stderr);
  if (m) {
    stderr = stderr.slice(0, m.index).replace(/Command exited with non-zero status \d+\n$/, '');
    cpuSeconds = Number(m[1]) + Number(m[2]);
    peakMiB = Number(m[3]) / 1024;
  }
  return { status: r.status, stdout: r.stdout, stderr, cpuSeconds, peakMiB };
}

function file(name: string, content: string | Buffer): string {
  writeFileSync(join(dir, name), content);
  return name;
}

/** The design bound: any accepted input is checked in well under 10 s and 1 GiB. */
function withinBounds(m: Measured): void {
  // In CI a missing GNU time is a failure, not a skip.
  if (process.env.CI) expect(HAS_TIME, '/usr/bin/time (Debian package time) is needed').toBe(true);
  if (HAS_TIME) {
    expect(m.cpuSeconds).toBeLessThan(10);
    expect(m.peakMiB).toBeLessThan(1024);
  }
}

describe('plumb check: what is read', () => {
  it('refuses a character device before reading it (/dev/zero)', () => {
    const m = plumb(['check', '/dev/zero'], 20_000);
    expect(m.status).toBe(2);
    expect(m.stderr).toBe(
      'error: /dev/zero is a character device, not a regular file\n  = help: Plumb reads intents from regular files; save the text to a file and give its path\n',
    );
  });

  it('refuses a FIFO without opening it (no writer: opening would block)', () => {
    const fifo = join(dir, 'pipe.plumb');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const m = plumb(['check', 'pipe.plumb'], 20_000);
    expect(m.status).toBe(2);
    expect(m.stderr).toContain('error: pipe.plumb is a FIFO (named pipe), not a regular file');
    // In a directory too: the walk finds it by its name.
    mkdirSync(join(dir, 'withfifo'));
    expect(spawnSync('mkfifo', [join(dir, 'withfifo', 'a.plumb')]).status).toBe(0);
    expect(plumb(['check', 'withfifo'], 20_000).stderr).toContain('withfifo/a.plumb is a FIFO');
  });

  it(`refuses a file over ${MAX_SOURCE_BYTES} bytes, and accepts one of exactly that size`, () => {
    const over = file('over.plumb', `#${'x'.repeat(MAX_SOURCE_BYTES)}`);
    const m = plumb(['check', over]);
    expect(m.status).toBe(2);
    expect(m.stderr).toContain('error: over.plumb is larger than 1 MiB, the limit for one file');
    // A file of 64 MiB (sparse: no disk used) is refused after reading just past the limit.
    const huge = join(dir, 'huge.plumb');
    writeFileSync(huge, '');
    truncateSync(huge, 64 * 1024 * 1024);
    const h = plumb(['check', 'huge.plumb']);
    expect(h.status).toBe(2);
    expect(h.stderr).toContain('error: huge.plumb is larger than 1 MiB, the limit for one file');
    if (HAS_TIME) expect(h.peakMiB).toBeLessThan(200);
    // Exactly at the limit: read, and one line too long (P112), not a read error.
    const at = file('at.plumb', `#${'x'.repeat(MAX_SOURCE_BYTES - 1)}`);
    const ok = plumb(['check', at]);
    expect(ok.status).toBe(1);
    expect(ok.stdout).toContain('error[P112]: this line is 1,048,576 characters long');
    withinBounds(ok);
  });

  it(`refuses an intent over ${MAX_TOTAL_SOURCE_BYTES} bytes in all its files`, () => {
    mkdirSync(join(dir, 'total'));
    const part = `${'# filler line\n'.repeat(Math.floor(MAX_SOURCE_BYTES / 14))}`;
    writeFileSync(join(dir, 'total', 'a.plumb'), part);
    writeFileSync(join(dir, 'total', 'b.plumb'), part);
    const m = plumb(['check', 'total']);
    expect(m.status).toBe(2);
    expect(m.stderr).toContain('error: the input files are larger than 1.5 MiB together, the limit for one intent');
    // A file over its own limit after a small one is named as such.
    mkdirSync(join(dir, 'second'));
    writeFileSync(join(dir, 'second', 'a.plumb'), 'network n\n');
    writeFileSync(join(dir, 'second', 'b.plumb'), `#${'x'.repeat(MAX_SOURCE_BYTES + 100)}`);
    expect(plumb(['check', 'second']).stderr).toContain('error: second/b.plumb is larger than 1 MiB, the limit for one file');
  });

  it('names the file, line and column of the first invalid UTF-8 byte (exit 2)', () => {
    const bad = file('latin1.plumb', Buffer.concat([Buffer.from('network n\nsite "Z'), Buffer.from([0xfc]), Buffer.from('rich"\n')]));
    const m = plumb(['check', bad]);
    expect(m.status).toBe(2);
    expect(m.stderr).toContain('error: latin1.plumb:2:8: invalid UTF-8 (byte 0xfc)');
    // A sequence cut short at the end of the file; a surrogate's encoding.
    expect(plumb(['check', file('cut.plumb', Buffer.from([0x61, 0x0a, 0xe2, 0x82]))]).stderr).toContain('cut.plumb:2:1: invalid UTF-8 (byte 0xe2)');
    expect(plumb(['check', file('sur.plumb', Buffer.from([0x23, 0xed, 0xa0, 0x80]))]).stderr).toContain('sur.plumb:1:2: invalid UTF-8 (byte 0xed)');
  });
});

describe('readSourceFile (also what the language server reads files on disk with)', () => {
  it('never throws and never blocks: each failure is a value with a message', () => {
    const fifo = join(dir, 'direct.fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    expect(readSourceFile(fifo, 'direct.fifo')).toEqual({
      failure: { kind: 'unreadable', message: 'direct.fifo is a FIFO (named pipe), not a regular file', hint: expect.any(String) },
    });
    expect(readSourceFile(dir, 'd')).toMatchObject({ failure: { kind: 'unreadable', message: 'd is a directory, not a regular file' } });
    expect(readSourceFile(join(dir, 'missing'), 'missing')).toMatchObject({ failure: { message: 'cannot read missing: no such file or directory' } });
    writeFileSync(join(dir, 'ten.plumb'), 'network n\n');
    expect(readSourceFile(join(dir, 'ten.plumb'), 'ten.plumb', 10)).toEqual({ text: 'network n\n', bytes: 10 });
    expect(readSourceFile(join(dir, 'ten.plumb'), 'ten.plumb', 9)).toMatchObject({ failure: { kind: 'too-large', message: 'ten.plumb is larger than 9 bytes, the limit for one file' } });
    writeFileSync(join(dir, 'nul.plumb'), 'a\u0000b');
    expect(readSourceFile(join(dir, 'nul.plumb'), 'nul.plumb')).toMatchObject({ failure: { message: 'nul.plumb is not a text file (it contains NUL bytes)' } });
  });
});

describe('readSources: folders and file counts', () => {
  it('stops walking a folder after its entry limit, and refuses more files than the limit', () => {
    mkdirSync(join(dir, 'tree', 'sub'), { recursive: true });
    for (let i = 0; i < 6; i++) writeFileSync(join(dir, 'tree', i < 3 ? '' : 'sub', `f${i}.plumb`), '');
    // tree holds f0-f2 and sub (4 entries), sub holds f3-f5 (3): 7 in all.
    expect(readSources(['tree'], dir, { ...SOURCE_LIMITS, directoryEntries: 7 }).map((f) => f.path)).toEqual([
      'tree/f0.plumb',
      'tree/f1.plumb',
      'tree/f2.plumb',
      'tree/sub/f3.plumb',
      'tree/sub/f4.plumb',
      'tree/sub/f5.plumb',
    ]);
    expect(() => readSources(['tree'], dir, { ...SOURCE_LIMITS, directoryEntries: 6 })).toThrow('tree holds more than 6 files and folders');
    expect(() => readSources(['tree'], dir, { ...SOURCE_LIMITS, files: 5 })).toThrow('the intent has 6 files; the limit is 5');
  });

  it('refuses the files of an intent past the total, naming the total', () => {
    writeFileSync(join(dir, 'five.plumb'), '#234\n');
    writeFileSync(join(dir, 'six.plumb'), '#2345\n');
    const limits = { ...SOURCE_LIMITS, fileBytes: 6, totalBytes: 10 };
    expect(readSources(['five.plumb', 'five.plumb'], dir, limits)).toHaveLength(1);
    expect(() => readSources(['five.plumb', 'six.plumb'], dir, limits)).toThrow('the input files are larger than 10 bytes together');
    expect(() => readSources(['five.plumb', 'six.plumb'], dir, { ...limits, fileBytes: 5 })).toThrow('six.plumb is larger than 5 bytes, the limit for one file');
  });
});

describe('plumb check: the costliest texts under the limit', () => {
  const just = MAX_SOURCE_BYTES - 16;
  const cases: [string, string][] = [
    ['one token (a name) as long as the file', 'a'.repeat(just)],
    ['`{` only', '{'.repeat(just)],
    ['`{` on every line', '{\n'.repeat(just / 2)],
    ['`@` only', '@'.repeat(just)],
    ['`@` on every line', '@\n'.repeat(just / 2)],
    ['`}` on every line', '}\n'.repeat(just / 2)],
    ['an unknown word on every line', 'x\n'.repeat(just / 2)],
    ['a group of a hundred thousand unknown names', `group g = ${'a,\n'.repeat(just / 3 - 10)}a\n`],
    ['valid, unused services', Array.from({ length: just / 27 }, (_, i) => `service s${i} = tcp ${(i % 65535) + 1}`).join('\n')],
  ];
  it.each(cases)('%s: bounded time, memory and output', (_what, text) => {
    const name = file('costly.plumb', text);
    const m = plumb(['check', name]);
    expect([0, 1]).toContain(m.status);
    expect(m.stderr).toBe('');
    // At most 100 diagnostics and a P119: a few tens of KB.
    expect(m.stdout.length).toBeLessThan(100_000);
    withinBounds(m);
  });
});

describe('names and models that would fail later', () => {
  it('refuses a device name too long to become a file name (P111), at check time', () => {
    const long = 'r'.repeat(250);
    const m = plumb(['check', file('longname.plumb', `pool p 10.255.0.0/16\nsite s {\n  router ${long} frr\n}\n`)]);
    expect(m.status).toBe(1);
    expect(m.stdout).toContain('error[P111]: this name is 250 characters long; the limit is 64');
  });

  it('refuses 1,000 parallel links before building the model (C705)', () => {
    const links = '  link r1 -- r2\n'.repeat(1000);
    const text = `pool infra 10.255.0.0/16\nsite s {\n  router r1 frr\n  router r2 frr\n  router r3 frr\n${links}  link r2 -- r3\n}\n`;
    const m = plumb(['compile', file('parallel.plumb', text), '--emit', 'model']);
    expect(m.status).toBe(1);
    expect(m.stderr).toContain('error[C705]: more than 16 links between `s.r1` and `s.r2`');
    expect(m.stdout).toBe('');
    withinBounds(m);
  });
});
