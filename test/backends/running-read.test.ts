// Drift against what real boxes print. Each linux and frr device of the examples is brought up
// from its own files in a network namespace (real FRR daemons, real nftables and kernel), what it
// prints is captured with the commands docs/backends/{linux,frr}.md name, and read back with
// `source: 'running'`: equivalent to the compiled device, nothing unreadable, nothing unmanaged.
// Then an operator's hand edits, made with real commands on the running box (an accept atop a
// chain, an OSPF cost, a kernel route, a table and a management port Plumb does not manage), must
// come back as exactly those differences, each at the line the box printed it on, and the rest
// as unmanaged lines. Needs root, FRR and nftables: skipped loudly outside CI, failing in CI.
// Each box lives in network and UTS namespaces of its own, so a group's boxes come up at once
// (most of a box's time is its daemons starting and settling, not CPU).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend, ReadResult, RenderedFile } from '../../backends/backend.js';
import { backendFor } from '../../backends/index.js';
import type { DeviceModel, NetworkModel } from '../../compiler/model.js';
import { checkEquivalence, type EquivalenceResult } from '../../verifier/equivalence.js';
import { SolverPool } from '../../verifier/solver-pool.js';
import { exampleModels } from './examples.js';
import { linuxPorts, VLAN_CAPABLE } from './linux-ports.js';
import { captureRunning } from './running-lab.js';
import { withIntentAnnotations } from './running-fill.js';
import { FRR_LOADABLE, PACKETS_POSSIBLE } from './tools.js';
import { platformCase } from './platform-cases.js';

const skip = !(FRR_LOADABLE && PACKETS_POSSIBLE) && !process.env.CI;
if (skip)
  console.warn('\n*** SKIPPING running-configuration drift labs: needs root, Debian frr, nftables and iproute2. CI runs them. ***\n');

const pool = new SolverPool(2);
beforeAll(() => pool.start(), 30_000);
afterAll(() => pool.close());

function backend(device: DeviceModel): Backend {
  const b = backendFor(device.platform);
  if (!b) throw new Error(`no backend for ${device.platform}`);
  return b;
}

function example(name: string): NetworkModel {
  const m = exampleModels().find((x) => x.name === name);
  if (!m) throw new Error(`no example ${name}`);
  return m.model;
}

function deviceOf(model: NetworkModel, id: string): DeviceModel {
  const d = model.devices.find((x) => x.id === id);
  if (!d) throw new Error(`no device ${id}`);
  return d;
}

/** The box's files as Plumb renders them, brought up; what it prints before and after `edits`. */
async function capture(model: NetworkModel, device: DeviceModel, edits: string[] = []) {
  const files = backend(device).render(device, model);
  const r = await captureRunning(files, linuxPorts(device), { frr: device.platform === 'frr', hostname: device.name, edits });
  expect(r.output).toBe('');
  expect(r.status).toBe(0);
  return r;
}

async function readBack(device: DeviceModel, files: RenderedFile[]): Promise<{ read: ReadResult; eq?: EquivalenceResult }> {
  const read = backend(device).read(files, {
    id: device.id,
    site: device.site,
    name: device.name,
    role: device.role,
    source: 'running',
  });
  if (!read.device) return { read };
  return { read, eq: await checkEquivalence(device, withIntentAnnotations(read.device, device), { pool }) };
}

const problems = (r: ReadResult): string[] =>
  r.diagnostics.map((d) => `${d.code} ${d.severity} ${d.span.file}:${d.span.start.line}: ${d.message}`);

/** The 1-based line of `file` that holds `text`, checked to be there once. */
function lineOf(files: RenderedFile[], file: string, text: string): number {
  const lines = files.find((f) => f.path === file)!.content.split('\n');
  const at = lines.flatMap((l, i) => (l.includes(text) ? [i + 1] : []));
  expect(at, `${text} in ${file}`).toHaveLength(1);
  return at[0]!;
}

const devices = exampleModels().flatMap(({ name, model }) =>
  model.devices
    .filter((d) => (d.platform === 'frr' || d.platform === 'linux') && (VLAN_CAPABLE || d.interfaces.every((i) => i.vlan === undefined)))
    .map((d) => ({ example: name, id: d.id })),
);

