// Beyond the dry run: every frr device's files loaded into FRR's real daemons in a throwaway
// network namespace. vtysh must accept every command, and FRR's own running configuration,
// read back by the frr reader, must hold the model's routing (what FRR understood is what the
// model says; origins and external names live in comments, which FRR drops).
import { describe, expect, it } from 'vitest';
import { readFrrConf } from '../../backends/frr/conf-read.js';
import { needsOspf6, ospfFamilies } from '../../backends/frr/conf-render.js';
import { renderFrr } from '../../backends/frr/render.js';
import { canonicalDevice } from '../../backends/canonical.js';
import type { DeviceModel, NetworkModel } from '../../compiler/model.js';
import { core2, edge2, network } from './builder.js';
import { exampleModels } from './examples.js';
import { FRR_LOADABLE, frrLoadAsync } from './tools.js';
import { linuxPorts } from './linux-ports.js';
import { withVlanNames } from '../../backends/linux/vlan.js';

const skip = !FRR_LOADABLE && !process.env.CI;
if (skip)
  console.warn('\n*** SKIPPING FRR daemon loads: needs root, Debian frr and iproute2. CI runs them. ***\n');

function routing(d: DeviceModel) {
  const c = canonicalDevice(d);
  const site = { file: '', start: { line: 0, column: 0, offset: 0 }, end: { line: 0, column: 0, offset: 0 } };
  return {
    routerId: c.routerId,
    staticRoutes: c.staticRoutes.map((r) => ({ ...r, origin: site })),
    ospf: c.ospf,
    bgp: c.bgp && { ...c.bgp, neighbors: c.bgp.neighbors.map((n) => ({ ...n, origin: site, external: '' })) },
  };
}

/** `d` with GTSM (1 hop) and a maximum-prefix limit on every eBGP session: bgpd must take both. */
function gtsm(d: DeviceModel): DeviceModel {
  const bgp = d.bgp!;
  return { ...d, bgp: { ...bgp, neighbors: bgp.neighbors.map((n, k) => ({ ...n, ttlSecurity: 1 + k, maxPrefixes: 100 * (k + 1) })) } };
}

const cases: { name: string; device: DeviceModel; model: NetworkModel }[] = [
  ...[core2(), edge2()].map((d) => ({ name: `hand-built ${d.id}`, device: d, model: network([d]) })),
  ...[gtsm(edge2())].map((d) => ({ name: `hand-built ${d.id} with GTSM and maximum-prefix`, device: d, model: network([d]) })),
  ...exampleModels().flatMap(({ name, model }) =>
    model.devices
      .filter((d) => d.platform === 'frr')
      .map((device) => ({ name: `${name} ${device.id}`, device, model })),
  ),
];

// Each load has a network namespace and a folder of its own, and most of its time is the
// daemons starting: the loads run a few at a time.
describe.concurrent('FRR daemons load every frr.conf and run what the model says', () => {
  for (const { name, device, model } of cases) {
    it.skipIf(skip)(name, async () => {
      const files = new Map(renderFrr(device, model).map((f) => [f.path, f.content]));
      const r = await frrLoadAsync(
        files,
        linuxPorts(device),
      );
      // frr.conf names a VLAN interface by its 802.1Q device (eth4.20), as FRR sees it.
      const named = withVlanNames(device);
      expect(r.output).toBe('');
      expect(r.status).toBe(0);
      // vtysh decorates its output with two lines that are not configuration.
      const running = r.running.replace(/^Building configuration\.\.\.\n\nCurrent configuration:\n/, '');
      expect(running).toContain('router ospf');
      const read = readFrrConf('running.conf', running);
      expect(read.diagnostics.filter((x) => x.severity === 'error')).toEqual([]);
      // ospf6d (started by the emulator exactly when frr.conf has `router ospf6`) runs OSPFv3
      // on exactly the OSPF interfaces with IPv6, and ospfd OSPFv2 on those with IPv4.
      expect(/^router ospf6$/m.test(running)).toBe(named.ospf !== undefined && needsOspf6(named, named.ospf));
      expect(/^router ospf6$/m.test(running)).toBe(/^router ospf6$/m.test(files.get('frr.conf')!));
      const families = (name: string) => ospfFamilies(named.interfaces.find((i) => i.name === name));
      expect(read.ospfInterfaces.map((o) => [o.name, o.v2 !== undefined, o.v3 !== undefined])).toEqual(
        (named.ospf?.interfaces ?? []).map((o) => [o.name, families(o.name).v2, families(o.name).v3]),
      );
      expect(
        routing({
          ...device,
          ...read,
          routerId: read.routerId,
          staticRoutes: read.staticRoutes,
        } as DeviceModel),
      ).toEqual(routing(named));
    });
  }
});
