// The backends' law on every device of every example (examples/*/*.plumb → analyze → compile →
// render → read), on every backend of the registry, and every frr and linux file through the
// real tools (the PAN-OS validators: paloalto-panos-tools.test.ts).
import { describe, expect, it } from 'vitest';
import { BACKENDS, backendFor } from '../../backends/index.js';
import { canonicalDevice } from '../../backends/canonical.js';
import { nftCheck, setupRun, skipWithout, vtyshCheck } from './tools.js';
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
  for (const { name, model } of exampleModels()) {
    for (const d of model.devices.filter((x) => x.platform === 'frr' || x.platform === 'linux')) {
      const files = new Map(
        backendFor(d.platform)!
          .render(d, model)
          .map((f) => [f.path, f.content]),
      );
      it.skipIf(skipNft)(`${name}: ${d.id} nftables.conf passes nft -c -f`, () => {
        const r = nftCheck(files.get('nftables.conf')!);
        expect(r.output).toBe('');
        expect(r.status).toBe(0);
      });
      if (d.platform === 'frr') {
        it.skipIf(skipVtysh)(`${name}: ${d.id} frr.conf passes vtysh -C`, () => {
          const r = vtyshCheck(files.get('frr.conf')!);
          expect(r.output).toBe('');
          expect(r.status).toBe(0);
        });
      }
      it.skipIf(skipIp)(`${name}: ${d.id} setup.sh runs twice in a namespace`, () => {
        const r = setupRun(
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
