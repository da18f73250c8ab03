// Every line the hardening adds to a Linux or FRR box's files, mutated the way a hand edit or a
// renderer bug would, on a dual-stack intent with a VLAN segment and eBGP: each mutation is
// caught, by a reader error or by a difference between the device read and the model.
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { RenderedFile } from '../../backends/backend.js';
import { backendFor } from '../../backends/index.js';
import { canonicalDevice } from '../../backends/canonical.js';
import { compile } from '../../compiler/index.js';
import type { DeviceModel, NetworkModel } from '../../compiler/model.js';
import { analyze } from '../../language/analyze.js';
import { hardenModel } from './linux-hardened.js';

const INTENT = `network hard "hardening mutations"
routing ospf

pool infra 10.255.0.0/16

site s1 {
  router edge frr asn 65001
  router core frr
  router gw linux
  link edge -- core
  link core -- gw
}

segment office 10.1.0.0/24, 2001:db8:1::/64 at s1.edge vlan 20
segment lab 10.2.0.0/24, 2001:db8:2::/64 at s1.gw

external transit {
  asn 64500
  prefixes 0.0.0.0/0
  attach s1.edge address 192.0.2.2/30 peer 192.0.2.1
  announce office
}

policy {
  allow office, lab -> transit : https
}
`;

function build(): NetworkModel {
  const analysis = analyze([{ path: 'hard.plumb', text: INTENT }]);
  if (!analysis.intent) throw new Error(JSON.stringify(analysis.diagnostics.slice(0, 3)));
  return hardenModel(compile(analysis.intent).model);
}
const MODEL = build();
const device = (id: string): DeviceModel => MODEL.devices.find((d) => d.id === id)!;

function files(id: string): RenderedFile[] {
  const d = device(id);
  return backendFor(d.platform)!.render(d, MODEL);
}

/** Reader errors and whether the device read differs from the model (and how). */
function readBack(id: string, fs: RenderedFile[]): { errors: string[]; differs: boolean; device?: DeviceModel } {
  const d = device(id);
  const r = backendFor(d.platform)!.read(fs, { id: d.id, site: d.site, name: d.name, role: d.role });
  const errors = r.diagnostics.filter((x) => x.severity === 'error').map((x) => `${x.code} ${x.message}`);
  const differs = !isDeepStrictEqual(r.device, canonicalDevice(d));
  return { errors, differs, ...(r.device ? { device: r.device } : {}) };
}

function edit(fs: RenderedFile[], file: string, f: (lines: string[]) => string[]): RenderedFile[] {
  return fs.map((x) => {
    if (x.path !== file) return x;
    const content = f(x.content.split('\n')).join('\n');
    expect(content, `the edit of ${file} changed nothing`).not.toBe(x.content);
    return { ...x, content };
  });
}
const without = (re: RegExp) => (lines: string[]): string[] => {
  expect(lines.filter((l) => re.test(l)), `lines matching ${re}`).toHaveLength(1);
  return lines.filter((l) => !re.test(l));
};
const replaced = (re: RegExp, by: (l: string) => string) => (lines: string[]): string[] => {
  expect(lines.filter((l) => re.test(l)), `lines matching ${re}`).toHaveLength(1);
  return lines.map((l) => (re.test(l) ? by(l) : l));
};
const after = (re: RegExp, ...add: string[]) => (lines: string[]): string[] => {
  const at = lines.findIndex((l) => re.test(l));
  expect(at, `a line matching ${re}`).toBeGreaterThanOrEqual(0);
  return [...lines.slice(0, at + 1), ...add, ...lines.slice(at + 1)];
};

describe('the hardened files read back exactly', () => {
  for (const id of ['s1.edge', 's1.gw']) {
    it(id, () => {
      const r = readBack(id, files(id));
      expect(r.errors).toEqual([]);
      expect(r.device).toEqual(canonicalDevice(device(id)));
      expect(r.differs).toBe(false);
    });
  }
  it('the intent has what the mutations are about', () => {
    const edge = device('s1.edge');
    expect(edge.interfaces.some((i) => i.vlan === 20 && i.urpf === 'strict')).toBe(true);
    expect(edge.bgp?.neighbors[0]?.ttlSecurity).toBe(1);
    expect(edge.localFilter).toBeDefined();
  });
});

const NFT = 'nftables.conf';
const SETUP = 'setup.sh';
const FRR = 'frr.conf';

