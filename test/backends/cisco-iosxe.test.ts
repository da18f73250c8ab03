// The IOS-XE backend: the law read(render(d)) = d on hand-built models and on every IOS-XE
// device of every example, byte-stable golden output, hand edits the reader accepts, and every
// reader diagnostic (R9xx) it emits.

import { describe, expect, it } from 'vitest';
import { ciscoIosxeBackend as ios } from '../../backends/cisco-iosxe/index.js';
import { canonicalDevice } from '../../backends/canonical.js';
import type { DeviceModel } from '../../compiler/model.js';
import { contextOf, edgeRouter, networkOf } from './vendor-fixtures.js';
import { expectGolden } from '../golden.js';

const GOLDEN = 'test/fixtures/backends/edge1.cfg';

function render(d: DeviceModel): string {
  return ios.render(d, networkOf([d]))[0]!.content;
}

function read(content: string, d = edgeRouter()) {
  return ios.read([{ path: 'edge1.cfg', content }], contextOf(d));
}

function codes(content: string): string[] {
  return read(content).diagnostics.map((x) => x.code);
}

describe('cisco-iosxe render and read', () => {
  it('reads back the hand-built edge router exactly, without diagnostics', () => {
    const d = edgeRouter();
    const files = ios.render(d, networkOf([d]));
    expect(files.map((f) => f.path)).toEqual(['edge1.cfg']);
    const r = ios.read(files, contextOf(d));
    expect(r.diagnostics).toEqual([]);
    expect(r.device).toEqual(canonicalDevice(d));
  });

  it('renders byte-identical output twice and matches the golden file', () => {
    const d = edgeRouter();
    const text = render(d);
    expect(render(edgeRouter())).toBe(text);
    expectGolden(GOLDEN, text);
  });

  it('writes the IOS-XE constructs engineers expect', () => {
    const text = render(edgeRouter());
    for (const line of [
      'hostname edge1',
      'interface GigabitEthernet1',
      ' ip address 10.255.0.0 255.255.255.254',
      ' ip access-group edge1-Gi1-in in',
      ' ipv6 traffic-filter edge1-Gi1-in-ipv6 in',
      ' ipv6 address FE80::1 link-local',
      ' ipv6 nd ra suppress all',
      ' ospfv3 1 ipv6 area 0',
      ' ospfv3 network point-to-point',
      'ipv6 route 2001:db8:10::/48 GigabitEthernet1 FE80::2',
      ' ip ospf 1 area 0',
      ' no shutdown',
      'router ospf 1',
      ' redistribute static subnets route-map OSPF-STATIC',
      ' default-information originate',
      'router bgp 65010',
      ' no bgp default ipv4-unicast',
      '  neighbor 169.254.10.2 activate',
      '  network 10.10.2.0 mask 255.255.255.0',
      'ip route 10.10.0.0 255.255.0.0 GigabitEthernet1 10.255.0.1 200',
      'ip access-list extended edge1-Gi1-in',
      ' 30 permit object-group SVC-7679A352 object-group NET-932CBDCE any',
      ' 20 permit tcp 198.51.100.0 0.0.0.255 eq 443 10.10.2.0 0.0.0.255 established',
      ' remark control plane: routing sessions of this router, not forwarded traffic',
      ' 10 permit tcp host 169.254.10.2 host 169.254.10.1 eq 179',
      ' 11 permit tcp host 169.254.10.2 eq 179 host 169.254.10.1',
      ' 12 permit ospf any host 10.255.0.0',
      'object-group network NET-932CBDCE',
      ' 10.10.1.0 255.255.255.0',
      'object-group service SVC-7679A352',
      ' tcp eq 443',
      ' remark default action for packets no entry above matched',
      ' 80 deny ip any any',
      'ipv6 access-list edge1-Gi1-in-ipv6',
      ' sequence 81 permit icmp any any nd-ns',
      'ip prefix-list BGP-SNOWFLAKE-IN seq 5 permit 198.51.100.0/24',
      'route-map BGP-SNOWFLAKE-IN permit 10',
      ' match ip address prefix-list BGP-SNOWFLAKE-IN',
      'end',
    ]) {
      expect(text.split('\n')).toContain(line);
    }
    // every ACL entry sits under a remark naming its intent line
    const aclLines = text.split('\n').filter((l) => /^ (sequence )?\d+ (permit|deny) /.test(l));
    expect(aclLines.length).toBeGreaterThan(10);
    expect(text).toContain(' remark intent acme.plumb:48:3-48:33 [1882,1912]');
  });

  it('orders sections as show running-config does (shared/reference/iosxe/intent-reference-c8000v.cfg)', () => {
    const order = ['hostname', 'ipv6 unicast-routing', 'object-group', 'interface', 'router ospf', 'router ospfv3', 'router bgp', 'ip route', 'ip access-list', 'ip prefix-list', 'ipv6 prefix-list', 'route-map', 'ipv6 route', 'ipv6 access-list', 'end'];
    const heads = render(edgeRouter())
      .split('\n')
      .filter((l) => /^[a-z]/.test(l))
      .map((l) => order.filter((k) => l === k || l.startsWith(`${k} `)).sort((a, b) => b.length - a.length)[0]);
    expect(heads.every((h) => h !== undefined)).toBe(true);
    const ranks = heads.map((h) => order.indexOf(h!));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(new Set(heads).size).toBe(order.length);
  });

  it('accepts hand edits that do not change the meaning', () => {
    const text = render(edgeRouter());
    const blocks = text.split('\n!\n');
    // reorder the sections (order does not matter in IOS), drop plain comments, add whitespace
    const edited = [...blocks.slice(1).reverse(), blocks[0]!]
      .join('\n!\n')
      .split('\n')
      .filter((l) => !(l.startsWith('! ') && !l.startsWith('! plumb')))
      .map((l) => (l.startsWith(' ') ? `${l}   ` : l))
      .join('\n')
      .replace('hostname edge1', '! a note from an engineer\nhostname edge1\n\n');
    const r = read(edited);
    expect(r.diagnostics).toEqual([]);
    expect(r.device).toEqual(canonicalDevice(edgeRouter()));
  });

  it('reads the spellings of show running-config (port names, upper-case IPv6, negotiation auto)', () => {
    const text = render(edgeRouter())
      .replace(/ eq 80\b/g, ' eq www')
      .replace(/ eq 53\b/g, ' eq domain')
      .replace(/^( ipv6 address |ipv6 route )(\S+)/gm, (_m, head: string, addr: string) => `${head}${addr.toUpperCase()}`)
      .replace(/^( no shutdown)$/gm, ' negotiation auto\n$1')
      // IOS-XE numbers remarks with the entry below them
      .replace(/^ remark (.*)\n((?: remark .*\n)*) (\d+) /gm, (_m, first: string, more: string, seq: string) =>
        ` ${seq} remark ${first}\n${more.replace(/^ remark /gm, ` ${seq} remark `)} ${seq} `,
      );
    expect(text).toMatch(/^ 10 remark /m);
    expect(text).toContain('eq www');
    expect(text).toContain('2001:DB8:');
    const r = read(text);
    expect(r.diagnostics).toEqual([]);
    expect(r.device).toEqual(canonicalDevice(edgeRouter()));
  });

  it('reads an unannotated config, guessing roles and pointing origins at the config', () => {
    const r = read('hostname edge1\ninterface Loopback0\n ip address 10.0.0.1 255.255.255.255\n no shutdown\nend\n');
    expect(r.diagnostics.map((x) => [x.code, x.severity])).toEqual([['R909', 'warning']]);
    expect(r.device?.interfaces[0]).toMatchObject({ name: 'Loopback0', role: 'loopback', addresses: ['10.0.0.1/32'] });
    expect(r.device?.interfaces[0]?.origin.start.line).toBe(2);
  });
});

