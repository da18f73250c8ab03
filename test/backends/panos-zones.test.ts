// The zone policy of the examples' firewalls: allow rules name the zones their sources enter by
// and their destinations leave by (an endpoint attached to the firewall: its zone; attached
// elsewhere: the links' zone), denies stay any to any, and the rules read back exactly.

import { describe, expect, it } from 'vitest';
import { paloaltoPanosBackend as panos } from '../../backends/paloalto-panos/index.js';
import { canonicalDevice } from '../../backends/canonical.js';
import { exampleDevices } from './examples.js';
import { contextOf } from './vendor-fixtures.js';

describe('paloalto-panos: zoned security rules', () => {
  const firewalls = exampleDevices('paloalto-panos');

  it('allow rules have real zones, denies none, and every zone named exists', () => {
    for (const { device } of firewalls) {
      const zones = new Set(device.zones.map((z) => z.name));
      for (const r of device.securityRules) {
        for (const z of [...(r.match.fromZones ?? []), ...(r.match.toZones ?? [])]) expect(zones.has(z), `${device.id}: ${r.description}`).toBe(true);
        if (r.action === 'deny' && !r.description.startsWith('anti-spoofing')) expect(r.match.fromZones ?? r.match.toZones, r.description).toBeUndefined();
      }
    }
  });

  it('acme: office (behind another router) to web (on the firewall) is from transit to dmz', () => {
    const fw = firewalls.find((f) => f.example === 'acme')!.device;
    const rules = fw.securityRules.filter((r) => r.action === 'permit' && r.description.startsWith('allow office -> web'));
    expect(rules.length).toBeGreaterThan(0);
    for (const r of rules) expect([r.match.fromZones, r.match.toZones]).toEqual([['transit'], ['dmz']]);
  });

  it('the zoned rules read back exactly, from and to as PAN-OS writes them', () => {
    for (const { model, device } of firewalls) {
      const files = panos.render(device, model);
      const r = panos.read(files, contextOf(device));
      expect(r.diagnostics, device.id).toEqual([]);
      expect(r.device, device.id).toEqual(canonicalDevice(device));
    }
    const acme = firewalls.find((f) => f.example === 'acme')!;
    const set = panos.render(acme.device, acme.model)[1]!.content;
    expect(set).toMatch(/^set rulebase security rules allow-office-web\S* from transit$/m);
    expect(set).toMatch(/^set rulebase security rules allow-office-web\S* to dmz$/m);
  });
});

describe('paloalto-panos: strict uRPF as zone protection', () => {
  const acme = exampleDevices('paloalto-panos').find((f) => f.example === 'acme')!;
  const xml = (): string => panos.render(acme.device, acme.model)[0]!.content;
  const read = (text: string) => panos.read([{ path: 'fw1.xml', content: text }], contextOf(acme.device));

  it('a zone whose interfaces all have strict uRPF discards spoofed sources; no other zone does', () => {
    const dmz = acme.device.zones.find((z) => z.name === 'dmz')!;
    expect(dmz.interfaces.map((n) => acme.device.interfaces.find((i) => i.name === n)!.urpf)).toEqual(['strict']);
    const set = panos.render(acme.device, acme.model)[1]!.content;
    expect(set).toContain('set zone dmz network zone-protection-profile strict-urpf\n');
    expect(set).toContain('set network profiles zone-protection-profile strict-urpf discard-ip-spoof yes\n');
    expect(set.match(/zone-protection-profile strict-urpf\n/g)).toHaveLength(1);
  });

  it('removing the check, or switching it off, reads back without uRPF', () => {
    const text = xml();
    for (const edited of [text.replace(/\n\s*<zone-protection-profile>strict-urpf<\/zone-protection-profile>/, ''), text.replace('<discard-ip-spoof>yes</discard-ip-spoof>', '<discard-ip-spoof>no</discard-ip-spoof>')]) {
      expect(edited).not.toBe(text);
      const r = read(edited);
      expect(r.diagnostics).toEqual([]);
      expect(r.device!.interfaces.filter((i) => i.urpf !== undefined)).toEqual([]);
    }
    expect(read(text.replace('<discard-ip-spoof>yes</discard-ip-spoof>', '<discard-ip-spoof>maybe</discard-ip-spoof>')).diagnostics.map((d) => d.code)).toEqual(['R902']);
  });
});
