// Address translation in the emulator, without a lab: the emulated IOS-XE ruleset puts each
// translation where the platform table says (static ones as stateless rewrites before or after
// routing, PAT as conntrack's snat with only its packets tracked), keeps the in-ACL before and the
// out-ACL after them, and loads in nft; the probes go to the destination as the source sees it
// and are judged by what arrives at the real address, from the translated source.

import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { judge, planAssertionProbes } from '../../emulator/assertions.js';
import { renderEmulatedFilters } from '../../emulator/filters.js';
import { planLab } from '../../emulator/lab.js';
import { natUnsupported } from '../../emulator/nat.js';
import { destinationAsSeen, sourceAsSeen } from '../../emulator/nat-probes.js';
import type { ProbeResult } from '../../emulator/probe.js';
import { sourceSeenIn } from '../../emulator/probe.js';
import { renameInterfaces } from '../../emulator/rename.js';
import { rootOnly } from '../intent-runs.js';
import { iosPat, labSized } from './nat-fixtures.js';
import { overlapping, published, staticInside } from '../verifier/nat-models.js';

/** The edge's ruleset as the lab runs it: its copy runs as frr, the NAT order is IOS-XE's. */
const edgeOf = (m: ReturnType<typeof staticInside>): string => {
  const d = planLab(m, { runId: 'pl00cafe' }).devices.find((x) => x.id === 'edge.e1')!;
  expect(d.device.platform).toBe('frr');
  return renderEmulatedFilters(d.device, d.platform);
};

