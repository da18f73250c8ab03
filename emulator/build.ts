// Building a planned lab: namespaces, veths, bridges, addresses and routes, then each device's
// configuration (setup.sh, nftables, FRR), the externals' BGP speakers, and the wait for
// routing to converge by FRR's own state.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { InterfaceModel, RouteProtocol } from '../compiler/model.js';
import type { ConfigSource, DeviceConfigs } from './configs.js';
import {
  DISCARD_HOP,
  daemonsFor,
  externalBgpConfig,
  routeTable,
  startFrr,
  type FrrExpectation,
  type FrrInstance,
} from './frr.js';
import { waitForConvergence } from './convergence.js';
import { waitForRouting } from './routing-wait.js';
import type { AddressPlan, DevicePlan, LabPlan, RoutePlan } from './lab.js';
import { LabError, execIn, execInOk, ipBatch, ipIn, nftApply } from './netns.js';
import { PROBE_TABLE_RULESET } from './probe.js';
import { fibDifferenceText, type FibDifference } from './fib-compare.js';
import { kernelFibDifferences } from './kernel-fib.js';
import { claimRun } from './teardown.js';
import { checkExports, exportCheckLines, type ExportCheck } from './bgp-exports.js';

export interface Lab {
  plan: LabPlan;
  dir: string;
  frr: Map<string, FrrInstance>;
  configs: Map<string, DeviceConfigs>;
  /** What the lab had to add beyond the devices' own configuration (e.g. a missing address). */
  fixes: string[];
  buildMillis: number;
  convergeMillis: number;
  converged: boolean;
  missing: string[];
  /** The model's FIB against each device's kernel tables once routing converged (or gave up). */
  fibDifferences: FibDifference[];
  /** Extra announcements of externals and whether our side rejected them. */
  importChecks: { external: string; device: string; prefix: string; rejected: boolean }[];
  /** Each session to an external's speaker: what it received against what the model exports (bgp-exports.ts). */
  exportChecks: ExportCheck[];
}

export interface BuildOptions {
  configs: ConfigSource;
  convergenceLimitMs?: number;
  log?: (line: string) => void;
  /**
   * Called once the lab is built, before the wait for routing: a build is busy with processes,
   * the wait mostly idle, so a caller with several labs can let the next one build then.
   */
  onBuilt?: () => void;
}

async function sysctl(ns: string, settings: string[]): Promise<void> {
  await execInOk(ns, 'sysctl', ['-q', '-w', ...settings]);
}

async function addAddress(ns: string, a: AddressPlan): Promise<void> {
  await ipIn(ns, ['addr', 'replace', a.address, 'dev', a.ifname]);
}

function routeLine(r: RoutePlan): string[] {
  const args = ['route', 'replace', r.family === 4 ? 'default' : '::/0'];
  if (r.prefix !== 'default') args[2] = r.prefix;
  if (r.via.length === 1) args.push('via', r.via[0]!.address, 'dev', r.via[0]!.ifname);
  else for (const v of r.via) args.push('nexthop', 'via', v.address, 'dev', v.ifname);
  return args;
}

/** Times `ip -j addr show` is asked before an empty answer is the lab's error. */
const ADDRESS_TRIES = 3;

/**
 * A namespace's `ip -j addr show`, asked again while it comes back empty: a namespace always has
 * its loopback, yet with eight labs building at once at a load of 45 the answer was empty with
 * exit 0 (four labs of one run failed on it). Still empty after `tries`: the lab's error.
 */
export async function addressListing(ns: string, list: () => Promise<string>, tries = ADDRESS_TRIES): Promise<string> {
  for (let k = 1; k <= tries; k++) {
    const out = await list();
    if (out.trim() !== '') return out;
  }
  throw new LabError(`ip -n ${ns} -j addr show gave no output ${tries} times`);
}

/** Addresses on each interface of a namespace, as `ifname|address/len`. */
async function addressesIn(ns: string): Promise<Set<string>> {
  const out = await addressListing(ns, () => ipIn(ns, ['-j', 'addr', 'show']));
  const set = new Set<string>();
  for (const link of JSON.parse(out) as {
    ifname: string;
    addr_info?: { local: string; prefixlen: number }[];
  }[]) {
    for (const a of link.addr_info ?? []) set.add(`${link.ifname}|${a.local}/${a.prefixlen}`);
  }
  return set;
}

