// The emulator's plan on the hand-built network (fixture.ts), with no lab: addresses and names,
// the probes of an assertion and how they are judged, `plumb emulate`'s refusals, and the
// emulated platforms' nftables (checked by nft itself in a scratch namespace, where root and the
// tools are present). The lab itself is in lab.test.ts.

import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../cli/io.js';
import { run } from '../../cli/program.js';
import { renderEmulatedFilters } from '../../emulator/filters.js';
import { judge, planAssertionProbes } from '../../emulator/assertions.js';
import { missingPrerequisites } from '../../emulator/index.js';
import { pickRepresentative, planLab } from '../../emulator/lab.js';
import { l4Bytes } from '../../emulator/probe.js';
import { renameInterfaces } from '../../emulator/rename.js';
import { verifyModel } from '../../verifier/index.js';
import { handBuiltModel } from './fixture.js';

/** Outside CI a machine without root or the tools skips the nft check; in CI it must not. */
const labIt = missingPrerequisites().length === 0 || process.env.CI ? it : it.skip;

describe('the lab plan', () => {
  it('puts each device, segment, host and external in its own namespace, prefixed by the run id', () => {
    const plan = planLab(handBuiltModel(), { runId: 'pl00beef' });
    expect(plan.namespaces.map((n) => n.name)).toEqual([
      'pl00beef-d-s_r1',
      'pl00beef-d-s_r2',
      'pl00beef-h-api',
      'pl00beef-s-lan',
      'pl00beef-s-srv',
      'pl00beef-x-partner',
    ]);
    // r1-r2, lan, srv, the host's port in srv's bridge, the partner's attachment.
    expect(plan.veths).toHaveLength(5);
    const srv = plan.endpoints.find((e) => e.name === 'srv')!;
    expect(srv.bridge?.ports).toEqual(['gw0', 'h1']);
    expect(srv.representative[4]).toBe('10.2.0.100');
    expect(srv.routes).toEqual([
      { family: 4, prefix: 'default', via: [{ address: '10.2.0.1', ifname: 'br0' }] },
    ]);
    const partner = plan.endpoints.find((e) => e.name === 'partner')!;
    expect(partner.bgp).toMatchObject({
      asn: 64600,
      neighbors: [{ address: '169.254.0.1', remoteAs: 65001 }],
      announce: ['198.51.100.0/24'],
    });
    expect(partner.addresses).toContainEqual({ ifname: 'up0', address: '169.254.0.2/30' });
  });

  it('runs other platforms as frr boxes with Linux interface names and its own filters', () => {
    const plan = planLab(handBuiltModel(), { runId: 'pl00beef' });
    const r2 = plan.devices.find((d) => d.id === 's.r2')!;
    expect(r2).toMatchObject({ native: false, emulatedAs: 'frr', filters: 'emulator-stateless' });
    expect(r2.renamed).toEqual({ GigabitEthernet1: 'eth1', GigabitEthernet2: 'eth2' });
    // The peer's `peer` field and the endpoints' attachments follow the renaming.
    const r1 = plan.model.devices.find((d) => d.id === 's.r1')!;
    expect(r1.interfaces.find((i) => i.name === 'eth1')!.peer).toEqual({ device: 's.r2', interface: 'eth1' });
    expect(plan.model.endpoints.find((e) => e.name === 'srv')!.attachments).toEqual([
      { device: 's.r2', interface: 'eth2' },
    ]);
    expect(plan.devices.find((d) => d.id === 's.r1')!.filters).toBe('backend');
  });

  it('leaves valid names alone', () => {
    const m = handBuiltModel();
    m.devices = m.devices.filter((d) => d.id === 's.r1');
    expect(renameInterfaces(m).model).toBe(m);
  });

  it('picks representatives inside the endpoint, outside what it excludes and off every interface', () => {
    const internet = {
      name: 'internet',
      kind: 'external' as const,
      include: ['0.0.0.0/0'],
      exclude: ['10.0.0.0/8', '198.18.0.0/15'],
      attachments: [],
      origin: handBuiltModel().devices[0]!.origin,
    };
    // 198.18.0.10 is excluded: the next documentation address is taken.
    expect(pickRepresentative(internet, 4, new Set())).toBe('192.0.2.10');
    expect(pickRepresentative(internet, 4, new Set(['192.0.2.10']))).toBe('100.64.0.10');
    expect(pickRepresentative(internet, 6, new Set())).toBeUndefined();
    const seg = { ...internet, kind: 'segment' as const, include: ['10.1.0.0/24'], exclude: [] };
    expect(pickRepresentative(seg, 4, new Set(['10.1.0.100']))).toBe('10.1.0.10');
    const p2p = { ...seg, include: ['10.9.9.8/31'] };
    expect(pickRepresentative(p2p, 4, new Set(['10.9.9.8']))).toBe('10.9.9.9');
  });

  it('builds TCP headers with a correct checksum', () => {
    const b = l4Bytes({
      source: '10.0.0.1',
      destination: '10.0.0.2',
      protocol: 6,
      sourcePort: 443,
      destinationPort: 22,
      tcpFlags: ['ack'],
    });
    expect(b.readUInt16BE(0)).toBe(443);
    expect(b.readUInt16BE(2)).toBe(22);
    expect(b[13]).toBe(0x10);
    // The one's-complement sum over pseudo-header and segment (checksum included) is 0xffff.
    const pseudo = Buffer.from([10, 0, 0, 1, 10, 0, 0, 2, 0, 6, 0, 20]);
    const all = Buffer.concat([pseudo, b]);
    let sum = 0;
    for (let i = 0; i < all.length; i += 2) sum += (all[i]! << 8) + all[i + 1]!;
    while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
    expect(sum).toBe(0xffff);
  });
});

