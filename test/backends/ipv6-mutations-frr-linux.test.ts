// IPv6 on the frr and linux backends: a dual-stack intent (OSPFv2 and OSPFv3 over link-local
// addresses, an IPv4-only and an IPv6-only segment, one eBGP session per family) compiled, its
// files mutated the way a hand edit or a renderer bug would, and read back by the real readers.
// Each mutation is caught: by a reader diagnostic that names the interface, route or neighbour,
// or by translation validation's item comparison naming the item. The unmutated files are
// read back equal to the model, with no diagnostic.

import { describe, expect, it } from 'vitest';
import type { RenderedFile } from '../../backends/backend.js';
import { backendFor } from '../../backends/index.js';
import { compile } from '../../compiler/index.js';
import type { DeviceModel, NetworkModel } from '../../compiler/model.js';
import { analyze } from '../../language/analyze.js';
import { compareConfiguration } from '../../verifier/equivalence-config.js';

const INTENT = `network dual "dual-stack mutations"
routing ospf

pool infra 10.255.0.0/16

site s1 {
  router edge frr asn 65001
  router core frr
  router lab linux
  link edge -- core
  link core -- lab
}

segment office 10.1.0.0/24, 2001:db8:1::/64 at s1.core
segment legacy 10.2.0.0/24 at s1.core
segment lab6 2001:db8:3::/64 at s1.lab

external transit4 {
  asn 64500
  prefixes 0.0.0.0/0
  attach s1.edge address 192.0.2.2/30 peer 192.0.2.1
  announce office
}

external transit6 {
  asn 64501
  prefixes ::/0
  attach s1.edge address 2001:db8:ffff::2/64 peer 2001:db8:ffff::1
  announce office, lab6
}

policy {
  allow office, lab6 -> transit4, transit6 : https
}
`;

function model(): NetworkModel {
  const analysis = analyze([{ path: 'dual.plumb', text: INTENT }]);
  if (!analysis.intent) throw new Error('the intent does not check');
  return compile(analysis.intent).model;
}
const MODEL = model();

function device(id: string): DeviceModel {
  const d = MODEL.devices.find((x) => x.id === id);
  if (!d) throw new Error(`no device ${id}`);
  return d;
}

function render(id: string): RenderedFile[] {
  const d = device(id);
  return backendFor(d.platform)!.render(d, MODEL);
}

/** What reading `files` back finds: error diagnostics (code, line, message) and item differences. */
function readBack(id: string, files: RenderedFile[]): { errors: string[]; items: string[] } {
  const d = device(id);
  const r = backendFor(d.platform)!.read(files, { id: d.id, site: d.site, name: d.name, role: d.role });
  const errors = r.diagnostics
    .filter((x) => x.severity === 'error')
    .map((x) => `${x.code} ${x.span.file}:${x.span.start.line} ${x.message}`);
  const items = r.device
    ? compareConfiguration(d, r.device).map(
        (x) => `${x.item}: model ${x.expected ?? '(none)'}, config ${x.actual ?? '(none)'}`,
      )
    : [];
  return { errors, items };
}

/** `files` with `file` edited: `edit` gets and returns its lines; the text must change. */
function edit(files: RenderedFile[], file: string, f: (lines: string[]) => string[]): RenderedFile[] {
  return files.map((x) => {
    if (x.path !== file) return x;
    const content = f(x.content.split('\n')).join('\n');
    expect(content, `the edit of ${file} changed nothing`).not.toBe(x.content);
    return { ...x, content };
  });
}

/** Lines with `add` inserted after the only line matching `after`. */
function insertAfter(lines: string[], after: RegExp, ...add: string[]): string[] {
  const at = lines.flatMap((l, i) => (after.test(l) ? [i] : []));
  expect(at, `lines matching ${after}`).toHaveLength(1);
  return [...lines.slice(0, at[0]! + 1), ...add, ...lines.slice(at[0]! + 1)];
}

/** Lines without the only line matching `re`. */
function without(lines: string[], re: RegExp): string[] {
  expect(lines.filter((l) => re.test(l)), `lines matching ${re}`).toHaveLength(1);
  return lines.filter((l) => !re.test(l));
}

