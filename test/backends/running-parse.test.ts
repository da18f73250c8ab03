// The running readers of linux and frr boxes on the text forms the tools print, without a lab:
// the kernel's nftables print (names, merged ranges, counters, other tables), `ip -j` JSON with
// places, an 802.1Q device as `ip -j -d` prints one (this machine's kernel has no 802.1Q, so the
// lab cannot make one), the sysctls that decide uRPF and forwarding, and FRR's running config
// with lines Plumb does not manage. The lab test (running-read.test.ts) reads what real boxes print.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RenderedFile } from '../../backends/backend.js';
import { readFrrConf } from '../../backends/frr/conf-read.js';
import { parseJsonValues } from '../../backends/linux/json-spans.js';
import { readNftables } from '../../backends/linux/nft-read.js';
import { coversExactly, rangePrefixes } from '../../backends/linux/nft-running.js';
import { readLinux } from '../../backends/linux/read.js';
import { readFrr } from '../../backends/frr/read.js';
import type { Span } from '../../language/diagnostic.js';

describe('nft list ruleset', () => {
  it('a range is the prefixes that cover exactly it', () => {
    expect(rangePrefixes(4, 0x0a000001n, 0x0a000004n)).toEqual(['10.0.0.1/32', '10.0.0.2/31', '10.0.0.4/32']);
    expect(rangePrefixes(4, 0n, 0xffffffffn)).toEqual(['0.0.0.0/0']);
    expect(rangePrefixes(6, 1n, 2n)).toEqual(['::1/128', '::2/128']);
    expect(coversExactly(['10.0.0.0/31', '10.0.0.2/31'], ['10.0.0.0/30'])).toBe(true);
    expect(coversExactly(['10.0.0.0/31'], ['10.0.0.0/30'])).toBe(false);
  });

  // What nft 1.0.6 printed for a table loaded from Plumb's forms (checked here by hand).
  const printed = `table inet plumb {
	set addr4_1 {
		type ipv4_addr
		flags interval
		auto-merge
		elements = { 10.0.0.1-10.0.0.4,
			     10.1.0.0/24 }
	}

	chain forward {
		type filter hook forward priority filter; policy drop;
		ct state invalid drop comment "invalid connection state"
		ct state established,related accept comment "replies"
		iifname "eth1" jump f comment "into eth1"
		accept comment "passed every filter"
	}

	chain f {
		icmp type echo-request return comment "ping"
		meta l4proto gre return comment "gre"
		meta l4proto vrrp return
		tcp dport { 80, 443, 1000-2000 } counter packets 3 bytes 180 return comment "web"
		ip daddr 10.0.0.3-10.0.0.9 return comment "range"
		ip saddr @addr4_1 udp dport 53 return comment "dns"
		ip6 saddr 2001:db8::/32 udp dport 53 return comment "dns"
		icmpv6 type packet-too-big return comment "pmtu"
		drop comment "default deny"
	}
}
table ip nat {
	chain postrouting {
		type nat hook postrouting priority srcnat; policy accept;
		oifname "eth9" masquerade
	}
}
`;

  it('reads the kernel print: protocols and ICMP types by name, ranges, counters, halves joined by comment; other tables unmanaged', () => {
    const r = readNftables('ruleset.nft', printed, { running: true });
    expect(r.diagnostics).toEqual([]);
    expect(r.unmanaged?.map((s: Span) => s.start.line)).toEqual([30]);
    const f = r.filters.find((x) => x.name === 'f')!;
    expect(f.rules.map((x) => [x.action, x.match])).toEqual([
      ['permit', { protocol: 1, icmpType: 8 }],
      ['permit', { protocol: 47 }],
      ['permit', { protocol: 112 }],
      ['permit', { protocol: 6, destinationPorts: [{ from: 80, to: 80 }, { from: 443, to: 443 }, { from: 1000, to: 2000 }] }],
      ['permit', { destinations: ['10.0.0.3/32', '10.0.0.4/30', '10.0.0.8/31'] }],
      ['permit', { sources: ['10.0.0.1/32', '10.0.0.2/31', '10.0.0.4/32', '10.1.0.0/24', '2001:db8::/32'], protocol: 17, destinationPorts: [{ from: 53, to: 53 }] }],
      ['permit', { protocol: 58, icmpType: 2 }],
    ]);
    // A rule's origin is its printed line.
    expect(f.rules[1]!.origin.start.line).toBe(20);
    expect(r.bindings.map((b) => [b.interface, b.direction, b.filter])).toEqual([['eth1', 'in', 'f']]);
  });

  it('an accept among the forward chain\'s jumps: a permit first in each filter jumped to after it', () => {
    const withAccept = printed.replace('\t\tiifname "eth1" jump f comment "into eth1"\n', '\t\tip saddr 192.0.2.7 accept\n\t\tiifname "eth1" jump f comment "into eth1"\n');
    const r = readNftables('ruleset.nft', withAccept, { running: true });
    expect(r.diagnostics).toEqual([]);
    const first = r.filters.find((x) => x.name === 'f')!.rules[0]!;
    expect([first.action, first.match, first.origin.start.line]).toEqual(['permit', { sources: ['192.0.2.7/32'] }, 14]);
    // After the jump it skips nothing: refused as before (a drop there too).
    const after = printed.replace('\t\taccept comment "passed every filter"\n', '\t\tip saddr 192.0.2.7 drop\n\t\taccept comment "passed every filter"\n');
    expect(readNftables('ruleset.nft', after, { running: true }).diagnostics.map((d) => d.code)).toEqual(['R901']);
  });

  it("outside running mode another table is still an error (Plumb's own files hold only its table)", () => {
    expect(readNftables('nftables.conf', printed).diagnostics.map((d) => d.code)).toContain('R901');
  });
});