/** [what, device, file, edit, what catches it: an error matching, or 'differs'] */
const MUTATIONS: [string, string, string, (l: string[]) => string[], RegExp | 'differs'][] = [
  ['forward: invalid-state drop removed', 's1.gw', NFT, (l) => l.filter((x, i) => !(/ct state invalid drop/.test(x) && /hook forward/.test(l[i - 1] ?? ''))), /invalid/],
  ['input: established,related removed', 's1.gw', NFT, without(/^\t\tct state established,related accept comment "replies of the device/), /input chain lacks/],
  ['input: loopback accept removed', 's1.gw', NFT, without(/^\t\tiif lo accept/), /input chain lacks/],
  ['input: neighbour discovery without the hop limit', 's1.gw', NFT, replaced(/nd-neighbor-advert \} ip6 hoplimit 255/, (l) => l.replace(' ip6 hoplimit 255', '')), /R9/],
  ['input: policy accept', 's1.gw', NFT, replaced(/hook input priority filter; policy drop;/, (l) => l.replace('policy drop', 'policy accept')), /policy/],
  ['input: jump to the local filter removed', 's1.gw', NFT, without(/^\t\tjump local /), /never jumps/],
  ['input: final accept removed', 's1.gw', NFT, without(/^\t\taccept comment "permitted by the local filter"/), /does not accept/],
  ['input: ssh from anywhere added before the jump', 's1.gw', NFT, after(/nd-neighbor-advert/, '\t\ttcp dport 22 accept'), 'differs'],
  ['input: a rule after the jump', 's1.gw', NFT, after(/^\t\tjump local /, '\t\ttcp dport 22 drop'), /after the jump/],
  ['local filter: ssh from anywhere added', 's1.gw', NFT, after(/^\tchain local \{/, '\t\ttcp dport 22 accept'), 'differs'],
  ['local filter: OSPF from any destination of its family', 's1.edge', NFT, replaced(/^\t\tip saddr .*meta l4proto 89 return/, (l) => l.replace(/ip daddr (@\S+|\{[^}]*\}|\S+) /, '')), 'differs'],
  ['local filter: BGP rule removed', 's1.edge', NFT, without(/tcp dport 179 return/), 'differs'],
  ['prerouting: IPv6 uRPF rule removed', 's1.edge', NFT, without(/fib saddr \. iif oif missing drop/), /IPv6/],
  ['prerouting: strict made loose', 's1.edge', NFT, replaced(/fib saddr \. iif oif missing drop/, (l) => l.replace('fib saddr . iif oif', 'fib saddr oif')), /loose/],
  ['setup: rp_filter strict made loose on both families', 's1.edge', SETUP, replaced(/eth\d\/20\.rp_filter=1/, (l) => l.replace('=1', '=2')), /uRPF/],
  ['setup: kernel-wide rp_filter line removed', 's1.gw', SETUP, without(/all\.rp_filter=0/), /rp_filter/],
  ['setup: an interface without rp_filter', 's1.gw', SETUP, without(/eth1\.rp_filter=/), /rp_filter/],
  ['setup: VLAN device not created', 's1.edge', SETUP, without(/type vlan id 20$/), /VLAN/],
  ['setup: VLAN device with another id', 's1.edge', SETUP, replaced(/type vlan id 20$/, (l) => l.replace(/\.20/g, '.21').replace('id 20', 'id 21')), /VLAN/],
  ['frr: log-neighbor-changes removed', 's1.edge', FRR, without(/^ bgp log-neighbor-changes$/), /log/],
  ['frr: ttl-security removed', 's1.edge', FRR, without(/ttl-security hops/), 'differs'],
  ['frr: ttl-security hops changed', 's1.edge', FRR, replaced(/ttl-security hops/, (l) => l.replace(/hops \d+/, 'hops 2')), 'differs'],
  ['frr: maximum-prefix removed', 's1.edge', FRR, without(/maximum-prefix/), 'differs'],
  ['frr: maximum-prefix warning-only', 's1.edge', FRR, replaced(/maximum-prefix/, (l) => `${l} warning-only`), /warning-only/],
];

describe('each mutation of a hardening line is caught', () => {
  for (const [what, id, file, f, caught] of MUTATIONS) {
    it(what, () => {
      const r = readBack(id, edit(files(id), file, f));
      if (caught === 'differs') expect(r.differs, JSON.stringify(r.errors)).toBe(true);
      else expect(r.errors.filter((e) => caught.test(e)), JSON.stringify(r.errors)).not.toEqual([]);
    });
  }
});