describe.concurrent('a running box read back from what it prints', () => {
  it.skipIf(skip).each(devices)('$example $id: 0 differences, nothing unmanaged', async ({ example: name, id }) => {
    const model = example(name);
    const device = deviceOf(model, id);
    const r = await capture(model, device);
    const { read, eq } = await readBack(device, r.before);
    expect(problems(read)).toEqual([]);
    expect(read.unmanaged).toEqual([]);
    expect(eq?.differences).toEqual([]);
    expect(eq?.undecided).toEqual([]);
    expect(eq?.equivalent).toBe(true);
  }, 60_000);
});

describe.concurrent('the hand-built linux and frr boxes (a zoned firewall among them) read back from what they print', () => {
  // The kernel prints every route with its interface, as the compiler writes them; a hand-built
  // route with a next hop only would read back with the interface the kernel chose.
  const boxes = (['linux', 'frr'] as const)
    .flatMap((p) => platformCase(p).handBuilt())
    .map((b) => ({ ...b, device: { ...b.device, staticRoutes: b.device.staticRoutes.filter((r) => r.interface !== undefined) } }))
    // Tagged VLANs need a kernel with 802.1Q (skipWithoutVlans in linux-ports.ts says so loudly).
    .filter((b) => VLAN_CAPABLE || b.device.interfaces.every((i) => i.vlan === undefined));
  it.skipIf(skip).each(boxes.map((b) => ({ id: b.device.id, platform: b.device.platform, b })))('$id ($platform): 0 differences', async ({ b }) => {
    const r = await capture(b.model, b.device);
    const { read, eq } = await readBack(b.device, r.before);
    expect(problems(read)).toEqual([]);
    expect(read.unmanaged).toEqual([]);
    expect(eq?.differences).toEqual([]);
    expect(eq?.equivalent).toBe(true);
  }, 60_000);
});

