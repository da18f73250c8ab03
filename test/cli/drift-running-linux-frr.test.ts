// `plumb verify --configs DIR` end to end on what real linux and frr boxes print: acme is
// compiled, its linux and frr devices are brought up from those files in network namespaces
// (real FRR daemons, nftables, kernel: test/backends/running-lab.ts), and their folders in DIR
// are replaced by what they print (`show running-config`, `nft list ruleset`, `ip -j`, sysctl).
// Unedited: every device read back, no difference. With an operator's edit on one box: drift at
// the printed line. Needs root, FRR and nftables: skipped loudly outside CI, failing in CI.

import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../../cli/program.js';
import { exampleModels } from '../backends/examples.js';
import { linuxPorts } from '../backends/linux-ports.js';
import { captureRunning } from '../backends/running-lab.js';
import { FRR_LOADABLE, PACKETS_POSSIBLE } from '../backends/tools.js';
import { capturedIo } from './captured-io.js';

const skip = !(FRR_LOADABLE && PACKETS_POSSIBLE) && !process.env.CI;
if (skip) console.warn('\n*** SKIPPING verify --configs on running linux and frr boxes: needs root, Debian frr, nftables and iproute2. CI runs them. ***\n');

const root = fileURLToPath(new URL('../..', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'plumb-drift-running-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const RUNNING = ['fra1.core1', 'ams1.core2', 'ams1.gw1'];

/** acme compiled into a fresh folder, the RUNNING devices' folders replaced by what they print (`edits` on gw1). */
async function runningFolder(name: string, gw1Edits: string[] = []): Promise<string> {
  const dir = join(tmp, name);
  expect(await run(['compile', 'examples/acme', '-o', dir], capturedIo(root))).toBe(0);
  const model = exampleModels().find((m) => m.name === 'acme')!.model;
  // The boxes at once: each runs in namespaces (and a folder) of its own.
  await Promise.all(
    RUNNING.map(async (id) => {
      const device = model.devices.find((d) => d.id === id)!;
      const folder = join(dir, device.site, device.name);
      const files = readdirSync(folder).map((path) => ({ path, content: readFileSync(join(folder, path), 'utf8') }));
      const edits = id === 'ams1.gw1' ? gw1Edits : [];
      const r = await captureRunning(files, linuxPorts(device), { frr: device.platform === 'frr', hostname: device.name, edits });
      expect(r.output).toBe('');
      expect(r.status).toBe(0);
      for (const f of files) rmSync(join(folder, f.path));
      // frr.conf by its other name: a device folder with a file of the compile output is compile output.
      for (const f of r.after) writeFileSync(join(folder, f.path === 'frr.conf' ? 'running-config.txt' : f.path), f.content);
    }),
  );
  return dir;
}

// The two tests at once: each has its own folder, and its boxes their own namespaces.
describe.concurrent('plumb verify --configs on running linux and frr boxes', () => {
  it.skipIf(skip)('as printed: every device read back, 0 differences, the intent\'s verdicts', async () => {
    const dir = await runningFolder('clean');
    const c = capturedIo(root);
    const code = await run(['verify', 'examples/acme', '--configs', dir], c);
    expect(c.err).toBe('');
    expect(c.out).toContain('5 devices read back (3 from running configurations), 0 differences');
    expect(c.out).not.toContain('unmanaged');
    expect(code).toBe(0);
  }, 120_000);

  it.skipIf(skip)('telnet opened on gw1 by hand: drift at the printed line; a NAT table is unmanaged', async () => {
    const dir = await runningFolder('edited', [
      'nft insert rule inet plumb local tcp dport 23 accept',
      "nft add table ip nat && nft add chain ip nat postrouting '{ type nat hook postrouting priority srcnat; policy accept; }'",
    ]);
    const ruleset = readFileSync(join(dir, 'ams1', 'gw1', 'ruleset.nft'), 'utf8').split('\n');
    const line = ruleset.findIndex((l) => l.includes('tcp dport 23 accept')) + 1;
    const c = capturedIo(root);
    const code = await run(['verify', 'examples/acme', '--configs', dir, '--verbose'], c);
    const out = c.out + c.err;
    expect(out).toContain('V886');
    expect(out).toContain(`ams1/gw1/ruleset.nft:${line}`);
    expect(out).toContain('5 devices read back (3 from running configurations), 1 difference');
    expect(out).toMatch(/ams1\.gw1: 1 unmanaged line/);
    expect(out).toMatch(/ruleset\.nft:\d+: table ip nat \{/);
    expect(code).not.toBe(0);
  }, 120_000);
});
