// Translation validation of the IPv6 contract on IOS-XE and PAN-OS: the compiled configs of
// dual-stack intents (IPv6 over link-locals, OSPFv3, sessions of either family, link-local
// static next hops), edited the way a hand on the device would, then read back by the real
// readers and compared with the compiler's DeviceModel. Every edit that changes what the
// device does is caught, with the concrete item named: by the reader (an R9xx at the edited
// line) when the model cannot say what the edited config does, else by the equivalence check
// (an item difference).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RenderedFile } from '../../backends/backend.js';
import { backendFor } from '../../backends/index.js';
import { compile } from '../../compiler/index.js';
import type { NetworkModel } from '../../compiler/model.js';
import { analyze } from '../../language/analyze.js';
import { checkEquivalence } from '../../verifier/equivalence.js';
import { SolverPool } from '../../verifier/solver-pool.js';
import { randomIntent } from '../compiler/random-intents.js';
import { editFile, exampleModel, lineIndex, section, type Subject } from '../verifier/equivalence-helpers.js';

/** Static routing over link-locals: each end's IPv6 routes name the other's link-local and the link. */
const SIX = `network six "dual-stack IOS-XE and PAN-OS over link-locals, static routing"
routing static

pool infra 10.255.0.0/16

site s1 {
  router edge cisco-iosxe asn 65040
  firewall fw paloalto-panos asn 65041
  link edge -- fw
}

segment office 10.40.0.0/24, 2001:db8:40::/64 at s1.fw zone inside
segment lab6 2001:db8:41::/64 at s1.edge

external partner "IPv6 only" {
  asn 64700
  prefixes 2001:db8:700::/48
  attach s1.edge address 2001:db8:ffff:7::1/126 peer 2001:db8:ffff:7::2
  announce lab6
}

external cloud {
  asn 64600
  prefixes 198.51.100.0/24
  attach s1.fw address 169.254.10.1/30 peer 169.254.10.2
  announce office
}

external internet {
  prefixes 0.0.0.0/0, ::/0
  attach s1.edge address 203.0.113.6/30 gateway 203.0.113.5
  attach s1.edge address 2001:db8:ffff:1::2/64 gateway 2001:db8:ffff:1::1
}

policy {
  allow office -> internet : https
  allow office -> cloud : https
  allow lab6 -> partner : https
  allow lab6 -> office : ssh
}
`;

function modelOf(path: string, text: string): NetworkModel {
  const analysis = analyze([{ path, text }]);
  if (!analysis.intent) throw new Error(`${path} does not check: ${analysis.diagnostics.map((d) => d.message).join('; ')}`);
  return compile(analysis.intent).model;
}
const sixModel = (): NetworkModel => modelOf('six.plumb', SIX);

function subjectOf(model: NetworkModel, id: string): Subject {
  const device = model.devices.find((d) => d.id === id)!;
  return { model, device, files: backendFor(device.platform)!.render(device, model) };
}

/** What validation says of edited files: the reader's errors, else the differences from the model. */
interface Outcome {
  /** `R9xx FILE:LINE message`. */
  reader: string[];
  /** `ITEM: expected → actual`, or a packet difference's scope. */
  differences: string[];
}

const pool = new SolverPool(1);
beforeAll(() => pool.start(), 30_000);
afterAll(() => pool.close());

