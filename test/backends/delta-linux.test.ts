// The Linux side of re-applying a version over the last one (`compile --previous`):
// setup.delta.sh, what it removes, and, in network namespaces, that version N, then its delta,
// then version N+1 leave the kernel exactly as N+1 applied to a fresh box (addresses, routes,
// links, sysctls, nftables), while N+1 over N without the delta does not. Loading nftables.conf
// of N+1 over N's is the same as loading it fresh: the table is replaced atomically.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { RenderedFile } from '../../backends/backend.js';
import { frrDelta, FRR_RELOAD_FILE, FRR_RELOAD_PY } from '../../backends/frr/delta.js';
import { linuxDelta, setupEffects, SETUP_DELTA_FILE } from '../../backends/linux/delta.js';
import type { DeviceModel } from '../../compiler/model.js';
import { applyInNamespace, KERNEL_VLANS, type Step } from './delta-linux-lab.js';
import { filesOf, versions } from './delta-linux-versions.js';
import { skipWithout, TOOLS } from './tools.js';

const device = { id: 'ams1.gw1', platform: 'linux', role: 'router' } as DeviceModel;

const setupN = `#!/bin/sh
set -eu
ip link show dev eth3.30 >/dev/null 2>&1 || ip link add link eth3 name eth3.30 type vlan id 30
ip link set dev eth3 up
sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
sysctl -qw net.ipv6.conf.eth1.disable_ipv6=0
sysctl -qw net.ipv6.conf.eth2.disable_ipv6=1
sysctl -qw net.ipv4.conf.eth3/30.rp_filter=1
sysctl -qw net.core.somaxconn=512
ip -batch - <<'PLUMB_EOF'
# interface eth1 link
link set dev eth1 addrgenmode none
address flush dev eth1 to fe80::/10
link set dev eth1 up
link set dev eth1 alias "link to core"
address replace 10.0.0.1/31 dev eth1
address replace fe80::1/64 dev eth1 nodad
link set dev eth2 up
link set dev eth2 alias "segment guest"
address replace 10.99.0.1/24 dev eth2
address replace 10.30.0.1/24 dev eth3.30
route replace 0.0.0.0/0 via 10.0.0.0 dev eth1
route replace 10.10.0.0/16 nexthop via 10.0.0.0 dev eth1 nexthop via 10.99.0.2 dev eth2
route replace 10.20.0.0/16 via 10.0.0.0 dev eth1 metric 20
route replace 2001:db8::/64 via fe80::2 dev eth1
PLUMB_EOF
`;

const setupN1 = `#!/bin/sh
set -eu
sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
sysctl -qw net.ipv6.conf.eth1.disable_ipv6=1
ip -batch - <<'PLUMB_EOF'
link set dev eth1 up
address replace 10.0.0.1/31 dev eth1
route replace 0.0.0.0/0 via 10.0.0.0 dev eth1
route replace 10.20.0.0/16 via 10.0.0.0 dev eth1 metric 30
PLUMB_EOF
`;

const nft = (tables: string[]) => tables.map((t) => `table ${t} {\n}\n`).join('');
const files = (setup: string, tables: string[]): RenderedFile[] => [
  { path: 'nftables.conf', content: nft(tables) },
  { path: 'setup.sh', content: setup },
];

