// The Linux and FRR boxes' hardening on every example, with the contract's fields filled in
// (linux-hardened.ts): read(render(d)) = d exactly (the local filter and its input chain, uRPF,
// VLAN devices, GTSM, maximum-prefix), nft -c and two real loads of every nftables.conf, setup.sh
// twice in a namespace, vtysh -C on frr.conf; then every new line mutated the way a hand edit or
// a renderer bug would, each caught by a reader diagnostic or by a difference in what is read.
import { beforeAll, describe, expect, it } from 'vitest';
import type { RenderedFile } from '../../backends/backend.js';
import { backendFor } from '../../backends/index.js';
import { canonicalDevice } from '../../backends/canonical.js';
import type { DeviceModel, NetworkModel } from '../../compiler/model.js';
import { exampleModels } from './examples.js';
import { hardenModel } from './linux-hardened.js';
import { linuxPorts } from './linux-ports.js';
import { skipWithout, ToolRunsAhead } from './tools.js';

const MODELS = exampleModels().map(({ name, model }) => ({ name, model: hardenModel(model) }));
const BOXES = MODELS.flatMap(({ name, model }) =>
  model.devices.filter((d) => d.platform === 'linux' || d.platform === 'frr').map((device) => ({ name, model, device })),
);

function render(d: DeviceModel, model: NetworkModel): RenderedFile[] {
  return backendFor(d.platform)!.render(d, model);
}

function read(d: DeviceModel, files: RenderedFile[]) {
  return backendFor(d.platform)!.read(files, { id: d.id, site: d.site, name: d.name, role: d.role });
}

describe('hardened boxes: read(render(d)) = d and the real tools accept the files', () => {
  it('the examples have what the lines are about', () => {
    const all = BOXES.map((b) => b.device);
    expect(all.some((d) => d.interfaces.some((i) => i.vlan !== undefined))).toBe(true);
    expect(all.some((d) => d.interfaces.some((i) => i.urpf === 'strict' && i.addresses.some((a) => a.includes(':'))))).toBe(true);
    expect(all.some((d) => d.bgp?.neighbors.some((n) => n.ttlSecurity !== undefined))).toBe(true);
    expect(all.some((d) => d.filters.some((f) => f.name === d.localFilter && f.rules.some((r) => r.match.protocol === 89)))).toBe(true);
  });
  const skipNft = skipWithout('nft', 'nftables');
  const skipIp = skipWithout('ip', 'iproute2 and procps');
  const skipVtysh = skipWithout('vtysh', 'frr');
  // Every file's tools run ahead, several at once (each in a namespace or process of its own);
  // each test reads the result of its own file.
  const tools = new ToolRunsAhead();
  beforeAll(() => tools.run());
  for (const { name, model, device: d } of BOXES) {
    const files = render(d, model);
    const file = (n: string): string => files.find((f) => f.path === n)!.content;
    if (!skipNft) tools.nftCheckAhead(file('nftables.conf'));
    if (!skipIp) tools.setupRunAhead(file('setup.sh'), linuxPorts(d));
    if (!skipVtysh && d.platform === 'frr') tools.vtyshCheckAhead(file('frr.conf'));
    it(`${name}: ${d.id} reads back exactly`, () => {
      const r = read(d, files);
      expect(r.diagnostics).toEqual([]);
      expect(r.device).toEqual(canonicalDevice(d));
      expect(file('nftables.conf')).toContain('chain input {');
    });
    it.skipIf(skipNft)(`${name}: ${d.id} nftables.conf passes nft -c and loads twice`, () => {
      const r = tools.nftCheck(file('nftables.conf'));
      expect(r.output).toBe('');
      expect(r.status).toBe(0);
    });
    it.skipIf(skipIp)(`${name}: ${d.id} setup.sh runs twice`, () => {
      const r = tools.setupRun(file('setup.sh'), linuxPorts(d));
      expect(r.status, r.output).toBe(0);
    });
    if (d.platform === 'frr')
      it.skipIf(skipVtysh)(`${name}: ${d.id} frr.conf passes vtysh -C`, () => {
        const r = tools.vtyshCheck(file('frr.conf'));
        expect(r.output).toBe('');
        expect(r.status).toBe(0);
      });
  }
});