describe('cisco-iosxe reader diagnostics', () => {
  const base = 'hostname edge1\n';
  it('R901: a line outside the subset, with its line and column', () => {
    const r = read(`${base}interface Loopback0\n ip address 10.0.0.1 255.255.255.255\n ip helper-address 10.0.9.9\nend\n`);
    const d = r.diagnostics.find((x) => x.code === 'R901')!;
    expect(d.span).toMatchObject({ file: 'edge1.cfg', start: { line: 4, column: 2 } });
    expect(d.message).toContain('ip helper-address 10.0.9.9');
  });
  it('R903: an ACL applied but not defined', () => {
    const r = read(`${base}interface Gi1\n ip access-group NOPE in\nend\n`);
    const d = r.diagnostics.find((x) => x.code === 'R903')!;
    expect(d.message).toContain('NOPE');
    expect(d.span.start).toMatchObject({ line: 3, column: 18 });
  });
  it('R903: an object-group used but not defined', () => {
    const acl = `${base}ip access-list extended A\n 10 permit ip object-group MISSING any\n`;
    expect(codes(acl)).toContain('R903');
  });
  it('R903: a route-map and a prefix-list that are not defined', () => {
    const text = `${base}router ospf 1\n router-id 1.1.1.1\n redistribute static subnets route-map RM\n!\nroute-map RM2 permit 10\n match ip address prefix-list PL\n`;
    expect(codes(text).filter((c) => c === 'R903')).toHaveLength(1);
    const text2 = `${base}router ospf 1\n router-id 1.1.1.1\n redistribute static subnets route-map RM\n!\nroute-map RM permit 10\n match ip address prefix-list PL\n`;
    expect(read(text2).diagnostics.find((x) => x.code === 'R903')?.message).toContain('prefix-list PL');
  });
  it('R902: an invalid mask, port or VLAN', () => {
    expect(codes(`${base}interface Gi1\n ip address 10.0.0.1 255.0.255.0\n`)).toContain('R902');
    expect(codes(`${base}ip access-list extended A\n 10 permit tcp any any eq 70000\n`)).toContain('R902');
    expect(codes(`${base}interface Gi1.5\n encapsulation dot1Q 5000\n`)).toContain('R902');
  });
  it('R905 and R907: no configuration file; no hostname, an unlimited redistribution', () => {
    expect(ios.read([], contextOf(edgeRouter())).diagnostics.map((x) => x.code)).toEqual(['R905']);
    expect(codes('interface Loopback0\n ! plumb interface role loopback origin a.plumb:1:1-1:2 [0,1]\n')).toEqual(['R907']);
    expect(codes(`${base}router ospf 1\n router-id 1.1.1.1\n redistribute static subnets\n`)).toContain('R907');
  });
  it('R908: the IPv6 half of a filter disagrees with the IPv4 half', () => {
    const text = `${base}ip access-list extended F\n remark a\n 10 permit tcp any any eq 80\nipv6 access-list F-ipv6\n remark a\n sequence 10 permit udp any any eq 80\n`;
    const d = read(text).diagnostics.find((x) => x.code === 'R908')!;
    expect(d.span.start.line).toBe(7);
  });
  it('R906 (warning): the hostname names another device', () => {
    const d = read('hostname edge9\n').diagnostics.find((x) => x.code === 'R906')!;
    expect(d.severity).toBe('warning');
    expect(d.span.start).toMatchObject({ line: 1, column: 10 });
  });
  it('R908: a control-plane entry that admits forwarded traffic', () => {
    const text = render(edgeRouter()).replace(' 12 permit ospf any host 10.255.0.0', ' 12 permit ip any any');
    const d = read(text).diagnostics.filter((x) => x.code === 'R908');
    expect(d).toHaveLength(1);
    expect(d[0]!.message).toContain('control-plane');
  });
  it('R904 (warning): a prefix exported to a neighbour that no network statement originates', () => {
    const text = render(edgeRouter()).replace('  network 10.10.2.0 mask 255.255.255.0\n', '');
    const d = read(text).diagnostics;
    expect(d.map((x) => [x.code, x.severity])).toEqual([['R904', 'warning']]);
    expect(d[0]!.message).toContain('10.10.2.0/24 is exported to 169.254.10.2');
  });
  it('R909: an annotation that cannot be read (a warning)', () => {
    const r = read(`${base}interface Loopback0\n ! plumb interface role loopback origin nowhere\n`);
    expect(r.diagnostics.map((x) => [x.code, x.severity])).toContainEqual(['R909', 'warning']);
  });
  it('R910: the same object defined twice', () => {
    expect(codes(`${base}object-group network G\n host 10.0.0.1\nobject-group network G\n host 10.0.0.2\n`)).toContain('R910');
  });
});