/** Lines with the only line matching `re` replaced by `by`. */
function replaced(lines: string[], re: RegExp, by: string): string[] {
  expect(lines.filter((l) => re.test(l)), `lines matching ${re}`).toHaveLength(1);
  return lines.map((l) => (re.test(l) ? by : l));
}

/** The mutation is caught: an error or an item difference matching `named`. */
function expectCaught(r: { errors: string[]; items: string[] }, named: RegExp): void {
  const all = [...r.errors, ...r.items];
  expect(all.filter((x) => named.test(x)), `nothing names ${named} in ${JSON.stringify(all)}`).not.toEqual([]);
}

describe('the dual-stack intent on frr and linux', () => {
  it('renders link-local addresses, OSPFv3 only where IPv6 is and one family per session', () => {
    const core = render('s1.core');
    const conf = core.find((f) => f.path === 'frr.conf')!.content;
    // eth3 is the IPv4-only segment legacy, lo has no IPv6: OSPFv2 only.
    expect(conf).toMatch(/interface eth3\n ip ospf area 0\n ip ospf cost 1\n ip ospf passive\nexit/);
    expect(conf).toMatch(/interface lo\n ip ospf area 0\n ip ospf cost 1\n ip ospf passive\nexit/);
    expect(conf).toMatch(/interface eth1\n(?: .*\n)* ipv6 ospf6 area 0\n/);
    expect(conf).toContain('ipv6 route 2001:db8:3::/64 fe80::2 eth2\n');
    const setup = core.find((f) => f.path === 'setup.sh')!.content;
    expect(setup).toContain('sysctl -qw net.ipv6.conf.eth3.disable_ipv6=1\n');
    expect(setup).toMatch(
      /link set dev eth2 addrgenmode none\naddress flush dev eth2 to fe80::\/10\nlink set dev eth2 up\n(?:.*\n)*?address replace fe80::1\/64 dev eth2 nodad\n/,
    );
    const lab = render('s1.lab').find((f) => f.path === 'setup.sh')!.content;
    expect(lab).toContain('route replace 2001:db8:1::/64 via fe80::1 dev eth1\n');
    const bgp = render('s1.edge').find((f) => f.path === 'frr.conf')!.content;
    const af = (family: string): string => bgp.slice(bgp.indexOf(`address-family ${family} unicast`)).split('exit-address-family')[0]!;
    expect(af('ipv4')).toContain('neighbor 192.0.2.1 activate');
    expect(af('ipv4')).not.toContain('2001:db8:ffff::1');
    expect(af('ipv6')).toContain('neighbor 2001:db8:ffff::1 activate');
    expect(af('ipv6')).not.toContain('192.0.2.1');
    // The IPv6 session's routes are installed via the neighbour's global address, as modelled.
    expect(bgp).toMatch(/route-map PLUMB-transit6-IN permit 20\n match ipv6 address prefix-list PLUMB-transit6-IN\n set ipv6 next-hop prefer-global\n/);
  });

  it('reads every unmutated file back equal to the model, without a diagnostic', () => {
    for (const id of ['s1.edge', 's1.core', 's1.lab']) {
      const d = device(id);
      const r = backendFor(d.platform)!.read(render(id), { id, site: d.site, name: d.name, role: d.role });
      expect(r.diagnostics, id).toEqual([]);
      expect(compareConfiguration(d, r.device!), id).toEqual([]);
    }
  });
});

