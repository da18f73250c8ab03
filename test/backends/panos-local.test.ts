// The PAN-OS firewall's own traffic: the model's local filter as the security rules above
// `local-default-deny` and the interface management profile it implies; read back exactly, and
// every edit that changes what the firewall admits to itself is caught (R940, R941, or a model
// that differs).

import { describe, expect, it } from 'vitest';
import { paloaltoPanosBackend as panos } from '../../backends/paloalto-panos/index.js';
import { canonicalDevice } from '../../backends/canonical.js';
import type { RenderedFile } from '../../backends/backend.js';
import type { DeviceModel } from '../../compiler/model.js';
import { contextOf, firewall, networkOf } from './vendor-fixtures.js';
import { exampleDevices } from './examples.js';
import { localFirewall, withLocalFilter } from './panos-local-fixture.js';

const render = (d: DeviceModel): RenderedFile[] => panos.render(d, networkOf([d]));
const readXml = (xml: string, d: DeviceModel = localFirewall()) => panos.read([{ path: 'fw1.xml', content: xml }], contextOf(d));
const xml = (): string => render(localFirewall())[0]!.content;
const set = (): string => render(localFirewall())[1]!.content;
const codes = (text: string): string[] => readXml(text).diagnostics.map((x) => x.code);
const ruleNames = (text: string): string[] => {
  const rules = [...text.matchAll(/<rules>[\s\S]*?<\/rules>/g)].pop()![0];
  return [...rules.matchAll(/^ {16}<entry name="([^"]+)">/gm)].map((m) => m[1]!);
};

describe('paloalto-panos: the local filter', () => {
  it('reads back the firewall with its local filter exactly, without diagnostics', () => {
    const d = localFirewall();
    const r = panos.read(render(d), contextOf(d));
    expect(r.diagnostics).toEqual([]);
    expect(r.device).toEqual(canonicalDevice(d));
  });

  it('puts the local rules first, then local-default-deny, the zone policy and default-deny', () => {
    const d = localFirewall();
    const names = ruleNames(xml());
    const local = d.filters[0]!.rules.length;
    expect(names.slice(0, local).every((n) => n.startsWith('local-'))).toBe(true);
    expect(names[local]).toBe('local-default-deny');
    expect(names.slice(local + 1, -1)).toHaveLength(d.securityRules.length);
    expect(names.at(-1)).toBe('default-deny');
    expect(names).not.toContain('control-plane-ospf');
    const s = set();
    expect(s).toContain('set rulebase security rules local-default-deny destination firewall-addresses\n');
    expect(s).toContain('set rulebase security rules local-default-deny action deny\n');
    expect(s).toContain('set address-group firewall-addresses static [ h-10.10.1.1 h-10.255.0.1 h-10.255.0.2 h-10.255.255.2 h6-2001-db8-10-1--1 h6-2001-db8-ff--1 h6-fe80--2 ]\n');
    expect(s).toContain('set address-group ospf-multicast static [ h-224.0.0.5 h-224.0.0.6 h6-ff02--5 h6-ff02--6 n6-fe80--_10 ]\n');
    expect(s).toMatch(/set rulebase security rules local-OSPF-from-link-neighbour-on-ethernet1-1 destination \[ firewall-addresses ospf-multicast \]\n/);
    expect(s).toMatch(/set rulebase security rules local-manage-from-noc service tcp-22\n/);
  });

  it('writes one interface management profile from the manage rules, on every addressed interface', () => {
    const s = set();
    for (const line of [
      'set network profiles interface-management-profile manage ping yes',
      'set network profiles interface-management-profile manage ssh yes',
      'set network profiles interface-management-profile manage snmp yes',
      'set network profiles interface-management-profile manage permitted-ip 10.10.9.0/24',
      'set network profiles interface-management-profile manage permitted-ip 2001:db8:10:9::/64',
      'set network interface ethernet ethernet1/1 layer3 interface-management-profile manage',
      'set network interface ethernet ethernet1/2 layer3 interface-management-profile manage',
      'set network interface ethernet ethernet1/3 layer3 units ethernet1/3.20 interface-management-profile manage',
      'set network interface loopback units loopback.1 interface-management-profile manage',
    ]) expect(s).toContain(`${line}\n`);
    expect(s).not.toMatch(/manage (telnet|http|https) /);
    // the BGP replies from port 179 open no service (a source-port limit)
    expect(s.match(/permitted-ip/g)).toHaveLength(2);
  });

  it('no manage rule: no profile; no local filter: the control-plane rules as before', () => {
    const bare = withLocalFilter(firewall(), []);
    const files = render(bare);
    expect(files[0]!.content).not.toContain('interface-management-profile');
    expect(panos.read(files, contextOf(bare)).device).toEqual(canonicalDevice(bare));
    const plain = render(firewall())[0]!.content;
    expect(plain).not.toContain('local-default-deny');
    expect(plain).toContain('control-plane-ospf');
  });

  it('a manage rule for any service opens every profile service, from any source when it has none', () => {
    const d = withLocalFilter(firewall(), [{}]);
    d.filters[0]!.rules.at(-1)!.match = {};
    const files = render(d);
    const s = files[1]!.content;
    for (const svc of ['ping', 'telnet', 'ssh', 'http', 'https', 'snmp']) expect(s).toContain(`interface-management-profile manage ${svc} yes\n`);
    expect(s).not.toContain('permitted-ip');
    const r = panos.read(files, contextOf(d));
    expect(r.diagnostics).toEqual([]);
    expect(r.device).toEqual(canonicalDevice(d));
  });

  it('every PAN-OS device of every example, with a local filter, reads back exactly', () => {
    const devices = exampleDevices('paloalto-panos');
    expect(devices.length).toBeGreaterThan(0);
    for (const { model, device } of devices) {
      const d = withLocalFilter(device);
      const r = panos.read(panos.render(d, model), contextOf(d));
      expect(r.diagnostics, device.id).toEqual([]);
      expect(r.device, device.id).toEqual(canonicalDevice(d));
    }
  });
});