describe('ip -j JSON', () => {
  it('every value has its place, in compact and pretty output', () => {
    const [compact] = parseJsonValues('a.json', '[{"dst":"default","gateway":"10.0.0.1"},{"dst":"10.9.0.0/24"}]');
    expect(compact?.kind === 'array' && compact.items[1]!.span.start.column).toBe(41);
    const [pretty] = parseJsonValues('a.json', '[ {\n        "dst": "default"\n    },{\n        "dst": "10.9.0.0/24",\n        "flags": [ ]\n    } ]\n');
    const second = pretty?.kind === 'array' ? pretty.items[1] : undefined;
    expect(second?.kind === 'object' && second.members.get('dst')!.span.start.line).toBe(4);
    expect(() => parseJsonValues('a.json', '[{"dst": }]')).toThrow(/a JSON value expected/);
    expect(() => parseJsonValues('a.json', '['.repeat(100_000))).toThrow(/nested more than 32 deep/);
  });
});

/** A running linux box's files: eth1 a link, eth4.20 a VLAN segment on eth4, eth0 management. */
function box(over: Partial<Record<string, string>> = {}): RenderedFile[] {
  const addr = JSON.stringify([
    { ifname: 'lo', flags: ['LOOPBACK', 'UP'], address: '00:00:00:00:00:00', addr_info: [
      { family: 'inet', local: '127.0.0.1', prefixlen: 8, scope: 'host' },
      { family: 'inet', local: '10.255.0.9', prefixlen: 32, scope: 'global' },
      { family: 'inet6', local: '::1', prefixlen: 128, scope: 'host' } ] },
    { ifname: 'eth0', flags: ['UP'], address: '52:54:00:00:00:01', addr_info: [{ family: 'inet', local: '192.168.100.2', prefixlen: 24, scope: 'global' }] },
    { ifname: 'eth1', flags: ['UP'], address: '52:54:00:00:00:02', ifalias: 'link to core', addr_info: [
      { family: 'inet', local: '10.255.0.1', prefixlen: 31, scope: 'global' },
      { family: 'inet6', local: 'fe80::1', prefixlen: 64, scope: 'link' },
      { family: 'inet6', local: 'fe80::5054:ff:fe00:2', prefixlen: 64, scope: 'link' } ] },
    { ifname: 'eth4', flags: ['UP'], address: '52:54:00:00:00:04', addr_info: [] },
    { ifname: 'eth4.20', link: 'eth4', flags: ['UP'], address: '52:54:00:00:00:04', linkinfo: { info_kind: 'vlan', info_data: { protocol: '802.1Q', id: 20, flags: ['REORDER_HDR'] } }, addr_info: [
      { family: 'inet', local: '10.20.0.1', prefixlen: 24, scope: 'global' } ] },
    { ifname: 'eth5', flags: ['BROADCAST'], address: '52:54:00:00:00:05', addr_info: [] },
  ]);
  const routes = JSON.stringify([
    { dst: 'default', gateway: '10.255.0.0', dev: 'eth1', flags: [] },
    { dst: '10.20.0.0/24', dev: 'eth4.20', protocol: 'kernel', scope: 'link', prefsrc: '10.20.0.1', flags: [] },
    { dst: '192.168.0.0/16', gateway: '192.168.100.1', dev: 'eth0', flags: [] },
  ]);
  const routes6 = JSON.stringify([{ dst: 'fe80::/64', dev: 'eth1', protocol: 'kernel', metric: 256, flags: [] }]);
  const sysctl = [
    'net.ipv4.conf.all.rp_filter = 0',
    'net.ipv4.conf.default.rp_filter = 0',
    'net.ipv4.conf.eth0.rp_filter = 0',
    'net.ipv4.conf.eth1.rp_filter = 0',
    'net.ipv4.conf.eth4.rp_filter = 0',
    'net.ipv4.conf.eth4/20.rp_filter = 1',
    'net.ipv4.conf.lo.rp_filter = 0',
    'net.ipv4.ip_forward = 1',
    'net.ipv6.conf.all.forwarding = 1',
    'net.ipv6.conf.eth1.disable_ipv6 = 0',
    'net.ipv6.conf.eth4/20.disable_ipv6 = 1',
    '',
  ].join('\n');
  const ruleset = `table inet plumb {
	chain forward {
		type filter hook forward priority filter; policy drop;
		ct state invalid drop
		ct state established,related accept
		iifname "eth4.20" jump seg-in
		accept
	}

	chain seg-in {
		ip saddr 10.20.0.0/24 tcp dport 443 return comment "web"
		drop comment "default deny"
	}
}
`;
  const files: Record<string, string> = {
    'ruleset.nft': ruleset,
    'ip-addr.json': addr,
    'ip-route.json': routes,
    'ip-route6.json': routes6,
    'sysctl.txt': sysctl,
    ...Object.fromEntries(Object.entries(over).filter((e): e is [string, string] => e[1] !== undefined)),
  };
  return Object.entries(files)
    .filter(([path]) => !(path in over && over[path] === undefined))
    .map(([path, content]) => ({ path, content }));
}

