// The IOS-XE infrastructure ACL, vty lines, uRPF and eBGP guards: read(render(d)) = d with a
// local filter (hand-built and on every example), the lines engineers expect, and every edit of
// the new lines that changes what the router does is caught: by the reader (R930 the local part,
// R931 the vty lines, R904/R908 uRPF) or as a difference of the model read back.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ciscoIosxeBackend as ios } from '../../backends/cisco-iosxe/index.js';
import { canonicalDevice } from '../../backends/canonical.js';
import type { DeviceModel, FilterRule, NetworkModel } from '../../compiler/model.js';
import { deviceArb } from './arbitrary.js';
import { network } from './builder.js';
import { exampleDevices } from './examples.js';
import { localEdgeRouter, localRules } from './iosxe-local-fixture.js';
import { contextOf, edgeRouter, networkOf } from './vendor-fixtures.js';

const render = (d: DeviceModel, model: NetworkModel = networkOf([d])): string => ios.render(d, model)[0]!.content;
const read = (content: string, d: DeviceModel = localEdgeRouter()) => ios.read([{ path: 'edge1.cfg', content }], contextOf(d));
const errors = (content: string, d?: DeviceModel): string[] => read(content, d).diagnostics.filter((x) => x.severity === 'error').map((x) => `${x.code} ${x.span.start.line}: ${x.message}`);
const lineNo = (text: string, line: string): number => text.split('\n').indexOf(line) + 1;

/** Replaces every occurrence of `from` (which must occur) by `to`. */
function edit(text: string, from: string | RegExp, to: string): string {
  const out = typeof from === 'string' ? text.split(from).join(to) : text.replace(from, to);
  expect(out, `the edit of ${String(from)} changes the config`).not.toBe(text);
  return out;
}

/** Inserts `line` after the first line of the ACL `acl` that matches `after`. */
function insertInAcl(text: string, acl: string, after: RegExp, line: string): string {
  const lines = text.split('\n');
  const head = lines.indexOf(acl);
  expect(head, acl).toBeGreaterThanOrEqual(0);
  const at = lines.findIndex((l, i) => i > head && after.test(l));
  expect(at, `${after} in ${acl}`).toBeGreaterThan(head);
  return [...lines.slice(0, at + 1), line, ...lines.slice(at + 1)].join('\n');
}