describe('probes of an assertion', () => {
  it("a refuted isolate sends the verifier's counterexample as it is, besides the representatives", async () => {
    const model = handBuiltModel();
    const plan = planLab(model, { runId: 'pl00beef' });
    const index = model.assertions.findIndex((a) => a.text === 'isolate srv -> lan : ssh');
    const verdict = (await verifyModel(model)).verdicts[index]!;
    const ce = verdict.counterexample!.packet;
    const probes = planAssertionProbes(plan, index, verdict);
    // The connection, the reply-shaped packets a stateless device's reply rules could admit (ACK
    // and RST from the service's port, from the reply rules' source port 443, from 80), then the
    // counterexample.
    expect(probes.probes.map((p) => p.kind)).toEqual(['connect', ...Array(6).fill('craft'), 'craft']);
    expect(probes.probes[0]!.packet).toEqual({
      source: '10.2.0.100',
      destination: '10.1.0.100',
      protocol: 6,
      destinationPort: 22,
    });
    expect(probes.probes[0]!.waitSeconds).toBe(1);
    expect(
      probes.probes.slice(1, 7).map((p) => `${p.packet.sourcePort} ${p.packet.tcpFlags?.join(',')} ${p.packet.destinationPort}`),
    ).toEqual(['22 ack 22', '22 rst 22', '443 ack 22', '443 rst 22', '80 ack 22', '80 rst 22']);
    const crafted = probes.probes[7]!.packet;
    expect(crafted).toMatchObject({ source: ce.source, destination: ce.destination, protocol: 6 });
    expect(crafted.sourcePort).toBe(ce.sourcePort);
    expect(crafted.tcpFlags).toEqual(ce.tcpFlags);
    // The counterexample's addresses are placed in the endpoints' namespaces when they are not
    // the representatives.
    for (const x of probes.extraAddresses) expect(x.address.split('/')[0]).toMatch(/^10\.[12]\.0\./);
  });

  it('any service: TCP, UDP and ICMP echo; a host inside the segment is skipped', () => {
    const model = handBuiltModel();
    model.assertions.push({
      ...model.assertions[3]!,
      property: 'isolate',
      sources: ['lan'],
      destinations: ['srv', 'api'],
      services: [{}],
      text: 'isolate lan -> srv, api',
    });
    const plan = planLab(model, { runId: 'pl00beef' });
    const probes = planAssertionProbes(plan, model.assertions.length - 1, undefined);
    // Through the stateless r2, reply-shaped TCP (ACK, RST) and UDP packets are crafted too.
    const crafted = probes.probes.filter((p) => p.kind === 'craft');
    expect(crafted.length).toBeGreaterThan(0);
    expect(crafted.every((p) => p.packet.protocol !== 6 || p.packet.tcpFlags?.length === 1)).toBe(true);
    expect(crafted.some((p) => p.packet.protocol === 17 && p.packet.sourcePort === 53)).toBe(true);
    expect(
      probes.probes.filter((p) => p.kind === 'connect').map(
        (p) =>
          `${p.packet.destination} ${p.packet.protocol} ${p.packet.destinationPort ?? p.packet.icmpType}`,
      ),
    ).toEqual([
      '10.2.0.100 6 80',
      '10.2.0.100 17 53',
      '10.2.0.100 1 8',
      '10.2.0.20 6 80',
      '10.2.0.20 17 53',
      '10.2.0.20 1 8',
    ]);
    expect(judge(model.assertions.at(-1)!, [])).toBe('untested');
  });
});

