// Address translation in nftables.conf (backends/linux/nft-nat-render.ts, nft-nat-read.ts) on
// linux and frr devices: read(render(d)) = d on hand-built NAT models, every file passes
// `nft -c -f` and loads twice, the kernel's own print (`nft list ruleset`) reads back to the same
// NAT, edits of the file (a mapped range, the order, a side, an interface) are caught as
// differences or refused, and what the model cannot say is refused with the line named.

import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { backendFor } from '../../backends/index.js';
import { canonicalDevice } from '../../backends/canonical.js';
import { readNftables } from '../../backends/linux/nft-read.js';
import { withVlanNames } from '../../backends/linux/vlan.js';
import type { RenderedFile } from '../../backends/backend.js';
import type { DeviceModel, NetworkModel, Platform } from '../../compiler/model.js';
import { compareConfiguration } from '../../verifier/equivalence-config.js';
import { ModelBuilder, TCP } from '../verifier/builder.js';
import { overlapping, patEgress, postNatFilter } from '../verifier/nat-models.js';
import { nftCheck, skipWithout } from './tools.js';

const UDP = 17;

/** A DMZ server published twice (https to 8443, dns), overlapping sources overloaded, a VLAN inside. */
function publishedAndPat(platform: Platform): NetworkModel {
  const b = new ModelBuilder(`publish-pat-${platform}`)
    .device('edge.e1', { stateful: true })
    .segment('dmz', ['10.30.0.0/24'], 'edge.e1', 'eth1', ['10.30.0.1/24'])
    .host('web', '10.30.0.10', 'dmz')
    .segment('office', ['192.168.0.0/16'], 'edge.e1', 'eth3', ['192.168.0.1/16'])
    .external('internet', ['0.0.0.0/0'], 'edge.e1', 'eth2', '198.51.100.1/30', '198.51.100.2')
    .platform('edge.e1', platform, true)
    .nat('edge.e1', ['eth1', 'eth3'], ['eth2'])
    .staticNat('edge.e1', 'inside', '10.30.0.10/32', '203.0.113.10/32', { protocol: TCP, port: 443, realPort: 8443 })
    .staticNat('edge.e1', 'inside', '10.30.0.10/32', '203.0.113.10/32', { protocol: UDP, port: 53, realPort: 53 })
    .pat('edge.e1', ['10.30.0.0/24', '10.30.0.10/32', '192.168.0.0/16'], '198.51.100.1');
  const model = b.build();
  model.devices.find((d) => d.id === 'edge.e1')!.interfaces.find((i) => i.name === 'eth3')!.vlan = 30;
  return model;
}

const onPlatform = (model: NetworkModel, platform: Platform): NetworkModel => ({
  ...model,
  devices: model.devices.map((d) => (d.id === 'edge.e1' ? { ...d, platform } : d)),
});

const CASES: { name: string; model: (p: Platform) => NetworkModel }[] = [
  { name: 'overlapping prefixes, static both ways', model: (p) => overlapping(p) },
  { name: 'PAT egress', model: (p) => onPlatform(patEgress(), p) },
  { name: 'static inside with a filter toward the partner', model: (p) => postNatFilter(p) },
  { name: 'published services and overlapping PAT sources, a VLAN inside', model: publishedAndPat },
];

const edgeOf = (m: NetworkModel): DeviceModel => m.devices.find((d) => d.id === 'edge.e1')!;
const context = (d: DeviceModel): { id: string; site: string; name: string; role: DeviceModel['role'] } => ({ id: d.id, site: d.site, name: d.name, role: d.role });

function render(d: DeviceModel, model: NetworkModel): RenderedFile[] {
  return backendFor(d.platform)!.render(d, model);
}

function read(d: DeviceModel, files: RenderedFile[]): ReturnType<NonNullable<ReturnType<typeof backendFor>>['read']> {
  return backendFor(d.platform)!.read(files, context(d));
}

const nftOf = (files: RenderedFile[]): string => files.find((f) => f.path === 'nftables.conf')!.content;
const withNft = (files: RenderedFile[], content: string): RenderedFile[] => files.map((f) => (f.path === 'nftables.conf' ? { ...f, content } : f));
const natDifferences = (e: DeviceModel, a: DeviceModel | undefined): string[] =>
  a ? compareConfiguration(e, a).filter((x) => x.item.startsWith('NAT')).map((x) => `${x.item}: ${x.expected ?? '-'} / ${x.actual ?? '-'}`) : ['nothing read'];
const codes = (r: { diagnostics: { code: string; message: string }[] }): string[] => r.diagnostics.map((x) => `${x.code} ${x.message}`);

