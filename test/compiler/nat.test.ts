// Address translation in the compiler (compiler/nat.ts, nat-views.ts): each attach device's
// `nat`, the routes a translated partner needs (its mapped prefixes inside, its real ones never),
// what is announced to it, and each filter's addresses as that filter sees them.

import { describe, expect, it } from 'vitest';
import type { DeviceModel, FilterRule, NetworkModel } from '../../compiler/model.js';
import { compileText, device, nextDevices, route } from './helpers.js';
import { EGRESS, onEdge, OVERLAP, STATIC_INSIDE } from './nat-intents.js';

const rulesOf = (d: DeviceModel, filter: string): FilterRule[] => d.filters.find((f) => f.name === filter)!.rules;
/** The policy rule's match on a filter (not anti-spoofing, replies or ICMP errors). */
const policyRule = (rules: FilterRule[], text: string): FilterRule => rules.find((r) => r.description.startsWith(text))!;

function compiled(text: string): NetworkModel {
  const { model, diagnostics } = compileText(text);
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return model;
}

describe('NAT in the compiler', () => {
  it('an overlapping partner: the IOS-XE edge translates both ways, inside = links and segments, outside = the attachment', () => {
    const model = compiled(OVERLAP);
    const edge = device(model, 'fra1.edge1');
    expect(edge.nat).toMatchObject({
      inside: [edge.interfaces.find((i) => i.role === 'link')!.name],
      outside: [edge.interfaces.find((i) => i.role === 'external')!.name],
      translations: [
        { kind: 'static', realSide: 'inside', real: '10.20.0.0/24', mapped: '100.64.20.0/24', description: 'apps appears to partner as 100.64.20.0/24' },
        { kind: 'static', realSide: 'outside', real: '10.20.0.0/24', mapped: '198.18.20.0/24', description: 'partner appears to us as 198.18.20.0/24' },
      ],
    });
    expect(edge.nat!.translations[0]!.origin.start.line).toBe(OVERLAP.split('\n').indexOf('  translate apps as 100.64.20.0/24') + 1);
    // Only the attach device translates.
    expect(model.devices.filter((d) => d.nat).map((d) => d.id)).toEqual(['fra1.edge1']);
    // The partner keeps its 10.20.0.0/24 as an endpoint, though apps is 10.20.0.0/24 too.
    expect(model.endpoints.find((e) => e.name === 'partner')).toMatchObject({ include: ['10.20.0.0/24'], exclude: [] });
  });

  it('an overlapping partner: routed inside by its mapped prefix, announced our mapped prefix, its real prefix never redistributed', () => {
    const model = compiled(OVERLAP);
    const edge = device(model, 'fra1.edge1');
    const neighbor = edge.bgp!.neighbors[0]!;
    expect(neighbor.exportPrefixes).toEqual(['100.64.20.0/24']);
    // Accepting its 10.20.0.0/24 would win over our apps at the edge (eBGP before OSPF).
    expect(neighbor.importPrefixes).toEqual([]);
    expect(edge.staticRoutes.map((r) => [r.prefix, r.nextHop, r.discard])).toEqual([
      ['100.64.20.0/24', undefined, true],
      ['198.18.20.0/24', '169.254.20.2', undefined],
    ]);
    expect(edge.ospf!.redistribute).toEqual([{ protocol: 'static', prefixes: ['198.18.20.0/24'] }]);
    for (const id of ['fra1.core1', 'fra1.core2']) {
      expect(route(model, id, '198.18.20.0/24')?.protocol, id).toBe('ospf');
      expect(model.devices.flatMap((d) => d.ospf?.redistribute ?? []).flatMap((r) => r.prefixes)).not.toContain('10.20.0.0/24');
    }
    expect(nextDevices(model, 'fra1.core2', '198.18.20.0/24')).toEqual(['fra1.core1']);
    expect(nextDevices(model, 'fra1.core1', '198.18.20.0/24')).toEqual(['fra1.edge1']);
    // Our own apps stay ours everywhere, the edge included.
    expect(route(model, 'fra1.edge1', '10.20.0.0/24')?.protocol).toBe('ospf');
    expect(route(model, 'fra1.core2', '10.20.0.0/24')?.protocol).toBe('connected');
  });

  it('an overlapping partner: the IOS-XE edge filters see the outside as the partner sees it, the inside filters the partner as mapped', () => {
    const model = compiled(OVERLAP);
    const edge = device(model, 'fra1.edge1');
    // In-ACL from the partner, as arrived: its real source, our mapped destination.
    expect(policyRule(rulesOf(edge, 'ext-partner-in'), 'allow partner -> api').match).toMatchObject({ sources: ['10.20.0.0/24'], destinations: ['100.64.20.10/32'] });
    // Out-ACL toward it, as it leaves: office is not translated, the partner by its real prefix.
    expect(policyRule(rulesOf(edge, 'ext-partner-out'), 'allow office -> partner').match).toMatchObject({ sources: ['10.30.0.0/24'], destinations: ['10.20.0.0/24'] });
    expect(policyRule(rulesOf(edge, 'ext-partner-out'), 'replies of allow partner -> api').match).toMatchObject({ sources: ['100.64.20.10/32'], destinations: ['10.20.0.0/24'] });
    // Inside, the partner is 198.18.20.0/24.
    expect(policyRule(rulesOf(device(model, 'fra1.core1'), 'seg-office-in'), 'allow office -> partner').match.destinations).toEqual(['198.18.20.0/24']);
    expect(policyRule(rulesOf(device(model, 'fra1.core2'), 'seg-apps-out'), 'allow partner -> api').match.sources).toEqual(['198.18.20.0/24']);
  });

  it('static inside on nftables and PAN-OS edges: the forward filter sees real addresses, PAN-OS security rules the addresses as arrived', () => {
    for (const platform of ['frr', 'linux']) {
      const edge = device(compiled(onEdge(STATIC_INSIDE, `router edge1 ${platform}`)), 'fra1.edge1');
      expect(edge.nat!.translations.map((t) => t.kind)).toEqual(['static']);
      expect(policyRule(rulesOf(edge, 'ext-partner-in'), 'allow partner -> api').match.destinations, platform).toEqual(['10.20.0.10/32']);
      expect(policyRule(rulesOf(edge, 'ext-partner-out'), 'allow apps -> partner').match.sources, platform).toEqual(['10.20.0.0/24']);
    }
    const fw = device(compiled(onEdge(STATIC_INSIDE, 'firewall edge1 paloalto-panos')), 'fra1.edge1');
    expect(policyRule(fw.securityRules, 'allow partner -> api').match).toMatchObject({ sources: ['172.16.0.0/16'], destinations: ['100.64.20.10/32'], fromZones: ['partner'] });
    expect(policyRule(fw.securityRules, 'allow apps -> partner').match).toMatchObject({ sources: ['10.20.0.0/24'], destinations: ['172.16.0.0/16'] });
  });

  it('egress: published services before overloads, the overload address ours on the attachment; IOS-XE filters see it', () => {
    const model = compiled(onEdge(EGRESS, 'router gw1 cisco-iosxe'));
    const gw = device(model, 'fra1.gw1');
    expect(gw.nat!.translations).toMatchObject([
      { kind: 'static', realSide: 'inside', real: '10.40.0.10/32', mapped: '203.0.113.10/32', service: { protocol: 6, port: 443, realPort: 443 }, description: 'web : https published to internet at 203.0.113.10' },
      { kind: 'pat', sources: ['10.30.0.0/24'], address: '203.0.113.2', description: 'office share 203.0.113.2 toward internet' },
    ]);
    // Out-ACL as it leaves: office's connections from the shared address; their replies arrive to it.
    expect(policyRule(rulesOf(gw, 'ext-internet-out'), 'allow office -> internet').match.sources).toEqual(['203.0.113.2/32']);
    expect(policyRule(rulesOf(gw, 'ext-internet-in'), 'replies of allow office -> internet').match.destinations).toEqual(['203.0.113.2/32']);
    // In-ACL as arrived: web at its public address (and its own, which is not translated).
    expect(policyRule(rulesOf(gw, 'ext-internet-in'), 'allow internet -> web').match.destinations).toEqual(['10.40.0.10/32', '203.0.113.10/32']);
    // The internet is routed as before: the gateway's default, redistributed.
    expect(gw.staticRoutes.map((r) => [r.prefix, r.nextHop])).toEqual([['0.0.0.0/0', '203.0.113.1']]);
  });

  it('an overload with its own address; a prefix of ours written as a literal, translated in the order written', () => {
    const egress = device(compiled(onEdge(EGRESS, 'router gw1 frr').replace('translate office overload', 'translate office overload 203.0.113.9')), 'fra1.gw1');
    expect(egress.nat!.translations.map((t) => (t.kind === 'pat' ? `pat ${t.address}` : t.mapped))).toEqual(['203.0.113.10/32', 'pat 203.0.113.9']);
    const text = onEdge(STATIC_INSIDE, 'router edge1 frr').replace('  translate apps', '  translate 10.30.0.0/24 as 100.64.30.0/24\n  translate apps');
    const edge = device(compiled(text), 'fra1.edge1');
    expect(edge.nat!.translations.map((t) => (t.kind === 'static' ? `${t.real} ${t.mapped} ${t.description}` : t.kind))).toEqual([
      '10.30.0.0/24 100.64.30.0/24 10.30.0.0/24 appears to partner as 100.64.30.0/24',
      '10.20.0.0/24 100.64.20.0/24 apps appears to partner as 100.64.20.0/24',
    ]);
  });

  it('C726: a published service no rule allows from its external (publish opens nothing by itself)', () => {
    const codes = (text: string) => compileText(text).diagnostics.filter((d) => d.code === 'C726');
    const egress = onEdge(EGRESS, 'router gw1 frr');
    expect(codes(egress)).toEqual([]);
    // By the host's segment, or from any: allowed too.
    expect(codes(egress.replace('allow internet -> web : https', 'allow any -> dmz : http, https'))).toEqual([]);
    const [warning, ...rest] = codes(egress.replace('allow internet -> web : https', 'allow internet -> web : ssh'));
    expect(rest).toEqual([]);
    expect(warning).toMatchObject({ severity: 'warning', message: 'web : https is published to internet at 203.0.113.10, but no rule allows internet -> web : https: nothing reaches it' });
    expect(warning!.span.start.line).toBe(egress.split('\n').findIndex((l) => l.includes('publish web')) + 1);
  });

  it('an intent without translations gets no nat anywhere', () => {
    const model = compiled(onEdge(EGRESS, 'router gw1 frr').replace(/ {2}(publish|translate) .*\n/g, ''));
    expect(model.devices.some((d) => d.nat)).toBe(false);
  });
});

