// The compiler's hardening defaults on the examples and on small intents made to show each case:
// the special-purpose ranges an external loses, the anti-spoofing rule that starts the filter
// entering from an external on a router, uRPF per segment and external interface (strict, loose,
// none, and strict kept under every single failure), and GTSM and maximum-prefix on eBGP.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { DeviceModel, NetworkModel } from '../../compiler/model.js';
import { SPECIAL_PURPOSE_RANGES } from '../../compiler/special-purpose.js';
import { urpfModes } from '../../compiler/urpf.js';
import { formatPrefix, prefixOf } from '../../language/address.js';
import { failModel, failureElements } from '../../verifier/failures-network.js';
import { simulate } from '../../verifier/simulate.js';
import { compileText, device } from './helpers.js';

const example = (name: string): NetworkModel =>
  compileText(readFileSync(`examples/${name}/${name}.plumb`, 'utf8'), `examples/${name}/${name}.plumb`).model;

const BOGONS_V4 = [
  '0.0.0.0/8', '10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12', '192.0.0.0/24',
  '192.0.2.0/24', '192.168.0.0/16', '198.18.0.0/15', '198.51.100.0/24', '203.0.113.0/24',
  '224.0.0.0/3', // 224.0.0.0/4 (multicast) and 240.0.0.0/4 (reserved), merged
];
const BOGONS_V6 = ['::/127', '::ffff:0:0/96', '100::/64', '2001:db8::/32', '3fff::/20', 'fc00::/7', 'fe80::/10', 'ff00::/8'];

const endpoint = (model: NetworkModel, name: string) => model.endpoints.find((e) => e.name === name)!;
const filterRules = (d: DeviceModel, name: string) => d.filters.find((f) => f.name === name)!.rules;

/** Every segment and external interface with its uRPF mode ('none' when it has none), and every other interface's. */
function urpfTable(model: NetworkModel): Record<string, string> {
  const out: Record<string, string> = {};
  for (const d of model.devices) {
    for (const i of d.interfaces) out[`${d.id} ${i.name} ${i.role} ${i.segment ?? i.external ?? ''}`.trim()] = i.urpf ?? 'none';
  }
  return out;
}

const edgeOnly = (table: Record<string, string>) => Object.fromEntries(Object.entries(table).filter(([k]) => / (segment|external) /.test(k)));

describe('special-purpose ranges leave the externals that only cover them', () => {
  it('lists each range once, canonical', () => {
    const texts = SPECIAL_PURPOSE_RANGES.map((r) => r.prefix);
    expect(texts.map((t) => formatPrefix(prefixOf(t)))).toEqual(texts);
    expect(new Set(texts).size).toBe(texts.length);
    expect(texts).toHaveLength(23);
  });

  it('acme: the internet (0.0.0.0/0) loses them, our own 10.x and 203.0.113.0/30 inside them; snowflake keeps its documentation prefix', () => {
    const model = example('acme');
    expect(endpoint(model, 'internet').exclude).toEqual(BOGONS_V4);
    expect(endpoint(model, 'snowflake')).toMatchObject({ include: ['198.51.100.0/24'], exclude: [] });
  });

  it('harbor: ::/0 loses the IPv6 ranges too; the partner inside 2001:db8::/32 keeps its /48', () => {
    const model = example('harbor');
    expect(endpoint(model, 'internet').exclude).toEqual([...BOGONS_V4, ...BOGONS_V6]);
    expect(endpoint(model, 'partner')).toMatchObject({ include: ['2001:db8:700::/48'], exclude: [] });
  });

  it('multicloud: the carrier keeps 192.0.2.0/24 and the data lake 198.51.100.0/24, declared', () => {
    const model = example('multicloud');
    expect(endpoint(model, 'carrier')).toMatchObject({ include: ['192.0.2.0/24'], exclude: [] });
    expect(endpoint(model, 'datalake')).toMatchObject({ include: ['198.51.100.0/24'], exclude: [] });
    expect(endpoint(model, 'internet').exclude).toEqual(BOGONS_V4);
  });

  it('a partner keeps what it declares inside a range, and loses the rest of a range it only covers', () => {
    const { model } = compileText(`routing ospf
pool infra 10.255.0.0/16
site s {
  router r frr
}
segment office 8.20.0.0/24 at s.r
external partner {
  prefixes 10.0.0.0/8, 172.16.5.0/24
  attach s.r address 192.0.2.1/30 gateway 192.0.2.2
}
external mixed {
  prefixes 0.0.0.0/0, 192.168.7.0/24
  attach s.r address 192.0.2.5/30 gateway 192.0.2.6
}
policy {
  allow office -> partner, mixed : https
}
`);
    // Only our own infrastructure leaves the partner's 10.0.0.0/8.
    expect(endpoint(model, 'partner').exclude).toEqual(['10.255.0.0/16']);
    // 192.168.7.0/24 stays; the rest of 192.168.0.0/16 goes; our public segment 8.20.0.0/24 goes too.
    const mixed = endpoint(model, 'mixed').exclude;
    expect(mixed).toContain('8.20.0.0/24');
    expect(mixed).toContain('192.168.6.0/24');
    expect(mixed).toContain('192.168.8.0/21');
    expect(mixed).not.toContain('192.168.0.0/16');
    expect(mixed).not.toContain('192.168.7.0/24');
    expect(mixed).toContain('172.16.0.0/12'); // the partner's more specific 172.16.5.0/24 is inside it
    expect(mixed).toContain('10.0.0.0/8');
  });
});

