// The backends' law on every device of every example (examples/*/*.plumb → analyze → compile →
// render → read), on every backend of the registry, and every frr and linux file through the
// real tools (the PAN-OS validators: paloalto-panos-tools.test.ts).
import { beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, backendFor } from '../../backends/index.js';
import { canonicalDevice } from '../../backends/canonical.js';
import { skipWithout, ToolRunsAhead } from './tools.js';
import { exampleDevices, exampleModels } from './examples.js';
import { linuxPorts } from './linux-ports.js';

describe('read(render(d)) = d for every device of every example, and render is deterministic', () => {
  for (const backend of BACKENDS) {
    const devices = exampleDevices(backend.platform);
    it(`the examples have ${backend.platform} devices`, () => expect(devices.length).toBeGreaterThan(0));
    for (const { example, model, device: d } of devices) {
      it(`${example}: ${d.id} (${d.platform})`, () => {
        const files = backend.render(d, model);
        if (process.env.SHOW) for (const f of files) console.log(`=== ${d.id} ${f.path}\n${f.content}`);
        const r = backend.read(files, { id: d.id, site: d.site, name: d.name, role: d.role });
        expect(r.diagnostics).toEqual([]);
        expect(r.device).toEqual(canonicalDevice(d));
        expect(backend.render(d, model)).toEqual(files);
      });
    }
  }
});

describe('the real tools accept every frr and linux file of every example', () => {
  const skipNft = skipWithout('nft', 'nftables');
  const skipVtysh = skipWithout('vtysh', 'frr');
  const skipIp = skipWithout('ip', 'iproute2 and procps');
  // Every file's tools run ahead, several at once (each in a namespace or process of its own);
  // each test reads the result of its own file.
  const tools = new ToolRunsAhead();
  beforeAll(() => tools.run());
  for (const { name, model } of exampleModels()) {
    for (const d of model.devices.filter((x) => x.platform === 'frr' || x.platform === 'linux')) {
      const files = new Map(
        backendFor(d.platform)!
          .render(d, model)
          .map((f) => [f.path, f.content]),
      );
      if (!skipNft) tools.nftCheckAhead(files.get('nftables.conf')!);
      if (!skipVtysh && d.platform === 'frr') tools.vtyshCheckAhead(files.get('frr.conf')!);
      if (!skipIp) tools.setupRunAhead(files.get('setup.sh')!, linuxPorts(d));
      it.skipIf(skipNft)(`${name}: ${d.id} nftables.conf passes nft -c -f`, () => {
        const r = tools.nftCheck(files.get('nftables.conf')!);
        expect(r.output).toBe('');
        expect(r.status).toBe(0);
      });
      if (d.platform === 'frr') {
        it.skipIf(skipVtysh)(`${name}: ${d.id} frr.conf passes vtysh -C`, () => {
          const r = tools.vtyshCheck(files.get('frr.conf')!);
          expect(r.output).toBe('');
          expect(r.status).toBe(0);
        });
      }
      it.skipIf(skipIp)(`${name}: ${d.id} setup.sh runs twice in a namespace`, () => {
        const r = tools.setupRun(
          files.get('setup.sh')!,
          linuxPorts(d),
        );
        expect(r.status, r.output).toBe(0);
        for (const i of d.interfaces)
          for (const a of i.addresses)
            expect(r.output).toContain(`${a.includes(':') ? 'inet6' : 'inet'} ${a} `);
      });
    }
  }
});