describe('mutations of frr.conf are caught', () => {
  const core = render('s1.core');
  const edge = render('s1.edge');

  it('an IPv4-only interface added to OSPFv3', () => {
    const files = edit(core, 'frr.conf', (l) => insertAfter(l, /^interface eth3$/, ' ipv6 ospf6 area 0'));
    expectCaught(readBack('s1.core', files), /R904 frr\.conf:\d+ eth3 runs OSPFv3 but has no IPv6/);
  });

  it('OSPFv3 on the loopback, which has no IPv6', () => {
    const files = edit(core, 'frr.conf', (l) => insertAfter(l, /^interface lo$/, ' ipv6 ospf6 area 0'));
    expectCaught(readBack('s1.core', files), /R904 .* lo runs OSPFv3/);
  });

  it('OSPFv3 taken off an interface with IPv6', () => {
    const files = edit(core, 'frr.conf', (l) => {
      const i = l.indexOf('interface eth4');
      const j = l.findIndex((x, k) => k > i && x === ' ipv6 ospf6 area 0');
      return [...l.slice(0, j), ...l.slice(j + 1)];
    });
    expectCaught(readBack('s1.core', files), /R907 .* eth4 is in OSPF and has IPv6, but does not run OSPFv3/);
  });

  it('OSPFv3 on a link no longer point-to-point', () => {
    const files = edit(core, 'frr.conf', (l) => {
      const i = l.indexOf('interface eth1');
      const j = l.findIndex((x, k) => k > i && x === ' ipv6 ospf6 network point-to-point');
      return [...l.slice(0, j), ...l.slice(j + 1)];
    });
    expectCaught(readBack('s1.core', files), /R907 .* eth1 is a link, but its OSPFv3 network is not point-to-point/);
  });

  it('an IPv6 interface that was in no OSPF added to OSPFv3', () => {
    const files = edit(edge, 'frr.conf', (l) =>
      insertAfter(l, /^router-id /, '!', 'interface eth3', ' ipv6 ospf6 area 0', 'exit'),
    );
    expectCaught(readBack('s1.edge', files), /^OSPF interface eth3: model \(none\)/);
  });

  it('an extra `ipv6 route`', () => {
    const files = edit(core, 'frr.conf', (l) =>
      insertAfter(l, /^ipv6 route 2001:db8:3::\/64 /, 'ipv6 route 2001:db8:99::/64 fe80::2 eth2'),
    );
    expectCaught(readBack('s1.core', files), /^static route 2001:db8:99::\/64 via fe80::2 dev eth2: model \(none\)/);
  });

  it('an `ipv6 route` to another link-local next hop', () => {
    const files = edit(core, 'frr.conf', (l) =>
      replaced(l, /^ipv6 route 2001:db8:3::\/64 /, 'ipv6 route 2001:db8:3::/64 fe80::7 eth2'),
    );
    const r = readBack('s1.core', files);
    expectCaught(r, /^static route 2001:db8:3::\/64 via fe80::7 dev eth2: model \(none\)/);
    expectCaught(r, /^static route 2001:db8:3::\/64 via fe80::2 dev eth2: model distance default, config \(none\)/);
  });

  it('an `ipv6 route` to a link-local next hop without its interface', () => {
    const files = edit(core, 'frr.conf', (l) =>
      replaced(l, /^ipv6 route 2001:db8:3::\/64 /, 'ipv6 route 2001:db8:3::/64 fe80::2'),
    );
    expectCaught(readBack('s1.core', files), /R907 frr\.conf:\d+ the link-local next hop fe80::2 without its interface/);
  });

  it('an extra BGP neighbour', () => {
    const files = edit(edge, 'frr.conf', (l) => {
      const withNeighbor = insertAfter(l, /^ neighbor 192\.0\.2\.1 remote-as /, ' neighbor 192.0.2.9 remote-as 64999');
      return insertAfter(
        withNeighbor,
        /^ {2}neighbor 192\.0\.2\.1 activate$/,
        '  neighbor 192.0.2.9 activate',
        '  neighbor 192.0.2.9 route-map PLUMB-transit4-IN in',
        '  neighbor 192.0.2.9 route-map PLUMB-transit4-OUT out',
      );
    });
    expectCaught(readBack('s1.edge', files), /^BGP neighbor 192\.0\.2\.9: model \(none\)/);
  });

  it('an IPv4 neighbour activated for IPv6 unicast', () => {
    const files = edit(edge, 'frr.conf', (l) =>
      insertAfter(l, /^ {2}neighbor 2001:db8:ffff::1 activate$/, '  neighbor 192.0.2.1 activate'),
    );
    expectCaught(readBack('s1.edge', files), /R904 frr\.conf:\d+ neighbor 192\.0\.2\.1 is activated for ipv6 unicast/);
  });

  it('the IPv6 session\'s routes left to FRR\'s link-local next hop', () => {
    const files = edit(edge, 'frr.conf', (l) => without(l, /^ set ipv6 next-hop prefer-global$/));
    expectCaught(readBack('s1.edge', files), /R907 .* the routes learned from 2001:db8:ffff::1 would go via its link-local address/);
  });

  it('an IPv6 neighbour activated for IPv4 unicast by FRR\'s default', () => {
    const files = edit(edge, 'frr.conf', (l) => without(l, /^ no bgp default ipv4-unicast$/));
    expectCaught(readBack('s1.edge', files), /R904 .* neighbor 2001:db8:ffff::1 is activated for ipv4 unicast/);
  });
});