describe('the emulated IOS-XE NAT ruleset', () => {
  it('rewrites outside-to-inside before routing (after the in-ACL) and inside-to-outside after routing', () => {
    const text = edgeOf(overlapping('cisco-iosxe'));
    expect(text).toContain('type filter hook prerouting priority -150; policy accept;');
    expect(text).toMatch(/chain nat_before_routing \{\n\s+type filter hook prerouting priority -140;[^}]*iifname "eth2" jump nat_o2i_src\n\s+iifname "eth2" jump nat_o2i_dst/);
    expect(text).toMatch(/chain nat_after_routing \{\n\s+type filter hook postrouting priority 50;[^}]*iifname "eth1" oifname "eth2" jump nat_i2o_src\n\s+iifname "eth1" oifname "eth2" jump nat_i2o_dst/);
    // ours leave as 100.64.20.x, the partner's 198.18.20.x become its real 10.20.0.x after routing
    expect(text).toContain('ip saddr 10.20.0.0/24 ip saddr set ip saddr & 0.0.0.255 | 100.64.20.0 return');
    expect(text).toContain('ip daddr 198.18.20.0/24 ip daddr set ip daddr & 0.0.0.255 | 10.20.0.0 return');
    // no connection tracking without PAT: a stateless router
    expect(text).toMatch(/chain raw_prerouting \{\n\s+type filter hook prerouting priority raw; policy accept;\n\s+notrack/);
  });

  it('publishes one service: its destination and port in, its source from that port out', () => {
    const text = edgeOf(published());
    expect(text).toContain('ip daddr 203.0.113.10/32 tcp dport 443 ip daddr set 10.30.0.10 return');
    expect(text).toContain('ip saddr 10.30.0.10/32 tcp sport 443 ip saddr set 203.0.113.10 return');
  });

  it('tracks only the connections PAT translates, and puts the out-ACL after every translation', () => {
    const text = edgeOf(iosPat());
    expect(text).toMatch(/iifname "Gi1" ip saddr \{ 192\.168\.1\.0\/24 \} return comment "tracked: pat"\n\s+iifname "Gi2" ip daddr 198\.51\.100\.1 return comment "tracked: pat replies"\n\s+notrack/);
    expect(text).toContain('iifname "Gi1" oifname "Gi2" ip saddr { 192.168.1.0/24 } snat ip to 198.51.100.1 comment "pat"');
    expect(text).toContain('type nat hook prerouting priority dstnat; policy accept;');
    // PAT's replies go to the router's own address, but are translated back before routing:
    // the inbound lists judge them, the local filter does not
    expect(text).toMatch(/iifname "Gi2" ct direction reply ct status snat goto in_lists\n\s+fib daddr type local jump local_in/);
    expect(text).toMatch(/chain in_lists \{\n\s+iifname "Gi2" jump in_from_internet\n\s+\}/);
  });

  it('sends a packet to a server published at the router\'s own address to the inbound lists, not the local filter', () => {
    const m = published();
    const e = m.devices.find((d) => d.id === 'edge.e1')!;
    e.filters.push({ name: 'local', rules: [], defaultAction: 'deny' });
    e.localFilter = 'local';
    expect(edgeOf(m)).toContain('iifname "Gi2" ip daddr 203.0.113.10/32 tcp dport 443 goto in_lists');
  });

  it('says it cannot emulate a stateful device\'s NAT yet', () => {
    const m = staticInside();
    const e = m.devices.find((d) => d.id === 'edge.e1')!;
    expect(natUnsupported(e)).toBeUndefined();
    expect(natUnsupported({ ...e, stateful: true })).toMatch(/stateless IOS-XE devices only/);
  });

  rootOnly('the NAT rulesets load')('every NAT ruleset loads in a scratch namespace (nft checks it)', () => {
    for (const m of [staticInside(), overlapping('cisco-iosxe'), published(), iosPat()]) {
      for (const d of planLab(m, { runId: 'pl00cafe' }).devices) execFileSync('unshare', ['-n', 'nft', '-c', '-f', '-'], { input: renderEmulatedFilters(d.device, d.platform) });
    }
  });
});

describe('probes through translations', () => {
  it('goes to the partner by its mapped prefix and expects our source mapped', () => {
    const m = renameInterfaces(labSized(overlapping('cisco-iosxe'))).model;
    expect(destinationAsSeen(m, 'lan', 'partner', '10.20.0.10', 4, m.assertions[1]!.services).address).toBe('198.18.20.10');
    expect(sourceAsSeen(m, 'lan', 'partner', '10.20.0.100', 4).address).toBe('100.64.20.100');
    expect(sourceAsSeen(m, 'partner', 'lan', '10.20.0.10', 4).address).toBe('198.18.20.10');
  });

  it('plans a reach probe to the address as the source sees it, its arrival at the real one', () => {
    const plan = planLab(published(), { runId: 'pl00cafe' });
    const reach = planAssertionProbes(plan, 0, undefined).probes[0]!;
    expect(reach.packet.destination).toBe('203.0.113.10');
    expect(reach.arrival?.destination).toBe('10.30.0.10');
    expect(reach.arrival?.destinationPort).toBe(443);
    expect(reach.anySource).toBeUndefined();
    // isolate internet -> web : ssh: the real address and the published one, any source
    const isolate = planAssertionProbes(plan, 1, undefined).probes.filter((p) => !p.note.includes('reply-shaped'));
    expect(isolate.map((p) => p.packet.destination)).toEqual(['10.30.0.10', '203.0.113.10']);
    expect(isolate.every((p) => p.anySource && p.arrival?.destination === '10.30.0.10')).toBe(true);
  });

  it('probes an isolate at every form of the destination, within the assertion\'s scope', () => {
    const plan = planLab(staticInside(), { runId: 'pl00cafe' });
    const sent = (i: number): string[] => [...new Set(planAssertionProbes(plan, i, undefined).probes.map((p) => p.packet.destination))];
    expect(sent(1)).toEqual(['10.20.1.5']);
    expect(sent(2)).toEqual(['10.20.1.5', '100.64.20.5']);
  });

  it('judges a reply from the wrong source as a failure of reach', () => {
    const plan = planLab(staticInside(), { runId: 'pl00cafe' });
    const spec = planAssertionProbes(plan, 0, undefined).probes[0]!;
    const result = (sourceSeen: string): ProbeResult => ({ spec, connected: true, delivered: true, sourceSeen, detail: '' });
    const expected = spec.arrival!.source;
    expect(judge(plan.model.assertions[0]!, [result(expected)])).toBe('holds');
    expect(judge(plan.model.assertions[0]!, [result('192.0.2.99')])).toBe('fails');
  });

  it('reads the source a listener saw, IPv6 written out in full', () => {
    expect(sourceSeenIn('plumb-probe seen 100.64.20.100\n')).toBe('100.64.20.100');
    expect(sourceSeenIn('plumb-probe seen [fd00:0000:0000:0000:0000:0000:0000:0001]\n')).toBe('fd00::1');
    expect(sourceSeenIn('plumb-probe\n')).toBeUndefined();
  });
});
