// reach, isolate and via on hand-built networks: proven and refuted cases, with every
// counterexample checked field by field and replayed by the simulator.

import { describe, expect, it } from 'vitest';
import { parseAddress } from '../../language/address.js';
import { contains, prefixesToSet } from '../../verifier/intervals.js';
import { verifyModel } from '../../verifier/index.js';
import { sharedPool } from '../shared-solvers.js';
import type { Verdict } from '../../verifier/verdict.js';
import { https, ModelBuilder, ping, ssh, TCP } from './builder.js';
import { twoSites } from './fixtures.js';

const inPrefix = (address: string, prefix: string): boolean => {
  const a = parseAddress(address)!;
  return contains(prefixesToSet([prefix], a.family), a.value);
};

// One pool of Z3 workers for the file's proofs (test/shared-solvers.ts): each verifyModel would
// otherwise start and close workers of its own. Every query starts from a clean solver, with its
// own timeout, so the verdicts are those of a pool of the call's own.
const pool = sharedPool(2);

async function verdicts(b: ModelBuilder): Promise<Verdict[]> {
  const report = await verifyModel(b.build(), { timeoutMs: 20_000, pool: pool() });
  return report.verdicts;
}

describe('reach', () => {
  it('is proven when the filters admit the connection and its reply', async () => {
    const [v] = await verdicts(twoSites().assert('reach', ['lan-a'], ['lan-b'], [https]));
    expect(v!.status).toBe('proven');
    expect(v!.counterexample).toBeUndefined();
  });

  it('is refuted by the first packet, dropped by the ingress filter', async () => {
    const [v] = await verdicts(twoSites().assert('reach', ['lan-a'], ['lan-b'], [ssh]));
    expect(v!.status).toBe('refuted');
    const cx = v!.counterexample!;
    expect(cx.packet.family).toBe(4);
    expect(inPrefix(cx.packet.source, '10.1.0.0/24')).toBe(true);
    expect(inPrefix(cx.packet.destination, '10.2.0.0/24')).toBe(true);
    expect(cx.packet.destination).not.toBe('10.2.0.1'); // the gateway's own address is no host
    expect(cx.packet.protocol).toBe(TCP);
    expect(cx.packet.destinationPort).toBe(22);
    expect(cx.packet.tcpFlags).toEqual(['syn']);
    expect(cx.summary).toMatch(/dropped at s\.r1 by its inbound filter/);
    expect(cx.traces).toHaveLength(1);
    const t = cx.traces[0]!;
    expect(t.entry).toEqual({ device: 's.r1', interface: 'Gi2' });
    expect(t.outcome).toEqual({ kind: 'dropped', device: 's.r1', stage: 'in' });
    expect(t.hops).toHaveLength(1);
    expect(t.hops[0]!.device).toBe('s.r1');
    expect(t.hops[0]!.ingress).toBe('Gi2');
    expect(t.hops[0]!.decisions).toEqual([{ stage: 'in', filter: 'lan-a-in', action: 'deny', description: 'no rule matched: default deny' }]);
    expect(cx.reply).toBeUndefined();
  });

  it('is refuted by the reply when the stateless reply rule is missing', async () => {
    const [v] = await verdicts(twoSites({ replyRule: false }).assert('reach', ['lan-a'], ['lan-b'], [https]));
    expect(v!.status).toBe('refuted');
    const cx = v!.counterexample!;
    expect(cx.summary).toMatch(/^the reply is dropped at s\.r1 by its outbound filter/);
    expect(cx.packet.destinationPort).toBe(443);
    // The forward packet got through: r1 admitted it by rule 1, r2 delivered it.
    const fwd = cx.traces[0]!;
    expect(fwd.outcome).toEqual({ kind: 'delivered', device: 's.r2', interface: 'eth0', endpoints: ['lan-b'] });
    expect(fwd.hops.map((h) => [h.device, h.ingress, h.egress])).toEqual([
      ['s.r1', 'Gi2', 'Gi1'],
      ['s.r2', 'eth1', 'eth0'],
    ]);
    expect(fwd.hops[0]!.decisions[0]).toMatchObject({ stage: 'in', filter: 'lan-a-in', rule: 1, action: 'permit', description: 'lan-a-in rule 1' });
    expect(fwd.hops[0]!.decisions[0]!.origin?.file).toBe('test.plumb');
    expect(fwd.hops[0]!.route).toEqual({ prefix: '10.2.0.0/24', protocol: 'static', nextHop: { interface: 'Gi1', address: '10.255.0.1', device: 's.r2' } });
    const reply = cx.reply!;
    expect(reply.packet).toEqual({
      family: 4,
      source: cx.packet.destination,
      destination: cx.packet.source,
      protocol: TCP,
      sourcePort: 443,
      destinationPort: cx.packet.sourcePort,
      tcpFlags: ['ack', 'syn'],
    });
    const back = reply.traces.find((t) => t.outcome.kind === 'dropped')!;
    expect(back.outcome).toEqual({ kind: 'dropped', device: 's.r1', stage: 'out' });
    expect(back.hops.at(-1)!.decisions.at(-1)).toEqual({ stage: 'out', filter: 'lan-a-out', action: 'deny', description: 'no rule matched: default deny' });
  });

  it('passes a stateful firewall by connection state, and fails when it is stateless', async () => {
    const stateful = await verdicts(twoSites({ fwAllowsWeb: true }).assert('reach', ['internet'], ['web'], [https]));
    expect(stateful[0]!.status).toBe('proven');
    const b = twoSites({ fwAllowsWeb: true }).assert('reach', ['internet'], ['web'], [https]);
    const model = b.build();
    model.devices.find((d) => d.id === 's.fw')!.stateful = false;
    const [v] = (await verifyModel(model, { pool: pool() })).verdicts;
    expect(v!.status).toBe('refuted');
    const cx = v!.counterexample!;
    expect(cx.packet.destination).toBe('10.2.0.10');
    expect(cx.summary).toMatch(/^the reply is dropped at s\.fw by its security policy/);
    expect(cx.reply!.packet.sourcePort).toBe(443);
  });

  it('checks every ECMP branch', async () => {
    const b = new ModelBuilder('diamond')
      .device('s.a')
      .device('s.b')
      .device('s.c')
      .device('s.d')
      .link('s.a', 'e1', '10.255.0.0/31', 's.b', 'e1', '10.255.0.1/31')
      .link('s.a', 'e2', '10.255.0.2/31', 's.c', 'e1', '10.255.0.3/31')
      .link('s.b', 'e2', '10.255.0.4/31', 's.d', 'e1', '10.255.0.5/31')
      .link('s.c', 'e2', '10.255.0.6/31', 's.d', 'e2', '10.255.0.7/31')
      .segment('left', ['10.1.0.0/24'], 's.a', 'e0', ['10.1.0.1/24'])
      .segment('right', ['10.2.0.0/24'], 's.d', 'e0', ['10.2.0.1/24'])
      .filter('s.c', 'no-ping', [{ action: 'deny', match: { protocol: 1 } }], 'permit')
      .bind('s.c', 'e1', 'in', 'no-ping')
      .assert('reach', ['left'], ['right'], [https])
      .assert('reach', ['left'], ['right'], [ping]);
    const [ok, bad] = await verdicts(b);
    expect(ok!.status).toBe('proven');
    expect(bad!.status).toBe('refuted');
    const cx = bad!.counterexample!;
    expect(cx.packet.protocol).toBe(1);
    expect(cx.packet.icmpType).toBe(8);
    expect(cx.traces.map((t) => t.outcome.kind)).toEqual(['delivered', 'dropped']);
    expect(cx.traces[1]!.hops.map((h) => h.device)).toEqual(['s.a', 's.c']);
    expect(cx.traces[1]!.hops[1]!.decisions[0]).toMatchObject({ stage: 'in', filter: 'no-ping', rule: 1, action: 'deny' });
  });

  it('is refuted by a black hole and by a forwarding loop', async () => {
    const b = new ModelBuilder('holes')
      .device('s.a')
      .device('s.b')
      .link('s.a', 'e1', '10.255.0.0/31', 's.b', 'e1', '10.255.0.1/31')
      .segment('left', ['10.1.0.0/24'], 's.a', 'e0', ['10.1.0.1/24'])
      .segment('right', ['10.2.0.0/24'], 's.b', 'e0', ['10.2.0.1/24'])
      .segment('far', ['10.3.0.0/24'], 's.b', 'e3', ['10.3.0.1/24'])
      // b sends 10.3.0.128/25 back to a, which sends it to b: a loop; a has no route to 10.9/16.
      .route('s.b', { prefix: '10.3.0.128/25', protocol: 'static', nextHops: [{ interface: 'e1', address: '10.255.0.0', device: 's.a' }], metric: 1 })
      .route('s.a', { prefix: '10.3.0.0/24', protocol: 'static', nextHops: [{ interface: 'e1', address: '10.255.0.1', device: 's.b' }], metric: 1 })
      .assert('reach', ['left'], ['right'], [https])
      .assert('reach', ['left'], ['far'], [https]);
    const report = await verifyModel(b.build(), { pool: pool() });
    const [ok, loop] = report.verdicts;
    expect(ok!.status).toBe('proven');
    expect(loop!.status).toBe('refuted');
    const t = loop!.counterexample!.traces[0]!;
    expect(inPrefix(loop!.counterexample!.packet.destination, '10.3.0.128/25')).toBe(true);
    expect(t.outcome).toEqual({ kind: 'loop', device: 's.b', interface: 'e1' });
    expect(t.hops.map((h) => h.device)).toEqual(['s.a', 's.b', 's.a']);
    expect(report.diagnostics.some((d) => d.code === 'V804' && d.message.includes('10.3.0.0/24'))).toBe(true);
  });

  it('works on IPv6', async () => {
    const b = new ModelBuilder('v6')
      .device('s.a')
      .device('s.b')
      .link('s.a', 'e1', '2001:db8:ff::/127', 's.b', 'e1', '2001:db8:ff::1/127')
      .segment('left', ['2001:db8:1::/64'], 's.a', 'e0', ['2001:db8:1::1/64'])
      .segment('right', ['2001:db8:2::/64'], 's.b', 'e0', ['2001:db8:2::1/64'])
      .filter('s.b', 'right-out', [{ action: 'permit', match: { protocol: 58, icmpType: 128 } }])
      .bind('s.b', 'e0', 'out', 'right-out')
      .assert('reach', ['left'], ['right'], [ping])
      .assert('isolate', ['left'], ['right'], [https])
      .assert('isolate', ['left'], ['right'], [ping]);
    const [reach, iso, leak] = await verdicts(b);
    expect(reach!.status).toBe('proven');
    expect(iso!.status).toBe('proven');
    expect(leak!.status).toBe('refuted');
    expect(leak!.counterexample!.packet).toMatchObject({ family: 6, protocol: 58, icmpType: 128 });
    expect(inPrefix(leak!.counterexample!.packet.source, '2001:db8:1::/64')).toBe(true);
  });
});

