// The drift check `plumb verify FILE --configs DIR` on edited copies of the examples' compile
// output, and translation validation in `plumb compile -o` (--no-validate, and a reader that
// misreads what its renderer wrote: exit 3, the folder untouched). In-process through `run`.

import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { frrBackend } from '../../backends/frr/index.js';
import { linuxBackend } from '../../backends/linux/index.js';
import { run } from '../../cli/program.js';
import { whileDropsReadAsPermits } from '../reader-faults.js';
import { capturedIo, type CapturedIo } from './captured-io.js';
import { sharedSolvers } from '../shared-solvers.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'plumb-drift-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const io = (): CapturedIo => capturedIo(root);
const inPool = sharedSolvers();
const runShared = (args: string[], c: CapturedIo): Promise<number> => inPool(() => run(args, c));

let copies = 0;
/** A copy of an example's checked-in output, edited. */
function editedCopy(example: string, file: string, edit: (text: string) => string): string {
  const dir = join(tmp, `${example}-${copies++}`);
  cpSync(join(root, 'examples', example, 'out'), dir, { recursive: true });
  const path = join(dir, file);
  const before = readFileSync(path, 'utf8');
  const after = edit(before);
  expect(after).not.toBe(before);
  writeFileSync(path, after);
  return dir;
}

/**
 * `permit ip any any` as the first entry for forwarded traffic of IOS-XE ACL `name`: above its
 * first rule, below the local part (the router's own traffic, which ends with the deny of
 * everything else addressed to the router: the interface's forwarded filter starts after it).
 */
function openAcl(name: string) {
  return (text: string): string => {
    const lines = text.split('\n');
    const start = lines.indexOf(`ip access-list extended ${name}`) + 1;
    expect(start).toBeGreaterThan(0);
    const end = lines.indexOf('!', start);
    // An inbound list's forwarded part starts after its local part; an outbound list has none.
    const self = lines.slice(start, end).findIndex((l) => /^ \d+ deny ip any object-group SELF-/.test(l));
    const at = self >= 0 ? start + self + 1 : start;
    const seq = self >= 0 ? Number(/^ (\d+) /.exec(lines[start + self]!)![1]) : 0;
    // A remark of its own: entries under one remark form one rule.
    lines.splice(at, 0, ' remark opened for troubleshooting', ` ${seq + 1} permit ip any any`);
    return lines.join('\n');
  };
}