describe('mutations of setup.sh are caught', () => {
  const lab = render('s1.lab');
  const core = render('s1.core');

  it('a changed link-local address', () => {
    const files = edit(lab, 'setup.sh', (l) =>
      replaced(l, /^address replace fe80::2\/64 dev eth1 nodad$/, 'address replace fe80::9/64 dev eth1 nodad'),
    );
    expectCaught(readBack('s1.lab', files), /^interface eth1: model .*link-local fe80::2.*, config .*link-local fe80::9/);
  });

  it('a link-local address added on an interface that has none', () => {
    const files = edit(lab, 'setup.sh', (l) =>
      insertAfter(l, /^address replace 2001:db8:3::1\/64 dev eth2$/, 'address replace fe80::1/64 dev eth2 nodad'),
    );
    const r = readBack('s1.lab', files);
    expectCaught(r, /^interface eth2: model .*, config .*link-local fe80::1/);
    expectCaught(r, /R907 setup\.sh:\d+ eth2 has the link-local address fe80::1, but the kernel's own link-local stays/);
  });

  it('a link-local address on the IPv4-only segment, whose IPv6 is off', () => {
    const files = edit(core, 'setup.sh', (l) =>
      insertAfter(l, /^address replace 10\.2\.0\.1\/24 dev eth3$/, 'address replace fe80::1/64 dev eth3 nodad'),
    );
    expectCaught(readBack('s1.core', files), /R908 setup\.sh:\d+ eth3 has IPv6 addresses but `disable_ipv6=1`/);
  });

  it('the kernel left to generate its own link-local beside the model\'s', () => {
    const files = edit(lab, 'setup.sh', (l) => without(l, /^link set dev eth1 addrgenmode none$/));
    expectCaught(readBack('s1.lab', files), /R907 .* eth1 has the link-local address fe80::2, .*addrgenmode none/);
  });

  it('IPv6 left on for the IPv4-only segment', () => {
    const files = edit(core, 'setup.sh', (l) => without(l, /^sysctl -qw net\.ipv6\.conf\.eth3\.disable_ipv6=1$/));
    expectCaught(readBack('s1.core', files), /R907 setup\.sh:\d+ eth3 has no IPv6 address, but nothing turns IPv6 off/);
  });

  it('an extra `ip -6 route`', () => {
    const files = edit(lab, 'setup.sh', (l) =>
      insertAfter(l, /^route replace ::\/0 via fe80::1 dev eth1$/, 'route replace 2001:db8:99::/64 via fe80::1 dev eth1'),
    );
    expectCaught(readBack('s1.lab', files), /^static route 2001:db8:99::\/64 via fe80::1 dev eth1: model \(none\)/);
  });

  it('a route via a link-local next hop without its interface', () => {
    const files = edit(lab, 'setup.sh', (l) =>
      replaced(l, /^route replace 2001:db8:1::\/64 via fe80::1 dev eth1$/, 'route replace 2001:db8:1::/64 via fe80::1'),
    );
    expectCaught(readBack('s1.lab', files), /R907 setup\.sh:\d+ the link-local next hop fe80::1 without its interface/);
  });

  it('the same route as a shell line, `ip -6 route add`', () => {
    const files = edit(lab, 'setup.sh', (l) => [...l.slice(0, -1), 'ip -6 route add 2001:db8:98::/64 via fe80::1 dev eth1', '']);
    expectCaught(readBack('s1.lab', files), /^static route 2001:db8:98::\/64 via fe80::1 dev eth1: model \(none\)/);
  });

  it('a sysctl setting the model does not hold', () => {
    const files = edit(lab, 'setup.sh', (l) =>
      insertAfter(l, /^sysctl -qw net\.ipv6\.conf\.eth2\.disable_ipv6=0$/, 'sysctl -qw net.ipv6.conf.eth2.accept_ra=2'),
    );
    expectCaught(readBack('s1.lab', files), /R901 setup\.sh:\d+ unknown sysctl setting `net\.ipv6\.conf\.eth2\.accept_ra=2`/);
  });
});
