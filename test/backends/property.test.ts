// Seeded property test of the backends' law over random devices: read(render(d)) = d.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backendFor } from '../../backends/index.js';
import { canonicalDevice } from '../../backends/canonical.js';
import { network } from './builder.js';
import { deviceArb } from './arbitrary.js';
import { nftCheck, skipWithout, vtyshCheck } from './tools.js';

describe('read(render(d)) = d for random devices (seeded)', () => {
  for (const platform of ['linux', 'frr'] as const) {
    it(platform, () => {
      const backend = backendFor(platform)!;
      fc.assert(
        fc.property(deviceArb(platform), (d) => {
          const files = backend.render(d, network([d]));
          const r = backend.read(files, { id: d.id, site: d.site, name: d.name, role: d.role });
          expect(r.diagnostics.filter((x) => x.severity === 'error')).toEqual([]);
          expect(r.device).toEqual(canonicalDevice(d));
        }),
        { seed: 20261125, numRuns: 300 },
      );
    });
  }
});

describe('the real tools accept the files of random devices (seeded)', () => {
  it.skipIf(skipWithout('nft', 'nftables') || skipWithout('vtysh', 'frr'))('nft -c -f and vtysh -C', () => {
    const backend = backendFor('frr')!;
    fc.assert(
      fc.property(deviceArb('frr'), (d) => {
        const files = new Map(backend.render(d, network([d])).map((f) => [f.path, f.content]));
        const nft = nftCheck(files.get('nftables.conf')!);
        expect(nft.output).toBe('');
        const frr = vtyshCheck(files.get('frr.conf')!);
        expect(frr.output).toBe('');
        expect([nft.status, frr.status]).toEqual([0, 0]);
      }),
      { seed: 7, numRuns: 30 },
    );
  });
});
