// Each device's `local` filter (compiler/local.ts): the exact rules on examples/acme and
// examples/harbor, every device of every example has one, and a property: a packet the filter
// admits is one that a routing session, an ICMP error or a `manage` line of the intent asks for.

import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { addressOf, BITS, containsAddress, formatAddress, lastAddress, network, parsePrefix, prefixOf } from '../../language/address.js';
import type { CheckedIntent } from '../../language/intent.js';
import type { DeviceModel, FilterModel, FilterRule, NetworkModel } from '../../compiler/model.js';
import { compile } from '../../compiler/index.js';
import { matches } from '../../verifier/simulate.js';
import type { Packet } from '../../verifier/verdict.js';
import { checked, device } from './helpers.js';
import { prng } from '../../bench/generate.js';

const EXAMPLES = readdirSync('examples').filter((e) => readdirSync(`examples/${e}`).includes(`${e}.plumb`));
const exampleText = (name: string): string => readFileSync(`examples/${name}/${name}.plumb`, 'utf8');

/** The line (from 1) of the first line of `text` that starts with `start`, ignoring indentation. */
const lineOf = (text: string, start: string): number => text.split('\n').findIndex((l) => l.trimStart().startsWith(start)) + 1;

/** acme (which has a NOC segment and `manage from noc : ssh, ping`) with a second `manage` line. */
const ACME_MANAGED = `${exampleText('acme')}manage fra1.edge1 from fra1.core1, snowflake : snmp
`;
const NOC = lineOf(ACME_MANAGED, 'manage from noc');
const SNMP = lineOf(ACME_MANAGED, 'manage fra1.edge1');
const SNOWFLAKE_ATTACH = lineOf(exampleText('acme'), 'attach fra1.edge1 address 169.254');
const nocRules = (): string[] => [
  `permit {"sources":["10.50.0.0/24"],"protocol":6,"destinationPorts":[{"from":22,"to":22}]} @acme.plumb:${NOC} manage from noc : ssh, ping (acme.plumb:${NOC})`,
  `permit {"sources":["10.50.0.0/24"],"protocol":1,"icmpType":8} @acme.plumb:${NOC} manage from noc : ssh, ping (acme.plumb:${NOC})`,
];
const PARTNER_ATTACH = lineOf(exampleText('harbor'), 'attach sea1.edge address 2001:db8:ffff:7');
const ADMIN = lineOf(exampleText('harbor'), 'manage from admin');
const adminRules = (): string[] => [
  `permit {"sources":["10.30.0.10/32"],"protocol":6,"destinationPorts":[{"from":22,"to":22}]} @harbor.plumb:${ADMIN} manage from admin : ssh, ping (harbor.plumb:${ADMIN})`,
  `permit {"sources":["10.30.0.10/32"],"protocol":1,"icmpType":8} @harbor.plumb:${ADMIN} manage from admin : ssh, ping (harbor.plumb:${ADMIN})`,
];

function compiled(text: string, path: string): { intent: CheckedIntent; model: NetworkModel } {
  const intent = checked(text, path);
  return { intent, model: compile(intent).model };
}

function local(d: DeviceModel): FilterModel {
  const f = d.filters.find((x) => x.name === d.localFilter);
  if (!f) throw new Error(`${d.id} has no local filter`);
  return f;
}

/** A rule as one line: what the tests compare. */
const line = (r: FilterRule): string => `${r.action} ${JSON.stringify(r.match)} @${r.origin.file}:${r.origin.start.line} ${r.description}`;

const ICMP_ERRORS = (at: string): string[] => [
  `permit {"sources":["0.0.0.0/0"],"protocol":1,"icmpType":3} @${at} icmp errors`,
  `permit {"sources":["0.0.0.0/0"],"protocol":1,"icmpType":11} @${at} icmp errors`,
  `permit {"sources":["::/0"],"protocol":58,"icmpType":1} @${at} icmp errors`,
  `permit {"sources":["::/0"],"protocol":58,"icmpType":2} @${at} icmp errors`,
  `permit {"sources":["::/0"],"protocol":58,"icmpType":3} @${at} icmp errors`,
];

/** The addresses (no length) of a peer's interface at the other end of `device`'s link `iface`. */
function peerAddresses(model: NetworkModel, d: DeviceModel, iface: string): string[] {
  const i = d.interfaces.find((x) => x.name === iface)!;
  const peer = device(model, i.peer!.device).interfaces.find((x) => x.name === i.peer!.interface)!;
  return [...peer.addresses.map((a) => a.split('/')[0]!), ...(peer.linkLocal ? [peer.linkLocal] : [])];
}

