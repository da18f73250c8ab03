// Seeded property test of the backends' law over random devices of every platform of the
// registry: read(render(d)) = d (canonical order, fib empty), and rendering is deterministic.
// What each platform's random devices are, and how many, is its row in platform-cases.ts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BACKENDS, backendFor } from '../../backends/index.js';
import { canonicalDevice } from '../../backends/canonical.js';
import type { DeviceModel } from '../../compiler/model.js';
import { network } from './builder.js';
import { deviceArb } from './arbitrary.js';
import { platformCase } from './platform-cases.js';
import { skipWithout, ToolRunsAhead } from './tools.js';

describe('read(render(d)) = d for random devices (seeded)', () => {
  for (const backend of BACKENDS) {
    const { law } = platformCase(backend.platform);
    it(backend.platform, () => {
      fc.assert(
        fc.property(law.devices, (d) => {
          const files = backend.render(d, network([d]));
          expect(backend.render(d, network([d]))).toEqual(files);
          const r = backend.read(files, { id: d.id, site: d.site, name: d.name, role: d.role });
          const reported = law.warnings ? r.diagnostics.filter((x) => x.severity === 'error') : r.diagnostics;
          expect(reported).toEqual([]);
          expect(r.device).toEqual(canonicalDevice(d));
        }),
        { seed: law.seed, numRuns: law.numRuns },
      );
    });
  }
});

describe('the real tools accept the files of random devices (seeded)', () => {
  it.skipIf(skipWithout('nft', 'nftables') || skipWithout('vtysh', 'frr'))('nft -c -f and vtysh -C', async () => {
    const backend = backendFor('frr')!;
    const filesOf = (d: DeviceModel): Map<string, string> =>
      new Map(backend.render(d, network([d])).map((f) => [f.path, f.content]));
    const runs = { seed: 7, numRuns: 30 };
    // The devices the property draws (the same seed and runs), their tools run ahead at once.
    const tools = new ToolRunsAhead();
    for (const files of fc.sample(deviceArb('frr'), runs).map(filesOf)) {
      tools.nftCheckAhead(files.get('nftables.conf')!);
      tools.vtyshCheckAhead(files.get('frr.conf')!);
    }
    await tools.run();
    fc.assert(
      fc.property(deviceArb('frr'), (d) => {
        const files = filesOf(d);
        const nft = tools.nftCheck(files.get('nftables.conf')!);
        expect(nft.output).toBe('');
        const frr = tools.vtyshCheck(files.get('frr.conf')!);
        expect(frr.output).toBe('');
        expect([nft.status, frr.status]).toEqual([0, 0]);
      }),
      runs,
    );
  });
});
