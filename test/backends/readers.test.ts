// The readers on hand-edited files: what they accept (whitespace, comments, shell `ip` lines,
// abbreviations, files without Plumb's comments) and each R90x diagnostic with its span.
import { describe, expect, it } from 'vitest';
import { readLinux } from '../../backends/linux/read.js';
import { readFrr } from '../../backends/frr/read.js';
import { renderFrr } from '../../backends/frr/render.js';
import { renderLinux } from '../../backends/linux/render.js';
import type { RenderedFile } from '../../backends/backend.js';
import { core2, gw1, network } from './builder.js';

const ctx = { id: 'ams1.gw1', site: 'ams1', name: 'gw1', role: 'router' as const };
/** Forwarding on; the kernel-wide `rp_filter` off, so that each interface's own decides (else R907). */
const SYSCTL = 'sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1 net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0\n';
const RP_OFF = 'sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0\n';
/** eth1 without IPv6 (the kernel's IPv6 turned off on it) and without uRPF, as the model says (else R907). */
const NO_V6 = 'sysctl -qw net.ipv6.conf.eth1.disable_ipv6=1 net.ipv4.conf.eth1.rp_filter=0\n';
const EMPTY_NFT =
  'table inet plumb {\n  chain forward {\n    type filter hook forward priority filter; policy drop;\n    accept\n  }\n}\n';

function linux(setup: string, nft = EMPTY_NFT) {
  return readLinux(
    [
      { path: 'out/ams1/gw1/setup.sh', content: setup },
      { path: 'out/ams1/gw1/nftables.conf', content: nft },
    ],
    ctx,
  );
}

function frr(conf: string) {
  const d = core2();
  const files = renderFrr(d, network([d])).map((f): RenderedFile =>
    f.path === 'frr.conf' ? { path: 'frr.conf', content: conf } : f,
  );
  return readFrr(files, { id: d.id, site: d.site, name: d.name, role: d.role });
}

const codes = (r: { diagnostics: { code: string }[] }): string[] => r.diagnostics.map((d) => d.code);

describe('hand-edited files the readers accept', () => {
  it('setup.sh as plain `ip` shell lines, without Plumb comments', () => {
    const r = linux(
      `#!/bin/sh\n\n${SYSCTL}ip link set eth1 up\nip addr add 10.0.0.1/24 dev eth1   # uplink\nip route add 10.9.0.0/16 via 10.0.0.2 dev eth1 metric 5\n${NO_V6}`,
    );
    expect(r.diagnostics).toEqual([]);
    expect(r.device!.interfaces).toEqual([
      {
        name: 'eth1',
        description: '',
        role: 'link',
        addresses: ['10.0.0.1/24'],
        origin: expect.objectContaining({
          file: 'out/ams1/gw1/setup.sh',
          start: { line: 4, column: 1, offset: 139 },
        }),
      },
    ]);
    expect(r.device!.staticRoutes).toEqual([
      {
        prefix: '10.9.0.0/16',
        nextHop: '10.0.0.2',
        interface: 'eth1',
        distance: 5,
        origin: expect.objectContaining({ start: expect.objectContaining({ line: 6 }) }),
      },
    ]);
  });

  it('nftables.conf with flush ruleset, sets across lines, counters, and no default drop', () => {
    const nft = `flush ruleset\ntable inet plumb {\n  chain forward {\n    type filter hook forward priority filter\n    policy drop\n    ct state invalid drop\n    ct state established,related accept\n    iifname "eth1" jump up_in\n    accept\n  }\n  chain up_in {\n    ip saddr {\n      10.0.0.0/8,\n      192.0.2.1\n    } tcp dport 22 counter return\n  }\n}\n`;
    const r = linux(`${SYSCTL}${NO_V6}ip link set dev eth1 up\n`, nft);
    expect(r.diagnostics).toEqual([]);
    expect(r.device!.stateful).toBe(true);
    expect(r.device!.interfaces[0]!.filterIn).toBe('up_in');
    expect(r.device!.filters).toEqual([
      {
        name: 'up_in',
        defaultAction: 'permit',
        rules: [
          {
            action: 'permit',
            match: {
              sources: ['10.0.0.0/8', '192.0.2.1/32'],
              protocol: 6,
              destinationPorts: [{ from: 22, to: 22 }],
            },
            description: '',
            origin: expect.objectContaining({ start: expect.objectContaining({ line: 12 }) }),
          },
        ],
      },
    ]);
  });

  it('frr.conf without indentation or exit, `int`, prefix-lists without seq', () => {
    const conf =
      'hostname core2\nint eth1\nip ospf area 0\nip ospf cost 7\nip ospf network point-to-point\nipv6 ospf6 area 0\nipv6 ospf6 cost 7\nipv6 ospf6 network point-to-point\nip prefix-list L permit 10.1.0.0/16\nroute-map M permit 10\nmatch ip address prefix-list L\nrouter ospf\nospf router-id 10.0.0.1\nredistribute static route-map M\nip route 10.1.0.0/16 10.255.0.7\nrouter ospf6\nospf6 router-id 10.0.0.1\n';
    const r = frr(conf);
    expect(r.diagnostics).toEqual([]);
    expect(r.device!.ospf).toEqual({
      routerId: '10.0.0.1',
      interfaces: [{ name: 'eth1', cost: 7, passive: false }],
      redistribute: [{ protocol: 'static', prefixes: ['10.1.0.0/16'] }],
      defaultOriginate: { ipv4: false, ipv6: false },
    });
    expect(r.device!.staticRoutes.map((s) => [s.prefix, s.nextHop])).toEqual([['10.1.0.0/16', '10.255.0.7']]);
  });
});