const hosts = (addresses: string[]): string[] => addresses.map((a) => `${a}/${a.includes(':') ? 128 : 32}`);

describe('the local filter, exactly', () => {
  it('acme fra1.edge1: BGP with snowflake on the session addresses, OSPF from fw1, ICMP errors, then deny', () => {
    const { model } = compiled(exampleText('acme'), 'acme.plumb');
    const edge = device(model, 'fra1.edge1');
    expect(edge.localFilter).toBe('local');
    const toFw = edge.interfaces.find((i) => i.peer?.device === 'fra1.fw1')!;
    const fw = hosts(peerAddresses(model, edge, toFw.name));
    expect(local(edge).rules.map(line)).toEqual([
      `permit {"sources":["169.254.10.2/32"],"destinations":["169.254.10.1/32"],"protocol":6,"destinationPorts":[{"from":179,"to":179}]} @acme.plumb:${SNOWFLAKE_ATTACH} bgp with snowflake 169.254.10.2`,
      `permit {"sources":["169.254.10.2/32"],"destinations":["169.254.10.1/32"],"protocol":6,"sourcePorts":[{"from":179,"to":179}]} @acme.plumb:${SNOWFLAKE_ATTACH} bgp with snowflake 169.254.10.2`,
      `permit {"sources":${JSON.stringify(fw)},"protocol":89} @acme.plumb:11 ospf from fra1.fw1 ${toFw.peer!.interface}`,
      ...ICMP_ERRORS('acme.plumb:8'),
      ...nocRules(),
    ]);
    expect(local(edge).defaultAction).toBe('deny');
    expect(fw).toHaveLength(2);
    expect(fw[1]).toBe('fe80::2/128');
  });

  it('acme fra1.core1: OSPF from both link neighbours (sorted by our interface), ICMP errors', () => {
    const { model } = compiled(exampleText('acme'), 'acme.plumb');
    const core = device(model, 'fra1.core1');
    const ospf = core.interfaces.filter((i) => i.role === 'link');
    expect(local(core).rules.map(line)).toEqual([
      ...ospf.map((i) => `permit {"sources":${JSON.stringify(hosts(peerAddresses(model, core, i.name)))},"protocol":89} @acme.plumb:${i.origin.start.line} ospf from ${i.peer!.device} ${i.peer!.interface}`),
      ...ICMP_ERRORS('acme.plumb:10'),
      ...nocRules(),
    ]);
    expect(ospf.map((i) => i.peer!.device)).toEqual(['ams1.core2', 'fra1.fw1']);
  });

  it('acme with manage lines: every device admits noc for ssh and ping; edge1 admits snmp from core1 and snowflake only', () => {
    const { model } = compiled(ACME_MANAGED, 'acme.plumb');
    for (const d of model.devices) {
      const rules = local(d).rules.map(line);
      for (const r of nocRules()) expect(rules).toContain(r);
      // noc is IPv4 only: no ICMPv6 echo rule.
      expect(rules.filter((r) => r.includes('manage'))).toHaveLength(d.id === 'fra1.edge1' ? 3 : 2);
    }
    const edge = local(device(model, 'fra1.edge1')).rules;
    const core = device(model, 'fra1.core1');
    const coreAddresses = core.interfaces.flatMap((i) => i.addresses.map((a) => a.split('/')[0]!));
    const snmp = edge[edge.length - 1]!;
    expect(snmp.description).toBe(`manage fra1.edge1 from fra1.core1, snowflake : snmp (acme.plumb:${SNMP})`);
    expect(snmp.match.protocol).toBe(17);
    expect(snmp.match.destinationPorts).toEqual([{ from: 161, to: 161 }]);
    expect(snmp.match.destinations).toBeUndefined();
    expect([...snmp.match.sources!].sort()).toEqual([...hosts(coreAddresses), '198.51.100.0/24'].sort());
    expect(model.manage?.map((m) => [m.devices.length, m.sources, m.text])).toEqual([
      [5, ['noc'], 'manage from noc : ssh, ping'],
      [1, ['fra1.core1', 'snowflake'], 'manage fra1.edge1 from fra1.core1, snowflake : snmp'],
    ]);
  });

  it('a manage line opens the forwarded path to the devices it names, and only to their own addresses', () => {
    const { model } = compiled(ACME_MANAGED, 'acme.plumb');
    const own = new Set(model.devices.flatMap((d) => d.interfaces.flatMap((i) => i.addresses.map((a) => `${a.split('/')[0]}/${a.includes(':') ? 128 : 32}`))));
    const ingress = device(model, 'ams1.core2').filters.find((f) => f.name === 'seg-noc-in')!;
    const manage = ingress.rules.filter((r) => r.origin.start.line === NOC);
    expect(manage.length).toBeGreaterThan(0);
    for (const r of manage) {
      expect(r.action).toBe('permit');
      expect(r.match.sources).toEqual(['10.50.0.0/24']);
      // Only device addresses: the segments and externals stay as the policy leaves them.
      expect(r.match.destinations!.length).toBeGreaterThan(0);
      // (Adjacent device addresses merge: both ends of a /31 link, and loopbacks allocated in
      // a row, are ours.) Every address a destination covers is a device's own.
      for (const d of r.match.destinations!) {
        const p = prefixOf(d);
        expect(BITS[p.family] - p.length, d).toBeLessThanOrEqual(4);
        for (let v = network(p).value; v <= lastAddress(p); v++) {
          expect(own.has(`${formatAddress({ family: p.family, value: v })}/${p.family === 4 ? 32 : 128}`), `${d}: ${formatAddress({ family: p.family, value: v })}`).toBe(true);
        }
      }
    }
    expect(manage.map((r) => r.match.protocol)).toEqual([6, 1]);
    // The policy itself is unchanged: the manage lines are not policy rules of the model.
    expect(model.policy.map((p) => p.origin.start.line)).not.toContain(NOC);
  });

  it('harbor sea1.edge: the IPv6 eBGP session, OSPF from fw, ICMP errors of both families', () => {
    const { model } = compiled(exampleText('harbor'), 'harbor.plumb');
    const edge = device(model, 'sea1.edge');
    const toFw = edge.interfaces.find((i) => i.peer?.device === 'sea1.fw')!;
    expect(local(edge).rules.map(line)).toEqual([
      `permit {"sources":["2001:db8:ffff:7::2/128"],"destinations":["2001:db8:ffff:7::1/128"],"protocol":6,"destinationPorts":[{"from":179,"to":179}]} @harbor.plumb:${PARTNER_ATTACH} bgp with partner 2001:db8:ffff:7::2`,
      `permit {"sources":["2001:db8:ffff:7::2/128"],"destinations":["2001:db8:ffff:7::1/128"],"protocol":6,"sourcePorts":[{"from":179,"to":179}]} @harbor.plumb:${PARTNER_ATTACH} bgp with partner 2001:db8:ffff:7::2`,
      `permit {"sources":${JSON.stringify(hosts(peerAddresses(model, edge, toFw.name)))},"protocol":89} @harbor.plumb:12 ospf from sea1.fw ${toFw.peer!.interface}`,
      ...ICMP_ERRORS('harbor.plumb:8'),
      ...adminRules(),
    ]);
  });

  it('harbor sea1.lab (linux, no routing daemon): only ICMP errors and the admin host', () => {
    const { model } = compiled(exampleText('harbor'), 'harbor.plumb');
    expect(local(device(model, 'sea1.lab')).rules.map(line)).toEqual([...ICMP_ERRORS('harbor.plumb:11'), ...adminRules()]);
  });

  it('an IPv4-only network gets no ICMPv6 rules', () => {
    const { model } = compiled(
      'site s {\n  router a frr asn 65001 loopback 10.0.0.1\n  router b frr loopback 10.0.0.2\n  link a -- b 10.1.0.0/31\n}\nsegment x 10.2.0.0/24 at s.b\n',
      'v4.plumb',
    );
    for (const d of model.devices) expect(local(d).rules.map((r) => r.match.protocol)).toEqual([1, 1]);
  });

  it('a device without IPv6 in a network with IPv6 gets no ICMPv6 rules (its config would have no list for them)', () => {
    const { model } = compiled(
      'site s {\n  router a frr loopback 10.0.0.1\n  router b cisco-iosxe loopback 10.0.0.2\n}\nsegment v6 2001:db8:1::/64 at s.a\nsegment v4 10.2.0.0/24 at s.b\n',
      'mixed.plumb',
    );
    expect(local(device(model, 's.b')).rules.map((r) => r.match.protocol)).toEqual([1, 1]);
    expect(local(device(model, 's.a')).rules.map((r) => r.match.protocol)).toEqual([1, 1, 58, 58, 58]);
  });

  it('C712: a manage line whose sources share no family with a device it names', () => {
    const text =
      'site s {\n  router a frr loopback 10.0.0.1\n  router b frr loopback 10.0.0.2\n  link a -- b 10.1.0.0/31\n}\n' +
      'segment v6 2001:db8:1::/64 at s.a\nsegment v4 10.2.0.0/24 at s.a\nmanage s.b from v6 : ssh\nmanage s.b from v4 : ssh\n';
    const { diagnostics, model } = compile(checked(text, 'c712.plumb'));
    const c712 = diagnostics.filter((d) => d.code === 'C712');
    expect(c712.map((d) => [d.span.start.line, d.severity, d.message])).toEqual([
      [8, 'warning', 'this `manage` line admits nothing on s.b: its sources are IPv6 only, and that device has no address of that family'],
    ]);
    // And indeed its local filter has no rule from v6.
    expect(local(device(model, 's.b')).rules.filter((r) => r.description.startsWith('manage')).map((r) => r.match.sources)).toEqual([['10.2.0.0/24']]);
  });

  it('a filter that already has the name `local` keeps it: the local filter takes the next free name', () => {
    const { model } = compiled('site s {\n  router a frr loopback 10.0.0.1\n}\nsegment local 10.2.0.0/24 at s.a\npolicy {\n  allow local -> local : ssh\n}\n', 'n.plumb');
    const a = device(model, 's.a');
    // The segment's filters are seg-local-in/out: `local` itself is still free.
    expect(a.localFilter).toBe('local');
    expect(a.filters.map((f) => f.name)).toEqual([...a.filters.map((f) => f.name)].sort());
  });
});