describe('NAT in nftables.conf: read(render(d)) = d', () => {
  for (const platform of ['linux', 'frr'] as const) {
    for (const c of CASES) {
      it(`${c.name} (${platform})`, () => {
        const model = c.model(platform);
        const d = edgeOf(model);
        const files = render(d, model);
        const r = read(d, files);
        expect(r.diagnostics).toEqual([]);
        expect(r.device).toEqual(canonicalDevice(d));
        expect(r.device!.nat!.translations.length).toBeGreaterThan(0);
      });
    }
  }

  it('writes the sides as sets, dnat before routing and snat after it, in the model\'s order', () => {
    const model = publishedAndPat('linux');
    const text = nftOf(render(edgeOf(model), model));
    const lines = text.split('\n').filter((l) => /^\t\t(iifname @nat|type nat|elements)/.test(l)).map((l) => l.trim().replace(/ comment ".*"$/, ''));
    expect(lines).toEqual([
      'elements = { "eth1", "eth3.30" }',
      'elements = { "eth2" }',
      'type nat hook prerouting priority dstnat; policy accept;',
      'iifname @nat_outside ip daddr 203.0.113.10 tcp dport 443 dnat ip to 10.30.0.10:8443',
      'iifname @nat_outside ip daddr 203.0.113.10 udp dport 53 dnat ip to 10.30.0.10:53',
      'type nat hook postrouting priority srcnat; policy accept;',
      'iifname @nat_inside oifname @nat_outside ip saddr 10.30.0.10 tcp sport 8443 snat ip to 203.0.113.10:443',
      'iifname @nat_inside oifname @nat_outside ip saddr 10.30.0.10 udp sport 53 snat ip to 203.0.113.10:53',
      'iifname @nat_inside oifname @nat_outside ip saddr 10.30.0.0/24 snat ip to 198.51.100.1',
      'iifname @nat_inside oifname @nat_outside ip saddr 10.30.0.10/32 snat ip to 198.51.100.1',
      'iifname @nat_inside oifname @nat_outside ip saddr 192.168.0.0/16 snat ip to 198.51.100.1',
    ]);
  });

  it('descriptions with quotes, line breaks and comment characters come back exactly', () => {
    const model = structuredClone(patEgress());
    const d = { ...edgeOf(model), platform: 'linux' as const };
    d.nat!.translations[0]!.description = 'office "PAT" #1;\nsecond line 100% \u202e';
    const r = read(d, render(d, model));
    expect(r.diagnostics).toEqual([]);
    expect(r.device!.nat).toEqual(d.nat);
  });

  it('a device without NAT gets no NAT sets or chains', () => {
    const model = overlapping('linux');
    const d = { ...edgeOf(model) };
    delete d.nat;
    expect(nftOf(render(d, model))).not.toMatch(/nat/);
  });
});

describe('NAT in nftables.conf: nft accepts every file', () => {
  const skip = skipWithout('nft', 'nft (Debian package nftables)');
  for (const c of CASES) {
    it.skipIf(skip)(`${c.name}: nft -c -f and two loads`, () => {
      const model = c.model('linux');
      const r = nftCheck(nftOf(render(edgeOf(model), model)));
      expect(r.output).toBe('');
      expect(r.status).toBe(0);
    }, 60_000);
  }

  it.skipIf(skip)("the kernel's print of the NAT (nft list ruleset) reads back to the same NAT", () => {
    for (const c of CASES) {
      const model = c.model('linux');
      const d = edgeOf(model);
      const files = render(d, model);
      const p = spawnSync('unshare', ['-n', 'sh', '-c', 'nft -f - && nft list ruleset'], { input: nftOf(files), encoding: 'utf8', timeout: 30_000 });
      expect(p.status, p.stderr).toBe(0);
      const r = read(d, withNft(files, p.stdout));
      expect(codes(r), c.name).toEqual([]);
      expect(natDifferences(canonicalDevice(d), r.device), c.name).toEqual([]);
      // As drift reads a running box (ruleset.nft): no `# @` lines, the kernel's words, Linux names.
      const running = readNftables('ruleset.nft', p.stdout, { running: true });
      expect(codes(running), c.name).toEqual([]);
      const linuxNames = withVlanNames(d);
      expect(natDifferences(linuxNames, { ...d, ...(running.nat ? { nat: running.nat } : {}) }), c.name).toEqual([]);
    }
  }, 60_000);
});

