// The law read(render(d)) = d on random Linux and FRR boxes (seeded) with the hardening fields
// the contract adds: a local filter (one of the box's filters, so its rules are random too, OSPF
// rules without destinations among them), uRPF on random interfaces, GTSM and maximum-prefix on
// random sessions. nft -c and vtysh -C accept a sample of their files.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backendFor } from '../../backends/index.js';
import { canonicalDevice } from '../../backends/canonical.js';
import type { DeviceModel, FilterRule } from '../../compiler/model.js';
import { deviceArb } from './arbitrary.js';
import { network } from './builder.js';
import { skipWithout, ToolRunsAhead } from './tools.js';

const SPAN = { file: 'p.plumb', start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 2, offset: 1 } };
const ospfFrom = (sources: readonly string[]): FilterRule => ({
  action: 'permit',
  match: { sources: [...sources], protocol: 89 },
  origin: SPAN,
  description: 'ospf from the link neighbours',
});

function hardened(platform: 'linux' | 'frr'): fc.Arbitrary<DeviceModel> {
  return deviceArb(platform).chain((d) =>
    fc
      .record({
        local: fc.option(fc.nat(), { nil: undefined }),
        ospf: fc.constantFrom([], ['10.255.0.1/32'], ['10.255.0.1/32', 'fe80::2/128'], ['fe80::1/128']),
        urpf: fc.array(fc.constantFrom(undefined, 'strict' as const, 'loose' as const), { minLength: d.interfaces.length, maxLength: d.interfaces.length }),
        ttl: fc.array(fc.option(fc.integer({ min: 1, max: 254 }), { nil: undefined }), { minLength: 8, maxLength: 8 }),
        max: fc.array(fc.option(fc.integer({ min: 1, max: 100000 }), { nil: undefined }), { minLength: 8, maxLength: 8 }),
      })
      .map(({ local, ospf, urpf, ttl, max }) => {
        const out: DeviceModel = structuredClone(d);
        out.interfaces.forEach((i, k) => {
          if (urpf[k] !== undefined && i.role !== 'loopback') i.urpf = urpf[k];
        });
        if (local !== undefined && out.filters.length > 0) {
          const f = out.filters[local % out.filters.length]!;
          out.localFilter = f.name;
          if (ospf.length > 0) f.rules = [ospfFrom(ospf), ...f.rules];
        }
        out.bgp?.neighbors.forEach((n, k) => {
          if (ttl[k % 8] !== undefined) n.ttlSecurity = ttl[k % 8];
          if (max[k % 8] !== undefined) n.maxPrefixes = max[k % 8];
        });
        return out;
      }),
  );
}

describe('read(render(d)) = d for random hardened boxes (seeded)', () => {
  for (const platform of ['linux', 'frr'] as const) {
    it(platform, () => {
      const backend = backendFor(platform)!;
      let locals = 0;
      fc.assert(
        fc.property(hardened(platform), (d) => {
          if (d.localFilter !== undefined) locals++;
          const files = backend.render(d, network([d]));
          const r = backend.read(files, { id: d.id, site: d.site, name: d.name, role: d.role });
          expect(r.diagnostics.filter((x) => x.severity === 'error')).toEqual([]);
          expect(r.device).toEqual(canonicalDevice(d));
        }),
        { seed: 20261204, numRuns: 200 },
      );
      expect(locals).toBeGreaterThan(20);
    });
  }
});

describe('the real tools accept the files of random hardened boxes (seeded)', () => {
  it.skipIf(skipWithout('nft', 'nftables') || skipWithout('vtysh', 'frr'))('nft -c -f and vtysh -C', async () => {
    const backend = backendFor('frr')!;
    const filesOf = (d: DeviceModel): Map<string, string> =>
      new Map(backend.render(d, network([d])).map((f) => [f.path, f.content]));
    const runs = { seed: 8, numRuns: 20 };
    // The boxes the property draws (the same seed and runs), their tools run ahead at once.
    const tools = new ToolRunsAhead();
    for (const files of fc.sample(hardened('frr'), runs).map(filesOf)) {
      tools.nftCheckAhead(files.get('nftables.conf')!);
      tools.vtyshCheckAhead(files.get('frr.conf')!);
    }
    await tools.run();
    fc.assert(
      fc.property(hardened('frr'), (d) => {
        const files = filesOf(d);
        const nft = tools.nftCheck(files.get('nftables.conf')!);
        expect(nft.output).toBe('');
        const frr = tools.vtyshCheck(files.get('frr.conf')!);
        expect(frr.output).toBe('');
        expect([nft.status, frr.status]).toEqual([0, 0]);
      }),
      runs,
    );
  }, 120_000);
});