describe('isolate', () => {
  it('is proven when nothing gets through', async () => {
    const [v] = await verdicts(twoSites().assert('isolate', ['internet'], ['lan-a']));
    expect(v!.status).toBe('proven');
  });

  it('is refuted by a stateless reply rule that admits any ACK packet', async () => {
    const [v] = await verdicts(twoSites().assert('isolate', ['lan-b'], ['lan-a'], [{ protocol: TCP }]));
    expect(v!.status).toBe('refuted');
    const cx = v!.counterexample!;
    expect(cx.packet).toMatchObject({ family: 4, protocol: TCP, sourcePort: 443, tcpFlags: ['ack'] });
    expect(inPrefix(cx.packet.source, '10.2.0.0/24')).toBe(true);
    expect(inPrefix(cx.packet.destination, '10.1.0.0/24')).toBe(true);
    expect(cx.summary).toBe('the packet is delivered by s.r1 Gi2');
    const t = cx.traces[0]!;
    expect(t.outcome).toEqual({ kind: 'delivered', device: 's.r1', interface: 'Gi2', endpoints: ['lan-a'] });
    expect(t.hops.at(-1)!.decisions).toEqual([expect.objectContaining({ stage: 'out', filter: 'lan-a-out', rule: 1, action: 'permit' })]);
  });

  it('is refuted through a firewall rule, with the rule and its origin in the trace', async () => {
    const b = twoSites({ fwAllowsWeb: true }).assert('isolate', ['internet'], ['lan-b'], [https]);
    const model = b.build();
    const [v] = (await verifyModel(model, { pool: pool() })).verdicts;
    expect(v!.status).toBe('refuted');
    const cx = v!.counterexample!;
    expect(cx.packet.destination).toBe('10.2.0.10');
    expect(cx.packet.destinationPort).toBe(443);
    const fw = cx.traces[0]!.hops[0]!;
    expect(fw.device).toBe('s.fw');
    expect(fw.decisions).toEqual([
      { stage: 'security', filter: 'security', rule: 2, action: 'permit', description: 'security rule 2', origin: model.devices.find((d) => d.id === 's.fw')!.securityRules[1]!.origin },
    ]);
  });
});

