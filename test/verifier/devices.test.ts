// Devices' own traffic: devices as assertion ends, the local filter (packets to the device
// itself), locally originated packets, and uRPF, proven and refuted by Z3 on hand-built networks
// and replayed by the simulator.

import { describe, expect, it } from 'vitest';
import type { NetworkModel } from '../../compiler/model.js';
import { verifyModel } from '../../verifier/index.js';
import { sharedPool } from '../shared-solvers.js';
import { simulate } from '../../verifier/simulate.js';
import type { Verdict } from '../../verifier/verdict.js';
import { https, ModelBuilder, ping, span, ssh, TCP } from './builder.js';

const http = { protocol: TCP, ports: [{ from: 80, to: 80 }] };

/**
 * s.r1 (stateless) has lan-a (Gi2), noc (Gi3), a partner (Gi4), a loopback and a link to s.r2
 * (stateful: lan-b on eth0, the internet on eth2, the partner again on eth3). r1's local filter
 * admits https replies from lan-b (rule 1), ssh from the noc only (rule 3 denies every other
 * ssh), echo from lan-a, and ICMP unreachables; lan-a's inbound filter admits only https to lan-b.
 * r1's outbound filter to r2 drops infrastructure sources (10.255.0.0/16). r2 has no local filter.
 * The partner's route back from r2 leaves by r1 (asymmetric): r2's eth3 has uRPF `urpf`.
 */
function mgmt(urpf?: 'strict' | 'loose'): ModelBuilder {
  const b = new ModelBuilder('mgmt')
    .device('s.r1')
    .device('s.r2', { stateful: true })
    .link('s.r1', 'Gi1', '10.255.0.0/31', 's.r2', 'eth1', '10.255.0.1/31')
    .segment('lan-a', ['10.1.0.0/24'], 's.r1', 'Gi2', ['10.1.0.1/24'])
    .segment('noc', ['10.9.0.0/24'], 's.r1', 'Gi3', ['10.9.0.1/24'])
    .loopback('s.r1', '10.255.255.1/32')
    .segment('lan-b', ['10.2.0.0/24'], 's.r2', 'eth0', ['10.2.0.1/24'])
    .external('internet', ['0.0.0.0/0'], 's.r2', 'eth2', '203.0.113.2/30', '203.0.113.1')
    .external('partner', ['198.51.100.0/24'], 's.r1', 'Gi4', '192.0.2.2/30', '192.0.2.1')
    .external('partner', ['198.51.100.0/24'], 's.r2', 'eth3', '192.0.2.6/30', '192.0.2.5')
    .exclude('internet', ['10.0.0.0/8', '198.51.100.0/24', '192.0.2.0/24', '203.0.113.0/30']);
  b.filter('s.r1', 'lan-a-in', [{ action: 'permit', match: { sources: ['10.1.0.0/24'], destinations: ['10.2.0.0/24'], protocol: TCP, destinationPorts: [{ from: 443, to: 443 }] } }]);
  b.filter('s.r1', 'lan-a-out', [{ action: 'permit', match: { sources: ['10.2.0.0/24'], destinations: ['10.1.0.0/24'], protocol: TCP, sourcePorts: [{ from: 443, to: 443 }], tcpEstablished: true } }]);
  b.bind('s.r1', 'Gi2', 'in', 'lan-a-in').bind('s.r1', 'Gi2', 'out', 'lan-a-out');
  b.filter('s.r1', 'core-out', [{ action: 'deny', match: { sources: ['10.255.0.0/16'] } }], 'permit');
  b.bind('s.r1', 'Gi1', 'out', 'core-out');
  b.filter('s.r1', 'local', [
    { action: 'permit', match: { sources: ['10.2.0.0/24'], protocol: TCP, sourcePorts: [{ from: 443, to: 443 }], tcpEstablished: true } },
    { action: 'permit', match: { sources: ['10.9.0.0/24'], protocol: TCP, destinationPorts: [{ from: 22, to: 22 }] } },
    { action: 'deny', match: { protocol: TCP, destinationPorts: [{ from: 22, to: 22 }] } },
    { action: 'permit', match: { sources: ['10.1.0.0/24'], protocol: 1, icmpType: 8 } },
    { action: 'permit', match: { protocol: 1, icmpType: 3 } },
  ]);
  b.local('s.r1', 'local');
  // The partner's prefix routes back from r2 through r1.
  b.route('s.r2', { prefix: '198.51.100.0/24', protocol: 'static', nextHops: [{ interface: 'eth1', address: '10.255.0.0', device: 's.r1' }], metric: 1 });
  if (urpf) b.urpf('s.r2', 'eth3', urpf);
  return b;
}

