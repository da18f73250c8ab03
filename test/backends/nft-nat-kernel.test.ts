// Address translation of the linux backend measured with real packets and conntrack in network
// namespaces (root):
//   a (10.1.0.10, .20; 10.1.1.10) -- eth1 [r] eth2 -- b (198.51.100.2; 192.0.2.50)
// r loads the nftables.conf rendered from its model: ours 10.1.0.0/24 appear outside as
// 100.64.1.0/24 (static, realSide inside), b's 192.0.2.0/24 appears inside as 100.70.0.0/24
// (static, realSide outside), web 10.1.0.20:8080 is published as 198.51.100.10:80, and
// 10.1.1.0/24 is overloaded onto r's own 198.51.100.1. Every server answers with the addresses
// and port it saw, so each probe shows the packet as it arrived at the far end. Then the
// ruleset the kernel holds reads back to the model's NAT (drift), and loading a file without
// NAT leaves no NAT chain behind.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readNftables } from '../../backends/linux/nft-read.js';
import { renderLinux } from '../../backends/linux/render.js';
import type { DeviceModel, InterfaceModel, NetworkModel } from '../../compiler/model.js';
import { compareConfiguration } from '../../verifier/equivalence-config.js';
import { PACKETS_POSSIBLE, threeNamespaces } from './tools.js';

const skip = !PACKETS_POSSIBLE && !process.env.CI;
if (skip) console.warn('\n*** SKIPPING NAT packet tests: needs root, iproute2, nftables, socat. CI runs them. ***\n');

const SPAN = { file: 'nat.plumb', start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 2, offset: 1 } };
const at = (line: number): typeof SPAN => ({ ...SPAN, start: { ...SPAN.start, line }, end: { ...SPAN.end, line } });

function natBox(): { device: DeviceModel; model: NetworkModel } {
  const ifc = (name: string, role: InterfaceModel['role'], addresses: string[], extra: Partial<InterfaceModel>): InterfaceModel => ({
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
      ifc('eth1', 'segment', ['10.1.0.1/24', '10.1.1.1/24'], { segment: 'lan' }),
      ifc('eth2', 'external', ['198.51.100.1/24'], { external: 'partner' }),
    ],
    filters: [],
    zones: [],
    securityRules: [],
    staticRoutes: [{ prefix: '192.0.2.0/24', nextHop: '198.51.100.2', interface: 'eth2', origin: SPAN }],
    nat: {
      inside: ['eth1'],
      outside: ['eth2'],
      translations: [
        { kind: 'static', realSide: 'inside', real: '10.1.0.20/32', mapped: '198.51.100.10/32', service: { protocol: 6, port: 80, realPort: 8080 }, description: 'web appears as 198.51.100.10 (http)', origin: at(2) },
        { kind: 'static', realSide: 'inside', real: '10.1.0.0/24', mapped: '100.64.1.0/24', description: 'lan appears as 100.64.1.0/24', origin: at(3) },
        { kind: 'static', realSide: 'outside', real: '192.0.2.0/24', mapped: '100.70.0.0/24', description: 'partner appears as 100.70.0.0/24', origin: at(4) },
        { kind: 'pat', sources: ['10.1.1.0/24'], address: '198.51.100.1', description: 'office overloaded onto 198.51.100.1', origin: at(5) },
      ],
    },
    fib: [],
    origin: SPAN,
  };
  const model: NetworkModel = { version: 1, name: 'nat', routing: 'static', devices: [device], endpoints: [], policy: [], assertions: [] };
  return { device, model };
}

