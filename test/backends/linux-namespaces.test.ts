// The hardening of a Linux box, measured with real packets in network namespaces:
//   a (10.1.0.10, 2001:db8:1::10) -- eth1 [r] eth2 -- b (10.2.0.10, 2001:db8:2::10)
// r runs the linux backend's setup.sh and nftables.conf. The input chain admits ssh from the
// manage prefix (a's side) to any of r's addresses and BGP from the peer b to the session
// address only, and drops ssh from b; uRPF on eth1 drops a's packets from a source that lives
// behind eth2 when strict (IPv4 by rp_filter, IPv6 by the prerouting chain's fib) and admits
// them when loose (some route to the source exists); a VLAN interface sends tagged frames.
// Each test's namespaces carry its own shell's pid: the tests run at once, and the input chain's
// probes too (each a connection of its own).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderLinux } from '../../backends/linux/render.js';
import type { DeviceModel, FilterRule, InterfaceModel, Match, NetworkModel } from '../../compiler/model.js';
import { PACKETS_POSSIBLE, threeNamespaces } from './tools.js';
import { skipWithoutVlans } from './linux-ports.js';

const skip = !PACKETS_POSSIBLE && !process.env.CI;
if (skip) console.warn('\n*** SKIPPING namespace packet tests: needs root, iproute2, nftables, socat. CI runs them. ***\n');

const SPAN = { file: 'ns.plumb', start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 2, offset: 1 } };
const permit = (description: string, match: Match): FilterRule => ({ action: 'permit', match, origin: SPAN, description });

function box(urpf: InterfaceModel['urpf'], vlan?: number): { device: DeviceModel; model: NetworkModel } {
  const ifc = (name: string, role: InterfaceModel['role'], addresses: string[], extra: Partial<InterfaceModel> = {}): InterfaceModel => ({
    name,
    description: '',
    role,
    addresses,
    origin: SPAN,
    ...extra,
  });
  const device: DeviceModel = {
    id: 's.r',
    site: 's',
    name: 'r',
    role: 'router',
    platform: 'linux',
    stateful: true,
    interfaces: [
      ifc('eth1', 'segment', ['10.1.0.1/24', '2001:db8:1::1/64'], { segment: 'noc', ...(urpf ? { urpf } : {}), ...(vlan ? { vlan } : {}) }),
      ifc('eth2', 'external', ['10.2.0.1/24', '2001:db8:2::1/64'], { external: 'peer' }),
      ifc('lo', 'loopback', ['10.255.0.1/32']),
    ],
    filters: [
      {
        name: 'local',
        defaultAction: 'deny',
        rules: [
          permit('bgp from the peer', { sources: ['10.2.0.10/32'], destinations: ['10.2.0.1/32'], protocol: 6, destinationPorts: [{ from: 179, to: 179 }] }),
          permit('manage from noc : ssh', { sources: ['10.1.0.0/24', '2001:db8:1::/64'], protocol: 6, destinationPorts: [{ from: 22, to: 22 }] }),
        ],
      },
    ],
    localFilter: 'local',
    zones: [],
    securityRules: [],
    staticRoutes: [],
    fib: [],
    origin: SPAN,
  };
  const model: NetworkModel = { version: 1, name: 'ns', routing: 'static', devices: [device], endpoints: [], policy: [], assertions: [] };
  return { device, model };
}

/**
 * Runs `body` with namespaces a, r, b wired as above and r configured from `device`. Each run's
 * namespaces carry its shell's pid, so the file's tests run at once.
 */