describe('anti-spoofing at externals on routers', () => {
  const model = example('acme');
  const edge1 = device(model, 'fra1.edge1');

  it("edge1's filters entering from the internet and from snowflake start by denying every source outside the external", () => {
    const internet = filterRules(edge1, 'ext-internet-in');
    expect(internet[0]).toMatchObject({
      action: 'deny',
      match: { sources: [...BOGONS_V4, '::/0'] },
      description: 'anti-spoofing: external internet sends only from its own addresses',
    });
    expect(internet[0]!.origin.start.line).toBe(41); // the attach line
    expect(Object.keys(internet[0]!.match)).toEqual(['sources']);
    const snowflake = filterRules(edge1, 'ext-snowflake-in');
    expect(snowflake[0]).toMatchObject({
      action: 'deny',
      match: {
        sources: [
          '0.0.0.0/1', '128.0.0.0/2', '192.0.0.0/6', '196.0.0.0/7', '198.0.0.0/11', '198.32.0.0/12', '198.48.0.0/15',
          '198.50.0.0/16', '198.51.0.0/18', '198.51.64.0/19', '198.51.96.0/22', '198.51.101.0/24', '198.51.102.0/23',
          '198.51.104.0/21', '198.51.112.0/20', '198.51.128.0/17', '198.52.0.0/14', '198.56.0.0/13', '198.64.0.0/10',
          '198.128.0.0/9', '199.0.0.0/8', '200.0.0.0/5', '208.0.0.0/4', '224.0.0.0/3', '::/0',
        ],
      },
    });
    // Only there: not leaving to an external, not at segments, and no other rule of those filters.
    for (const d of model.devices) {
      for (const f of d.filters) {
        const spoof = f.rules.map((r, i) => (r.description.startsWith('anti-spoofing') ? i : -1)).filter((i) => i >= 0);
        expect(spoof).toEqual(d.id === 'fra1.edge1' && f.name.endsWith('-in') && f.name.startsWith('ext-') ? [0] : []);
      }
    }
  });

  it('drops bogons from the internet at its first rule, spoofed sources that route elsewhere by uRPF, and admits a real one', () => {
    const packet = (source: string) => ({ family: 4 as const, source, destination: '10.10.1.80', protocol: 6, sourcePort: 40000, destinationPort: 443, tcpFlags: ['syn' as const] });
    const ingress = { device: 'fra1.edge1', interface: 'GigabitEthernet3' };
    // The default route sends replies to these back by the internet's interface: uRPF passes
    // them, the anti-spoofing rule does not.
    for (const source of ['192.168.1.1', '100.64.0.9', '172.20.0.1', '224.1.1.1']) {
      const [trace] = simulate(model, packet(source), { ingress });
      expect(trace!.outcome, source).toEqual({ kind: 'dropped', device: 'fra1.edge1', stage: 'in' });
      const decision = trace!.hops[0]!.decisions.find((d) => d.stage === 'in')!;
      expect(decision, source).toMatchObject({ filter: 'ext-internet-in', rule: 1, action: 'deny' });
    }
    // The office's and snowflake's addresses route back by other interfaces: strict uRPF drops them first.
    for (const source of ['10.20.1.1', '198.51.100.7']) {
      const [trace] = simulate(model, packet(source), { ingress });
      expect(trace!.outcome, source).toEqual({ kind: 'dropped', device: 'fra1.edge1', stage: 'urpf' });
    }
    const [ok] = simulate(model, packet('8.8.8.8'), { ingress });
    expect(ok!.outcome).toMatchObject({ kind: 'delivered', endpoints: ['web'] });
  });
});