describe('every device of every example', () => {
  for (const name of EXAMPLES) {
    it(`${name}: has a local filter, among its filters sorted by name, default deny, ending with nothing wider than its intent asks`, () => {
      const { model } = compiled(exampleText(name), `${name}.plumb`);
      expect(model.devices.length).toBeGreaterThan(0);
      for (const d of model.devices) {
        expect(d.localFilter, d.id).toBeDefined();
        const f = local(d);
        expect(f.defaultAction).toBe('deny');
        expect(d.filters.map((x) => x.name)).toEqual(d.filters.map((x) => x.name).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
        expect(f.rules.every((r) => r.action === 'permit')).toBe(true);
        // The local filter is bound to no interface: it decides only what is addressed to the device.
        expect(d.interfaces.some((i) => i.filterIn === f.name || i.filterOut === f.name)).toBe(false);
      }
    });
  }
});

// ---- the property ------------------------------------------------------------------------------

/** Why a packet to `d` may be admitted, from the intent and the topology alone (not the filter). */
function justified(intent: CheckedIntent, model: NetworkModel, d: DeviceModel, p: Packet): boolean {
  // ICMP errors.
  if (p.family === 4 && p.protocol === 1 && [3, 11].includes(p.icmpType!)) return true;
  if (p.family === 6 && p.protocol === 58 && [1, 2, 3].includes(p.icmpType!)) return true;
  // BGP with an attached external's peer, on the attachment's own address.
  for (const x of intent.externals) {
    for (const a of x.attachments) {
      if (a.device !== d.id || a.peer === undefined) continue;
      const own = a.address.split('/')[0]!;
      if (p.protocol === 6 && p.source === a.peer && p.destination === own && (p.destinationPort === 179 || p.sourcePort === 179)) return true;
    }
  }
  // OSPF from the other end of one of our links.
  if (p.protocol === 89 && d.ospf) {
    for (const i of d.interfaces) {
      if (i.role !== 'link' || !i.peer) continue;
      if (peerAddresses(model, d, i.name).includes(p.source)) return true;
    }
  }
  // A manage line naming the device, from its sources, with its services.
  for (const m of intent.manage) {
    if (!m.devices.includes(d.id)) continue;
    const fromSource = m.sourcesExpanded.some((n) => sourceHas(model, n, p.source));
    if (!fromSource) continue;
    const service = m.clauses.some((c) => {
      if (c.protocol === undefined) return true;
      const icmp = c.protocol === 1 && (p.protocol === (p.family === 4 ? 1 : 58));
      if (c.protocol !== p.protocol && !icmp) return false;
      if (c.ports && !c.ports.some((r) => r.from <= p.destinationPort! && p.destinationPort! <= r.to)) return false;
      if (c.icmpType !== undefined && p.icmpType !== (p.family === 4 ? c.icmpType : c.icmpType === 8 ? 128 : c.icmpType)) return false;
      return true;
    });
    if (service) return true;
  }
  return false;
}

function sourceHas(model: NetworkModel, name: string, address: string): boolean {
  if (name === 'any') return true;
  const a = addressOf(address);
  const dev = model.devices.find((x) => x.id === name);
  if (dev) return dev.interfaces.some((i) => i.addresses.some((x) => x.split('/')[0] === address));
  const e = model.endpoints.find((x) => x.name === name);
  if (!e) return false;
  return e.include.some((p) => containsAddress(prefixOf(p), a)) && !e.exclude.some((p) => containsAddress(prefixOf(p), a));
}

/** Addresses worth trying as sources: the ends of every prefix a rule or the network names, and random ones. */
function candidateAddresses(model: NetworkModel, d: DeviceModel, random: () => number): string[] {
  const out = new Set<string>();
  const ends = (text: string) => {
    const p = parsePrefix(text.includes('/') ? text : `${text}/${text.includes(':') ? 128 : 32}`);
    if (!p) return;
    const n = network(p);
    out.add(formatAddress(n));
    out.add(formatAddress({ family: n.family, value: lastAddress(n) }));
    out.add(formatAddress({ family: p.family, value: p.value }));
  };
  for (const r of local(d).rules) for (const s of r.match.sources ?? []) ends(s);
  for (const x of model.devices) for (const i of x.interfaces) [...i.addresses, ...(i.linkLocal ? [i.linkLocal] : [])].forEach(ends);
  for (const e of model.endpoints) e.include.forEach(ends);
  for (let k = 0; k < 20; k++) {
    out.add(formatAddress({ family: 4, value: BigInt(Math.floor(random() * 2 ** 32)) }));
    out.add(formatAddress({ family: 6, value: (BigInt(Math.floor(random() * 2 ** 32)) << 96n) | BigInt(Math.floor(random() * 2 ** 32)) }));
  }
  return [...out];
}

function admitted(f: FilterModel, p: Packet): boolean {
  const r = f.rules.find((x) => matches(x.match, p));
  return r ? r.action === 'permit' : f.defaultAction === 'permit';
}

describe('property: the local filter admits nothing that no routing session, ICMP error or manage line asks for', () => {
  const cases = [...EXAMPLES.map((n) => ({ name: n, text: exampleText(n) })), { name: 'acme', text: ACME_MANAGED, label: 'acme with manage lines' }];
  for (const c of cases) {
    it(`${'label' in c ? c.label : c.name}`, () => {
      const { intent, model } = compiled(c.text, `${c.name}.plumb`);
      const random = prng(20);
      let tried = 0;
      let admittedCount = 0;
      for (const d of model.devices) {
        const f = local(d);
        const own = d.interfaces.flatMap((i) => [...i.addresses.map((a) => a.split('/')[0]!), ...(i.linkLocal ? [i.linkLocal] : [])]);
        const sources = candidateAddresses(model, d, random);
        const shapes: Omit<Packet, 'family' | 'source' | 'destination'>[] = [
          { protocol: 6, sourcePort: 40000, destinationPort: 179 },
          { protocol: 6, sourcePort: 179, destinationPort: 40000 },
          { protocol: 6, sourcePort: 40000, destinationPort: 22 },
          { protocol: 6, sourcePort: 40000, destinationPort: 443 },
          { protocol: 17, sourcePort: 40000, destinationPort: 161 },
          { protocol: 17, sourcePort: 53, destinationPort: 40000 },
          { protocol: 89 },
          { protocol: 47 },
          ...[0, 3, 8, 11, 5].map((t) => ({ protocol: 1, icmpType: t })),
          ...[1, 2, 3, 128, 129, 135].map((t) => ({ protocol: 58, icmpType: t })),
        ];
        for (const source of sources) {
          const family = source.includes(':') ? 6 : 4;
          for (const destination of own.filter((a) => a.includes(':') === (family === 6))) {
            for (const shape of shapes) {
              const p: Packet = { family, source, destination, ...shape };
              tried++;
              if (!admitted(f, p)) continue;
              admittedCount++;
              expect(justified(intent, model, d, p), `${d.id} admits ${JSON.stringify(p)}`).toBe(true);
            }
          }
        }
      }
      expect(tried).toBeGreaterThan(1000);
      expect(admittedCount).toBeGreaterThan(0);
    });
  }

  it('the oracle is not vacuous: a filter that admits everything to a device is caught', () => {
    const { intent, model } = compiled(exampleText('acme'), 'acme.plumb');
    const d = device(model, 'fra1.edge1');
    const p: Packet = { family: 4, source: '203.0.113.1', destination: '203.0.113.2', protocol: 6, sourcePort: 40000, destinationPort: 22 };
    expect(admitted(local(d), p)).toBe(false);
    expect(justified(intent, model, d, p)).toBe(false);
    expect(BITS[4]).toBe(32);
  });
});
