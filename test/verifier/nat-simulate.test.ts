// The simulator's NAT on hand-built networks: which translation applies where (per platform
// order), what the trace records, and replies translated back (docs/architecture.md, "NAT").

import { describe, expect, it } from 'vitest';
import { formatCounterexample } from '../../cli/report/counterexample.js';
import { judgeIsolate, judgeReach } from '../../verifier/judge.js';
import { simulate } from '../../verifier/simulate.js';
import type { Packet } from '../../verifier/verdict.js';
import { overlapping, patEgress, postNatFilter, published, staticInside } from './nat-models.js';

const syn = (source: string, destination: string, port = 443): Packet => ({ family: 4, source, destination, protocol: 6, sourcePort: 49152, destinationPort: port, tcpFlags: ['syn'] });

describe('NAT in the simulator', () => {
  it('maps a partner packet to our mapped address back to the real one, and records it', () => {
    const model = staticInside();
    const [t] = simulate(model, syn('172.16.0.9', '100.64.20.5'));
    expect(t!.outcome).toEqual({ kind: 'delivered', device: 'in.r1', interface: 'Gi2', endpoints: ['app', 'apps'] });
    expect(t!.translated?.destination).toBe('10.20.1.5');
    expect(t!.hops[0]!.translations).toEqual([expect.objectContaining({ field: 'destination', kind: 'static', before: '100.64.20.5', after: '10.20.1.5' })]);
    // IOS-XE's in-ACL sees the packet as it arrived (the mapped address).
    expect(t!.hops[0]!.decisions[0]).toMatchObject({ stage: 'in', action: 'permit' });
  });

  it('keeps the partner from our real addresses, and the reply leaves as the mapped address', () => {
    const model = staticInside();
    expect(judgeIsolate(model, { sources: ['partner'], destinations: ['app'] }, syn('172.16.0.9', '10.20.1.5')).holds).toBe(true);
    const j = judgeReach(model, { sources: ['partner'], destinations: ['app'] }, syn('172.16.0.9', '100.64.20.5'));
    expect(j.holds).toBe(true);
    expect(j.reply!.packet).toMatchObject({ source: '10.20.1.5', destination: '172.16.0.9' });
    expect(j.reply!.traces[0]!.translated?.source).toBe('100.64.20.5');
  });

  it('translates both addresses between overlapping spaces on IOS-XE, and the reply back', () => {
    const model = overlapping('cisco-iosxe');
    const j = judgeReach(model, { sources: ['partner'], destinations: ['lan'] }, syn('10.20.0.7', '100.64.20.5'));
    expect(j.holds, j.summary).toBe(true);
    expect(j.traces[0]!.translated).toMatchObject({ source: '198.18.20.7', destination: '10.20.0.5' });
    expect(j.reply!.traces[0]!.translated).toMatchObject({ source: '100.64.20.5', destination: '10.20.0.7' });
    const out = judgeReach(model, { sources: ['lan'], destinations: ['partner'] }, syn('10.20.0.5', '198.18.20.7'));
    expect(out.holds, out.summary).toBe(true);
  });

  it('routes the partner-bound packet back inside on nftables (destination rewritten before routing)', () => {
    const model = overlapping('frr');
    const j = judgeReach(model, { sources: ['lan'], destinations: ['partner'] }, syn('10.20.0.5', '198.18.20.7'));
    expect(j.holds).toBe(false);
    const text = formatCounterexample({ summary: j.summary, packet: syn('10.20.0.5', '198.18.20.7'), traces: j.traces }).join('\n');
    expect(text).toContain('nat destination 198.18.20.7 -> 10.20.0.7 (static, edge.e1: 10.20.0.0/24 appears as 198.18.20.0/24)');
  });

  it('publishes only the service: https to the public address reaches web, ssh does not', () => {
    const model = published();
    const flow = { sources: ['internet'], destinations: ['web'] };
    const j = judgeReach(model, flow, syn('8.8.8.8', '203.0.113.10'));
    expect(j.holds, j.summary).toBe(true);
    expect(j.reply!.traces[0]!.translated?.source).toBe('203.0.113.10');
    expect(judgeIsolate(model, flow, syn('8.8.8.8', '203.0.113.10', 22)).holds).toBe(true);
    expect(judgeIsolate(model, flow, syn('8.8.8.8', '10.30.0.10', 22)).holds).toBe(true);
  });

  it('masquerades the office, brings the reply back by connection state, and opens nothing inbound', () => {
    const model = patEgress();
    const j = judgeReach(model, { sources: ['office'], destinations: ['internet'] }, syn('192.168.1.20', '8.8.8.8'));
    expect(j.holds, j.summary).toBe(true);
    expect(j.traces[0]!.translated?.source).toBe('198.51.100.1');
    expect(j.reply!.packet.destination).toBe('198.51.100.1');
    expect(j.reply!.traces[0]!.hops[0]!.translations).toEqual([expect.objectContaining({ kind: 'restore', field: 'destination', before: '198.51.100.1', after: '192.168.1.20' })]);
    // Without the connection, the same reply is addressed to the edge itself.
    expect(simulate(model, j.reply!.packet)[0]!.outcome.kind).not.toBe('delivered');
    expect(judgeIsolate(model, { sources: ['internet'], destinations: ['office'] }, syn('8.8.8.8', '192.168.1.20')).holds).toBe(true);
  });

  it('judges the out-filter on the translated source on IOS-XE, the untranslated one on nftables', () => {
    const flow = { sources: ['app'], destinations: ['partner'] };
    expect(judgeReach(postNatFilter('cisco-iosxe'), flow, syn('10.20.1.5', '172.16.0.9')).holds).toBe(true);
    const nft = judgeReach(postNatFilter('frr'), flow, syn('10.20.1.5', '172.16.0.9'));
    expect(nft.holds).toBe(false);
    expect(nft.summary).toContain('outbound filter');
    // nftables drops it in the forward chain, before postrouting's snat: no translation happened.
    expect(nft.traces[0]!.hops[0]!.translations).toBeUndefined();
  });
});