// One pool of Z3 workers for the file's proofs (test/shared-solvers.ts): each verifyModel would
// otherwise start and close workers of its own. Every query starts from a clean solver, with its
// own timeout, so the verdicts are those of a pool of the call's own.
const pool = sharedPool(2);

async function verify(model: NetworkModel): Promise<Verdict[]> {
  const report = await verifyModel(model, { timeoutMs: 30_000, lint: false, pool: pool() });
  return report.verdicts;
}

const statuses = (vs: readonly Verdict[]): string[] => vs.map((x) => `${x.assertion.text.replace(/#\d+$/, '')}: ${x.status}`);

describe('devices as destinations: the local filter', () => {
  it('proves what the local filter admits, refutes what it denies naming its rule, and leaves forwarded flows to the interface filters', async () => {
    const vs = await verify(
      mgmt()
        .assert('reach', ['noc'], ['s.r1'], [ssh])
        .assert('reach', ['lan-a'], ['s.r1'], [ssh])
        .assert('reach', ['lan-a'], ['s.r1'], [ping])
        .assert('reach', ['noc'], ['lan-b'], [ssh])
        .assert('reach', ['lan-a'], ['lan-b'], [https])
        .assert('isolate', ['internet'], ['s.r1'], [ssh])
        .assert('isolate', ['internet'], ['s.r2'], [ssh])
        .build(),
    );
    expect(statuses(vs)).toEqual([
      'reach noc -> s.r1: proven',
      'reach lan-a -> s.r1: refuted',
      // lan-a's inbound filter admits no ICMP, but it decides forwarded packets only; the echo
      // reply r1 sends is its own, so lan-a-out (which admits no ICMP either) does not apply.
      'reach lan-a -> s.r1: proven',
      // The local filter's deny of every ssh is about r1 itself, not about what it forwards.
      'reach noc -> lan-b: proven',
      'reach lan-a -> lan-b: proven',
      'isolate internet -> s.r1: proven',
      // Without a local filter a device accepts everything addressed to it.
      'isolate internet -> s.r2: refuted',
    ]);
    const cx = vs[1]!.counterexample!;
    expect(cx.packet).toMatchObject({ family: 4, source: '10.1.0.2', protocol: TCP, destinationPort: 22, tcpFlags: ['syn'] });
    expect(['10.1.0.1', '10.9.0.1', '10.255.0.0', '10.255.255.1']).toContain(cx.packet.destination);
    expect(cx.summary).toMatch(/^the packet is dropped at s\.r1 by its local filter rule 3 \(local rule 3\)$/);
    const t = cx.traces[0]!;
    expect(t.entry).toEqual({ device: 's.r1', interface: 'Gi2' });
    expect(t.outcome).toEqual({ kind: 'dropped', device: 's.r1', stage: 'local' });
    // Only the local filter decided: not lan-a's inbound filter.
    expect(t.hops[0]!.decisions).toEqual([expect.objectContaining({ stage: 'local', filter: 'local', rule: 3, action: 'deny' })]);

    const leak = vs[6]!.counterexample!;
    expect(leak.summary).toMatch(/^the packet is delivered to s\.r2 itself$/);
    expect(leak.traces.find((x) => x.outcome.kind === 'to-device')!.outcome).toEqual({ kind: 'to-device', device: 's.r2' });
  }, 600_000);

  it('says which local rule admitted a packet delivered to the device', async () => {
    const model = mgmt().assert('isolate', ['noc'], ['s.r1'], [ssh]).build();
    const [v] = await verify(model);
    expect(v!.status).toBe('refuted');
    expect(v!.counterexample!.summary).toMatch(/^the packet is delivered to s\.r1 itself \(local filter `local`, rule 2: local rule 2\)$/);
  }, 300_000);
});