const context = { id: 's.b', site: 's', name: 'b', role: 'router' as const, source: 'running' as const };

describe('a running linux box', () => {
  it('interfaces, a VLAN, routes, uRPF; eth0, a port down and its keys unmanaged', () => {
    const r = readLinux(box(), context);
    expect(r.diagnostics).toEqual([]);
    const d = r.device!;
    expect(d.interfaces.map((i) => [i.name, i.role, i.addresses, i.linkLocal, i.vlan, i.urpf, i.filterIn, i.description])).toEqual([
      ['eth1', 'link', ['10.255.0.1/31'], 'fe80::1', undefined, undefined, undefined, 'link to core'],
      ['eth4', 'link', ['10.20.0.1/24'], undefined, 20, 'strict', 'seg-in', ''],
      ['lo', 'loopback', ['10.255.0.9/32'], undefined, undefined, undefined, undefined, ''],
    ]);
    expect(d.staticRoutes.map((s) => [s.prefix, s.nextHop, s.interface, s.distance])).toEqual([['0.0.0.0/0', '10.255.0.0', 'eth1', undefined]]);
    expect(d.stateful).toBe(true);
    expect(r.unmanaged!.map((u) => [u.file, u.text.slice(0, 30)])).toEqual([
      ['ip-addr.json', '"ifname":"eth0"'],
      ['ip-addr.json', '"ifname":"eth5"'],
      ['ip-route.json', '"dst":"192.168.0.0/16"'],
      ['sysctl.txt', 'net.ipv4.conf.eth0.rp_filter ='],
    ]);
  });

  it('an interface with only the automatic link-local has IPv6, and that link-local', () => {
    const addr = JSON.stringify([
      { ifname: 'eth1', flags: ['UP'], address: '52:54:00:00:00:02', addr_info: [
        { family: 'inet', local: '10.255.0.1', prefixlen: 31, scope: 'global' },
        { family: 'inet6', local: 'fe80::5054:ff:fe00:2', prefixlen: 64, scope: 'link' } ] },
    ]);
    const sysctl = 'net.ipv4.conf.all.rp_filter = 0\nnet.ipv4.conf.eth1.rp_filter = 0\nnet.ipv4.ip_forward = 1\nnet.ipv6.conf.all.forwarding = 1\nnet.ipv6.conf.eth1.disable_ipv6 = 0\n';
    const r = readLinux(box({ 'ip-addr.json': addr, 'sysctl.txt': sysctl, 'ruleset.nft': 'table inet plumb {\n\tchain forward {\n\t\ttype filter hook forward priority filter; policy accept;\n\t}\n}\n', 'ip-route.json': '[]' }), context);
    expect(r.diagnostics).toEqual([]);
    expect(r.device!.interfaces[0]!.linkLocal).toBe('fe80::5054:ff:fe00:2');
  });

  it('all.rp_filter = 1 makes every interface strict (the kernel takes the larger)', () => {
    const sysctl = box()
      .find((f) => f.path === 'sysctl.txt')!
      .content.replace('net.ipv4.conf.all.rp_filter = 0', 'net.ipv4.conf.all.rp_filter = 1');
    const r = readLinux(box({ 'sysctl.txt': sysctl }), context);
    // eth1 has IPv6 and no IPv6 uRPF rule: the two families disagree.
    expect(r.diagnostics.map((d) => [d.code, d.span.file, d.span.start.line])).toEqual([['R908', 'sysctl.txt', 4]]);
  });

  it('missing files, forwarding off, IPv6 on without addresses, malformed JSON', () => {
    expect(readLinux(box({ 'ip-route6.json': undefined }), context).diagnostics.map((d) => [d.code, d.message, d.hint])).toEqual([
      ['R905', 'the running linux device s.b has no ip-route6.json', 'capture it with `ip -j -6 route show table main` (docs/backends/linux.md)'],
    ]);
    const sysctl = box().find((f) => f.path === 'sysctl.txt')!.content;
    const off = readLinux(box({ 'sysctl.txt': sysctl.replace('net.ipv4.ip_forward = 1', 'net.ipv4.ip_forward = 0') }), context);
    expect(off.diagnostics.map((d) => [d.code, d.span.start.line])).toEqual([['R904', 8]]);
    const on6 = readLinux(box({ 'sysctl.txt': sysctl.replace('eth4/20.disable_ipv6 = 1', 'eth4/20.disable_ipv6 = 0') }), context);
    expect(on6.diagnostics.map((d) => [d.code, d.span.start.line])).toEqual([['R904', 11]]);
    const bad = readLinux(box({ 'ip-route.json': '[{"dst": ]' }), context);
    expect(bad.diagnostics.map((d) => [d.code, d.span.file, d.span.start.column])).toEqual([['R902', 'ip-route.json', 10]]);
  });

  it('a blackhole route is a discard route; an unreachable route is one the model cannot hold', () => {
    const r = readLinux(box({ 'ip-route.json': '[{"type":"blackhole","dst":"10.66.0.0/16","flags":[]},{"type":"blackhole","dst":"10.67.0.0/16","metric":200,"flags":[]}]' }), context);
    expect(r.diagnostics).toEqual([]);
    expect(r.device!.staticRoutes.map((s) => [s.prefix, s.discard, s.nextHop, s.interface, s.distance])).toEqual([
      ['10.66.0.0/16', true, undefined, undefined, undefined],
      ['10.67.0.0/16', true, undefined, undefined, 200],
    ]);
    const unreachable = readLinux(box({ 'ip-route.json': '[{"type":"unreachable","dst":"10.66.0.0/16","flags":[]}]' }), context);
    expect(unreachable.diagnostics.map((d) => d.code)).toEqual(['R904']);
  });
});