describe('setup.delta.sh', () => {
  it('reads what a setup.sh does: batch commands, shell lines, VLAN devices, sysctls, routes with their table and metric', () => {
    const e = setupEffects(setupN);
    expect([...e.links]).toEqual(['eth3.30']);
    expect([...e.up]).toEqual(['eth3', 'eth1', 'eth2']);
    expect([...e.noAddrgen]).toEqual(['eth1']);
    expect([...e.aliases]).toEqual(['eth1', 'eth2']);
    expect([...e.addresses.values()]).toEqual(['10.0.0.1/31 dev eth1', 'fe80::1/64 dev eth1', '10.99.0.1/24 dev eth2', '10.30.0.1/24 dev eth3.30']);
    expect([...e.routes.values()]).toEqual(['0.0.0.0/0', '10.10.0.0/16', '10.20.0.0/16 metric 20', '2001:db8::/64']);
    expect(e.sysctls.get('net.ipv4.conf.eth3/30.rp_filter')).toBe('1');
    expect(e.sysctls.get('net.core.somaxconn')).toBe('512');
  });

  it('removes exactly what N made and N+1 does not, in the order routes, addresses, links, interface settings, sysctls', () => {
    const [delta] = linuxDelta(files(setupN, ['inet plumb', 'inet plumb-old']), files(setupN1, ['inet plumb']), device);
    expect(delta!.path).toBe(SETUP_DELTA_FILE);
    const body = delta!.content.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
    expect(body).toEqual([
      'set -u',
      'gone=0',
      "ip -force -batch - <<'PLUMB_EOF' || gone=1",
      'route del 10.10.0.0/16',
      'route del 10.20.0.0/16 metric 20',
      'route del 2001:db8::/64',
      'address del fe80::1/64 dev eth1',
      'address del 10.99.0.1/24 dev eth2',
      'address del 10.30.0.1/24 dev eth3.30',
      'link del dev eth3.30',
      'link set dev eth3 down',
      'link set dev eth1 alias ""',
      'link set dev eth1 addrgenmode eui64',
      'link set dev eth2 alias ""',
      'link set dev eth2 down',
      'PLUMB_EOF',
      'nft delete table inet plumb-old || gone=1',
      'sysctl -qw "net.ipv6.conf.eth2.disable_ipv6=$(sysctl -n net.ipv6.conf.default.disable_ipv6)" || gone=1',
      expect.stringMatching(/^\[ "\$gone" = 0 \] \|\| echo /),
    ]);
    // The global sysctl has no default to go back to: it is left, and said so.
    expect(delta!.content).toContain('# net.core.somaxconn stays as the previous version set it');
    // The VLAN device's own sysctl goes with the device.
    expect(delta!.content).not.toContain('eth3/30');
  });

  it('is empty when no file changes, and says there is nothing to remove when only other lines changed', () => {
    expect(linuxDelta(files(setupN, ['inet plumb']), files(setupN, ['inet plumb']), device)).toEqual([]);
    const [delta] = linuxDelta(files(setupN, ['inet plumb']), files(`${setupN}# one more comment\n`, ['inet plumb']), device);
    expect(delta!.content).toContain('# Nothing to remove');
    expect(delta!.content).not.toContain(' del ');
  });

  it('is deterministic, and writes only words it read as plain names and prefixes', () => {
    const hostile = setupN.replace('address replace 10.99.0.1/24 dev eth2', 'address replace 10.99.0.1/24 dev $(reboot)');
    const a = linuxDelta(files(hostile, ['inet plumb']), files(setupN1, ['inet plumb']), device);
    expect(linuxDelta(files(hostile, ['inet plumb']), files(setupN1, ['inet plumb']), device)).toEqual(a);
    expect(a[0]!.content).not.toContain('reboot');
  });

  it('frr: frr.reload.sh only when frr.conf changed', () => {
    const frr = (conf: string, setup: string) => [{ path: 'frr.conf', content: conf }, ...files(setup, ['inet plumb'])];
    const d = { ...device, platform: 'frr' } as DeviceModel;
    expect(frrDelta(frr('router ospf\n', setupN), frr('router ospf\n', setupN), d)).toEqual([]);
    expect(frrDelta(frr('router ospf\n', setupN), frr('router ospf\n', setupN1), d).map((f) => f.path)).toEqual([SETUP_DELTA_FILE]);
    const both = frrDelta(frr('router ospf\n', setupN), frr('router bgp 1\n', setupN), d);
    expect(both.map((f) => f.path)).toEqual([SETUP_DELTA_FILE, FRR_RELOAD_FILE]);
    expect(both[0]!.content).toContain('# Nothing to remove');
    expect(both[1]!.content).toContain('"$reload" --test "$@" "$here/frr.conf"\n"$reload" --reload "$@" "$here/frr.conf"\n');
  });
});

const skip = skipWithout('ip', 'iproute2') || skipWithout('nft', 'nftables') || (process.getuid?.() !== 0 && !process.env.CI);
if (!skip && !KERNEL_VLANS) console.warn('\n*** This kernel has no 802.1Q devices: the labs stand veths in for the VLAN devices setup.sh makes. ***\n');