describe('NAT in nftables.conf: edits are caught', () => {
  const model = overlapping('linux');
  const d = edgeOf(model);
  const files = render(d, model);
  const text = nftOf(files);
  const edited = (edit: (t: string) => string): { differences: string[]; diagnostics: string[] } => {
    const t = edit(text);
    expect(t).not.toBe(text);
    const r = read(d, withNft(files, t));
    return { differences: natDifferences(d, r.device), diagnostics: codes(r) };
  };

  it('a mapped range changed in both chains is a difference at its translation', () => {
    const r = edited((t) => t.replaceAll('100.64.20.0/24', '100.64.21.0/24'));
    expect(r.diagnostics).toEqual([]);
    expect(r.differences).toEqual(['NAT translation 1: static inside 10.20.0.0/24 as 100.64.20.0/24 / static inside 10.20.0.0/24 as 100.64.21.0/24']);
  });

  it('a mapped range changed in one chain only is refused: one direction only', () => {
    const r = edited((t) => t.replace('{ 10.20.0.0/24 : 100.64.20.0/24 }', '{ 10.20.0.0/24 : 100.64.21.0/24 }'));
    expect(r.diagnostics.join('\n')).toMatch(/R904 a static translation of 10\.20\.0\.0\/24 to 100\.64\.21\.0\/24 in one direction only/);
    expect(r.diagnostics.join('\n')).toMatch(/R904 a static translation of 10\.20\.0\.0\/24 to 100\.64\.20\.0\/24 in one direction only/);
  });

  it('the two translations exchanged in both chains are two differences', () => {
    const swap = (t: string, chain: string): string => {
      const start = t.indexOf(`chain ${chain} {`);
      const end = t.indexOf('\t}', start);
      const body = t.slice(start, end).split('\n');
      const head = body.slice(0, 2);
      const rules = body.slice(2, -1);
      const pairs = [rules.slice(0, 2), rules.slice(2, 4)];
      return t.slice(0, start) + [...head, ...pairs[1]!, ...pairs[0]!, ''].join('\n') + t.slice(end);
    };
    const r = edited((t) => swap(swap(t, 'nat_prerouting'), 'nat_postrouting'));
    expect(r.diagnostics).toEqual([]);
    expect(r.differences.map((x) => x.split(':')[0])).toEqual(['NAT translation 1', 'NAT translation 2']);
  });

  it('the order changed in one chain only is a contradiction', () => {
    const t = text.split('\n');
    const pre = t.findIndex((l) => l.includes('chain nat_prerouting'));
    const [a, b, c, e] = [t[pre + 2]!, t[pre + 3]!, t[pre + 4]!, t[pre + 5]!];
    t.splice(pre + 2, 4, c, e, a, b);
    const r = read(d, withNft(files, t.join('\n')));
    expect(codes(r)).toEqual(['R908 nat_prerouting orders the static translations differently from nat_postrouting']);
  });

  it('an interface moved to the other side is a difference; a source rewrite toward the wrong side is refused', () => {
    const moved = edited((t) => t.replace('elements = { "eth1" }', 'elements = { "eth1", "eth2" }').replace(/(set nat_outside \{\n\t\ttype ifname\n)\t\telements = \{ "eth2" \}\n/, '$1'));
    expect(moved.diagnostics).toEqual([]);
    expect(moved.differences).toEqual(['NAT inside interfaces: eth1 / eth1, eth2', 'NAT outside interfaces: eth2 / (none)']);
    const wrong = edited((t) => t.replace('iifname @nat_inside oifname @nat_outside ip saddr', 'iifname @nat_inside oifname @nat_inside ip saddr'));
    expect(wrong.diagnostics.join('\n')).toMatch(/R904 a source rewrite that is not for packets crossing from one side to the other/);
  });

  it('an oifname naming an interface instead of a side is refused with the line', () => {
    const t = text.replace('oifname @nat_outside', 'oifname "eth2"');
    const r = read(d, withNft(files, t));
    const line = t.split('\n').findIndex((l) => l.includes('oifname "eth2"')) + 1;
    expect(r.diagnostics.map((x) => `${x.code} ${x.span.start.line}`)).toContain(`R904 ${line}`);
    expect(codes(r).join('\n')).toMatch(/names an interface \(`oifname eth2`\) instead of a side/);
  });

  it('masquerade, a port range and a lone dnat are refused', () => {
    const pat = onPlatform(patEgress(), 'linux');
    const pd = edgeOf(pat);
    const pf = render(pd, pat);
    const masq = read(pd, withNft(pf, nftOf(pf).replace('snat ip to 198.51.100.1', 'masquerade')));
    expect(codes(masq).join('\n')).toMatch(/R904 `masquerade` takes whatever address the interface has/);
    const lone = read(pd, withNft(pf, nftOf(pf).replace('type nat hook prerouting priority dstnat; policy accept;', 'type nat hook prerouting priority dstnat; policy accept;\n\t\tiifname @nat_outside ip daddr 198.51.100.1 tcp dport 22 dnat ip to 192.168.1.5:22')));
    expect(codes(lone).join('\n')).toMatch(/R904 a static translation of 192\.168\.1\.5\/32 to 198\.51\.100\.1\/32 in one direction only/);
    const range = read(pd, withNft(pf, nftOf(pf).replace('ip saddr 192.168.1.0/24 snat', 'ip saddr 192.168.1.0/24 tcp sport 1000-2000 snat')));
    expect(codes(range).join('\n')).toMatch(/R904 a translated service is one port/);
  });
});