async function validate(s: Subject, files: RenderedFile[]): Promise<Outcome> {
  const { device } = s;
  const result = backendFor(device.platform)!.read(files, { id: device.id, site: device.site, name: device.name, role: device.role });
  const reader = result.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.span.file}:${d.span.start.line} ${d.message}`);
  if (reader.length > 0 || !result.device) return { reader, differences: [] };
  const r = await checkEquivalence(device, result.device, { pool, timeoutMs: 20_000 });
  const differences = r.differences.map((d) => (d.kind === 'item' ? `${d.item}: ${d.expected ?? '(none)'} → ${d.actual ?? '(none)'}` : `packet ${JSON.stringify(d.scope)}`));
  return { reader, differences };
}

/** Inserts `added` after line `i`. */
const insertAfter = (lines: string[], i: number, ...added: string[]): string[] => [...lines.slice(0, i + 1), ...added, ...lines.slice(i + 1)];
const withoutLine = (lines: string[], i: number): string[] => [...lines.slice(0, i), ...lines.slice(i + 1)];

/** The 1-based line of the only line matching `re` in the edited file (at or after the first matching `after`). */
function lineOf(files: RenderedFile[], suffix: string, re: RegExp, after?: RegExp): number {
  const lines = files.find((f) => f.path.endsWith(suffix))!.content.split('\n');
  return (after ? firstAfter(lines, re, lineIndex(lines, after)) : lineIndex(lines, re)) + 1;
}

/** Index of the first line matching `re` at or after `from`. */
function firstAfter(lines: readonly string[], re: RegExp, from: number): number {
  const i = lines.findIndex((x, k) => k >= from && re.test(x));
  expect(i, `a line matching ${re} after line ${from + 1}`).toBeGreaterThanOrEqual(0);
  return i;
}

describe('IOS-XE: edits of a dual-stack config are caught, naming the item', () => {
  let harbor: Subject;
  let six: Subject;
  beforeAll(() => {
    harbor = subjectOf(exampleModel('harbor'), 'sea1.edge');
    six = subjectOf(sixModel(), 's1.edge');
  });
  const CFG = '.cfg';
  const iface = (lines: string[], name: string): [number, number] => section(lines, new RegExp(`^interface ${name}$`), /^!$/);

  it('the unedited configs are equal to the model', async () => {
    for (const s of [harbor, six]) expect(await validate(s, s.files)).toEqual({ reader: [], differences: [] });
  });

  it('an interface added to OSPFv3: a new OSPF interface, or OSPFv3 without IPv6', async () => {
    // GigabitEthernet4 carries the internet's IPv6 and ran no OSPF
    const v6 = editFile(harbor.files, CFG, (l) => insertAfter(l, iface(l, 'GigabitEthernet4')[1] - 1, ' ospfv3 1 ipv6 area 0', ' ospfv3 cost 1'));
    expect((await validate(harbor, v6)).differences).toEqual(['OSPF interface GigabitEthernet4: (none) → cost 1']);
    // GigabitEthernet3 has IPv4 only
    const v4 = editFile(harbor.files, CFG, (l) => insertAfter(l, iface(l, 'GigabitEthernet3')[1] - 1, ' ospfv3 1 ipv6 area 0', ' ospfv3 cost 1'));
    const line = lineOf(v4, CFG, /^interface GigabitEthernet3$/);
    expect((await validate(harbor, v4)).reader).toContain(`R908 edge.cfg:${line} interface GigabitEthernet3 runs OSPFv3 but has no IPv6 address`);
  });

  it('a dual-stack link taken out of OSPFv3 only', async () => {
    const files = editFile(harbor.files, CFG, (l) => {
      const [a, b] = iface(l, 'GigabitEthernet2');
      return l.filter((x, i) => i <= a || i >= b || !x.startsWith(' ospfv3'));
    });
    const line = lineOf(files, CFG, /^interface GigabitEthernet2$/);
    expect((await validate(harbor, files)).reader).toEqual([`R908 edge.cfg:${line} interface GigabitEthernet2 runs OSPF for IPv4 but not OSPFv3, though it has IPv6`]);
  });

  it('an extra ipv6 route over the link-local', async () => {
    const files = editFile(six.files, CFG, (l) => insertAfter(l, lineIndex(l, /^ipv6 route 2001:db8:40::\/64 /), 'ipv6 route 2001:db8:99::/64 GigabitEthernet2 FE80::2'));
    expect((await validate(six, files)).differences).toEqual(['static route 2001:db8:99::/64 via fe80::2 dev GigabitEthernet2: (none) → distance default']);
  });

  it('a link-local next hop without its interface', async () => {
    const files = editFile(six.files, CFG, (l) => l.map((x) => x.replace(/^ipv6 route 2001:db8:40::\/64 GigabitEthernet2 FE80::2$/, 'ipv6 route 2001:db8:40::/64 FE80::2')));
    const line = lineOf(files, CFG, /^ipv6 route 2001:db8:40::\/64 FE80::2$/);
    expect((await validate(six, files)).reader).toEqual([`R907 edge.cfg:${line} the link-local next hop fe80::2 needs its interface`]);
  });

  it('an extra BGP neighbour', async () => {
    const files = editFile(harbor.files, CFG, (l) => {
      const remote = lineIndex(l, /^ neighbor 2001:db8:ffff:7::2 remote-as /);
      const maps = lineIndex(l, /^ {2}neighbor 2001:db8:ffff:7::2 route-map BGP-PARTNER-OUT out$/);
      const out = insertAfter(l, maps, '  neighbor 2001:db8:ffff:7::3 activate', '  neighbor 2001:db8:ffff:7::3 route-map BGP-PARTNER-IN in', '  neighbor 2001:db8:ffff:7::3 route-map BGP-PARTNER-OUT out');
      return insertAfter(out, remote, ' neighbor 2001:db8:ffff:7::3 remote-as 64701');
    });
    const r = await validate(harbor, files);
    expect(r.reader).toEqual([]);
    expect(r.differences).toHaveLength(1);
    expect(r.differences[0]).toMatch(/^BGP neighbor 2001:db8:ffff:7::3: \(none\) → remote-as 64701; external ; import 2001:db8:700::\/48; export 2001:db8:31::\/64$/);
  });

  it('an extra address family for a neighbour', async () => {
    const files = editFile(harbor.files, CFG, (l) => {
      const af = lineIndex(l, /^ address-family ipv6$/);
      return insertAfter(l, af - 1, ' address-family ipv4', '  neighbor 2001:db8:ffff:7::2 activate', ' exit-address-family', ' !');
    });
    const line = lineOf(files, CFG, /^ address-family ipv4$/) + 1;
    expect((await validate(harbor, files)).reader).toEqual([
      `R904 edge.cfg:${line} neighbour 2001:db8:ffff:7::2 is activated for IPv4 unicast: a session carries its own address family only`,
    ]);
  });

  it('a neighbour left without its own family, or every neighbour given IPv4 unicast', async () => {
    const inactive = editFile(harbor.files, CFG, (l) => withoutLine(l, lineIndex(l, /^ {2}neighbor 2001:db8:ffff:7::2 activate$/)));
    const line = lineOf(inactive, CFG, /^ neighbor 2001:db8:ffff:7::2 remote-as /);
    expect((await validate(harbor, inactive)).reader).toEqual([`R907 edge.cfg:${line} neighbour 2001:db8:ffff:7::2 is not activated in \`address-family ipv6\``]);
    const defaults = editFile(harbor.files, CFG, (l) => withoutLine(l, lineIndex(l, /^ no bgp default ipv4-unicast$/)));
    const bgp = lineOf(defaults, CFG, /^router bgp /);
    expect((await validate(harbor, defaults)).reader).toEqual([`R907 edge.cfg:${bgp} BGP lacks \`no bgp default ipv4-unicast\`: every neighbour would carry IPv4 unicast`]);
  });

  it('`ipv6 enable` on an interface without IPv6', async () => {
    const files = editFile(harbor.files, CFG, (l) => insertAfter(l, iface(l, 'GigabitEthernet3')[0], ' ipv6 enable'));
    const line = lineOf(files, CFG, /^ ipv6 enable$/);
    expect((await validate(harbor, files)).reader).toEqual([`R901 edge.cfg:${line} unsupported interface line \`ipv6 enable\``]);
  });

  it('a link-local on a link that has none', async () => {
    // campus carries no IPv6: its links have no link-local
    const campus = subjectOf(exampleModel('campus'), 'main.border');
    const bare = editFile(campus.files, CFG, (l) => insertAfter(l, iface(l, 'GigabitEthernet2')[0], ' ipv6 address FE80::1 link-local'));
    const line = lineOf(bare, CFG, /^interface GigabitEthernet2$/);
    const r = await validate(campus, bare);
    expect(r.reader).toContain(`R907 border.cfg:${line} interface GigabitEthernet2 has IPv6 but no \`ipv6 nd ra suppress all\`: it would send router advertisements`);
    // made consistent (routing, no RA, OSPFv3), it still differs from the model
    const whole = editFile(campus.files, CFG, (l) => {
      const [a, b] = iface(l, 'GigabitEthernet2');
      const withV6 = insertAfter(l, b - 1, ' ipv6 address FE80::1 link-local', ' ipv6 nd ra suppress all', ' ospfv3 1 ipv6 area 0', ' ospfv3 cost 1', ' ospfv3 network point-to-point');
      const ospf = lineIndex(withV6, /^router ospf 1$/);
      const v3 = ['router ospfv3 1', ` router-id ${campus.device.ospf!.routerId}`, ' !', ' address-family ipv6 unicast', ' exit-address-family', '!'];
      return insertAfter(insertAfter(withV6, ospf - 1, ...v3), a - 2, 'ipv6 unicast-routing', '!');
    });
    const w = await validate(campus, whole);
    if (campus.device.localFilter !== undefined) {
      // with a local filter, IPv6 packets to the router entering there would pass unfiltered
      expect(w.reader).toContain(`R930 border.cfg:${lineOf(whole, CFG, /^interface GigabitEthernet2$/)} interface GigabitEthernet2 has IPv6 but its inbound list is missing: packets to the router entering there are not filtered as on the other interfaces`);
      return;
    }
    expect(w.reader).toEqual([]);
    expect(w.differences).toEqual([expect.stringMatching(/^interface GigabitEthernet2: role link; addresses \S+; peer .* → role link; addresses \S+; link-local fe80::1; peer /)]);
  });

  it('a removed `ipv6 nd ra suppress all`', async () => {
    const files = editFile(six.files, CFG, (l) => {
      const [a, b] = iface(l, 'GigabitEthernet3');
      return withoutLine(l, lineIndex(l, /^ ipv6 nd ra suppress all$/, a, b));
    });
    const line = lineOf(files, CFG, /^interface GigabitEthernet3$/);
    expect((await validate(six, files)).reader).toEqual([`R907 edge.cfg:${line} interface GigabitEthernet3 has IPv6 but no \`ipv6 nd ra suppress all\`: it would send router advertisements`]);
  });

  it('a missing `ipv6 unicast-routing`', async () => {
    const files = editFile(six.files, CFG, (l) => withoutLine(l, lineIndex(l, /^ipv6 unicast-routing$/)));
    expect((await validate(six, files)).reader).toEqual(['R907 edge.cfg:1 the configuration has IPv6 but no `ipv6 unicast-routing`: the router would not forward IPv6']);
  });
});

