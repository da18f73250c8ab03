// The emulator on a hand-built network: the plan (pure), the emulated platforms' nftables
// (checked by nft itself), and a real lab in network namespaces — TCP, UDP and ICMP flows that
// pass, denied ones that are blocked, the verifier's counterexample packets crafted as they are,
// an external announcing more than its prefixes, and nothing left behind afterwards.

import { execFileSync, spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../cli/io.js';
import { run } from '../../cli/program.js';
import { renderEmulatedFilters } from '../../emulator/filters.js';
import { judge, planAssertionProbes } from '../../emulator/assertions.js';
import { emulate, missingPrerequisites, newRunId } from '../../emulator/index.js';
import { pickRepresentative, planLab } from '../../emulator/lab.js';
import { buildLab } from '../../emulator/build.js';
import { l4Bytes, runProbes } from '../../emulator/probe.js';
import { renameInterfaces } from '../../emulator/rename.js';
import { RUN_ROOT, cleanStaleRuns, teardownRunAsync } from '../../emulator/teardown.js';
import { verifyModel } from '../../verifier/index.js';
import { ASSERTIONS, handBuiltModel, handWrittenConfigs } from './fixture.js';
import { dualStack, statefulVariant, withoutPartner } from './fixture-variants.js';
import { twoRouterIntent } from '../intent-runs.js';

/** A two-router OSPF intent for the command-line tests. */
const TINY_INTENT = twoRouterIntent({ network: 'tiny', routing: 'ospf', tail: 'assert reach a -> b : https\nassert isolate b -> a\n' });

const missing = missingPrerequisites();
const canRun = missing.length === 0;
if (!canRun && !process.env.CI) {
  console.warn(
    `\n*** SKIPPING the emulator's lab tests: missing ${missing.join(', ')} (they run in CI as root) ***\n`,
  );
}
/** Outside CI a machine without root or the tools skips; in CI it must not. */
const labIt = canRun || process.env.CI ? it : it.skip;

function namespaces(): string[] {
  return execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })
    .split('\n')
    .map((l) => l.split(' ')[0]!)
    .filter(Boolean);
}

/** Processes whose command line matches (FRR daemons name their pathspace, the run id). */
function processesOf(pattern: string | RegExp): string[] {
  const out: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (typeof pattern === 'string' ? cmd.includes(pattern) : pattern.test(cmd)) out.push(`${pid} ${cmd}`);
    } catch {
      /* gone */
    }
  }
  return out;
}

labIt('this machine has root and every tool a lab needs', () => {
  expect(missing).toEqual([]);
});

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