describe('plumb verify --configs: drift', () => {
  it('permit ip any any on both ACLs between two externals breaks "we are nobody\'s transit" (exit 1, packet, config line)', async () => {
    const dir = editedCopy('multicloud', 'fra/edge1/edge1.cfg', (t) => openAcl('ext-internet-out')(openAcl('ext-carrier-in')(t)));
    const c = io();
    expect(await runShared(['verify', 'examples/multicloud', '--configs', dir, '--only', 'isolate carrier -> internet'], c)).toBe(1);
    expect(c.out).toMatch(/^REFUTED +assert isolate carrier -> internet/m);
    // The packet, from the carrier's prefix, and the hand-added entry that admitted it, by file and line.
    expect(c.out).toMatch(/192\.0\.2\.\d+/);
    expect(c.out).toMatch(/inbound filter ext-carrier-in: rule 1 permits.*edge1\.cfg:\d+/);
    // The drift itself, per device, at the added line.
    expect(c.out).toMatch(/error\[V886\]: device fra\.edge1 does not behave as the intent compiles it: packet .* is admitted by the config but dropped by the intent/);
    expect(c.out).toMatch(/--> .*fra\/edge1\/edge1\.cfg:\d+:\d+\n.*\n *\d+ \| {2}\d+ permit ip any any/);
    expect(c.out).toMatch(/info\[V885\]: .*edge1\.cfg \(device fra\.edge1\) was changed after Plumb wrote it/);
  });

  it('one ACL opened: the drift is an error at the added line even where the assertions still hold', async () => {
    const dir = editedCopy('acme', 'fra1/edge1/edge1.cfg', openAcl('ext-internet-in'));
    const c = io();
    expect(await runShared(['verify', 'examples/acme', '--configs', dir, '--only', 'isolate internet -> db'], c)).toBe(1);
    expect(c.out).toMatch(/^proven +assert isolate internet -> db/m);
    expect(c.out).toMatch(/error\[V886\]: device fra1\.edge1 .*entering by GigabitEthernet3 is admitted by the config but dropped by the intent: the config admitted at rule 1 of ext-internet-in: opened for troubleshooting, .*edge1\.cfg:\d+/);
  });

  it('an edited rule (tagged with its intent line) is shown at its config line too', async () => {
    const dir = editedCopy('acme', 'ams1/gw1/nftables.conf', (t) =>
      t.replace(/ip saddr 10\.99\.0\.0\/24 (ip daddr @\S+ meta l4proto tcp tcp dport 80 return)/, 'ip saddr 10.99.0.0/23 $1'),
    );
    const c = io();
    expect(await runShared(['verify', 'examples/acme', '--configs', dir, '--only', 'isolate guest -> internal'], c)).toBe(1);
    const line = readFileSync(join(dir, 'ams1/gw1/nftables.conf'), 'utf8').split('\n').findIndex((l) => l.includes('10.99.0.0/23')) + 1;
    expect(c.out).toMatch(new RegExp(`error\\[V886\\]: device ams1\\.gw1 .*the config admitted at rule \\d+ of seg-guest-in: allow internal, guest -> internet .*\\(examples/acme/acme\\.plumb:54\\), line ${line} of .*nftables\\.conf`));
    expect(c.out).toMatch(new RegExp(`--> .*ams1/gw1/nftables\\.conf:${line}:`));
  });

  it('`accept` at the top of an nftables chain is an unreadable config with file:line, and nothing is proven', async () => {
    const dir = editedCopy('acme', 'ams1/gw1/nftables.conf', (t) => t.replace('\tchain seg-guest-in {\n', '\tchain seg-guest-in {\n\t\taccept\n'));
    const c = io();
    expect(await runShared(['verify', 'examples/acme', '--configs', dir], c)).toBe(1);
    expect(c.out).toMatch(/error\[R904\]: `accept` in a filter chain skips the checks that follow it\n +--> .*ams1\/gw1\/nftables\.conf:\d+:\d+/);
    expect(c.out).not.toMatch(/^proven/m);
  });

  it('`return` (permit all) at the top of an nftables chain is drift, with the chain\'s line', async () => {
    const dir = editedCopy('acme', 'ams1/gw1/nftables.conf', (t) => t.replace('\tchain seg-guest-in {\n', '\tchain seg-guest-in {\n\t\treturn\n'));
    const c = io();
    expect(await runShared(['verify', 'examples/acme', '--configs', dir, '--only', 'isolate guest -> internal'], c)).toBe(1);
    expect(c.out).toMatch(/error\[V886\]: device ams1\.gw1 .*entering by eth2 is admitted by the config but dropped by the intent/);
    expect(c.out).toMatch(/--> .*ams1\/gw1\/nftables\.conf:\d+/);
  });

  it('a missing file is an error at that file (exit 1); so is a device the manifest lacks', async () => {
    const dir = editedCopy('acme', 'manifest.json', (t) => {
      const m = JSON.parse(t) as { devices: { id: string }[] };
      m.devices = m.devices.filter((d) => d.id !== 'ams1.core2');
      return `${JSON.stringify(m, null, 2)}\n`;
    });
    rmSync(join(dir, 'fra1/core1/frr.conf'));
    const c = io();
    expect(await runShared(['verify', 'examples/acme', '--configs', dir], c)).toBe(1);
    expect(c.out).toMatch(/error\[V882\]: .*fra1\/core1\/frr\.conf \(device fra1\.core1\) is missing or cannot be read\n +--> .*fra1\/core1\/frr\.conf:1:1/);
    expect(c.out).toMatch(/error\[V880\]: device ams1\.core2 has no configuration in .*manifest\.json\n +--> examples\/acme\/acme\.plumb:\d+:\d+/);
    expect(c.out).not.toMatch(/^proven/m);
  });

  it('a FIFO or a device in place of a config file is unreadable, never waited on (exit 1, V882)', async () => {
    const dir = editedCopy('acme', 'fra1/core1/frr.conf', (t) => `${t}!\n`);
    rmSync(join(dir, 'fra1/core1/frr.conf'));
    execFileSync('mkfifo', [join(dir, 'fra1/core1/frr.conf')]);
    rmSync(join(dir, 'fra1/edge1/edge1.cfg'));
    symlinkSync('/dev/zero', join(dir, 'fra1/edge1/edge1.cfg'));
    const c = io();
    expect(await runShared(['verify', 'examples/acme', '--configs', dir], c)).toBe(1);
    expect(c.out).toMatch(/error\[V882\]: .*fra1\/core1\/frr\.conf \(device fra1\.core1\) is missing or cannot be read/);
    expect(c.out).toMatch(/error\[V882\]: .*fra1\/edge1\/edge1\.cfg \(device fra1\.edge1\) is missing or cannot be read/);
  });

  it('a folder without a manifest is unreadable input (exit 2)', async () => {
    const c = io();
    expect(await runShared(['verify', 'examples/acme', '--configs', join(tmp, 'nowhere')], c)).toBe(2);
    expect(c.err).toMatch(/error: cannot read .*manifest\.json: ENOENT/);
  });

  it('configs compiled from another intent: a device the intent lacks, and a warning', async () => {
    const c = io();
    expect(await runShared(['verify', 'examples/campus', '--configs', 'examples/acme/out'], c)).toBe(1);
    expect(c.out).toMatch(/warning\[V884\]: the configurations were compiled from another version of the intent/);
    expect(c.out).toMatch(/error\[V881\]: device ams1\.core2 is in .*manifest\.json but not in the intent/);
  });
});