describe('PAN-OS: edits of a dual-stack config are caught, naming the item', () => {
  let harbor: Subject;
  let six: Subject;
  beforeAll(() => {
    const xmlOnly = (s: Subject): Subject => ({ ...s, files: s.files.filter((f) => f.path.endsWith(XML)) });
    harbor = xmlOnly(subjectOf(exampleModel('harbor'), 'sea1.fw'));
    six = xmlOnly(subjectOf(sixModel(), 's1.fw'));
  });
  const XML = '.xml';

  it('the unedited configs are equal to the model', async () => {
    for (const s of [harbor, six]) expect(await validate(s, s.files)).toEqual({ reader: [], differences: [] });
  });

  it('an interface added to OSPFv3 that has no IPv6', async () => {
    const files = editFile(harbor.files, XML, (l) => {
      const v3 = lineIndex(l, /^\s*<ospfv3>$/);
      const ifs = firstAfter(l, /^\s*<interface>$/, v3);
      const pad = l[ifs + 1]!.match(/^\s*/)![0];
      return insertAfter(l, ifs, `${pad}<entry name="loopback.1">`, `${pad}  <enable>yes</enable>`, `${pad}  <passive>yes</passive>`, `${pad}  <metric>1</metric>`, `${pad}</entry>`);
    });
    const line = lineOf(files, XML, /<entry name="loopback.1">$/, /^\s*<ospfv3>$/);
    expect((await validate(harbor, files)).reader).toEqual([`R908 fw.xml:${line} interface loopback.1 runs OSPFv3 but has no IPv6 address`]);
  });

  it('an extra IPv6 static route over the link-local', async () => {
    const files = editFile(six.files, XML, (l) => {
      const end = lineIndex(l, /^\s*<\/static-route>$/, lineIndex(l, /^\s*<ipv6>$/, lineIndex(l, /^\s*<routing-table>$/)));
      const pad = l[end]!.match(/^\s*/)![0] + '  ';
      return insertAfter(l, end - 1, `${pad}<entry name="extra">`, `${pad}  <destination>2001:db8:99::/64</destination>`, `${pad}  <interface>ethernet1/1</interface>`, `${pad}  <nexthop><ipv6-address>fe80::1</ipv6-address></nexthop>`, `${pad}</entry>`);
    });
    expect((await validate(six, files)).differences).toEqual(['static route 2001:db8:99::/64 via fe80::1 dev ethernet1/1: (none) → distance default']);
  });

  it('a link-local next hop without its interface', async () => {
    const files = editFile(six.files, XML, (l) => {
      const e = lineIndex(l, /<entry name="default-ipv6">$/);
      return withoutLine(l, lineIndex(l, /^\s*<interface>ethernet1\/1<\/interface>$/, e, e + 4));
    });
    const line = lineOf(files, XML, /<entry name="default-ipv6">$/);
    expect((await validate(six, files)).reader).toEqual([`R907 fw.xml:${line} static route default-ipv6: the link-local next hop fe80::1 needs its <interface>`]);
  });

  it('an extra BGP peer', async () => {
    const files = editFile(six.files, XML, (l) => {
      const peer = lineIndex(l, /^\s*<peer>$/);
      const pad = l[peer + 1]!.match(/^\s*/)![0];
      return insertAfter(l, peer, `${pad}<entry name="rogue">`, `${pad}  <enable>yes</enable>`, `${pad}  <peer-as>64666</peer-as>`, `${pad}  <peer-address><ip>169.254.10.3</ip></peer-address>`, `${pad}</entry>`);
    });
    const r = await validate(six, files);
    expect(r.differences).toHaveLength(1);
    expect(r.differences[0]).toMatch(/^BGP neighbor 169\.254\.10\.3: \(none\) → remote-as 64666; external ; import 198\.51\.100\.0\/24; export 10\.40\.0\.0\/24; maximum-prefix 5000$/);
  });

  it('a BGP peer given another address family', async () => {
    const mp = editFile(six.files, XML, (l) => insertAfter(l, lineIndex(l, /^\s*<peer-as>64600<\/peer-as>$/), '<enable-mp-bgp>yes</enable-mp-bgp>'));
    const mpLine = lineOf(mp, XML, /^<enable-mp-bgp>yes<\/enable-mp-bgp>$/);
    expect((await validate(six, mp)).reader).toEqual([`R904 fw.xml:${mpLine} peer cloud (169.254.10.2) has MP-BGP for another address family: a session carries its own address family only`]);
    const afi = editFile(six.files, XML, (l) => insertAfter(l, lineIndex(l, /^\s*<peer-as>64600<\/peer-as>$/), '<address-family-identifier>ipv6</address-family-identifier>'));
    const afiLine = lineOf(afi, XML, /^<address-family-identifier>ipv6<\/address-family-identifier>$/);
    expect((await validate(six, afi)).reader).toEqual([`R908 fw.xml:${afiLine} peer cloud (169.254.10.2) is not of address family ipv6`]);
  });

  it('a changed interface ID: another link-local address', async () => {
    const idOnly = editFile(six.files, XML, (l) => l.map((x) => x.replace('<interface-id>00:00:00:00:00:00:00:02</interface-id>', '<interface-id>00:00:00:00:00:00:00:03</interface-id>')));
    // the firewall's own addresses (the destination of its local rules) still name fe80::2
    expect((await validate(six, idOnly)).reader).toEqual([expect.stringMatching(/^R941 fw\.xml:\d+ address group firewall-addresses must hold exactly .*, fe80::3\/128$/)]);
    const files = editFile(idOnly, XML, (l) => l.map((x) => x.replace('<ip-netmask>fe80::2/128</ip-netmask>', '<ip-netmask>fe80::3/128</ip-netmask>')));
    const r = await validate(six, files);
    expect(r.reader).toEqual([]);
    expect(r.differences).toEqual([expect.stringMatching(/^interface ethernet1\/1: role link; addresses \S+; link-local fe80::2; .* → role link; addresses \S+; link-local fe80::3; /)]);
  });

  it('IPv6 on with the automatic link-local only, and router advertisements switched on', async () => {
    const auto = editFile(six.files, XML, (l) => withoutLine(l, lineIndex(l, /<interface-id>00:00:00:00:00:00:00:02<\/interface-id>$/)));
    const ipv6 = lineOf(auto, XML, /^\s*<ipv6>$/, /<entry name="ethernet1\/1">$/);
    expect((await validate(six, auto)).reader).toEqual([
      `R904 fw.xml:${ipv6} interface ethernet1/1 has IPv6 on with only the link-local address PAN-OS derives from its MAC address`,
      expect.stringMatching(/^R941 fw\.xml:\d+ address group firewall-addresses must hold exactly /),
    ]);
    const ra = editFile(six.files, XML, (l) =>
      insertAfter(l, lineIndex(l, /<interface-id>00:00:00:00:00:00:00:02<\/interface-id>$/), '<neighbor-discovery><router-advertisement>', '<enable>yes</enable>', '</router-advertisement></neighbor-discovery>'),
    );
    const enable = lineOf(ra, XML, /^<enable>yes<\/enable>$/);
    expect((await validate(six, ra)).reader).toEqual([`R904 fw.xml:${enable} interface ethernet1/1 sends router advertisements, which the model has none of`]);
  });

  it('a disabled security rule is read as absent: the packets it allowed are dropped', async () => {
    const files = editFile(six.files, XML, (l) => {
      const rule = lineIndex(l, /<entry name="allow-office-internet-https">$/);
      return insertAfter(l, rule, '<disabled>yes</disabled>');
    });
    const r = await validate(six, files);
    expect(r.reader).toEqual([]);
    expect(r.differences.length).toBeGreaterThan(0);
    expect(r.differences.every((d) => d.startsWith('packet'))).toBe(true);
  });
});