describe('R90x diagnostics', () => {
  it('R901: a command the reader does not know, with its line and column', () => {
    const r = linux(
      `${SYSCTL}ip -batch - <<'PLUMB_EOF'\ntunnel add gre1 mode gre remote 192.0.2.1\nPLUMB_EOF\n`,
    );
    expect(codes(r)).toEqual(['R901']);
    expect(r.diagnostics[0]!.span).toEqual({
      file: 'out/ams1/gw1/setup.sh',
      start: { line: 3, column: 1, offset: 154 },
      end: { line: 3, column: 42, offset: 195 },
    });
    expect(codes(linux(SYSCTL, EMPTY_NFT.replace('    accept\n', '    masquerade\n    accept\n')))).toEqual([
      'R901',
    ]);
    expect(codes(frr('router rip\n network 10.0.0.0/8\n'))).toContain('R901');
  });

  it('R902: a malformed value', () => {
    const r = linux(`${SYSCTL}ip addr add 10.0.0.300/24 dev eth1\n`);
    expect(codes(r)).toEqual(['R902']);
    expect(r.diagnostics[0]!.span.start).toEqual({ line: 2, column: 13, offset: 140 });
    expect(codes(frr('ip route 10.0.0.1/24 10.0.0.2\n'))).toEqual(['R902']);
    expect(
      codes(
        linux(
          SYSCTL,
          EMPTY_NFT.replace('    accept\n', '    accept\n  }\n  chain c {\n    ip saddr 10.0.0.0/33 drop\n'),
        ),
      ),
    ).toEqual(['R902']);
  });

  it('R903: a reference to something not defined', () => {
    const nft = EMPTY_NFT.replace('    accept\n', '    iifname "eth1" jump nowhere\n    accept\n');
    expect(codes(linux(`${SYSCTL}${NO_V6}ip link set dev eth1 up\n`, nft))).toEqual(['R903']);
    expect(
      codes(
        frr(
          'router bgp 65000\n bgp log-neighbor-changes\n neighbor 192.0.2.1 remote-as 64500\n address-family ipv4 unicast\n  neighbor 192.0.2.1 activate\n  neighbor 192.0.2.1 route-map MISSING in\n exit-address-family\n',
        ),
      ),
    ).toEqual(['R903']);
  });

  it('R904: what the model cannot express', () => {
    expect(codes(frr('ip prefix-list L seq 5 permit 10.0.0.0/8 le 24\n'))).toEqual(['R904']);
    expect(codes(linux(`${RP_OFF}${NO_V6}ip link set dev eth1 up\n`))).toEqual(['R904']);
    expect(
      codes(
        linux(
          SYSCTL,
          EMPTY_NFT.replace('    accept\n', '    accept\n  }\n  chain c {\n    tcp dport 22 accept\n'),
        ),
      ),
    ).toEqual(['R904']);
  });

  it('R905: a missing file', () => {
    const r = readLinux([{ path: 'setup.sh', content: SYSCTL }], ctx);
    expect(codes(r)).toEqual(['R905']);
    expect(r.device).toBeDefined();
    const d = gw1();
    const noSetup = renderLinux(d, network([d])).filter((f) => f.path !== 'setup.sh');
    const r2 = readLinux(noSetup, ctx);
    expect(codes(r2)).toEqual(['R905']);
    expect(r2.device).toBeUndefined();
  });

  it('R906: files of another device', () => {
    const r = frr('hostname core9\n');
    expect(r.diagnostics.map((d) => [d.code, d.severity])).toEqual([['R906', 'warning']]);
  });
});

