// `plumb verify --configs` on running configurations: acme compiled, then fra1.edge1's folder
// holding what the router prints for `show running-config` (test/backends/iosxe-running-form.ts)
// instead of Plumb's file. Untouched, it reads back with no difference and its unmanaged lines
// listed; an operator's edits are drift at their line (an ACL opened, a static route added, an
// OSPF cost changed), an `ip http server` is unmanaged, an unknown line inside an interface is an
// error at its line. A folder without manifest.json is a folder of running configurations: every
// device of the intent needs its folder (V887), and a folder of no device is an error (V888).

import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../cli/program.js';
import { compileIntent } from '../../pipeline/compile.js';
import { readDeployedNetwork } from '../../pipeline/deployed.js';
import { readSources } from '../../pipeline/sources.js';
import { runningForm } from '../backends/iosxe-running-form.js';
import { capturedIo, type CapturedIo } from './captured-io.js';
import { sharedSolvers } from '../shared-solvers.js';

// One pool of Z3 workers for the file's runs (test/shared-solvers.ts): each command that proves
// would otherwise start and close workers of its own; every query starts from a clean solver.
const inPool = sharedSolvers();
const runInPool = (args: string[], c: Parameters<typeof run>[1]): Promise<number> => inPool(() => run(args, c));

const root = fileURLToPath(new URL('../..', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'plumb-drift-running-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const io = (): CapturedIo => capturedIo(root);
const out = join(tmp, 'out');
const ONLY = ['--only', 'isolate internet -> db'];

beforeAll(async () => {
  const c = io();
  expect(await runInPool(['compile', 'examples/acme', '-o', out], c)).toBe(0);
});

let copies = 0;
/** The compile output with fra1.edge1's file replaced by its running configuration, edited. */
function runningCopy(edit: (text: string) => string = (t) => t): { dir: string; file: string; text: string } {
  const dir = join(tmp, `copy-${copies++}`);
  cpSync(out, dir, { recursive: true });
  const cfg = join(dir, 'fra1/edge1/edge1.cfg');
  const text = edit(runningForm(readFileSync(cfg, 'utf8')));
  rmSync(cfg);
  const file = join(dir, 'fra1/edge1/running-config.txt');
  writeFileSync(file, text);
  return { dir, file, text };
}

const lineOf = (text: string, line: string): number => text.split('\n').indexOf(line) + 1;

describe('plumb verify --configs on a running configuration', () => {
  it('reads back with no difference, says what it compared and lists the unmanaged lines', async () => {
    const { dir } = runningCopy();
    const c = io();
    expect(await runInPool(['verify', 'examples/acme', '--configs', dir, ...ONLY, '--verbose'], c)).toBe(0);
    expect(c.out).not.toMatch(/(error|warning)\[(V88\d|R9\d\d)\]/);
    expect(c.out).toMatch(/^5 devices read back \(1 from running configuration\), 0 differences$/m);
    expect(c.out).toMatch(/^fra1\.edge1: 11 unmanaged lines/m);
    expect(c.out).toMatch(/running-config\.txt:\d+: interface GigabitEthernet1$/m);
    expect(c.out).toMatch(/running-config\.txt:\d+: username admin privilege 15 secret 9 <hidden>$/m);
    expect(c.out).not.toContain('$9$');
  });

  it('in JSON: the counts and every unmanaged line', async () => {
    const { dir } = runningCopy();
    const c = io();
    expect(await runInPool(['verify', 'examples/acme', '--configs', dir, ...ONLY, '--format', 'json'], c)).toBe(0);
    const report = JSON.parse(c.out) as { configs: { devices: number; differences: number; running: number; unmanaged: { device: string; lines: { file: string; line: number; text: string }[] }[] } };
    expect(report.configs).toMatchObject({ devices: 5, differences: 0, running: 1 });
    expect(report.configs.unmanaged.map((u) => [u.device, u.lines.length])).toEqual([['fra1.edge1', 11]]);
    expect(report.configs.unmanaged[0]!.lines[0]).toMatchObject({ text: 'vrf definition Mgmt-intf' });
  });

  it('permit ip any any added at the top of an ACL is drift at its line', async () => {
    const { dir, text } = runningCopy((t) => t.replace('ip access-list extended ext-internet-out\n', 'ip access-list extended ext-internet-out\n 5 permit ip any any\n'));
    const c = io();
    expect(await runInPool(['verify', 'examples/acme', '--configs', dir, ...ONLY], c)).toBe(1);
    const line = lineOf(text, ' 5 permit ip any any');
    expect(c.out).toMatch(new RegExp(`error\\[V886\\]: device fra1\\.edge1 does not behave as the intent compiles it: packet .* leaving by GigabitEthernet3 is admitted by the config but dropped by the intent: the config admitted at rule 1 of ext-internet-out, .*running-config\\.txt:${line}`));
    expect(c.out).toMatch(/^5 devices read back \(1 from running configuration\), [1-9]\d* differences?$/m);
  });

  it('a static route added is drift at its line', async () => {
    const { dir, text } = runningCopy((t) => t.replace(/^(ip route 0\.0\.0\.0 .*)$/m, '$1\nip route 192.0.2.0 255.255.255.0 GigabitEthernet3 203.0.113.1'));
    const c = io();
    expect(await runInPool(['verify', 'examples/acme', '--configs', dir, ...ONLY], c)).toBe(1);
    const line = lineOf(text, 'ip route 192.0.2.0 255.255.255.0 GigabitEthernet3 203.0.113.1');
    expect(c.out).toMatch(/error\[V886\]: device fra1\.edge1 does not behave as the intent compiles it: static route.*192\.0\.2\.0\/24/);
    expect(c.out).toMatch(new RegExp(`--> .*running-config\\.txt:${line}:`));
  });

  it('a changed OSPF cost (both families, as IOS-XE needs) is drift', async () => {
    const { dir } = runningCopy((t) => t.replace(/(interface GigabitEthernet2\n(?: .*\n)*?) ip ospf cost 1\n((?: .*\n)*?) ospfv3 cost 1\n/, '$1 ip ospf cost 50\n$2 ospfv3 cost 50\n'));
    const c = io();
    expect(await runInPool(['verify', 'examples/acme', '--configs', dir, ...ONLY], c)).toBe(1);
    expect(c.out).toMatch(/error\[V886\]: device fra1\.edge1 does not behave as the intent compiles it: .*GigabitEthernet2.*cost 50/);
  });

  it('ip http server is listed as unmanaged, not drift', async () => {
    const { dir, text } = runningCopy((t) => t.replace('no ip http server\n', 'ip http server\nip http authentication local\n'));
    const c = io();
    expect(await runInPool(['verify', 'examples/acme', '--configs', dir, ...ONLY, '--verbose'], c)).toBe(0);
    expect(c.out).toMatch(new RegExp(`running-config\\.txt:${lineOf(text, 'ip http server')}: ip http server$`, 'm'));
    expect(c.out).toMatch(/^fra1\.edge1: 13 unmanaged lines/m);
    expect(c.out).toMatch(/0 differences$/m);
  });

  it('an unknown line inside an interface Plumb manages is an error at its line, and nothing is proven', async () => {
    const { dir, text } = runningCopy((t) => t.replace(/(interface GigabitEthernet3\n)/, '$1 ip helper-address 10.0.9.9\n'));
    const c = io();
    expect(await runInPool(['verify', 'examples/acme', '--configs', dir, ...ONLY], c)).toBe(1);
    expect(c.out).toMatch(new RegExp(`error\\[R901\\]: unsupported interface line \`ip helper-address 10.0.9.9\`\\n +--> .*running-config\\.txt:${lineOf(text, ' ip helper-address 10.0.9.9')}:`));
    expect(c.out).not.toMatch(/^proven/m);
  });

  it('a folder without manifest.json: every device needs its folder (V887), a folder of no device is an error (V888)', async () => {
    const { file } = runningCopy();
    const dir = join(tmp, 'running');
    mkdirSync(join(dir, 'fra1/edge1'), { recursive: true });
    mkdirSync(join(dir, 'fra1/edge9'), { recursive: true });
    cpSync(file, join(dir, 'fra1/edge1/running-config.txt'));
    writeFileSync(join(dir, 'fra1/edge9/running-config.txt'), 'hostname edge9\n');
    const c = io();
    expect(await runInPool(['verify', 'examples/acme', '--configs', dir, ...ONLY], c)).toBe(1);
    for (const id of ['ams1.core2', 'ams1.gw1', 'fra1.core1', 'fra1.fw1']) {
      const [site, name] = id.split('.');
      expect(c.out).toMatch(new RegExp(`error\\[V887\\]: device ${id.replace('.', '\\.')} has no running configuration: .*running/${site}/${name} is missing`));
    }
    expect(c.out).not.toMatch(/V887\]: device fra1\.edge1/);
    expect(c.out).toMatch(/error\[V888\]: .*running\/fra1\/edge9 is the folder of device fra1\.edge9, which the intent does not have/);
    expect(c.out).not.toMatch(/^proven/m);
  });
});

describe('every example with its IOS-XE routers as they print their running configuration', () => {
  for (const example of ['acme', 'campus', 'harbor', 'multicloud']) {
    it(`${example}: no difference, every device read back`, async () => {
      const dir = join(tmp, `example-${example}`);
      const c = io();
      expect(await runInPool(['compile', `examples/${example}`, '-o', dir], c)).toBe(0);
      let swapped = 0;
      for (const site of readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory())) {
        for (const name of readdirSync(join(dir, site.name))) {
          const cfg = join(dir, site.name, name, `${name}.cfg`);
          if (!existsSync(cfg)) continue;
          writeFileSync(join(dir, site.name, name, 'running-config.txt'), runningForm(readFileSync(cfg, 'utf8')));
          rmSync(cfg);
          swapped++;
        }
      }
      expect(swapped).toBeGreaterThan(0);
      const sources = readSources([`examples/${example}`], root);
      const compiled = compileIntent(sources);
      const deployed = await readDeployedNetwork(compiled.model!, dir, sources, root);
      if ('problem' in deployed) throw new Error(deployed.problem.message);
      expect(deployed.diagnostics.filter((d) => d.severity !== 'info').map((d) => `${d.code} ${d.message}`)).toEqual([]);
      expect(deployed.summary).toEqual({ devices: compiled.model!.devices.length, differences: 0, running: swapped });
    });
  }
});