describe('via', () => {
  it('is proven when every delivered packet passes the device', async () => {
    const [v] = await verdicts(twoSites({ fwAllowsWeb: true }).assert('reach', ['internet'], ['web'], [https], 's.fw'));
    expect(v!.status).toBe('proven');
  });

  it('is refuted by a delivered packet on a path that avoids the device', async () => {
    const [v] = await verdicts(twoSites().assert('reach', ['lan-a'], ['lan-b'], [https], 's.fw'));
    expect(v!.status).toBe('refuted');
    const cx = v!.counterexample!;
    expect(cx.summary).toBe('the packet is delivered on a path that avoids s.fw');
    expect(cx.packet.destinationPort).toBe(443);
    expect(cx.traces[0]!.hops.map((h) => h.device)).toEqual(['s.r1', 's.r2']);
    expect(cx.traces[0]!.outcome.kind).toBe('delivered');
  });
});

describe('empty assertions', () => {
  it('are vacuous (neither proven nor refuted) when the ends declare no family in common; the front end warns (P604), not the lint', async () => {
    const b = twoSites().assert('reach', ['lan-a'], ['lan-b'], [https]).assert('isolate', ['lan-a'], ['lan-b']);
    const model = b.build();
    model.endpoints.find((e) => e.name === 'lan-a')!.include = ['2001:db8:9::/64'];
    model.endpoints.find((e) => e.name === 'lan-b')!.include = ['10.2.0.0/24'];
    const report = await verifyModel(model, { pool: pool() });
    expect(report.verdicts.map((v) => [v.status, v.families, v.reason])).toEqual([
      ['vacuous', [], 'no address family in common: the sources are IPv6 only, the destinations IPv4 only'],
      ['vacuous', [], 'no address family in common: the sources are IPv6 only, the destinations IPv4 only'],
    ]);
    expect(report.stats).toMatchObject({ proven: 0, refuted: 0, unknown: 0, vacuous: 2 });
    expect(report.diagnostics.filter((d) => d.code === 'V803')).toEqual([]);
  });

  it('are vacuous with V803 when only the exclusion of internal prefixes leaves no family in common', async () => {
    const b = twoSites().assert('reach', ['lan-a'], ['lan-b'], [https]);
    const model = b.build();
    const a = model.endpoints.find((e) => e.name === 'lan-a')!;
    a.include = ['10.1.0.0/24', '2001:db8:9::/64'];
    a.exclude = ['10.1.0.0/24'];
    model.endpoints.find((e) => e.name === 'lan-b')!.include = ['10.2.0.0/24'];
    const report = await verifyModel(model, { pool: pool() });
    expect(report.verdicts[0]!.status).toBe('vacuous');
    expect(report.diagnostics.find((d) => d.code === 'V803')).toMatchObject({ severity: 'warning', span: model.assertions[0]!.origin });
  });

  it('name the end that has no addresses', async () => {
    const b = twoSites().assert('reach', ['lan-a'], ['lan-b'], [https]);
    const model = b.build();
    model.endpoints.find((e) => e.name === 'lan-b')!.include = [];
    const report = await verifyModel(model, { pool: pool() });
    expect(report.verdicts[0]).toMatchObject({ status: 'vacuous', families: [], reason: 'the destinations have no addresses: no packet to prove anything about' });
    expect(report.diagnostics.find((d) => d.code === 'V803')?.message).toBe('this assertion is about nothing: its destination has no addresses');
  });
});

describe('families', () => {
  it('a verdict names the families it was decided over; one shared family, where an end has both, is noted', async () => {
    const [partly, ipv4] = await verdicts(twoSites({ fwAllowsWeb: true }).assert('reach', ['lan-a'], ['lan-b'], [https]).assert('reach', ['internet'], ['web'], [https]));
    expect([partly!.status, partly!.families, partly!.reason]).toEqual(['proven', [4], 'IPv4 only: the sources have no IPv6 addresses']);
    // Neither end has IPv6: nothing to note.
    expect([ipv4!.status, ipv4!.families, ipv4!.reason]).toEqual(['proven', [4], undefined]);
  });
});