describe('IOS-XE infrastructure ACL: render and read back', () => {
  it('reads back the edge router with a local filter, uRPF, GTSM and maximum-prefix exactly', () => {
    const d = localEdgeRouter();
    const r = read(render(d));
    expect(r.diagnostics).toEqual([]);
    expect(r.device).toEqual(canonicalDevice(d));
  });

  it('reads back every IOS-XE device of every example with its local filter', () => {
    const devices = exampleDevices('cisco-iosxe');
    expect(devices.length).toBeGreaterThan(2);
    for (const { model, device } of devices) {
      // the compiler gives every device a local filter; a model from before it gets a small one
      const d = device.localFilter !== undefined ? device : withSmallLocal(device);
      const files = ios.render(d, model);
      const r = ios.read(files, contextOf(d));
      expect(r.diagnostics, d.id).toEqual([]);
      expect(r.device, d.id).toEqual(canonicalDevice(d));
      // every addressed interface binds an inbound list that starts with the local part
      const text = files[0]!.content;
      for (const i of d.interfaces.filter((x) => x.role !== 'loopback' && x.addresses.some((a) => !a.includes(':')))) {
        const acl = i.filterIn ?? d.localFilter!;
        expect(text, `${d.id} ${i.name}`).toContain(` ip access-group ${acl} in`);
        expect(text).toContain(`ip access-list extended ${acl}\n remark local filter ${d.localFilter}: packets addressed to this router, first match\n`);
      }
    }
  });

  it('writes the iACL, the vty lines, uRPF and the eBGP guards as engineers write them', () => {
    const text = render(localEdgeRouter());
    const lines = text.split('\n');
    for (const line of [
      'object-group network SELF-2D8AD4CE',
      ' host 169.254.10.1',
      ' host 224.0.0.5',
      'ip access-list extended edge1-Gi1-in',
      ' remark local filter local: packets addressed to this router, first match',
      ' 10 permit tcp host 169.254.10.2 host 169.254.10.1 eq 179',
      ' 20 permit tcp host 169.254.10.2 eq 179 host 169.254.10.1',
      ' 30 permit ospf host 10.255.0.1 object-group SELF-2D8AD4CE',
      ' 40 permit icmp any object-group SELF-2D8AD4CE unreachable',
      ' 90 permit tcp 10.10.9.0 0.0.0.255 object-group SELF-2D8AD4CE eq 22',
      ' remark anything else addressed to this router (the local filter default)',
      ' 110 deny ip any object-group SELF-2D8AD4CE',
      ' 120 permit tcp 10.10.2.0 0.0.0.255 198.51.100.0 0.0.0.255 eq 443',
      // an interface without an inbound filter binds the local filter's own list
      ' ip access-group local in',
      'ip access-list extended local',
      ' remark no inbound filter on these interfaces: forwarded packets pass',
      ' 120 permit ip any any',
      'ipv6 access-list edge1-Gi1-in-ipv6',
      ' sequence 1 permit icmp any any nd-na',
      ' sequence 30 permit 89 host fe80::2 host 2001:db8:ff::',
      ' sequence 31 permit 89 host fe80::2 fe80::/10',
      ' sequence 32 permit 89 host fe80::2 host ff02::5',
      ' sequence 70 permit icmp any host 2001:db8:ff:: packet-too-big',
      ' sequence 111 deny ipv6 any fe80::/10',
      // uRPF: strict on the snowflake side, loose towards the internet
      ' ip verify unicast source reachable-via rx allow-default',
      ' ip verify unicast source reachable-via any allow-default',
      ' neighbor 169.254.10.2 ttl-security hops 1',
      '  neighbor 169.254.10.2 maximum-prefix 2',
      ' bgp log-neighbor-changes',
      'ip access-list standard VTY-IN',
      ' 10 permit 10.10.9.0 0.0.0.255',
      ' 20 deny any',
      'ipv6 access-list VTY-IN-ipv6',
      ' sequence 10 permit ipv6 2001:db8:10:9::/64 any',
      ' sequence 20 deny ipv6 any any',
      'line vty 0 4',
      'line vty 5 15',
      ' access-class VTY-IN in',
      ' ipv6 access-class VTY-IN-ipv6 in',
      ' transport input ssh',
    ]) {
      expect(lines, line).toContain(line);
    }
    // the local part comes first in every inbound list, the tail ND block is not repeated
    expect(text).not.toMatch(/remark IPv6 neighbour discovery[^\n]*\n sequence 1[2-9]\d /);
    // ttl-security in the neighbour's global part, maximum-prefix in its address family
    expect(lineNo(text, ' neighbor 169.254.10.2 ttl-security hops 1')).toBeLessThan(lineNo(text, ' address-family ipv4'));
    expect(lineNo(text, '  neighbor 169.254.10.2 maximum-prefix 2')).toBeGreaterThan(lineNo(text, ' address-family ipv4'));
  });

  it('closes the vty lines when the local filter admits no SSH', () => {
    const d = localEdgeRouter();
    d.filters = d.filters.map((f) => (f.name === 'local' ? { ...f, rules: f.rules.filter((r) => !r.description.includes('ssh')) } : f));
    const text = render(d);
    expect(text).toContain('line vty 0 4\n transport input none\nline vty 5 15\n transport input none\n');
    expect(text).not.toContain('access-class');
    expect(text).not.toContain('VTY-IN');
    const r = read(text, d);
    expect(r.diagnostics).toEqual([]);
    expect(r.device).toEqual(canonicalDevice(d));
  });

  it('renders a model without a local filter as before: no vty lines, the control-plane block', () => {
    const text = render(edgeRouter());
    expect(text).not.toContain('line vty');
    expect(text).not.toContain('SELF-');
    expect(text).toContain(' remark control plane: routing sessions of this router, not forwarded traffic');
  });

  it('read(render(d)) = d on random routers given a local filter and uRPF (seeded)', () => {
    fc.assert(
      fc.property(deviceArb('cisco-iosxe'), fc.nat(), fc.constantFrom<'strict' | 'loose' | undefined>('strict', 'loose', undefined), (base, pick, urpf) => {
        // a router without any address has nowhere to write a local filter (the reader returns none)
        fc.pre(base.interfaces.some((i) => i.role !== 'loopback' && (i.addresses.length > 0 || i.linkLocal !== undefined)));
        // the local filter: another filter's rules, to any of the router's addresses
        const source = base.filters[pick % Math.max(1, base.filters.length)];
        // (a family the router has no address of has no local part: its prefixes would not read back)
        const has = (f: 4 | 6): boolean => base.interfaces.some((i) => i.addresses.some((a) => a.includes(':') === (f === 6)) || (f === 6 && i.linkLocal !== undefined));
        const keep = (p: string): boolean => has(p.includes(':') ? 6 : 4);
        const rules = (source?.rules ?? []).flatMap((r) => {
          const { destinations: _, ...match } = r.match;
          if ((match.protocol === 1 && !has(4)) || (match.protocol === 58 && !has(6))) return [];
          if (match.sources === undefined) return [{ ...r, match }];
          const sources = match.sources.filter(keep);
          return sources.length > 0 ? [{ ...r, match: { ...match, sources } }] : [];
        });
        const name = base.filters.some((f) => f.name === 'local') ? 'local-x' : 'local';
        const d: DeviceModel = {
          ...base,
          filters: [...base.filters, { name, rules, defaultAction: 'deny' as const }].sort((a, b) => (a.name < b.name ? -1 : 1)),
          localFilter: name,
          interfaces: base.interfaces.map((i) => (urpf && i.role !== 'loopback' && i.addresses.length > 0 ? { ...i, urpf } : i)),
        };
        const r = ios.read(ios.render(d, network([d])), contextOf(d));
        expect(r.diagnostics).toEqual([]);
        expect(r.device).toEqual(canonicalDevice(d));
      }),
      { seed: 20261204, numRuns: 150 },
    );
  });

  it('keeps an ssh rule with a deny before it, by source, in the vty list', () => {
    const d = localEdgeRouter();
    const deny: FilterRule = { ...localRules()[8]!, action: 'deny', description: 'no ssh from the guest corner', match: { sources: ['10.10.9.128/25'], protocol: 6, destinationPorts: [{ from: 22, to: 22 }] } };
    d.filters = d.filters.map((f) => (f.name === 'local' ? { ...f, rules: [...f.rules.slice(0, 8), deny, ...f.rules.slice(8)] } : f));
    const text = render(d);
    expect(text).toContain('ip access-list standard VTY-IN\n remark ssh to this router: the sources of the local filter\'s ssh rules\n 10 deny 10.10.9.128 0.0.0.127\n 20 permit 10.10.9.0 0.0.0.255\n 30 deny any\n');
    expect(read(text, d).device).toEqual(canonicalDevice(d));
  });
});