describe('the discard route of a translated export', () => {
  it('the device that announces a mapped prefix holds a route to nowhere for it, in its FIB, redistributed nowhere', () => {
    const model = compiled(OVERLAP);
    const edge = device(model, 'fra1.edge1');
    const discard = edge.staticRoutes.find((r) => r.discard)!;
    expect(discard).toMatchObject({ prefix: '100.64.20.0/24', discard: true });
    expect(discard.nextHop).toBeUndefined();
    expect(discard.interface).toBeUndefined();
    // Its origin is the translation that makes the export.
    expect(discard.origin.start.line).toBe(OVERLAP.split('\n').indexOf('  translate apps as 100.64.20.0/24') + 1);
    expect(route(model, 'fra1.edge1', '100.64.20.0/24')).toEqual({ prefix: '100.64.20.0/24', protocol: 'static', nextHops: [], metric: 0 });
    // Our network routes nothing to the mapped range: it means nothing inside.
    expect(model.devices.flatMap((d) => d.ospf?.redistribute ?? []).flatMap((r) => r.prefixes)).not.toContain('100.64.20.0/24');
    for (const id of ['fra1.core1', 'fra1.core2']) expect(route(model, id, '100.64.20.0/24'), id).toBeUndefined();
  });

  it('only for what is exported by BGP: a translation toward a static external, and an announced prefix of our own, get none', () => {
    const statics = device(compiled(onEdge(STATIC_INSIDE, 'router edge1 cisco-iosxe')), 'fra1.edge1');
    expect(statics.staticRoutes.filter((r) => r.discard)).toEqual([]);
    // An announced host within the translated segment: the discard route is its image, exactly.
    const host = compiled(OVERLAP.replace('  announce apps\n', '  announce api\n'));
    const edge = device(host, 'fra1.edge1');
    expect(edge.bgp!.neighbors[0]!.exportPrefixes).toEqual(['100.64.20.10/32']);
    expect(edge.staticRoutes.filter((r) => r.discard).map((r) => r.prefix)).toEqual(['100.64.20.10/32']);
    // Without the translation, the announced prefix is ours, routed already: no discard route.
    const plain = compiled(OVERLAP.replace('  translate apps as 100.64.20.0/24\n', '').replace('  translate partner as 198.18.20.0/24\n', '').replace('prefixes 10.20.0.0/24', 'prefixes 10.21.0.0/24'));
    expect(device(plain, 'fra1.edge1').staticRoutes.filter((r) => r.discard)).toEqual([]);
  });
});