function canonicalWithLen(text: string): string {
  const [a, l] = text.split('/');
  // `ip -j` prints IPv6 in its canonical (RFC 5952) form, as the model does.
  return `${a}/${l}`;
}

export async function buildLab(plan: LabPlan, opts: BuildOptions): Promise<Lab> {
  const log = opts.log ?? (() => undefined);
  const t0 = Date.now();
  const dir = claimRun(plan.runId);
  const lab: Lab = {
    plan,
    dir,
    frr: new Map(),
    configs: new Map(),
    fixes: [],
    buildMillis: 0,
    convergeMillis: 0,
    converged: false,
    missing: [],
    fibDifferences: [],
    importChecks: [],
    exportChecks: [],
  };
  writeFileSync(
    join(dir, 'plan.json'),
    JSON.stringify({ namespaces: plan.namespaces, veths: plan.veths }, null, 2),
  );

  // Configs first: a backend failure should cost nothing to clean up.
  for (const dp of plan.devices) lab.configs.set(dp.id, await opts.configs(dp, plan.model));

  log(`lab ${plan.runId}: ${plan.namespaces.length} namespaces, ${plan.veths.length} veth pairs`);
  // Namespaces first, then their sysctls (IPv6 duplicate address detection off before any
  // interface exists, so that no address waits tentative), then every veth pair in one batch:
  // each end is created directly in its namespace.
  await ipBatch(
    undefined,
    plan.namespaces.map((ns) => ['netns', 'add', ns.name]),
  );
  await Promise.all(
    plan.namespaces.map(async (ns) => {
      const common = ['net.ipv6.conf.all.accept_dad=0', 'net.ipv6.conf.default.accept_dad=0'];
      const router =
        ns.kind === 'device'
          ? [
              'net.ipv4.ip_forward=1',
              'net.ipv6.conf.all.forwarding=1',
              'net.ipv4.conf.all.rp_filter=0',
              'net.ipv4.conf.default.rp_filter=0',
            ]
          : [];
      await sysctl(ns.name, [...common, ...router]);
    }),
  );
  await ipBatch(
    undefined,
    plan.veths.map((v) => [
      'link',
      'add',
      v.a.ifname,
      'netns',
      v.a.ns,
      'type',
      'veth',
      'peer',
      'name',
      v.b.ifname,
      'netns',
      v.b.ns,
    ]),
  );
  const upByNs = new Map<string, string[]>();
  for (const v of plan.veths) {
    for (const end of [v.a, v.b]) upByNs.set(end.ns, [...(upByNs.get(end.ns) ?? []), end.ifname]);
  }
  await Promise.all(
    plan.namespaces.map(async (ns) => {
      const ep = plan.endpoints.find((e) => e.ns === ns.name);
      const lines: string[][] = [['link', 'set', 'lo', 'up']];
      if (ep?.bridge) {
        lines.push(['link', 'add', ep.bridge.name, 'type', 'bridge']);
        for (const port of ep.bridge.ports) lines.push(['link', 'set', port, 'master', ep.bridge.name]);
        lines.push(['link', 'set', ep.bridge.name, 'up']);
      }
      for (const ifname of upByNs.get(ns.name) ?? []) lines.push(['link', 'set', ifname, 'up']);
      for (const a of ep?.addresses ?? []) lines.push(['addr', 'replace', a.address, 'dev', a.ifname]);
      for (const r of ep?.routes ?? []) lines.push(routeLine(r));
      await ipBatch(ns.name, lines);
      if (ep) await nftApply(ep.ns, PROBE_TABLE_RULESET);
    }),
  );

  log(`lab ${plan.runId}: links and endpoints up after ${Date.now() - t0} ms`);
  // Each device: its own setup.sh, then any address it did not configure, the packet filter, and
  // its routing daemons, without waiting for the other devices; the externals' speakers meanwhile
  // (their addresses are up). Short folder names, numbered in the plan's order: FRR's unix socket
  // paths must stay under 108 bytes.
  const frrDirs = new Map<string, string>();
  for (const dp of plan.devices) if (lab.configs.get(dp.id)!.frrConf) frrDirs.set(dp.id, join(dir, `frr${frrDirs.size}`));
  for (const ep of plan.endpoints) if (ep.bgp) frrDirs.set(`external:${ep.name}`, join(dir, `frr${frrDirs.size}`));
  const started = new Map<string, FrrInstance>();
  await Promise.all([
    ...plan.devices.map(async (dp) => {
      const cfg = lab.configs.get(dp.id)!;
      await configureDevice(lab, dp, cfg);
      if (cfg.frrConf)
        started.set(dp.id, await startFrr(dp.ns, frrDirs.get(dp.id)!, daemonsFor(dp.device, cfg.frrConf), cfg.frrConf));
    }),
    ...plan.endpoints.map(async (ep) => {
      if (!ep.bgp) return;
      const key = `external:${ep.name}`;
      started.set(key, await startFrr(ep.ns, frrDirs.get(key)!, ['zebra', 'staticd', 'bgpd'], externalBgpConfig(ep.name, ep.bgp)));
    }),
  ]);
  for (const key of frrDirs.keys()) lab.frr.set(key, started.get(key)!);
  lab.fixes.sort();
  lab.buildMillis = Date.now() - t0;
  log(`lab ${plan.runId}: built in ${lab.buildMillis} ms; waiting for routing`);
  opts.onBuilt?.();

  const t1 = Date.now();
  // Converged also means: every external's speaker holds exactly what the model exports to it
  // (updates follow the sessions' establishment by a moment; routing-wait.ts gives them a grace
  // period once everything else held).
  const expected = expectations(lab);
  const result = await waitForRouting(
    {
      poll: (extra, limitMs) => waitForConvergence(expected, limitMs, extra),
      kernel: () => kernelRoutesMissing(lab),
      announcements: async () => (await exportsDisagreeing(lab)).flatMap(exportCheckLines),
    },
    opts.convergenceLimitMs ?? 90_000,
  );
  lab.convergeMillis = Date.now() - t1;
  lab.converged = result.converged;
  lab.missing = result.missing;
  log(
    `lab ${plan.runId}: ${result.converged ? 'converged' : 'NOT converged'} after ${lab.convergeMillis} ms`,
  );
  lab.fibDifferences = await kernelFibDifferences(plan.devices);
  lab.importChecks = await checkImports(lab);
  lab.exportChecks = await exportChecks(lab);
  return lab;
}