function lab(): { probes: Record<string, string>; ruleset: string; after: string; output: string } {
  const { device, model } = natBox();
  const bare = { ...device };
  delete bare.nat;
  const dir = mkdtempSync(join(tmpdir(), 'plumb-nat-'));
  try {
    for (const f of renderLinux(device, model)) writeFileSync(join(dir, f.path), f.content);
    writeFileSync(join(dir, 'bare.conf'), renderLinux(bare, model).find((f) => f.path === 'nftables.conf')!.content);
    const script = `${threeNamespaces(dir, 'pnn')}ip -n $A link set v0 up; ip -n $B link set v0 up
ip -n $A addr add 10.1.0.10/24 dev v0; ip -n $A addr add 10.1.0.20/24 dev v0; ip -n $A addr add 10.1.1.10/24 dev v0
ip -n $A route add default via 10.1.0.1
ip -n $B addr add 198.51.100.2/24 dev v0; ip -n $B addr add 192.0.2.50/24 dev v0
ip -n $B route add default via 198.51.100.1
ip -n $B route add 198.51.100.10/32 via 198.51.100.1
ip netns exec $R sh $d/setup.sh || exit 92
ip netns exec $R nft -f $d/nftables.conf || exit 93
# Every server answers with what it saw: its own address and port, the peer's.
serve() { ip netns exec $1 socat TCP-LISTEN:$2,fork,reuseaddr SYSTEM:'echo "$SOCAT_SOCKADDR:$SOCAT_SOCKPORT from $SOCAT_PEERADDR:$SOCAT_PEERPORT"' & pids="$pids $!"; }
serve $B 7000; serve $A 7000; serve $A 8080; serve $A 22; serve $A 80
for k in $(seq 50); do ip netns exec $A ss -ltn | grep -q ':8080 ' && ip netns exec $B ss -ltn | grep -q ':7000 ' && break; sleep 0.1; done
probe() {
  o=$(ip netns exec $1 timeout 8 socat -T4 - TCP:$3,connect-timeout=3\${4:+,bind=$4} </dev/null 2>/dev/null)
  echo "probe $2 \${o:-closed}"
}
probe $A static-out 198.51.100.2:7000 10.1.0.10:40001
probe $B static-in 100.64.1.10:7000 198.51.100.2:40011
probe $A partner-mapped 100.70.0.50:7000 10.1.0.10:40002
probe $B partner-out 100.64.1.10:7000 192.0.2.50:40003
probe $A pat-out 198.51.100.2:7000 10.1.1.10:40004
probe $B pat-in 198.51.100.1:7000 198.51.100.2:40015
probe $B published 198.51.100.10:80 198.51.100.2:40016
probe $B published-other-port 198.51.100.10:22 198.51.100.2:40017
probe $B published-real-port 198.51.100.10:8080 198.51.100.2:40018
echo '=== ruleset'
ip netns exec $R nft list ruleset
echo '=== after'
ip netns exec $R nft -f $d/bare.conf || exit 94
ip netns exec $R nft list ruleset | grep -c 'nat' || true
`;
    writeFileSync(join(dir, 'lab.sh'), script);
    const r = spawnSync('sh', [join(dir, 'lab.sh')], { encoding: 'utf8', timeout: 120_000 });
    const output = `${r.stdout}${r.stderr}exit ${r.status}`;
    const probes = Object.fromEntries([...r.stdout.matchAll(/^probe (\S+) (.*)$/gm)].map((m) => [m[1]!, m[2]!]));
    const ruleset = /=== ruleset\n([\s\S]*)=== after\n/.exec(r.stdout)?.[1] ?? '';
    const after = /=== after\n([\s\S]*)$/.exec(r.stdout)?.[1]?.trim() ?? '';
    return { probes, ruleset, after, output };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('nftables NAT in real namespaces', () => {
  it.skipIf(skip)('translates as the model says, both ways, and reads back from the kernel', () => {
    const { probes, ruleset, after, output } = lab();
    // what the far end saw: its own address and port, and the peer's
    expect(probes, output).toEqual({
      // ours leave as their mapped addresses, host bits and the port kept
      'static-out': '198.51.100.2:7000 from 100.64.1.10:40001',
      // and are reached by them from outside
      'static-in': '10.1.0.10:7000 from 198.51.100.2:40011',
      // theirs are reached at the addresses they appear as, ours translated on the way
      'partner-mapped': '192.0.2.50:7000 from 100.64.1.10:40002',
      // and they reach us appearing as their mapped addresses
      'partner-out': '10.1.0.10:7000 from 100.70.0.50:40003',
      // PAT: out as the box's own address, port kept, and the reply comes back...
      'pat-out': '198.51.100.2:7000 from 198.51.100.1:40004',
      // ...but nothing is opened from outside
      'pat-in': 'closed',
      // the published port reaches the server's real port (not its port 80); no other port does
      published: '10.1.0.20:8080 from 198.51.100.2:40016',
      'published-other-port': 'closed',
      'published-real-port': 'closed',
    });
    const read = readNftables('ruleset.nft', ruleset, { running: true });
    expect(read.diagnostics).toEqual([]);
    const { device } = natBox();
    expect(compareConfiguration(device, { ...device, ...(read.nat ? { nat: read.nat } : {}) })).toEqual([]);
    // a file without NAT replaces the table: no NAT chain or set is left behind
    expect(after, output).toBe('0');
  }, 150_000);
});
