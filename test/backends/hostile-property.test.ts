// Seeded property test of the escaping layers: devices whose every description, source path and
// intent name is hostile text (hostile.ts) render, on every backend, to files that hold no raw
// line break, control or bidi character inside a line, that have the same lines as the same
// device with plain text (nothing user-written added a line), and that the project's readers
// read back to the device (origin paths included); the real validators accept them.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backendFor } from '../../backends/index.js';
import { canonicalDevice } from '../../backends/canonical.js';
import type { Backend, RenderedFile } from '../../backends/backend.js';
import { isInvisibleOrBreak } from '../../backends/text-escape.js';
import type { DeviceModel, NetworkModel } from '../../compiler/model.js';
import { core2, edge2, gw1, network } from './builder.js';
import { readFrrConf } from '../../backends/frr/conf-read.js';
import { deviceArb } from './arbitrary.js';
import { hostileDevice, named, plain } from './hostile.js';
import { FRR_LOADABLE, frrLoadAsync, panosXmlToSet, runOnFile, SHARED, skipWithout, validateAsync } from './tools.js';
import { linuxPorts } from './linux-ports.js';
import { atMost } from '../at-most.js';
import { expectEqual } from '../expect-equal.js';


const context = (d: DeviceModel) => ({ id: d.id, site: d.site, name: d.name, role: d.role });

/** Characters inside lines that no output may hold raw (indentation tabs are the renderer's). */
function rawUnsafe(files: RenderedFile[]): string[] {
  const out: string[] = [];
  for (const f of files) {
    f.content.split('\n').forEach((line, i) => {
      for (const c of line.replace(/^\t+/, '')) if (isInvisibleOrBreak(c)) out.push(`${f.path}:${i + 1}: U+${c.codePointAt(0)!.toString(16)}`);
    });
  }
  return out;
}

/** Each file's lines by their first word; IOS remarks left out (long text wraps into several). */
function lineKinds(files: RenderedFile[]): Record<string, string[]> {
  return Object.fromEntries(
    files.map((f) => [
      f.path,
      f.content
        .split('\n')
        .filter((l) => !/^\s*(?:\d+ )?remark /.test(l))
        .map((l) => l.trim().split(/[ >]/)[0]!),
    ]),
  );
}

function render(backend: Backend, d: DeviceModel, model: NetworkModel): RenderedFile[] {
  return backend.render(d, model);
}

describe('hostile text round-trips on every backend (seeded)', () => {
  for (const platform of ['linux', 'frr', 'cisco-iosxe', 'paloalto-panos'] as const) {
    it(platform, () => {
      const backend = backendFor(platform)!;
      fc.assert(
        fc.property(hostileDevice(deviceArb(platform)), ({ d, name }) => {
          const files = render(backend, d, named(network([d]), name));
          expect(rawUnsafe(files)).toEqual([]);
          expect(lineKinds(files)).toEqual(lineKinds(render(backend, plain(d), network([plain(d)]))));
          const r = backend.read(files, context(d));
          expect(r.diagnostics.filter((x) => x.severity === 'error')).toEqual([]);
          expectEqual(r.device, canonicalDevice(d));
        }),
        { seed: 20261203, numRuns: 200 },
      );
    });
  }
});