describe('version N, its delta, then N+1 in a namespace equals N+1 on a fresh box', () => {
  const { n, n1 } = versions();
  const boxes = n1.devices.filter((d) => (d.device.platform === 'linux' || d.device.platform === 'frr') && n.devices.some((o) => o.device.id === d.device.id));

  it('the versions differ on every Linux box, and the delta removes something on each', () => {
    expect(boxes.map((b) => b.device.id)).toEqual(['euc.tgw1', 'euc.wl1', 'fra.core1', 'sae.tgw2', 'sae.wl2']);
    for (const b of boxes) {
      const delta = linuxDelta(filesOf(n, b.device.id), b.files, b.device);
      expect(delta[0]?.content ?? '', b.device.id).toContain(' del ');
    }
  });

  for (const box of boxes) {
    it.skipIf(skip)(box.device.id, async () => {
      const id = box.device.id;
      const before = filesOf(n, id);
      const old = n.devices.find((d) => d.device.id === id)!.device;
      const interfaces = [...new Set([...old.interfaces, ...box.device.interfaces].map((i) => i.name))].sort();
      const apply = 'sh setup.sh && nft -f nftables.conf';
      const [delta] = linuxDelta(before, box.files, box.device);
      const deltaStep: Step = { files: [delta!], run: `sh ${SETUP_DELTA_FILE}` };
      const fresh = await applyInNamespace(interfaces, [{ files: box.files, run: apply }]);
      expect(fresh.output).toBe('');
      const over = await applyInNamespace(interfaces, [{ files: before, run: apply }, deltaStep, deltaStep, { files: box.files, run: apply }]);
      expect(fresh.state).toBeDefined();
      expect(over.state).toEqual(fresh.state);
      // Run twice, the delta finds everything it removes already gone, says so and goes on.
      expect(over.output).toContain(`${SETUP_DELTA_FILE}: some of what it removes was already gone`);
      // Without the delta, N+1 over N leaves N's leftovers: the comparison can fail.
      const without = await applyInNamespace(interfaces, [{ files: before, run: apply }, { files: box.files, run: apply }]);
      expect(without.state).toBeDefined();
      expect(without.state).not.toEqual(fresh.state);
    }, 180_000);
  }

  it.skipIf(skip || !TOOLS.nft)('nftables.conf of N+1 loaded over N\'s gives the same ruleset as loading it fresh', async () => {
    for (const box of boxes) {
      const nftOf = (files: RenderedFile[]) => files.filter((f) => f.path === 'nftables.conf');
      const fresh = await applyInNamespace([], [{ files: nftOf(box.files), run: 'nft -f nftables.conf' }]);
      const over = await applyInNamespace([], [
        { files: nftOf(filesOf(n, box.device.id)), run: 'nft -f nftables.conf' },
        { files: nftOf(box.files), run: 'nft -f nftables.conf' },
      ]);
      expect(fresh.output + over.output).toBe('');
      expect(fresh.state!.nft).toContain('table inet plumb');
      expect(over.state!.nft).toBe(fresh.state!.nft);
      const previous = await applyInNamespace([], [{ files: nftOf(filesOf(n, box.device.id)), run: 'nft -f nftables.conf' }]);
      expect(previous.state!.nft, box.device.id).not.toBe(fresh.state!.nft);
    }
  }, 240_000);
});

describe('docs/deploy.md', () => {
  const doc = readFileSync('docs/deploy.md', 'utf8');
  /** The commands of the first code block of a section that starts with `scp`, comments cut. */
  const rollOut = (section: string): string[] => {
    const at = doc.indexOf(`## ${section}\n`);
    const block = doc.indexOf('```\nscp', at);
    return doc
      .slice(block + 4, doc.indexOf('\n```', block + 4))
      .split('\n')
      .slice(3)
      .map((l) => l.replace(/\s+#.*$/, ''));
  };

  it('rolls a Linux and an FRR box out in the order the delta files say', () => {
    expect(rollOut('Linux')).toEqual(['sh setup.delta.sh', 'sh setup.sh', 'nft -f nftables.conf']);
    expect(rollOut('FRR')).toEqual(['sh setup.delta.sh', 'sh setup.sh', 'nft -f nftables.conf', 'sh frr.reload.sh']);
    const [linux] = linuxDelta(files(setupN, ['inet plumb']), files(setupN1, ['inet plumb']), device);
    expect(linux!.content).toContain('first; then sh setup.sh, then nft -f nftables.conf (docs/deploy.md)');
    const frr = frrDelta([{ path: 'frr.conf', content: 'a\n' }, ...files(setupN, [])], [{ path: 'frr.conf', content: 'b\n' }, ...files(setupN, [])], { ...device, platform: 'frr' } as DeviceModel);
    expect(frr[0]!.content).toContain('first; then sh setup.sh, nft -f nftables.conf and sh frr.reload.sh (docs/deploy.md)');
    expect(doc).toContain(`${FRR_RELOAD_PY} --test   "$@"`);
    expect(frr[1]!.content).toContain(`reload=\${FRR_RELOAD:-${FRR_RELOAD_PY}}\n"$reload" --test "$@"`);
  });
});