describe("FRR's show running-config", () => {
  const running = `Building configuration...

Current configuration:
!
frr version 8.4.4
frr defaults traditional
hostname b
log syslog informational
service integrated-vtysh-config
!
ip router-id 10.255.0.9
ip route 10.50.0.0/24 10.255.0.0 eth1
!
interface eth1
 ip address 10.255.0.1/31
 ip ospf area 0
 ip ospf cost 10
 ip ospf network point-to-point
exit
!
line vty
 exec-timeout 0 0
exit
!
router ospf
 ospf router-id 10.255.0.9
exit
!
end
`;

  it('header and bookkeeping skipped, unknown top-level blocks and interface addresses unmanaged', () => {
    const unmanaged: Span[] = [];
    const r = readFrrConf('frr.conf', running, { running: true, unmanaged });
    expect(r.diagnostics).toEqual([]);
    expect(unmanaged.map((s) => s.start.line)).toEqual([8, 15, 21]);
    expect(r.routerId).toBe('10.255.0.9');
    expect(r.staticRoutes.map((s) => [s.prefix, s.nextHop, s.interface, s.origin.start.line])).toEqual([['10.50.0.0/24', '10.255.0.0', 'eth1', 12]]);
    expect(r.ospf?.interfaces).toEqual([{ name: 'eth1', cost: 10, passive: false }]);
  });

  it('a line Plumb does not know inside a block it manages stays an error at its line', () => {
    const r = readFrrConf('frr.conf', running.replace(' ospf router-id 10.255.0.9\n', ' ospf router-id 10.255.0.9\n auto-cost reference-bandwidth 1000\n'), { running: true, unmanaged: [] });
    expect(r.diagnostics.map((d) => [d.code, d.span.start.line])).toEqual([['R901', 27]]);
  });

  it('a top-level line of a kind Plumb writes is never unmanaged: another defaults profile is an error', () => {
    const unmanaged: Span[] = [];
    const r = readFrrConf('frr.conf', running.replace('frr defaults traditional', 'frr defaults datacenter').replace('log syslog', 'router bgp 65000 vrf red\n bgp router-id 10.0.0.1\nexit\nlog syslog'), { running: true, unmanaged });
    expect(r.diagnostics.map((d) => [d.code, d.span.start.line])).toEqual([['R901', 6]]);
    // BGP in another VRF is not the default instance the model holds: unmanaged, with its block.
    expect(unmanaged.map((s) => s.start.line)).toEqual([8, 11, 18, 24]);
  });

  it('the frr reader joins it with the linux running files', () => {
    // eth1 has a link-local address in ip-addr.json: OSPF runs in both versions on it.
    const conf = running
      .replace(' ip ospf network point-to-point\n', ' ip ospf network point-to-point\n ipv6 ospf6 area 0\n ipv6 ospf6 cost 10\n ipv6 ospf6 network point-to-point\n')
      .replace('router ospf\n', 'router ospf6\n ospf6 router-id 10.255.0.9\nexit\n!\nrouter ospf\n');
    const files = [...box(), { path: 'frr.conf', content: conf }];
    const r = readFrr(files, context);
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.device?.routerId).toBe('10.255.0.9');
    // The kernel's default route is not FRR's: read beside frr.conf's route.
    expect(r.device?.staticRoutes.map((s) => s.prefix)).toEqual(['0.0.0.0/0', '10.50.0.0/24']);
    expect(r.unmanaged!.map((u) => [u.file, u.line, u.text])).toContainEqual(['frr.conf', 24, 'line vty']);
  });
});

