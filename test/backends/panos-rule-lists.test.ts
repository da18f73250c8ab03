// A security rule's member lists as the renderer makes them (backends/paloalto-panos/
// render-policy.ts): `any`, one zone, one address object or one group is a one-member list made
// without a list of values and shared by every rule of the vsys naming the same value; several
// zones are a list of their own; several prefixes are an address group named after the first
// rule that needs it (`<rule>-src`, `<rule>-dst`) and found again by its members, in order.

import { describe, expect, it } from 'vitest';
import type { DeviceModel, FilterRule, Match } from '../../compiler/model.js';
import { vsysXml } from '../../backends/paloalto-panos/render-policy.js';
import type { XmlElement } from '../../backends/paloalto-panos/xml.js';
import { firewall } from './vendor-fixtures.js';

const origin = { file: 'l.plumb', start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 2, offset: 1 } };
const rule = (description: string, match: Match): FilterRule => ({ action: 'permit', match, origin, description });

/** The firewall of the fixtures with `rules` as its zone policy. */
function withRules(rules: FilterRule[]): DeviceModel {
  return { ...firewall(), securityRules: rules };
}

const kids = (e: XmlElement): XmlElement[] => e.children.filter((c): c is XmlElement => c.kind === 'element');
const child = (e: XmlElement, name: string): XmlElement => kids(e).find((c) => c.name === name)!;
const values = (list: XmlElement): string[] => kids(list).map((m) => m.text!);

/** The vsys's rules by name, its address objects (name → prefix) and groups (name → members). */
function rendered(d: DeviceModel): { rules: Map<string, XmlElement>; addresses: Map<string, string>; groups: Map<string, string[]> } {
  const vsys = vsysXml(d);
  const rules = new Map(kids(child(child(child(vsys, 'rulebase'), 'security'), 'rules')).map((r) => [r.attrs.name!, r]));
  const addresses = new Map(kids(child(vsys, 'address')).map((a) => [a.attrs.name!, child(a, 'ip-netmask').text!]));
  const groups = new Map(kids(child(vsys, 'address-group')).map((g) => [g.attrs.name!, values(child(g, 'static'))]));
  return { rules, addresses, groups };
}

describe('PAN-OS security rules: member lists', () => {
  const d = withRules([
    rule('one', { destinations: ['10.1.0.0/24'], fromZones: ['core'] }),
    rule('two', { sources: ['10.2.0.0/24', '10.1.0.0/24'], destinations: ['10.1.0.0/24'], toZones: ['dmz'] }),
    rule('three', { sources: ['10.2.0.0/24', '10.1.0.0/24'], destinations: ['10.1.0.0/24', '10.2.0.0/24'], fromZones: ['core', 'dmz'] }),
    rule('four', { sources: ['10.3.0.1/32'], destinations: ['10.2.0.0/24', '10.1.0.0/24'], fromZones: ['dmz', 'core'], toZones: ['core'], protocol: 6, destinationPorts: [{ from: 22, to: 22 }] }),
  ]);
  const { rules, addresses, groups } = rendered(d);
  const list = (r: string, tag: string): XmlElement => child(rules.get(r)!, tag);

  it('name any, a zone, an address object or a group as the rule says', () => {
    const lists = (r: string): string[][] => ['from', 'to', 'source', 'destination', 'source-user', 'category', 'application', 'service'].map((t) => values(list(r, t)));
    expect(lists('one')).toEqual([['core'], ['any'], ['any'], ['n-10.1.0.0_24'], ['any'], ['any'], ['any'], ['any']]);
    expect(lists('two')).toEqual([['any'], ['dmz'], ['two-src'], ['n-10.1.0.0_24'], ['any'], ['any'], ['any'], ['any']]);
    expect(lists('three')).toEqual([['core', 'dmz'], ['any'], ['two-src'], ['three-dst'], ['any'], ['any'], ['any'], ['any']]);
    expect(lists('four')).toEqual([['dmz', 'core'], ['core'], ['h-10.3.0.1'], ['two-src'], ['any'], ['any'], ['any'], ['tcp-22']]);
  });

  it('define each address object and group once, a group by its members in order', () => {
    expect(Object.fromEntries(addresses)).toMatchObject({ 'n-10.1.0.0_24': '10.1.0.0/24', 'n-10.2.0.0_24': '10.2.0.0/24', 'h-10.3.0.1': '10.3.0.1/32' });
    expect(Object.fromEntries(groups)).toMatchObject({ 'two-src': ['n-10.2.0.0_24', 'n-10.1.0.0_24'], 'three-dst': ['n-10.1.0.0_24', 'n-10.2.0.0_24'] });
    expect([...groups.keys()].filter((g) => g.startsWith('one-') || g.startsWith('four-'))).toEqual([]);
  });

  it('share a one-member list among the rules naming the same value, never a list of several', () => {
    expect(list('two', 'destination')).toBe(list('one', 'destination'));
    expect(list('three', 'source')).toBe(list('two', 'source'));
    expect(list('four', 'source-user')).toBe(list('one', 'source-user'));
    // the same group under another tag: its own list
    expect(list('four', 'destination')).not.toBe(list('two', 'source'));
    expect(list('one', 'to')).toBe(list('three', 'to'));
    expect(list('one', 'to')).not.toBe(list('one', 'source'));
    expect(list('one', 'from').shared).toBe(true);
    expect(list('four', 'to').shared).toBe(true);
    expect(list('three', 'from').shared).toBeUndefined();
    expect(list('three', 'from')).not.toBe(list('four', 'from'));
  });
});