describe('the IPv6 contract as rendered', () => {
  it('IOS-XE: the link-local, no RA, OSPFv3 on a link with only its link-local, link-local next hops, one family per session', () => {
    const harbor = subjectOf(exampleModel('harbor'), 'sea1.edge').files[0]!.content.split('\n');
    const [a, b] = section(harbor, /^interface GigabitEthernet2$/, /^!$/);
    expect(harbor.slice(a, b).filter((l) => /ipv6|ospfv3/.test(l))).toEqual([
      ' ipv6 address FE80::1 link-local',
      ' ipv6 nd ra suppress all',
      // the local filter's own list, where the link has no inbound filter
      ' ipv6 traffic-filter local-ipv6 in',
      ' ospfv3 1 ipv6 area 0',
      ' ospfv3 cost 1',
      ' ospfv3 network point-to-point',
    ]);
    expect(harbor.some((l) => l.trim() === 'ipv6 enable')).toBe(false);
    const bgp = harbor.slice(lineIndex(harbor, /^router bgp /));
    expect(bgp.filter((l) => /address-family|activate/.test(l)).slice(0, 2)).toEqual([' address-family ipv6', '  neighbor 2001:db8:ffff:7::2 activate']);
    const six = subjectOf(sixModel(), 's1.edge').files[0]!.content.split('\n');
    expect(six.filter((l) => l.startsWith('ipv6 route '))).toEqual(['ipv6 route ::/0 GigabitEthernet5 2001:db8:ffff:1::1', 'ipv6 route 2001:db8:40::/64 GigabitEthernet2 FE80::2']);
  });

  it('PAN-OS: the interface ID, OSPFv3 on the link, link-local next hops, OSPFv3 admitted on link-locals, no MP-BGP', () => {
    const six = subjectOf(sixModel(), 's1.fw').files;
    const set = six.find((f) => f.path.endsWith('.set'))!.content.split('\n');
    expect(set.filter((l) => l.startsWith('set network interface ethernet ethernet1/1 layer3 ipv6'))).toEqual([
      'set network interface ethernet ethernet1/1 layer3 ipv6 enabled yes',
      'set network interface ethernet ethernet1/1 layer3 ipv6 interface-id 00:00:00:00:00:00:00:02',
    ]);
    expect(set).toContain('set network virtual-router default routing-table ipv6 static-route route-2001-db8-41-_64 nexthop ipv6-address fe80::1');
    expect(set).toContain('set network virtual-router default routing-table ipv6 static-route route-2001-db8-41-_64 interface ethernet1/1');
    expect(set.some((l) => l.includes('enable-mp-bgp') || l.includes('router-advertisement'))).toBe(false);
    const harbor = subjectOf(exampleModel('harbor'), 'sea1.fw').files.find((f) => f.path.endsWith('.set'))!.content.split('\n');
    expect(harbor).toContain('set network virtual-router default protocol ospfv3 area 0.0.0.0 interface ethernet1/2 link-type p2p');
    // its OSPF links have only link-locals: the local OSPF rules admit OSPFv3 there
    const ospfDst = harbor.find((l) => l.startsWith('set address-group ospf-multicast static'));
    expect(ospfDst).toMatch(/ h6-ff02--5 h6-ff02--6 n6-fe80--_10 \]$/);
  });
});

describe('random dual-stack and IPv6-only intents: every IOS-XE and PAN-OS device reads back equal to its model', () => {
  for (let seed = 1; seed <= 30; seed++) {
    it(`seed ${seed}`, async () => {
      const model = modelOf(`random-${seed}.plumb`, randomIntent(seed).text);
      for (const device of model.devices.filter((d) => d.platform === 'cisco-iosxe' || d.platform === 'paloalto-panos')) {
        const s = subjectOf(model, device.id);
        expect(await validate(s, s.files), device.id).toEqual({ reader: [], differences: [] });
      }
    });
  }
});