describe('plumb emulate, usage', () => {
  const io = (out: string[], err: string[]): CliIo => ({
    stdout: (t) => void out.push(t),
    stderr: (t) => void err.push(t),
    isTTY: false,
    cwd: join(import.meta.dirname, '../..'),
    env: {},
  });

  it('refuses an unknown format and a bad time limit (exit 2) before building anything', async () => {
    const out: string[] = [];
    const err: string[] = [];
    expect(await run(['emulate', 'examples/acme', '--format', 'xml'], io(out, err))).toBe(2);
    expect(err.join('')).toContain('unknown format `xml`');
    expect(await run(['emulate', 'examples/acme', '--converge-timeout', '-3'], io(out, err))).toBe(2);
    expect(err.join('')).toContain('invalid --converge-timeout');
    // Below a second routing cannot converge; a rounded-away value must not become "no limit".
    for (const bad of ['0.0004', '3601', '1e3', '']) {
      expect(await run(['emulate', 'examples/acme', '--converge-timeout', bad], io(out, err)), bad).toBe(2);
    }
    expect(err.join('')).toContain('give a number of seconds from 1 to 3600');
    expect(out.join('')).toBe('');
  });

  it('says which file it cannot read (exit 2)', async () => {
    const out: string[] = [];
    const err: string[] = [];
    expect(await run(['emulate', 'no/such/file.plumb'], io(out, err))).toBe(2);
    expect(err.join('')).toContain('cannot read no/such/file.plumb');
  });
});

describe('nftables for emulated platforms', () => {
  it('stateless: no connection tracking, established matched on TCP flags', () => {
    const r2 = planLab(handBuiltModel(), { runId: 'pl00beef' }).devices.find((d) => d.id === 's.r2')!;
    const text = renderEmulatedFilters(r2.device);
    expect(text).toContain('notrack');
    expect(text).not.toContain('ct state');
    expect(text).toContain('tcp flags & (ack | rst) != 0');
    expect(text).toContain('iifname "eth2" jump in_from_srv');
    expect(text).toContain('oifname "eth2" jump out_to_srv');
  });

  it("inbound filters let the router's own BGP session through first, as the IOS-XE backend does", () => {
    const r1 = planLab(handBuiltModel(), { runId: 'pl00beef' }).devices.find((d) => d.id === 's.r1')!;
    const text = renderEmulatedFilters(r1.device);
    const chain = text.slice(text.indexOf('chain in_from_partner'));
    const first = chain.split('\n')[2]!.trim();
    expect(first).toBe(
      'ip saddr 169.254.0.2 ip daddr 169.254.0.1 tcp dport 179 counter accept comment "control plane: bgp"',
    );
    expect(chain).toContain('ip saddr 169.254.0.2 ip daddr 169.254.0.1 tcp sport 179 counter accept');
  });

  it('stateful with zones: conntrack first, the zone policy on forward', () => {
    const m = handBuiltModel();
    const fw = m.devices.find((d) => d.id === 's.r2')!;
    fw.platform = 'paloalto-panos';
    fw.role = 'firewall';
    fw.stateful = true;
    fw.zones = [
      { name: 'inside', interfaces: ['GigabitEthernet2'] },
      { name: 'outside', interfaces: ['GigabitEthernet1'] },
    ];
    fw.securityRules = [
      {
        action: 'permit',
        match: {
          fromZones: ['outside'],
          toZones: ['inside'],
          protocol: 6,
          destinationPorts: [{ from: 443, to: 443 }],
        },
        origin: fw.origin,
        description: 'web',
      },
    ];
    const dev = planLab(m, { runId: 'pl00beef' }).devices.find((d) => d.id === 's.r2')!;
    expect(dev.filters).toBe('emulator-stateful');
    const text = renderEmulatedFilters(dev.device);
    expect(text).toContain('ct state established,related accept');
    expect(text).toContain('iifname "eth1" oifname "eth2" meta l4proto 6 th dport 443 counter accept');
    expect(text).not.toContain('notrack');
  });

  labIt('the rulesets load in a scratch namespace (nft checks them)', () => {
    const plan = planLab(handBuiltModel(), { runId: 'pl00beef' });
    for (const d of plan.devices) {
      execFileSync('unshare', ['-n', 'nft', '-c', '-f', '-'], { input: renderEmulatedFilters(d.device) });
    }
  });
});