async function lab(device: DeviceModel, model: NetworkModel, body: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'plumb-ns-'));
  try {
    for (const f of renderLinux(device, model)) writeFileSync(join(dir, f.path), f.content);
    const script = `${threeNamespaces(dir, 'plumbhd')}ip -n $A link set v0 up; ip -n $B link set v0 up
ip -n $A addr add 10.1.0.10/24 dev v0; ip -n $A route add default via 10.1.0.1
ip -n $A -6 addr add 2001:db8:1::10/64 dev v0 nodad; ip -n $A -6 route add default via 2001:db8:1::1
ip -n $B addr add 10.2.0.10/24 dev v0; ip -n $B route add default via 10.2.0.1
ip -n $B -6 addr add 2001:db8:2::10/64 dev v0 nodad; ip -n $B -6 route add default via 2001:db8:2::1
ip netns exec $R sh $d/setup.sh || exit 92
ip netns exec $R nft -f $d/nftables.conf || exit 93
ip -n $R -6 addr show dev eth1 | grep -q tentative && sleep 2
${body}
`;
    writeFileSync(join(dir, 'lab.sh'), script);
    return await new Promise<string>((resolve) => {
      const child = spawn('sh', [join(dir, 'lab.sh')], { timeout: 60_000 });
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      child.on('error', (e) => (err += String(e)));
      child.on('close', (status) => resolve(`${out}${err}exit ${status}`));
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe.concurrent('the input chain in a real namespace', () => {
  it.skipIf(skip)('ssh from the manage prefix and BGP from the peer open; ssh from the peer and BGP elsewhere closed', async () => {
    const { device, model } = box(undefined);
    const out = await lab(
      device,
      model,
      `for p in 22 179 2222; do ip netns exec $R socat TCP6-LISTEN:$p,fork,reuseaddr,ipv6only=0 SYSTEM:'echo ok' & pids="$pids $!"; done
sleep 0.5
probe() {
  o=$(ip netns exec $1 timeout 4 socat -T2 - TCP:$2:$3,connect-timeout=1 </dev/null 2>/dev/null)
  if [ "$o" = ok ]; then echo "probe $4 open"; else echo "probe $4 closed"; fi
}
# Each probe is a connection of its own: they run at once (a closed one waits out its timeout).
probe $A 10.1.0.1 22 noc-ssh-near & q="$!"
probe $A 10.2.0.1 22 noc-ssh-far & q="$q $!"
probe $A [2001:db8:1::1] 22 noc-ssh-v6 & q="$q $!"
probe $A 10.255.0.1 22 noc-ssh-loopback & q="$q $!"
probe $B 10.2.0.1 22 peer-ssh & q="$q $!"
probe $B [2001:db8:2::1] 22 peer-ssh-v6 & q="$q $!"
probe $B 10.2.0.1 179 peer-bgp & q="$q $!"
probe $B 10.1.0.1 179 peer-bgp-other-address & q="$q $!"
probe $A 10.1.0.1 179 noc-bgp & q="$q $!"
probe $A 10.1.0.1 2222 noc-other-port & q="$q $!"
wait $q`,
    );
    const probes = Object.fromEntries([...out.matchAll(/^probe (\S+) (open|closed)$/gm)].map((m) => [m[1], m[2]]));
    expect(probes, out).toEqual({
      'noc-ssh-near': 'open',
      'noc-ssh-far': 'open',
      'noc-ssh-v6': 'open',
      'noc-ssh-loopback': 'open',
      'peer-ssh': 'closed',
      'peer-ssh-v6': 'closed',
      'peer-bgp': 'open',
      'peer-bgp-other-address': 'closed',
      'noc-bgp': 'closed',
      'noc-other-port': 'closed',
    });
  }, 60_000);
});

/** Pings from a with a source behind r's eth2 (and one honest ping), counted as they reach b. */
async function spoofed(urpf: InterfaceModel['urpf']): Promise<Record<string, number>> {
  const { device, model } = box(urpf);
  const out = await lab(
    device,
    model,
    `ip -n $A addr add 10.2.0.77/32 dev v0
ip -n $A -6 addr add 2001:db8:2::77/128 dev v0 nodad
ip netns exec $B nft -f - <<'NFT_EOF'
table inet count {
  counter honest4 {}
  counter spoof4 {}
  counter honest6 {}
  counter spoof6 {}
  chain pre {
    type filter hook prerouting priority -300; policy accept;
    ip saddr 10.1.0.10 icmp type echo-request counter name honest4
    ip saddr 10.2.0.77 icmp type echo-request counter name spoof4
    ip6 saddr 2001:db8:1::10 icmpv6 type echo-request counter name honest6
    ip6 saddr 2001:db8:2::77 icmpv6 type echo-request counter name spoof6
  }
}
NFT_EOF
ip netns exec $A ping -c 2 -i 0.2 -W 1 -I 10.1.0.10 10.2.0.10 >/dev/null 2>&1
ip netns exec $A ping -c 2 -i 0.2 -W 1 -I 10.2.0.77 10.2.0.10 >/dev/null 2>&1
ip netns exec $A ping -6 -c 2 -i 0.2 -W 1 -I 2001:db8:1::10 2001:db8:2::10 >/dev/null 2>&1
ip netns exec $A ping -6 -c 2 -i 0.2 -W 1 -I 2001:db8:2::77 2001:db8:2::10 >/dev/null 2>&1
for c in honest4 spoof4 honest6 spoof6; do
  echo "count $c $(ip netns exec $B nft list counter inet count $c | sed -n 's/.*packets \\([0-9]*\\).*/\\1/p')"
done`,
  );
  const counts = Object.fromEntries([...out.matchAll(/^count (\S+) (\d+)$/gm)].map((m) => [m[1], Number(m[2])]));
  expect(Object.keys(counts), out).toHaveLength(4);
  return counts;
}

describe.concurrent('uRPF in a real kernel', () => {
  it.skipIf(skip)('strict drops a source that lives behind another interface, IPv4 and IPv6', async () => {
    const c = await spoofed('strict');
    expect(c, JSON.stringify(c)).toEqual({ honest4: 2, spoof4: 0, honest6: 2, spoof6: 0 });
  }, 60_000);
  it.skipIf(skip)('loose admits it (a route to the source exists: asymmetric routing passes)', async () => {
    const c = await spoofed('loose');
    expect(c).toEqual({ honest4: 2, spoof4: 2, honest6: 2, spoof6: 2 });
  }, 60_000);
  it.skipIf(skip)('no uRPF admits it too', async () => {
    expect(await spoofed(undefined)).toEqual({ honest4: 2, spoof4: 2, honest6: 2, spoof6: 2 });
  }, 60_000);
});

describe.concurrent('a VLAN interface', () => {
  it.skipIf(skip || skipWithoutVlans())('sends tagged frames: a VLAN device with the same id on the other end hears them', async () => {
    const { device, model } = box(undefined, 30);
    const out = await lab(
      device,
      model,
      `ip -n $A addr flush dev v0
ip -n $A link add link v0 name v0.30 type vlan id 30
ip -n $A link set v0.30 up
ip -n $A addr add 10.1.0.10/24 dev v0.30
ip -n $R -d link show eth1.30 | grep -o 'vlan protocol 802.1Q id 30'
ip netns exec $A ping -c 2 -i 0.2 -W 1 10.1.0.1 >/dev/null 2>&1 && echo tagged-ping ok`,
    );
    expect(out).toContain('vlan protocol 802.1Q id 30');
    expect(out).toContain('tagged-ping ok');
  }, 60_000);
});