describe('frr.conf BGP address families', () => {
  const conf = (defaults: string, extra: string): string =>
    `router bgp 65000\n${defaults} neighbor 192.0.2.1 remote-as 64500\n address-family ipv4 unicast\n${extra}  neighbor 192.0.2.1 route-map IN in\n exit-address-family\nexit\nip prefix-list IN seq 5 permit 198.51.100.0/24\nroute-map IN permit 10\n match ip address prefix-list IN\nexit\n`;
  const imported = (text: string): string[] | undefined =>
    frr(text).device?.bgp?.neighbors[0]?.importPrefixes;

  it('a session carries IPv4 by FRR default, unless turned off or not activated', () => {
    expect(imported(conf('', ''))).toEqual(['198.51.100.0/24']);
    expect(imported(conf(' no bgp default ipv4-unicast\n', ''))).toEqual([]);
    expect(imported(conf(' no bgp default ipv4-unicast\n', '  neighbor 192.0.2.1 activate\n'))).toEqual([
      '198.51.100.0/24',
    ]);
    expect(imported(conf('', '  no neighbor 192.0.2.1 activate\n'))).toEqual([]);
  });
});

describe('the forward chain', () => {
  const nft = (body: string): string =>
    `table inet plumb {\n  chain forward {\n${body}  }\n  chain f {\n    drop\n  }\n}\n`;
  const read = (body: string) => linux(`${SYSCTL}${NO_V6}ip link set dev eth1 up\n`, nft(body));

  it('accepts priority 0, policy accept and the states as a set', () => {
    const r = read(
      '    type filter hook forward priority 0; policy accept;\n    ct state invalid drop\n    ct state { related, established } accept\n    iifname "eth1" jump f\n',
    );
    expect(r.diagnostics).toEqual([]);
    expect(r.device!.stateful).toBe(true);
    expect(r.device!.interfaces[0]!.filterIn).toBe('f');
  });

  it('reports a jump after the final accept and a zone policy never jumped to (R904)', () => {
    expect(
      codes(
        read(
          '    type filter hook forward priority filter; policy drop;\n    accept\n    iifname "eth1" jump f\n',
        ),
      ),
    ).toEqual(['R904']);
    const zones = nft('    accept\n').replace('  chain f {', '  chain zone_policy {');
    expect(codes(linux(`${SYSCTL}${NO_V6}ip link set dev eth1 up\n`, zones))).toEqual(['R904']);
  });
});
