// `plumb lock` and the lock `plumb compile -o` writes: the file holds what was allocated, an edit
// keeps every recorded address, `--check` fails on a stale lock, a lock address the intent now
// uses moves with C740 at its line, and the file is replaced whole (a symbolic link at its path
// is replaced, never followed).

import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../cli/io.js';
import { run } from '../../cli/program.js';

const root = mkdtempSync(join(tmpdir(), 'plumb-lock-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function io(cwd: string): CliIo & { out: string; err: string } {
  const captured = { out: '', err: '', stdout: (s: string) => void (captured.out += s), stderr: (s: string) => void (captured.err += s), isTTY: false, cwd, env: {} };
  return captured;
}

const INTENT = `network lab
pool infra 10.255.0.0/24
site s {
  router a frr
  router c frr
  link a -- c
}
segment web 10.1.0.0/24 at s.a
`;

function folder(name: string, text = INTENT): string {
  const dir = join(root, name);
  mkdirSync(dir);
  writeFileSync(join(dir, 'lab.plumb'), text);
  return dir;
}

describe('plumb lock', () => {
  it('writes the allocations, then finds the file up to date', async () => {
    const dir = folder('first');
    const c = io(root);
    expect(await run(['lock', 'first'], c)).toBe(0);
    expect(c.out).toBe(
      'wrote first/plumb.lock (0 moved, 3 added, 0 removed)\n  + link s.a -- s.c 10.255.0.4/31\n  + loopback s.a 10.255.0.1/32\n  + loopback s.c 10.255.0.2/32\n',
    );
    expect(readFileSync(join(dir, 'plumb.lock'), 'utf8').split('\n').filter((l) => l && !l.startsWith('#'))).toEqual([
      'network lab',
      'loopback s.a 10.255.0.1/32',
      'loopback s.c 10.255.0.2/32',
      'link s.a -- s.c 10.255.0.4/31',
    ]);
    const again = io(root);
    expect(await run(['lock', 'first/lab.plumb'], again)).toBe(0);
    expect(again.out).toBe('first/plumb.lock is up to date\n');
  });

  it('keeps every recorded address when a device is added before the others', async () => {
    const dir = folder('grow');
    expect(await run(['lock', 'grow'], io(root))).toBe(0);
    writeFileSync(join(dir, 'lab.plumb'), INTENT.replace('  router a frr\n', '  router b frr\n  router a frr\n  link b -- a\n'));
    const check = io(root);
    expect(await run(['lock', '--check', 'grow'], check)).toBe(1);
    expect(check.out).toContain('grow/plumb.lock is out of date (0 moved, 2 added, 0 removed)');
    expect(check.err).toContain('error: grow/plumb.lock is not what `plumb lock` would write');
    const c = io(root);
    expect(await run(['lock', 'grow'], c)).toBe(0);
    // b's loopback and its link take the first free addresses; a and c keep theirs.
    expect(c.out).toBe('wrote grow/plumb.lock (0 moved, 2 added, 0 removed)\n  + link s.a -- s.b 10.255.0.6/31\n  + loopback s.b 10.255.0.3/32\n');
  });

  it('moves an address the intent now uses, with C740 at its lock line', async () => {
    const dir = folder('moved');
    expect(await run(['lock', 'moved'], io(root))).toBe(0);
    writeFileSync(join(dir, 'lab.plumb'), INTENT.replace('router c frr', 'router c frr loopback 10.255.0.1'));
    const c = io(root);
    expect(await run(['lock', 'moved'], c)).toBe(0);
    expect(c.err).toContain('warning[C740]: loopback s.a moves from 10.255.0.1/32 to 10.255.0.2/32: the intent now uses 10.255.0.1/32');
    expect(c.err).toMatch(/--> moved\/plumb\.lock:\d+:1/);
    expect(c.out).toContain('  ~ loopback s.a 10.255.0.1/32 -> 10.255.0.2/32');
    expect(c.out).toContain('  - loopback s.c 10.255.0.2/32');
  });

  it('stops on a malformed lock with P320, writing nothing', async () => {
    const dir = folder('broken');
    writeFileSync(join(dir, 'plumb.lock'), 'network lab\nloopback s.a 10.255.0.1\n');
    const c = io(root);
    expect(await run(['lock', 'broken'], c)).toBe(1);
    expect(c.err).toContain('error[P320]: `10.255.0.1` is not an address with its length (e.g. 10.255.0.1/32)');
    expect(c.err).toContain('--> broken/plumb.lock:2:1');
    expect(readFileSync(join(dir, 'plumb.lock'), 'utf8')).toBe('network lab\nloopback s.a 10.255.0.1\n');
  });

  it('replaces a symbolic link at the lock path instead of writing through it', async () => {
    const dir = folder('link');
    const target = join(root, 'elsewhere.txt');
    writeFileSync(target, 'network lab\n');
    symlinkSync(target, join(dir, 'plumb.lock'));
    expect(await run(['lock', 'link'], io(root))).toBe(0);
    expect(readFileSync(target, 'utf8')).toBe('network lab\n');
    expect(lstatSync(join(dir, 'plumb.lock')).isFile()).toBe(true);
  });
});

describe('plumb compile -o', () => {
  it('writes the lock with the configurations, and an edited intent keeps its addresses', async () => {
    const dir = folder('compiled');
    const c = io(dir);
    expect(await run(['compile', '.', '-o', 'out'], c)).toBe(0);
    expect(c.out).toContain('wrote plumb.lock (0 moved, 3 added, 0 removed)');
    expect(existsSync(join(dir, 'plumb.lock'))).toBe(true);
    const frr = () => readFileSync(join(dir, 'out', 's', 'c', 'frr.conf'), 'utf8');
    expect(frr()).toContain('router-id 10.255.0.2\n');
    writeFileSync(join(dir, 'lab.plumb'), INTENT.replace('  router a frr\n', '  router b frr\n  router a frr\n  link b -- a\n'));
    const again = io(dir);
    expect(await run(['compile', '.', '-o', 'out'], again)).toBe(0);
    expect(again.out).toContain('wrote plumb.lock (0 moved, 2 added, 0 removed)');
    expect(frr()).toContain('router-id 10.255.0.2\n');
    const third = io(dir);
    expect(await run(['compile', '.', '-o', 'out'], third)).toBe(0);
    expect(third.out).not.toContain('plumb.lock');
  });
});

describe('docs/cli.md, `plumb lock`', () => {
  it("prints what its example says after core9 joins acme's fra1", async () => {
    const dir = join(root, 'acme');
    mkdirSync(dir);
    const examples = join(import.meta.dirname, '..', '..', 'examples', 'acme');
    writeFileSync(join(dir, 'plumb.lock'), readFileSync(join(examples, 'plumb.lock')));
    writeFileSync(
      join(dir, 'acme.plumb'),
      readFileSync(join(examples, 'acme.plumb'), 'utf8').replace('  router core1 frr\n', '  router core1 frr\n  router core9 frr\n  link core9 -- core1\n'),
    );
    const c = io(root);
    expect(await run(['lock', 'acme'], c)).toBe(0);
    const doc = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'cli.md'), 'utf8');
    const shown = /(wrote examples\/acme\/plumb\.lock[^`]*)```/.exec(doc)![1]!;
    expect(c.out).toBe(shown.replace('examples/acme', 'acme'));
  });
});

describe('plumb lock --from', () => {
  it("records an output folder's addresses, so that an intent without its lock compiles to them again", async () => {
    const dir = join(root, 'from');
    mkdirSync(dir);
    const examples = join(import.meta.dirname, '..', '..', 'examples', 'acme');
    writeFileSync(join(dir, 'acme.plumb'), readFileSync(join(examples, 'acme.plumb')));
    expect(await run(['compile', '.', '-o', 'out'], io(dir))).toBe(0);
    // The lock is lost (as by an output of a version without it), and the sites are declared the
    // other way round: the pools alone would hand out every address differently.
    rmSync(join(dir, 'plumb.lock'));
    const text = readFileSync(join(examples, 'acme.plumb'), 'utf8');
    const fra = text.slice(text.indexOf('site fra1'), text.indexOf('site ams1'));
    const ams = text.slice(text.indexOf('site ams1'), text.indexOf('link fra1.core1'));
    writeFileSync(join(dir, 'acme.plumb'), text.replace(fra + ams, ams + fra));
    const fresh = io(dir);
    expect(await run(['lock', '.', '--check'], fresh)).toBe(1);
    expect(fresh.out).toContain('  + loopback ams1.core2 10.255.0.1/32');
    const c = io(dir);
    expect(await run(['lock', '.', '--from', 'out'], c)).toBe(0);
    expect(c.out).toContain('recorded 9 of 9 addresses from out\n');
    expect(c.out).toContain('  + loopback ams1.core2 10.255.0.4/32');
    expect(await run(['compile', '.', '-o', 'out2'], io(dir))).toBe(0);
    for (const file of ['ams1/core2/frr.conf', 'ams1/gw1/setup.sh', 'fra1/edge1/edge1.cfg', 'fra1/fw1/fw1.set']) {
      const addresses = (path: string) => [...new Set([...readFileSync(path, 'utf8').matchAll(/10\.255\.\d+\.\d+(\/\d+)?/g)].map((m) => m[0]))].sort();
      expect(addresses(join(dir, 'out2', file)), file).toEqual(addresses(join(dir, 'out', file)));
    }
  });

  it('refuses a folder that is not an output of plumb compile -o', async () => {
    const dir = folder('from-nothing');
    mkdirSync(join(dir, 'empty'));
    const c = io(dir);
    await expect(run(['lock', '.', '--from', 'empty'], c)).resolves.toBe(2);
    expect(c.err).toContain('manifest.json');
  });
});