describe.concurrent('hand edits on a running box are drift at their line; the rest is unmanaged', () => {
  it.skipIf(skip)('linux ams1.gw1: an accept atop the local chain, a kernel route, a NAT table and eth0', async () => {
    const model = example('acme');
    const device = deviceOf(model, 'ams1.gw1');
    const gateway = device.staticRoutes.find((r) => r.prefix === '0.0.0.0/0')!;
    const r = await capture(model, device, [
      'nft insert rule inet plumb local tcp dport 23 accept',
      `ip route add 10.77.0.0/24 via ${gateway.nextHop} dev ${gateway.interface}`,
      "nft add table ip nat && nft add chain ip nat postrouting '{ type nat hook postrouting priority srcnat; policy accept; }'",
      'ip link add eth0 type veth peer name mgmt0 netns $P && ip addr add 192.168.100.2/24 dev eth0 && ip link set eth0 up',
    ]);
    const { read, eq } = await readBack(device, r.after);
    expect(problems(read)).toEqual([]);
    const items = eq!.differences.filter((d) => d.kind === 'item');
    const packets = eq!.differences.filter((d) => d.kind === 'packet');
    // The kernel route: one static route more, at its `"dst"` line in ip-route.json.
    expect(items.map((d) => [d.item, d.expected, d.actual])).toEqual([
      [`static route 10.77.0.0/24 via ${gateway.nextHop} dev ${gateway.interface}`, undefined, 'distance default'],
    ]);
    expect(items[0]!.actualOrigin?.file).toBe('ip-route.json');
    expect(items[0]!.actualOrigin?.start.line).toBe(lineOf(r.after, 'ip-route.json', '"dst": "10.77.0.0/24"'));
    // The accept: telnet to the box itself, admitted by the printed rule, dropped by the model.
    expect(packets).toHaveLength(1);
    const p = packets[0]!;
    expect(p.kind === 'packet' && [p.expected.action, p.actual.action, p.packet.protocol, p.packet.destinationPort]).toEqual(['deny', 'permit', 6, 23]);
    expect(p.kind === 'packet' && p.actual.origin?.file).toBe('ruleset.nft');
    expect(p.kind === 'packet' && p.actual.origin?.start.line).toBe(lineOf(r.after, 'ruleset.nft', 'tcp dport 23 accept'));
    // The NAT table and the management port with its sysctls: listed, not read, not errors.
    expect(read.unmanaged!.map((u) => [u.file, u.text])).toEqual([
      ['ip-addr.json', '"ifname": "eth0"'],
      ['ruleset.nft', 'table ip nat {'],
      ['sysctl.txt', 'net.ipv4.conf.eth0.rp_filter = 0'],
      ['sysctl.txt', 'net.ipv6.conf.eth0.disable_ipv6 = 0'],
    ]);
  }, 60_000);

  it.skipIf(skip)('linux ams1.gw1: an accept atop the forward chain is a permit first in every filter it skips', async () => {
    const model = example('acme');
    const device = deviceOf(model, 'ams1.gw1');
    const segment = device.interfaces.find((i) => i.role === 'segment')!;
    const from = segment.addresses[0]!.replace(/\.\d+\/24$/, '.0/24');
    const r = await capture(model, device, [`nft insert rule inet plumb forward ip saddr ${from} tcp dport 5432 accept`]);
    const { read, eq } = await readBack(device, r.after);
    expect(problems(read)).toEqual([]);
    expect(eq!.differences.filter((d) => d.kind === 'item')).toEqual([]);
    const packets = eq!.differences.filter((d) => d.kind === 'packet');
    const line = lineOf(r.after, 'ruleset.nft', 'tcp dport 5432 accept');
    expect(packets.length).toBeGreaterThan(0);
    for (const p of packets)
      expect(p.kind === 'packet' && [p.expected.action, p.actual.action, p.packet.destinationPort, p.actual.origin?.start.line]).toEqual(['deny', 'permit', 5432, line]);
    expect(packets.map((p) => p.kind === 'packet' && p.scope.kind === 'filter' && p.scope.direction)).toContain('in');
  }, 60_000);

  it.skipIf(skip)('frr fra1.core1: an OSPF cost, a kernel route beside FRR, a permit atop a forward filter, FRR lines Plumb does not manage', async () => {
    const model = example('acme');
    const device = deviceOf(model, 'fra1.core1');
    const link = device.interfaces.find((i) => i.role === 'link')!;
    const cost = device.ospf!.interfaces.find((i) => i.name === link.name)!.cost;
    const segment = device.interfaces.find((i) => i.role === 'segment' && i.filterIn !== undefined)!;
    const r = await capture(model, device, [
      // Both versions: the model has one cost per interface (one alone is R908, a contradiction).
      `vtysh -c 'conf t' -c 'interface ${link.name}' -c 'ip ospf cost 50' -c 'ipv6 ospf6 cost 50'`,
      `ip route add 10.78.0.0/24 dev ${link.name}`,
      `nft insert rule inet plumb ${segment.filterIn} tcp dport 3389 return`,
      "vtysh -c 'conf t' -c 'log syslog informational' -c 'ip nht resolve-via-default'",
    ]);
    const { read, eq } = await readBack(device, r.after);
    expect(problems(read)).toEqual([]);
    const items = eq!.differences.filter((d) => d.kind === 'item');
    expect(items.map((d) => [d.item, d.expected, d.actual])).toEqual([
      [`OSPF interface ${link.name}`, `cost ${cost}`, 'cost 50'],
      [`static route 10.78.0.0/24 dev ${link.name}`, undefined, 'distance default'],
    ]);
    expect(items[1]!.actualOrigin?.file).toBe('ip-route.json');
    expect(items[1]!.actualOrigin?.start.line).toBe(lineOf(r.after, 'ip-route.json', '"dst": "10.78.0.0/24"'));
    const packets = eq!.differences.filter((d) => d.kind === 'packet');
    expect(packets).toHaveLength(1);
    const p = packets[0]!;
    expect(p.kind === 'packet' && [p.expected.action, p.actual.action, p.packet.destinationPort]).toEqual(['deny', 'permit', 3389]);
    expect(p.kind === 'packet' && p.actual.origin?.start.line).toBe(lineOf(r.after, 'ruleset.nft', 'tcp dport 3389 return'));
    expect(read.unmanaged!.map((u) => [u.file, u.text])).toEqual([
      ['frr.conf', 'log syslog informational'],
      ['frr.conf', 'ip nht resolve-via-default'],
    ]);
  }, 60_000);
});