describe('a lab in network namespaces', () => {
  const timings: string[] = [];
  afterAll(() => {
    if (timings.length > 0) console.log(`emulator timings (2-core machine): ${timings.join('; ')}`);
  });

  labIt(
    'real packets agree with every verdict of the verifier, and nothing is left behind',
    async () => {
      const model = handBuiltModel();
      const verification = await verifyModel(model);
      // The fixture is what it claims to be: these verdicts come from the verifier itself.
      expect(verification.verdicts.map((v) => v.status)).toEqual(ASSERTIONS.map((a) => a.expected));
      const runId = newRunId();
      const report = await emulate(model, {
        verdicts: verification.verdicts,
        configs: handWrittenConfigs,
        runId,
        extraAnnouncements: { partner: ['203.0.113.0/24', '10.2.0.0/25'] },
        convergenceLimitMs: 30_000,
      });
      timings.push(
        `hand-built: build ${report.buildMillis} ms, converge ${report.convergeMillis} ms, probes ${report.probeMillis} ms, teardown ${report.teardownMillis} ms`,
      );
      expect(report.error).toBeUndefined();
      expect(report.converged).toBe(true);
      expect(report.fixes).toEqual([]);
      for (const r of report.results) {
        expect({ assertion: r.assertion.text, agrees: r.agrees, untested: r.untested }).toEqual({
          assertion: r.assertion.text,
          agrees: true,
          untested: [],
        });
      }
      const byText = new Map(report.results.map((r) => [r.assertion.text, r]));
      // A flow that passes, per protocol: TCP data echoed, the UDP reply, the ICMP echo reply.
      expect(byText.get('reach lan -> srv : https')!.probes[0]).toMatchObject({
        connected: true,
        delivered: true,
      });
      expect(byText.get('reach lan -> api : dns')!.probes[0]).toMatchObject({
        connected: true,
        delivered: true,
      });
      expect(byText.get('reach lan -> srv : ping')!.probes[0]).toMatchObject({
        connected: true,
        delivered: true,
      });
      // A denied flow never arrives.
      expect(byText.get('isolate lan -> srv : ssh')!.probes[0]).toMatchObject({
        connected: false,
        delivered: false,
      });
      // The stateless ACL's hole: the verifier's crafted ACK from port 443 gets through, a SYN does not.
      const hole = byText.get('isolate srv -> lan : ssh')!;
      expect(hole.packets).toBe('fails');
      const crafted = hole.probes.find((p) => p.spec.note.startsWith("the verifier's counterexample"))!;
      expect(crafted.spec.packet).toMatchObject({ sourcePort: 443, tcpFlags: ['ack'] });
      expect(crafted.delivered).toBe(true);
      expect(hole.probes.find((p) => p.spec.kind === 'connect')!.delivered).toBe(false);
      // `via`: the waypoint's counter saw the packets.
      expect(byText.get('reach partner -> srv : https via s.r2')!.probes[0]!.viaSeen).toEqual({
        [`${runId}-d-s_r2`]: true,
      });
      // The partner announced more than its prefix: the import filter rejected it.
      expect(report.importChecks).toEqual([
        { external: 'partner', device: 's.r1', prefix: '203.0.113.0/24', rejected: true },
        { external: 'partner', device: 's.r1', prefix: '10.2.0.0/25', rejected: true },
      ]);
      expect(report.devices.find((d) => d.id === 's.r2')).toMatchObject({
        native: false,
        filters: 'emulator-stateless',
      });
      // Nothing left: namespaces, daemons and listeners (their command lines name the run), folders.
      // (Other runs may be in progress on the machine: only this run's things are counted.)
      expect(namespaces().filter((n) => n.startsWith(runId))).toEqual([]);
      expect(processesOf(runId)).toEqual([]);
      // The echo listeners (socat, bound to the fixture's addresses).
      expect(processesOf(/^socat .*bind=(10\.[12]\.0\.|198\.51\.100\.)/)).toEqual([]);
      expect(existsSync(join(RUN_ROOT, runId))).toBe(false);
    },
    120_000,
  );

  labIt(
    'the same crafted ACK passes the stateless ACL but not the stateful zone policy, as the verifier says',
    async () => {
      const ack = 'isolate srv -> lan : ssh';
      // The two variants' labs at once, each in namespaces of its own run id.
      const variants = [
        ['stateless', withoutPartner(handBuiltModel())],
        ['stateful', statefulVariant(withoutPartner(handBuiltModel()))],
      ] as const;
      await Promise.all(
        variants.map(async ([variant, model]) => {
          const verdict = (await verifyModel(model)).verdicts.find((v) => v.assertion.text === ack)!;
          expect(verdict.status, variant).toBe(variant === 'stateless' ? 'refuted' : 'proven');
          const plan = planLab(model, { runId: newRunId() });
          try {
            const lab = await buildLab(plan, { configs: handWrittenConfigs, convergenceLimitMs: 20_000 });
            expect(lab.missing).toEqual([]);
            const srv = plan.endpoints.find((e) => e.name === 'srv')!;
            const lan = plan.endpoints.find((e) => e.name === 'lan')!;
            const packet = { source: srv.representative[4]!, destination: lan.representative[4]!, protocol: 6 };
            const [crafted, syn, https] = await runProbes([
              {
                id: 'ack',
                kind: 'craft',
                fromNs: srv.ns,
                toNs: lan.ns,
                note: 'ack',
                packet: { ...packet, sourcePort: 443, destinationPort: 22, tcpFlags: ['ack'] },
              },
              {
                id: 'syn',
                kind: 'craft',
                fromNs: srv.ns,
                toNs: lan.ns,
                note: 'syn',
                packet: { ...packet, sourcePort: 443, destinationPort: 23, tcpFlags: ['syn'] },
              },
              {
                id: 'https',
                kind: 'connect',
                fromNs: lan.ns,
                toNs: srv.ns,
                note: 'https',
                packet: {
                  source: lan.representative[4]!,
                  destination: srv.representative[4]!,
                  protocol: 6,
                  destinationPort: 443,
                },
              },
            ]);
            expect({ variant, delivered: crafted!.delivered }).toEqual({
              variant,
              delivered: variant === 'stateless',
            });
            expect(syn!.delivered).toBe(false);
            // Listeners are the emulate() run's job; with none, the connection is refused, but its
            // SYN arrived and the refusal came back: both ways pass.
            expect(https!.delivered).toBe(true);
          } finally {
            await teardownRunAsync(plan.runId);
          }
          expect(namespaces().filter((n) => n.startsWith(plan.runId))).toEqual([]);
        }),
      );
    },
    90_000,
  );

  labIt(
    'IPv6: a dual-stack network is probed in both families and agrees with the verifier',
    async () => {
      const model = dualStack(withoutPartner(handBuiltModel()));
      // The reply rule's hole, in both families: srv may send ACKs from port 443 to lan.
      const hole = handBuiltModel().assertions.find((a) => a.text === 'isolate srv -> lan : ssh')!;
      model.assertions.push(hole);
      // An IPv6-only host on lan and the IPv4-only host api: no family in common, so the
      // assertion between them is vacuous, which is no disagreement.
      const lan = model.endpoints.find((e) => e.name === 'lan')!;
      model.endpoints.push({ ...lan, name: 'h6', kind: 'host', include: ['2001:db8:1::20/128'], segment: 'lan' });
      const vacuous = { ...hole, sources: ['h6'], destinations: ['api'], text: 'isolate h6 -> api : ssh' };
      model.assertions.push(vacuous);
      const verification = await verifyModel(model);
      expect(verification.verdicts.slice(0, 4).map((v) => v.status)).toEqual(['proven', 'proven', 'proven', 'refuted']);
      expect(verification.verdicts[4]!.status).not.toBe('refuted');
      const report = await emulate(model, {
        verdicts: verification.verdicts,
        configs: handWrittenConfigs,
        convergenceLimitMs: 20_000,
      });
      expect(report.error).toBeUndefined();
      expect(report.notConverged).toEqual([]);
      for (const r of report.results)
        expect({ text: r.assertion.text, agrees: r.agrees }).toEqual({
          text: r.assertion.text,
          agrees: true,
        });
      expect(report.results.find((r) => r.assertion.text === vacuous.text)).toMatchObject({
        packets: 'vacuous',
        agrees: true,
        probes: [],
      });
      const v6 = report.results
        .filter((r) => r.assertion.text !== hole.text)
        .flatMap((r) => r.probes)
        .filter((p) => p.spec.packet.source.includes(':'));
      const holeProbes = report.results.find((r) => r.assertion.text === hole.text)!.probes;
      expect(
        holeProbes
          .filter((p) => p.delivered && p.spec.kind === 'craft')
          .map((p) => `${p.spec.packet.source.includes(':') ? 6 : 4} ${p.spec.packet.sourcePort} ${p.spec.packet.tcpFlags?.join(',')}`)
          .filter((x) => !x.includes('undefined'))
          .sort(),
      ).toEqual(expect.arrayContaining(['4 443 ack', '4 443 rst', '6 443 ack', '6 443 rst']));
      expect(
        v6
          .filter((p) => p.spec.kind === 'connect')
          .map(
            (p) =>
              `${p.spec.packet.protocol} ${p.spec.packet.destinationPort ?? p.spec.packet.icmpType} ${p.connected} ${p.delivered}`,
          ),
      ).toEqual(['6 443 true true', '58 128 true true', '6 22 false false']);
      // The isolate through the stateless r2: crafted IPv6 ACKs and RSTs from the reply rules'
      // ports, none delivered (the reply rule admits port 443 toward lan only).
      const crafted = v6.filter((p) => p.spec.kind === 'craft');
      expect(crafted.length).toBeGreaterThan(0);
      expect(crafted.filter((p) => p.delivered).map((p) => p.spec.packet)).toEqual([]);
    },
    90_000,
  );

  labIt(
    'Ctrl-C during plumb emulate tears the lab down',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'plumb-sigint-'));
      const file = join(dir, 'tiny.plumb');
      writeFileSync(file, TINY_INTENT);
      const before = new Set(namespaces());
      const root = join(import.meta.dirname, '../..');
      const child = spawn(join(root, 'node_modules/.bin/vite-node'), ['cli/main.ts', 'emulate', file], {
        cwd: root,
        stdio: 'ignore',
      });
      const exited = new Promise<{ code: number | null; signal: string | null }>((res) =>
        child.on('exit', (code, signal) => res({ code, signal })),
      );
      let runId: string | undefined;
      for (let i = 0; i < 240 && !runId; i++) {
        await new Promise((r) => setTimeout(r, 250));
        const ns = namespaces().find((n) => !before.has(n) && /^pl[0-9a-f]{6}-d-s_r2$/.test(n));
        // Interrupt once the routing daemons run (OSPF is still converging then).
        if (ns && processesOf(`${ns} `).some((p) => p.includes('ospfd'))) runId = ns.slice(0, 8);
      }
      expect(runId, 'the lab came up').toBeDefined();
      child.kill('SIGINT');
      const { code, signal } = await exited;
      rmSync(dir, { recursive: true, force: true });
      expect(signal === 'SIGINT' || code === 130).toBe(true);
      expect(namespaces().filter((n) => n.startsWith(runId!))).toEqual([]);
      expect(processesOf(runId!)).toEqual([]);
      expect(existsSync(join(RUN_ROOT, runId!))).toBe(false);
    },
    120_000,
  );

  labIt('a lab left over by a killed run is removed by the next one', async () => {
    const stale = newRunId();
    const ns = `${stale}-d-left`;
    // Owned by this (live) process while it is set up, so that a run in another test file
    // cannot take it for stale half-way.
    mkdirSync(join(RUN_ROOT, stale), { recursive: true });
    writeFileSync(join(RUN_ROOT, stale, 'owner'), `${process.pid}\n`);
    execFileSync('ip', ['netns', 'add', ns]);
    const sleeper = spawn('ip', ['netns', 'exec', ns, 'sleep', '300'], { stdio: 'ignore', detached: true });
    await new Promise((r) => setTimeout(r, 200));
    expect(namespaces()).toContain(ns);
    // Now its owner is gone, as after a kill -9.
    writeFileSync(join(RUN_ROOT, stale, 'owner'), '999999999\n');
    // (Another run may remove it first: what matters is that it is gone.)
    cleanStaleRuns();
    expect(namespaces()).not.toContain(ns);
    expect(existsSync(join(RUN_ROOT, stale))).toBe(false);
    // The teardown killed it; its exit reaches this process through the event loop.
    const ended = (): boolean => sleeper.exitCode !== null || sleeper.signalCode !== null;
    for (const t0 = Date.now(); !ended() && Date.now() - t0 < 10_000; ) await new Promise((r) => setTimeout(r, 50));
    expect(ended()).toBe(true);
  });

  labIt('a lab whose owner is alive is not touched', () => {
    const live = newRunId();
    mkdirSync(join(RUN_ROOT, live), { recursive: true });
    writeFileSync(join(RUN_ROOT, live, 'owner'), `${process.pid}\n`);
    try {
      expect(cleanStaleRuns()).not.toContain(live);
      expect(existsSync(join(RUN_ROOT, live))).toBe(true);
    } finally {
      writeFileSync(join(RUN_ROOT, live, 'owner'), '999999999\n');
      cleanStaleRuns();
    }
  });
});