describe('the running readers on mutated files (seeded)', () => {
  const noise = ['\\', '}', '{', '"', ',', ']', '[', ':', '-', '10.0.0.0-9.0.0.0', 'meta l4proto', 'exit', ' x', '= 2', 'nexthops'];
  const frrText = frrRunningText();
  for (const [name, read, files] of [
    ['linux', readLinux, box()],
    ['frr', readFrr, [...box(), { path: 'frr.conf', content: frrText }]],
  ] as const) {
    it(`${name}: never throws; a model or errors, spans inside their file`, () => {
      fc.assert(
        fc.property(
          fc.nat({ max: files.length - 1 }),
          fc.array(fc.record({ at: fc.nat(), keep: fc.nat(), noise: fc.constantFrom(...noise) }), { minLength: 1, maxLength: 4 }),
          (which, ms) => {
            const mutated = files.map((f, k) => {
              if (k !== which) return f;
              let c = f.content;
              for (const m of ms) {
                const at = m.at % (c.length + 1);
                c = m.keep % 3 === 0 ? c.slice(0, at) + c.slice(at + 1 + (m.keep % 7)) : c.slice(0, at) + m.noise + c.slice(at);
              }
              return { ...f, content: c };
            });
            const r = read(mutated, context);
            expect(r.device !== undefined || r.diagnostics.some((d) => d.severity === 'error')).toBe(true);
            for (const d of r.diagnostics) {
              const file = mutated.find((f) => f.path === d.span.file);
              if (file) expect(d.span.end.offset).toBeLessThanOrEqual(file.content.length);
            }
          },
        ),
        { seed: 20261204, numRuns: 300 },
      );
    });
  }
});

function frrRunningText(): string {
  return 'Building configuration...\n\nCurrent configuration:\n!\nfrr version 8.4.4\nfrr defaults traditional\nhostname b\n!\nip router-id 10.255.0.9\n!\ninterface eth1\n ip ospf area 0\n ip ospf cost 10\n ip ospf network point-to-point\n ipv6 ospf6 area 0\n ipv6 ospf6 cost 10\n ipv6 ospf6 network point-to-point\nexit\n!\nline vty\n exec-timeout 0 0\nexit\n!\nrouter ospf\n ospf router-id 10.255.0.9\nexit\n!\nrouter ospf6\n ospf6 router-id 10.255.0.9\nexit\n!\nend\n';
}