describe('paloalto-panos: edits of what the firewall admits to itself', () => {
  const sshFromAny = `                <entry name="ssh-from-anywhere">
                  <from>
                    <member>any</member>
                  </from>
                  <to>
                    <member>any</member>
                  </to>
                  <source>
                    <member>any</member>
                  </source>
                  <destination>
                    <member>firewall-addresses</member>
                  </destination>
                  <source-user>
                    <member>any</member>
                  </source-user>
                  <category>
                    <member>any</member>
                  </category>
                  <application>
                    <member>any</member>
                  </application>
                  <service>
                    <member>tcp-22</member>
                  </service>
                  <action>allow</action>
                </entry>
`;
  it('a rule admitting ssh to the firewall from any is a difference of the model, and the profile disagrees (R940)', () => {
    const text = xml();
    const at = text.indexOf('                <entry name="local-default-deny">');
    const edited = text.slice(0, at) + sshFromAny + text.slice(at);
    const r = readXml(edited);
    expect(r.device).not.toEqual(canonicalDevice(localFirewall()));
    expect(r.device!.filters[0]!.rules.at(-1)!.match).toEqual({ protocol: 6, destinationPorts: [{ from: 22, to: 22 }] });
    expect(r.diagnostics.map((x) => x.code)).toEqual(['R940']);
    expect(r.diagnostics[0]!.message).toContain('permits 10.10.9.0/24, 2001:db8:10:9::/64, but the rules for the firewall itself admit ping, ssh, snmp from any source');
  });
  it('the same rule added to the set file only is R912', () => {
    const lines = ['set rulebase security rules ssh-from-anywhere destination firewall-addresses', 'set rulebase security rules ssh-from-anywhere service tcp-22', 'set rulebase security rules ssh-from-anywhere action allow'];
    const r = panos.read([{ path: 'fw1.xml', content: xml() }, { path: 'fw1.set', content: set() + lines.join('\n') + '\n' }], contextOf(localFirewall()));
    expect(r.diagnostics.map((x) => x.code)).toEqual(['R912', 'R912', 'R912']);
  });
  it('R940: a profile that widens permitted-ip, opens telnet, or is missing from an interface', () => {
    const text = xml();
    const widened = text.replace('<entry name="10.10.9.0/24"/>', '<entry name="10.10.9.0/24"/>\n              <entry name="0.0.0.0/0"/>');
    expect(widened).not.toBe(text);
    expect(readXml(widened).diagnostics.map((x) => [x.code, x.message])).toEqual([['R940', expect.stringContaining('permits 0.0.0.0/0, 10.10.9.0/24')]]);
    const telnet = text.replace('<ssh>yes</ssh>', '<ssh>yes</ssh>\n            <telnet>yes</telnet>');
    expect(readXml(telnet).diagnostics.map((x) => [x.code, x.message])).toEqual([['R940', expect.stringContaining('opens ping, telnet, ssh, snmp')]]);
    const dropped = text.replace(/\n\s*<interface-management-profile>manage<\/interface-management-profile>/, '');
    expect(readXml(dropped).diagnostics.map((x) => [x.code, x.message])).toEqual([['R940', expect.stringContaining('interface ethernet1/1 has no interface management profile')]]);
    const undefinedProfile = text.replace('<interface-management-profile>manage</interface-management-profile>', '<interface-management-profile>other</interface-management-profile>');
    expect(codes(undefinedProfile).sort()).toEqual(['R903', 'R940']);
    const noProfile = text.replace(/\n\s*<profiles>[\s\S]*?<\/profiles>/, '');
    expect(codes(noProfile)).toContain('R940');
    const noService = text.replace('<snmp>yes</snmp>', '<snmp>no</snmp>');
    expect(codes(noService)).toEqual(['R940']);
  });
  it('R941: a rule above local-default-deny that reaches beyond the firewall, or changed groups', () => {
    const text = xml();
    const toAny = text.replace(/(<entry name="local-manage-from-noc">[\s\S]*?<destination>\n\s*<member>)firewall-addresses(<\/member>)/, '$1any$2');
    expect(toAny).not.toBe(text);
    expect(codes(toAny)).toEqual(['R941']);
    const zoned = text.replace(/(<entry name="local-manage-from-noc">[\s\S]*?<from>\n\s*<member>)any(<\/member>)/, '$1untrust$2');
    // the profile then disagrees too: a zoned rule opens no service
    expect(codes(zoned)).toEqual(['R941', 'R940']);
    const wider = text.replace(/(<entry name="firewall-addresses">\n\s*<static>\n)/, '$1                <member>n-10.10.1.0_24</member>\n');
    expect(wider).not.toBe(text);
    expect(codes(wider)).toEqual(['R941']);
    const ospf = text.replace(/(<entry name="ospf-multicast">\n\s*<static>\n)\s*<member>h-224.0.0.5<\/member>\n/, '$1');
    expect(ospf).not.toBe(text);
    expect(codes(ospf)).toEqual(['R941']);
    const allow = text.replace(/(<entry name="local-default-deny">[\s\S]*?<action>)deny(<\/action>)/, '$1allow$2');
    expect(codes(allow)).toEqual(['R941']);
  });
  it('a mutation of each line the local filter and the profile add is caught', () => {
    const text = xml();
    const lines = text.split('\n');
    // the lines of the local rules, local-default-deny, the two groups and the profile
    const inside = new Set<number>();
    let open: string | undefined;
    lines.forEach((l, k) => {
      const start = /^(\s*)<entry name="(local-[^"]*|firewall-addresses|ospf-multicast|manage)">/.exec(l);
      if (start) open = `${start[1]}</entry>`;
      if (open !== undefined || l.includes('<interface-management-profile>manage<')) inside.add(k);
      if (open !== undefined && l === open) open = undefined;
    });
    expect(inside.size).toBeGreaterThan(150);
    const original = canonicalDevice(localFirewall());
    const missed: string[] = [];
    for (const k of inside) {
      const l = lines[k]!;
      // leaves only (deleting a line that opens or closes an element breaks the XML), not logging
      const leaf = /^\s*<([a-z-]+)>[^<]*<\/\1>$/.exec(l) ?? /^\s*<entry name="[^"]+"\/>$/.exec(l) ?? /^\s*<!--.*-->$/.exec(l);
      if (!leaf || l.includes('<log-end>')) continue;
      const mutated = [...lines.slice(0, k), ...lines.slice(k + 1)].join('\n');
      const r = readXml(mutated);
      if (r.diagnostics.some((x) => x.severity === 'error') || JSON.stringify(r.device) !== JSON.stringify(original)) continue;
      missed.push(`${k + 1}: ${l.trim()}`);
    }
    expect(missed).toEqual([]);
  });
});