describe('plumb compile -o: translation validation', () => {
  it('--no-validate skips and says so', async () => {
    const c = io();
    expect(await runShared(['compile', 'examples/acme', '-o', join(tmp, 'nv'), '--no-validate'], c)).toBe(0);
    expect(c.err).toMatch(/warning: --no-validate: the rendered files were not read back/);
    expect(c.err).not.toMatch(/^validated/m);
  });

  it('validates by default and says what it proved', async () => {
    const c = io();
    expect(await runShared(['compile', 'examples/acme', '-o', join(tmp, 'v')], c)).toBe(0);
    expect(c.err).toMatch(/^validated 5 devices: read back, \d+ rule lists equal to the model/m);
  });

  it('a read-back that differs in form but not in behaviour is proven equal by Z3 and written', async () => {
    const real = frrBackend.read;
    // Rules of one action in reverse order: another list, the same decisions.
    const spy = vi.spyOn(frrBackend, 'read').mockImplementation((files, ctx) => {
      const r = real(files, ctx);
      r.device?.filters.forEach((f) => {
        if (f.rules.length > 1 && f.rules.every((x) => x.action === f.rules[0]!.action)) f.rules.reverse();
      });
      return r;
    });
    try {
      const c = io();
      expect(await runShared(['compile', 'examples/acme', '-o', join(tmp, 'z3')], c)).toBe(0);
      const m = /^validated 5 devices: read back, (\d+) rule lists equal to the model \((\d+) rule for rule, (\d+) proven by Z3 in (\d+) queries\)/m.exec(c.err);
      expect(m).not.toBeNull();
      expect(Number(m![3])).toBeGreaterThan(0);
      expect(Number(m![4])).toBeGreaterThan(0);
    } finally {
      spy.mockRestore();
    }
  });

  it('a reader that misreads its renderer\'s files is a bug: exit 3 with the device and the packet, the folder untouched', async () => {
    const out = join(tmp, 'bug');
    expect(await runShared(['compile', 'examples/acme', '-o', out, '--no-validate'], io())).toBe(0);
    const before = readFileSync(join(out, 'manifest.json'), 'utf8');
    writeFileSync(join(out, 'marker'), 'kept');
    await whileDropsReadAsPermits(linuxBackend, async () => {
      const c = io();
      expect(await runShared(['compile', 'examples/acme', '-o', out], c)).toBe(3);
      expect(c.err).toMatch(/internal error: translation validation failed/);
      expect(c.err).toMatch(/device ams1\.gw1: the files read back differ from the model/);
      expect(c.err).toMatch(/packet .* entering by eth2 is admitted by the config but dropped by the model: the config admitted at rule \d+ of seg-guest-in: .*, line \d+ of .*ams1\/gw1\/nftables\.conf/);
      expect(c.err).toMatch(/nothing written: .* is unchanged/);
    });
    expect(readFileSync(join(out, 'manifest.json'), 'utf8')).toBe(before);
    expect(existsSync(join(out, 'marker'))).toBe(true);
  });
});
