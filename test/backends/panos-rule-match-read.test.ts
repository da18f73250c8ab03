// A security rule's zones and addresses as the reader gives them to the model (read-policy.ts,
// `ruleZones` and `rulePrefixes`): a zone by its model name where the configuration names it
// otherwise (a `plumb zone` annotation), a zone not defined by its configuration name with an
// R903; a rule's addresses through its groups, each prefix once and in address order.

import { describe, expect, it } from 'vitest';
import { paloaltoPanosBackend as panos } from '../../backends/paloalto-panos/index.js';
import { canonicalDevice } from '../../backends/canonical.js';
import type { DeviceModel } from '../../compiler/model.js';
import { contextOf, firewall, networkOf } from './vendor-fixtures.js';

/** The fixture firewall with its zone `untrust` called `name` in the model. */
function withZoneName(name: string): DeviceModel {
  return JSON.parse(JSON.stringify(firewall()).replaceAll('"untrust"', JSON.stringify(name))) as DeviceModel;
}

const readXml = (device: DeviceModel, text: string) => panos.read([{ path: 'fw1.xml', content: text }], contextOf(device));

describe('PAN-OS security rules: zones and addresses read back', () => {
  it('a zone whose configuration name is not its model name: the rules name the model name', () => {
    // too long for a PAN-OS zone name (31 characters): written shortened, with the model name annotated
    const long = 'untrust-zone-of-the-outside-world-beyond-the-edge';
    const device = withZoneName(long);
    const xml = panos.render(device, networkOf([device]))[0]!.content;
    expect(xml).toContain(`<!-- plumb zone name=${long} -->`);
    expect(xml).not.toContain(`<member>${long}</member>`);
    const read = readXml(device, xml);
    expect(read.diagnostics).toEqual([]);
    const zoned = read.device!.securityRules.filter((r) => [...(r.match.fromZones ?? []), ...(r.match.toZones ?? [])].includes(long));
    expect(zoned.length).toBeGreaterThan(0);
    expect(read.device).toEqual(canonicalDevice(device));
  });

  it('a zone not defined: each rule naming it keeps the configuration name, with an R903 at the rule', () => {
    const device = firewall();
    const xml = panos.render(device, networkOf([device]))[0]!.content;
    const at = xml.indexOf('<zone>');
    const entry = xml.indexOf('<entry name="untrust">', at);
    expect(entry).toBeGreaterThan(at);
    const text = xml.slice(0, entry) + '<entry name="untrust-gone">' + xml.slice(entry + '<entry name="untrust">'.length);
    const read = readXml(device, text);
    const uses = read.diagnostics.filter((d) => d.code === 'R903' && d.message.includes(' uses zone untrust,'));
    const rules = read.device!.securityRules.filter((r) => [...(r.match.fromZones ?? []), ...(r.match.toZones ?? [])].includes('untrust'));
    expect(rules.length).toBeGreaterThan(0);
    expect(uses.length).toBeGreaterThanOrEqual(rules.length);
  });

  it('a rule whose source names a group and an object: the prefixes of both, each once, in address order', () => {
    const device = firewall();
    const xml = panos.render(device, networkOf([device]))[0]!.content;
    // two address objects and a group of both, named by a rule's source beside one of them again
    const objects = [
      '<entry name="zz-b"><ip-netmask>10.9.0.0/16</ip-netmask></entry>',
      '<entry name="zz-a"><ip-netmask>10.1.0.0/16</ip-netmask></entry>',
    ].join('');
    const group = '<entry name="zz-group"><static><member>zz-b</member><member>zz-a</member></static></entry>';
    // the vsys's objects (an interface's `<address>` comes before them)
    const vsys = xml.indexOf('<vsys>');
    const objectsAt = xml.indexOf('<address>', vsys) + '<address>'.length;
    let text = xml.slice(0, objectsAt) + objects + xml.slice(objectsAt);
    const groupsAt = text.indexOf('<address-group>', vsys);
    text = groupsAt > 0 ? text.slice(0, groupsAt) + `<address-group>${group}` + text.slice(groupsAt + '<address-group>'.length) : text.replace('</address>\n', `</address><address-group>${group}</address-group>\n`);
    // a zone policy rule with any source (not a control-plane or local rule, which the reader checks apart)
    const ruleOf = /<entry name="([^"]+)">(?:(?!<entry name=)[\s\S])*?<source>\s*<member>any<\/member>\s*<\/source>/g;
    let rule: RegExpExecArray | null;
    while ((rule = ruleOf.exec(text)) !== null && /^(control-plane|local|default)/.test(rule[1]!));
    expect(rule).not.toBeNull();
    const start = text.indexOf(rule![0]);
    const source = text.indexOf('<source>', start);
    const end = text.indexOf('</source>', source);
    text = text.slice(0, source) + '<source><member>zz-group</member><member>zz-a</member>' + text.slice(end);
    const read = readXml(device, text);
    expect(read.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message)).toEqual([]);
    const rules = read.device!.securityRules.filter((r) => r.match.sources?.includes('10.9.0.0/16'));
    expect(rules).toHaveLength(1);
    expect(rules[0]!.match.sources).toEqual(['10.1.0.0/16', '10.9.0.0/16']);
  });
});