describe('uRPF on segment and external interfaces', () => {
  it('acme: strict everywhere an endpoint attaches (every route back leaves where it came in), none on links and loopbacks', () => {
    const table = urpfTable(example('acme'));
    expect(edgeOnly(table)).toEqual({
      'ams1.core2 eth3 segment noc': 'strict',
      'ams1.core2 eth4 segment office': 'strict',
      'ams1.gw1 eth2 segment guest': 'strict',
      'fra1.core1 eth3 segment db': 'strict',
      'fra1.edge1 GigabitEthernet3 external internet': 'strict', // the default route leaves by it
      'fra1.edge1 GigabitEthernet4 external snowflake': 'strict', // its eBGP route leaves by it
      'fra1.fw1 ethernet1/3 segment web': 'strict',
    });
    expect(Object.entries(table).filter(([k, v]) => !/ (segment|external) /.test(k) && v !== 'none')).toEqual([]);
  });

  it("harbor: the internet's two attachments, one per family, are loose: each may bring the other family, routed back by the other", () => {
    expect(edgeOnly(urpfTable(example('harbor')))).toEqual({
      'sea1.core eth3 segment office': 'strict',
      'sea1.edge GigabitEthernet3 external internet': 'loose', // ::/0 leaves by GigabitEthernet4
      'sea1.edge GigabitEthernet4 external internet': 'loose', // 0.0.0.0/0 leaves by GigabitEthernet3
      'sea1.edge GigabitEthernet5 external partner': 'strict',
      'sea1.fw ethernet1/3 segment dmz': 'strict',
      'sea1.lab eth2 segment lab6': 'strict',
    });
  });

  it('multicloud: strict on every segment and on the carrier, data lake and internet attachments', () => {
    expect(edgeOnly(urpfTable(example('multicloud')))).toEqual({
      'euc.tgw1 eth4 segment db-euc': 'strict',
      'euc.wl1 eth2 segment app-euc': 'strict',
      'fra.core1 eth4 segment corp': 'strict',
      'fra.core1 eth5 segment mgmt': 'strict',
      'fra.edge1 GigabitEthernet3 external carrier': 'strict',
      'fra.edge1 GigabitEthernet4 external internet': 'strict',
      'fra.fw1 ethernet1/3 segment dmz': 'strict',
      'sae.tgw2 eth4 segment etl-sae': 'strict',
      'sae.tgw2 eth5 external datalake': 'strict',
      'sae.wl2 eth2 segment app-sae': 'strict',
    });
  });

  const UPSTREAMS = `routing ospf
pool infra 10.255.0.0/16
site s {
  router edge cisco-iosxe asn 65001
  router core frr
  link edge -- core
}
segment office 10.20.0.0/16 at s.core
external isp-a {
  prefixes 0.0.0.0/0
  attach s.edge address 203.0.113.2/30 gateway 203.0.113.1
}
external isp-b {
  asn 64500
  prefixes 0.0.0.0/0
  attach s.edge address 198.51.100.2/30 peer 198.51.100.1
}
external partner {
  asn 64700
  prefixes 8.8.0.0/16
  attach s.edge address 192.0.2.1/30 peer 192.0.2.2
  attach s.edge address 192.0.2.5/30 peer 192.0.2.6
}
policy {
  allow office -> isp-a, isp-b, partner : https
}
`;

  it('loose where the route back leaves by another interface: a second upstream whose default loses to the static one', () => {
    const model = compileText(UPSTREAMS).model;
    const edge = device(model, 's.edge');
    // The static default (distance 1) beats isp-b's eBGP default (20): replies to isp-b's
    // sources leave by isp-a's interface, so strict uRPF would drop what isp-b sends.
    expect(edge.fib.find((r) => r.prefix === '0.0.0.0/0')!.nextHops.map((h) => h.interface)).toEqual(['GigabitEthernet3']);
    expect(edgeOnly(urpfTable(model))).toEqual({
      's.core eth2 segment office': 'strict',
      's.edge GigabitEthernet3 external isp-a': 'strict',
      's.edge GigabitEthernet4 external isp-b': 'loose',
      // Two sessions to one partner: its prefix is ECMP over both, and strict passes on either.
      's.edge GigabitEthernet5 external partner': 'strict',
      's.edge GigabitEthernet6 external partner': 'strict',
    });
    expect(edge.fib.find((r) => r.prefix === '8.8.0.0/16')!.nextHops.map((h) => h.interface)).toEqual(['GigabitEthernet5', 'GigabitEthernet6']);
  });

  it('none where some address has no route back at all (even loose would drop it), in either family', () => {
    const model = compileText(UPSTREAMS).model;
    const edge = device(model, 's.edge');
    const modes = (fib: DeviceModel['fib']) => urpfModes([{ ...edge, fib }], model.endpoints).get('s.edge');
    expect(modes(edge.fib)?.get('GigabitEthernet5')).toBe('strict');
    // Without the partner's route (a config read back without its session), its sources have no route.
    const withoutPartner = edge.fib.filter((r) => r.prefix !== '8.8.0.0/16' && r.prefix !== '0.0.0.0/0');
    expect(modes(withoutPartner)?.get('GigabitEthernet5')).toBeUndefined();
    // With only the default, via isp-a, the partner's sources route back by another interface: loose.
    expect(modes(edge.fib.filter((r) => r.prefix !== '8.8.0.0/16'))?.get('GigabitEthernet5')).toBe('loose');
    // An IPv6 prefix of the partner may enter by its IPv4 attachments too (the model's entry
    // rule), and the device has no IPv6 route at all.
    const dual = model.endpoints.map((e) => (e.name === 'partner' ? { ...e, include: [...e.include, '2001:db8:8::/48'] } : e));
    expect(urpfModes([edge], dual).get('s.edge')?.get('GigabitEthernet5')).toBeUndefined();
  });

  it('strict stays strict under every single link or device failure (its routes back are connected, static or eBGP)', () => {
    let checked = 0;
    for (const name of ['acme', 'multicloud', 'failover', 'campus', 'harbor']) {
      const model = example(name);
      const { links, devices } = failureElements(model);
      for (const element of [...links, ...devices]) {
        const failed = failModel(model, [element.failure]);
        const modes = urpfModes(failed.devices, failed.endpoints);
        for (const d of failed.devices) {
          for (const i of d.interfaces) {
            if (i.urpf !== 'strict') continue;
            // An endpoint whose attachment failed sends nothing there.
            if (!failed.endpoints.some((e) => e.attachments.some((a) => a.device === d.id && a.interface === i.name))) continue;
            expect(modes.get(d.id)?.get(i.name), `${name}: ${d.id} ${i.name} after ${element.key}`).toBe('strict');
            checked++;
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
  });
});

describe('eBGP neighbours', () => {
  it('get GTSM with one hop and a maximum-prefix of their import prefixes', () => {
    const neighbours = (model: NetworkModel) =>
      model.devices.flatMap((d) => (d.bgp?.neighbors ?? []).map((n) => [d.id, n.address, n.ttlSecurity, n.maxPrefixes, n.importPrefixes.length]));
    expect(neighbours(example('acme'))).toEqual([['fra1.edge1', '169.254.10.2', 1, 1, 1]]);
    expect(neighbours(example('harbor'))).toEqual([['sea1.edge', '2001:db8:ffff:7::2', 1, 1, 1]]);
    expect(neighbours(example('multicloud'))).toEqual([
      ['fra.edge1', '169.254.30.2', 1, 1, 1],
      ['sae.tgw2', '169.254.20.2', 1, 1, 1],
    ]);
  });

  it('count the prefixes of the session family, and at least 1', () => {
    const { model } = compileText(`routing ospf
pool infra 10.255.0.0/16
site s {
  router edge frr asn 65001
}
segment office 10.20.0.0/16 at s.edge
external partner {
  asn 64700
  prefixes 8.8.0.0/16, 8.9.0.0/16, 9.9.9.0/24, 2001:db8:8::/48
  attach s.edge address 192.0.2.1/30 peer 192.0.2.2
  attach s.edge address 2001:db8:ffff::1/126 peer 2001:db8:ffff::2
}
external v4only {
  asn 64800
  prefixes 7.7.0.0/16
  attach s.edge address 2001:db8:ffff::5/126 peer 2001:db8:ffff::6
}
policy {
  allow office -> partner, v4only : https
}
`);
    const byPeer = Object.fromEntries(device(model, 's.edge').bgp!.neighbors.map((n) => [n.address, [n.importPrefixes.length, n.maxPrefixes, n.ttlSecurity]]));
    expect(byPeer).toEqual({
      '192.0.2.2': [3, 3, 1],
      '2001:db8:ffff::2': [1, 1, 1],
      '2001:db8:ffff::6': [0, 1, 1], // an IPv6 session to an IPv4-only external (C710) accepts nothing
    });
  });
});