describe('devices as sources: locally originated packets', () => {
  it('pass no filter of the origin device; their replies pass its local filter when it is stateless', async () => {
    const vs = await verify(
      mgmt()
        // core-out on r1's way to r2 drops 10.255.0.0/16 sources: r1's own link and loopback
        // addresses. It does not apply to what r1 originates.
        .assert('reach', ['s.r1'], ['lan-b'], [https])
        // r1 is stateless: the https replies pass by its local rule 1, the http ones by none.
        .assert('reach', ['s.r1'], ['lan-b'], [http])
        .build(),
    );
    expect(statuses(vs)).toEqual(['reach s.r1 -> lan-b: proven', 'reach s.r1 -> lan-b: refuted']);
    const cx = vs[1]!.counterexample!;
    expect(cx.traces[0]!.entry).toEqual({ device: 's.r1', interface: '' });
    expect(cx.traces[0]!.hops[0]!.decisions).toEqual([]);
    expect(cx.summary).toMatch(/^the reply is dropped at s\.r1 by its local filter/);
    expect(cx.reply!.traces[0]!.outcome).toEqual({ kind: 'dropped', device: 's.r1', stage: 'local' });
  }, 300_000);

  it('a stateful origin admits its replies by connection state', async () => {
    // r2 is stateful and gets a local filter that admits nothing: replies still come back.
    const b = mgmt().assert('reach', ['s.r2'], ['lan-a'], [https]);
    b.filter('s.r2', 'local', []);
    b.local('s.r2', 'local');
    // lan-a's inbound filter admits https replies? No: it admits https to lan-b only; the reply
    // from lan-a to r2 is forwarded by r1 (stateless) and needs a rule there.
    b.filter('s.r1', 'lan-a-in', [
      { action: 'permit', match: { sources: ['10.1.0.0/24'], destinations: ['10.2.0.0/24'], protocol: TCP, destinationPorts: [{ from: 443, to: 443 }] } },
      { action: 'permit', match: { sources: ['10.1.0.0/24'], destinations: ['10.255.0.1/32', '10.2.0.1/32', '203.0.113.2/32', '192.0.2.6/32'], protocol: TCP, sourcePorts: [{ from: 443, to: 443 }], tcpEstablished: true } },
    ]);
    b.filter('s.r1', 'lan-a-out', [{ action: 'permit', match: { destinations: ['10.1.0.0/24'], protocol: TCP, destinationPorts: [{ from: 443, to: 443 }] } }]);
    const [v] = await verify(b.build());
    expect(v!.status).toBe('proven');
  }, 300_000);
});

describe('uRPF', () => {
  it('strict drops sources whose route back leaves by another interface; loose admits the asymmetric path', async () => {
    const flow = (mode?: 'strict' | 'loose'): ModelBuilder => mgmt(mode).assert('reach', ['partner'], ['lan-b'], [https]);
    const [none] = await verify(flow().build());
    expect(none!.status).toBe('proven');
    const [strict] = await verify(flow('strict').build());
    expect(strict!.status).toBe('refuted');
    const cx = strict!.counterexample!;
    expect(cx.summary).toBe('the packet is dropped at s.r2 by uRPF (uRPF strict on eth3: the route back to 198.51.100.1 leaves by eth1)');
    const t = cx.traces.find((x) => x.outcome.kind === 'dropped')!;
    expect(t.entry).toEqual({ device: 's.r2', interface: 'eth3' });
    expect(t.outcome).toEqual({ kind: 'dropped', device: 's.r2', stage: 'urpf' });
    expect(t.hops[0]!.decisions).toEqual([{ stage: 'urpf', filter: 'strict', action: 'deny', description: 'uRPF strict on eth3: the route back to 198.51.100.1 leaves by eth1' }]);
    const [loose] = await verify(flow('loose').build());
    expect(loose!.status).toBe('proven');
  }, 600_000);

  it('strict uRPF proves that spoofed internal sources entering from outside reach nothing', async () => {
    const spoofed = (mode?: 'strict'): NetworkModel => {
      const b = mgmt().assert('isolate', ['rogue'], ['lan-b'], [{}]);
      if (mode) b.urpf('s.r2', 'eth2', mode);
      const model = b.build();
      // Packets entering from the internet with lan-a's addresses as their sources.
      model.endpoints.push({ name: 'rogue', kind: 'external', include: ['10.1.0.0/24'], exclude: [], attachments: [{ device: 's.r2', interface: 'eth2' }], origin: span(900) });
      model.endpoints.sort((a, b) => (a.name < b.name ? -1 : 1));
      return model;
    };
    const [open] = await verify(spoofed());
    expect(open!.status).toBe('refuted');
    const [closed] = await verify(spoofed('strict'));
    expect(closed!.status).toBe('proven');
    // The simulator says the same about one such packet.
    const [trace] = simulate(spoofed('strict'), { family: 4, source: '10.1.0.7', destination: '10.2.0.9', protocol: TCP, sourcePort: 40000, destinationPort: 443, tcpFlags: ['syn'] }, { ingress: { device: 's.r2', interface: 'eth2' } });
    expect(trace!.outcome).toEqual({ kind: 'dropped', device: 's.r2', stage: 'urpf' });
    expect(trace!.hops[0]!.decisions[0]!.description).toBe('uRPF strict on eth2: the route back to 10.1.0.7 leaves by eth1');
  }, 600_000);
});