/** Every external speaker's sessions compared with the model's exports. */
async function exportChecks(lab: Lab): Promise<ExportCheck[]> {
  const per = await Promise.all(
    lab.plan.endpoints.map((ep) => {
      const inst = lab.frr.get(`external:${ep.name}`);
      return inst && ep.bgp ? checkExports(inst, ep) : Promise.resolve([]);
    }),
  );
  return per.flat();
}

async function exportsDisagreeing(lab: Lab): Promise<ExportCheck[]> {
  return (await exportChecks(lab)).filter((c) => c.missing.length > 0 || c.extra.length > 0);
}

/** A device's own setup.sh, then any address it did not configure, then its packet filter. */
async function configureDevice(lab: Lab, dp: DevicePlan, cfg: DeviceConfigs): Promise<void> {
  const ddir = join(lab.dir, dp.ns);
  mkdirSync(ddir, { recursive: true });
  if (cfg.setupSh) {
    const path = join(ddir, 'setup.sh');
    writeFileSync(path, cfg.setupSh);
    const r = await execIn(dp.ns, 'sh', [path], { timeoutMs: 30_000 });
    if (r.code !== 0)
      throw new LabError(`setup.sh of ${dp.id} failed (exit ${r.code}): ${r.stderr.trim().slice(0, 2000)}`);
  }
  const have = await addressesIn(dp.ns);
  for (const a of dp.addresses) {
    if (!have.has(`${a.ifname}|${canonicalWithLen(a.address)}`) && !cfg.frrConf?.includes(a.address)) {
      await addAddress(dp.ns, a);
      lab.fixes.push(
        `${dp.id}: added ${a.address} on ${a.ifname} (not configured by ${cfg.setupSh ? 'setup.sh' : 'any file'})`,
      );
    }
  }
  if (cfg.nftables) {
    writeFileSync(join(ddir, 'nftables.conf'), cfg.nftables);
    await nftApply(dp.ns, cfg.nftables);
  }
  await nftApply(dp.ns, PROBE_TABLE_RULESET);
}