describe('the real validators accept files with hostile text (seeded)', () => {
  it.skipIf(skipWithout('nft', 'nftables') || skipWithout('ip', 'iproute2') || skipWithout('vtysh', 'frr'))(
    'frr and linux: nft -c -f and loading twice, setup.sh run twice in a namespace, vtysh -C',
    async () => {
      // the hand-built devices: random ones need not be installable (routes via unknown hops).
      // The two platforms' properties side by side, and each sample's tools at once: each tool
      // runs in a namespace or on a file of its own, and the test mostly waits for them.
      const platforms = [['linux', gw1()], ['frr', core2()]] as const;
      await Promise.all(
        platforms.map(async ([platform, device]) => {
          const backend = backendFor(platform)!;
          // Asynchronous: a worker blocked for the minute the tools take misses the runner's calls.
          await fc.assert(
            fc.asyncProperty(hostileDevice(fc.constant(device)), async ({ d, name }) => {
              const files = new Map(render(backend, d, named(network([d]), name)).map((f) => [f.path, f.content]));
              const [nft, setup, frr] = await Promise.all([
                validateAsync.nftCheck(files.get('nftables.conf')!),
                validateAsync.setupRun(files.get('setup.sh')!, linuxPorts(d)),
                platform === 'frr' ? validateAsync.vtyshCheck(files.get('frr.conf')!) : undefined,
              ]);
              expect(nft.output).toBe('');
              expect(setup.status, setup.output).toBe(0);
              expect(nft.status).toBe(0);
              if (platform === 'frr') {
                expect(frr!.output).toBe('');
                expect(frr!.status).toBe(0);
              }
            }),
            { seed: 11, numRuns: 12 },
          );
        }),
      );
    },
    120_000,
  );

  it.skipIf(!FRR_LOADABLE && !process.env.CI)(
    'frr: the daemons load frr.conf and keep every neighbour description exactly as written (escaped)',
    async () => {
      // The four loads at once: each has a namespace and a folder of its own (frrLoadAsync).
      const samples = fc.sample(hostileDevice(fc.constant(edge2())), { seed: 17, numRuns: 4 });
      const loads = await Promise.all(
        samples.map(({ d, name }) => frrLoadAsync(new Map(render(backendFor('frr')!, d, named(network([d]), name)).map((f) => [f.path, f.content])), linuxPorts(d))),
      );
      for (const [i, { d }] of samples.entries()) {
        const r = loads[i]!;
        expect(r.output).toBe('');
        expect(r.status).toBe(0);
        const read = readFrrConf('running.conf', r.running.replace(/^Building configuration\.\.\.\n\nCurrent configuration:\n/, ''));
        expect(read.diagnostics.filter((x) => x.severity === 'error')).toEqual([]);
        expect(read.bgp?.neighbors.map((n) => n.description)).toEqual(canonicalDevice(d).bgp?.neighbors.map((n) => n.description));
      }
    },
    120_000,
  );

  it.skipIf(skipWithout('xmllint', 'xmllint (Debian libxml2-utils)') || skipWithout('xmlToSet', `python3 or ${SHARED}/panos_xml_to_set.py`))(
    'paloalto-panos: xmllint, and the shared XML → set flattener gives the .set file',
    async () => {
      const backend = backendFor('paloalto-panos')!;
      const samples = fc.sample(hostileDevice(deviceArb('paloalto-panos')), { seed: 13, numRuns: 12 });
      const rendered = samples.map(({ d, name }) => render(backend, d, named(network([d]), name)));
      const contentOf = (files: RenderedFile[], ext: string): string => files.find((f) => f.path.endsWith(ext))!.content;
      // Each sample's two tools at once, four samples at a time: the test mostly waits for them.
      const inTurn = atMost(4);
      const runs = await Promise.all(
        rendered.map((files) =>
          inTurn(() => Promise.all([runOnFile('config.xml', contentOf(files, '.xml'), 'xmllint', (p) => ['--noout', p]), panosXmlToSet('config.xml', contentOf(files, '.xml'))])),
        ),
      );
      for (const [i, files] of rendered.entries()) {
        const set = contentOf(files, '.set');
        const [lint, flat] = runs[i]!;
        expect(lint.stderr).toBe('');
        expect(lint.status).toBe(0);
        expect(flat.status, flat.stderr).toBe(0);
        const sorted = (t: string): string[] => t.split('\n').filter((l) => l !== '').sort();
        expect(sorted(set)).toEqual(sorted(flat.stdout));
      }
    },
    120_000,
  );
});