describe('IOS-XE infrastructure ACL: edits are caught', () => {
  const text = render(localEdgeRouter());

  it('an SSH entry added to one interface\'s local part: the lists differ (R930)', () => {
    const edited = insertInAcl(text, 'ip access-list extended edge1-Gi2-in', /^ 50 permit icmp /, ' 55 permit tcp any host 10.255.255.1 eq 22');
    const e = errors(edited);
    expect(e.some((x) => x.startsWith('R930') && x.includes('edge1-Gi2-in differs from that of edge1-Gi1-in'))).toBe(true);
  });

  it('the same SSH entry added to every local part: the local filter read back admits it, and the vty list disagrees (R931)', () => {
    let edited = text;
    for (const acl of ['edge1-Gi1-in', 'edge1-Gi2-in', 'local']) edited = insertInAcl(edited, `ip access-list extended ${acl}`, /^ 50 permit icmp /, ' remark from anywhere\n 55 permit tcp any host 10.255.255.1 eq 22');
    const r = read(edited);
    const local = r.device?.filters.find((f) => f.name === 'local');
    expect(local?.rules.map((x) => x.description)).toContain('from anywhere');
    expect(r.diagnostics.map((x) => x.code)).toContain('R931');
    expect(r.diagnostics.find((x) => x.code === 'R931')?.message).toContain('permit any');
  });

  it('a removed vty access-class is reported at the vty section (R931)', () => {
    const edited = edit(text, 'line vty 5 15\n access-class VTY-IN in\n', 'line vty 5 15\n');
    const e = errors(edited);
    expect(e).toEqual([`R931 ${lineNo(edited, 'line vty 5 15')}: \`line vty 5 15\` lacks \`access-class VTY-IN in\`: SSH would be open to every source the infrastructure ACL lets through`]);
  });

  it('telnet on the vty lines, a missing vty range, a changed vty source are R931', () => {
    expect(errors(edit(text, 'line vty 0 4\n access-class VTY-IN in\n ipv6 access-class VTY-IN-ipv6 in\n transport input ssh', 'line vty 0 4\n access-class VTY-IN in\n ipv6 access-class VTY-IN-ipv6 in\n transport input telnet ssh'))[0]).toMatch(/^R93[01] /);
    expect(errors(edit(text, /line vty 5 15\n( .*\n)+/, ''))[0]).toMatch(/^R931 .*vty lines 5-15 are not configured/);
    expect(errors(edit(text, ' 10 permit 10.10.9.0 0.0.0.255', ' 10 permit 10.10.0.0 0.0.255.255'))[0]).toMatch(/^R931 .*says permit 10\.10\.0\.0\/16, deny any; the local filter's SSH rules say permit 10\.10\.9\.0\/24, deny any/);
  });

  it('vty lines without a local filter are R931', () => {
    const plain = render(edgeRouter());
    const edited = edit(plain, '\nend\n', '\nline vty 0 15\n transport input ssh\n!\nend\n');
    expect(errors(edited, edgeRouter())).toEqual([`R931 ${lineNo(edited, 'line vty 0 15')}: vty configuration without an infrastructure ACL: the model would admit everything to the router, but the vty lines restrict SSH`]);
  });

  it('an interface without its inbound list, or with a list without the local part, is R930', () => {
    const e = errors(edit(text, ' ip access-group local in\n', ''));
    expect(e).toEqual([expect.stringMatching(/^R930 \d+: interface GigabitEthernet3\.30 has IPv4 but its inbound list is missing/)]);
    const e2 = errors(edit(text, ' ipv6 traffic-filter edge1-Gi1-in-ipv6 in', ' ipv6 traffic-filter edge1-Gi2-out-ipv6 in'));
    expect(e2.some((x) => x.startsWith('R930') && x.includes('GigabitEthernet1 has IPv6 but its inbound list edge1-Gi2-out-ipv6 does not start with the local filter'))).toBe(true);
  });

  it('a SELF group that is not the router\'s addresses, a local entry to another address, a local part without its end are R930', () => {
    expect(errors(edit(text, 'object-group network SELF-2D8AD4CE\n host 10.255.0.0\n', 'object-group network SELF-2D8AD4CE\n'))[0]).toMatch(/^R930 .*does not hold exactly this router's addresses/);
    expect(errors(edit(text, ' 10 permit tcp host 169.254.10.2 host 169.254.10.1 eq 179', ' 10 permit tcp host 169.254.10.2 host 169.254.10.9 eq 179'))[0]).toMatch(/^R930 .*admits packets that are not addressed to this router/);
    expect(errors(edit(text, /( remark anything else addressed to this router \(the local filter default\)\n 110 deny ip any object-group SELF-2D8AD4CE\n)/g, ''))[0]).toMatch(/^R930 /);
  });

  it('uRPF: a changed mode reads back as another model, no allow-default is R904, one family only is R908', () => {
    const loose = read(edit(text, ' ip verify unicast source reachable-via rx allow-default', ' ip verify unicast source reachable-via any allow-default'));
    expect(loose.diagnostics).toEqual([]);
    expect(loose.device?.interfaces.find((i) => i.name === 'GigabitEthernet2')?.urpf).toBe('loose');
    expect(errors(edit(text, ' ip verify unicast source reachable-via rx allow-default', ' ip verify unicast source reachable-via rx'))[0]).toMatch(/^R904 .*without `allow-default`/);
    const dual = localEdgeRouter();
    dual.interfaces = dual.interfaces.map((i) => (i.name === 'GigabitEthernet1' ? { ...i, urpf: 'strict' } : i));
    const dualText = render(dual);
    expect(dualText).toContain(' ipv6 verify unicast source reachable-via rx allow-default');
    expect(read(dualText, dual).device).toEqual(canonicalDevice(dual));
    expect(errors(edit(dualText, ' ipv6 verify unicast source reachable-via rx allow-default\n', ''), dual)[0]).toMatch(/^R908 .*GigabitEthernet1 checks the reverse path differently/);
    const none = read(edit(text, ' ip verify unicast source reachable-via rx allow-default\n', ''));
    expect(none.device?.interfaces.find((i) => i.name === 'GigabitEthernet2')?.urpf).toBeUndefined();
  });

  it('BGP: a changed or removed ttl-security or maximum-prefix reads back as another model; maximum-prefix in the other family is R904', () => {
    const n = (t: string) => read(t).device?.bgp?.neighbors[0];
    expect(n(edit(text, 'ttl-security hops 1', 'ttl-security hops 2'))?.ttlSecurity).toBe(2);
    expect(n(edit(text, ' neighbor 169.254.10.2 ttl-security hops 1\n', ''))?.ttlSecurity).toBeUndefined();
    expect(n(edit(text, '  neighbor 169.254.10.2 maximum-prefix 2\n', ''))?.maxPrefixes).toBeUndefined();
    expect(n(edit(text, 'maximum-prefix 2', 'maximum-prefix 2000'))?.maxPrefixes).toBe(2000);
    const other = edit(text, ' exit-address-family\n!\n! plumb route', ' exit-address-family\n !\n address-family ipv6\n  neighbor 169.254.10.2 maximum-prefix 5\n exit-address-family\n!\n! plumb route');
    expect(errors(other)).toEqual([expect.stringMatching(/^R904 \d+: neighbour 169\.254\.10\.2 has a maximum-prefix in `address-family ipv6`/)]);
    expect(errors(edit(text, 'ttl-security hops 1', 'ttl-security hops 255'))[0]).toMatch(/^R902 /);
  });
});

/** A device from before the compiler wrote local filters, with a small one (no listed destinations). */
function withSmallLocal(d: DeviceModel): DeviceModel {
  const rules = localRules().filter((r) => r.match.destinations === undefined && r.match.protocol !== 89);
  const name = d.filters.some((f) => f.name === 'local') ? 'local-1' : 'local';
  return { ...d, filters: [...d.filters, { name, rules, defaultAction: 'deny' as const }].sort((a, b) => (a.name < b.name ? -1 : 1)), localFilter: name };
}