function expectations(lab: Lab): FrrExpectation[] {
  const out: FrrExpectation[] = [];
  const { plan } = lab;
  const runs = (device: string, daemon: string): boolean =>
    lab.frr.get(device)?.daemons.includes(daemon) ?? false;
  for (const dp of plan.devices) {
    const inst = lab.frr.get(dp.id);
    if (!inst) continue;
    const routes = dp.device.fib
      .filter((r) => r.protocol !== 'connected')
      .map((r) => ({
        prefix: r.prefix,
        protocol: r.protocol as RouteProtocol,
        nextHops: r.nextHops.length === 0 ? [DISCARD_HOP] : r.nextHops.map((h) => `${h.interface}|${h.address ?? ''}`),
      }));
    const bgpPeers = (dp.device.bgp?.neighbors ?? [])
      .filter((n) => plan.endpoints.some((e) => e.name === n.external && e.bgp))
      .map((n) => n.address);
    // One adjacency per OSPF link to another router running the same OSPF: OSPFv2 where both
    // ends have IPv4, OSPFv3 where both have IPv6 (a global address or a link-local).
    let ospfNeighbors = 0;
    let ospf6Neighbors = 0;
    for (const oi of dp.device.ospf?.interfaces ?? []) {
      const itf = dp.device.interfaces.find((i) => i.name === oi.name);
      if (oi.passive || itf?.role !== 'link' || !itf.peer) continue;
      const peer = plan.devices
        .find((d) => d.id === itf.peer!.device)
        ?.device.interfaces.find((i) => i.name === itf.peer!.interface);
      if (!peer) continue;
      if (hasFamily(itf, 4) && hasFamily(peer, 4) && runs(dp.id, 'ospfd') && runs(itf.peer.device, 'ospfd'))
        ospfNeighbors++;
      if (hasFamily(itf, 6) && hasFamily(peer, 6) && runs(dp.id, 'ospf6d') && runs(itf.peer.device, 'ospf6d'))
        ospf6Neighbors++;
    }
    out.push({ inst, routes, bgpPeers, ospfNeighbors, ospf6Neighbors });
  }
  for (const ep of plan.endpoints) {
    const inst = lab.frr.get(`external:${ep.name}`);
    if (inst && ep.bgp)
      out.push({
        inst,
        routes: [],
        bgpPeers: ep.bgp.neighbors.map((n) => n.address),
        ospfNeighbors: 0,
        ospf6Neighbors: 0,
      });
  }
  return out;
}

function hasFamily(itf: InterfaceModel, family: 4 | 6): boolean {
  if (family === 6 && itf.linkLocal) return true;
  return itf.addresses.some((a) => a.includes(':') === (family === 6));
}

/** Devices without FRR (linux): their kernel must hold every non-connected route of the FIB. */
async function kernelRoutesMissing(lab: Lab): Promise<string[]> {
  const devices = lab.plan.devices.filter(
    (dp) => !lab.frr.has(dp.id) && dp.device.fib.some((r) => r.protocol !== 'connected'),
  );
  const routed = new Set(
    devices.flatMap((dp) => dp.device.fib.filter((r) => r.protocol !== 'connected').map((r) => `${dp.id}|${r.prefix}`)),
  );
  const differences = await kernelFibDifferences(devices);
  return differences
    .filter((d) => routed.has(`${d.device}|${d.prefix}`))
    .map((d) => `kernel route ${fibDifferenceText(d)}`);
}

/** Each external's extra announcements must be absent from the routing table of its peers. */
async function checkImports(lab: Lab): Promise<Lab['importChecks']> {
  const out: Lab['importChecks'] = [];
  for (const ep of lab.plan.endpoints) {
    if (!ep.bgp || ep.bgp.extra.length === 0) continue;
    const model = lab.plan.model.endpoints.find((e) => e.name === ep.name)!;
    for (const att of model.attachments) {
      const inst = lab.frr.get(att.device);
      if (!inst) continue;
      const t4 = await routeTable(inst, 4);
      const t6 = await routeTable(inst, 6);
      for (const prefix of ep.bgp.extra) {
        const entries = (prefix.includes(':') ? t6 : t4)[prefix] ?? [];
        out.push({
          external: ep.name,
          device: att.device,
          prefix,
          rejected: !entries.some((e) => e.protocol === 'bgp'),
        });
      }
    }
  }
  return out;
}
