// Failures for real: after the intact network's probes, each failure set an assertion's proof
// under failures is about is made in the lab — a link goes down at both ends (`ip link set DEV
// down`), a device loses its FRR daemons and every interface (and the far end of each of its
// links, as the verifier's failed network loses them) — the model's FIB for that set is
// recomputed by the compiler's own converge (the pipeline gives it, failModel's), the lab
// waits until every surviving device's kernel table equals it (fib-compare.ts), the assertions'
// packets are sent and compared with the proof under that set, and the lab is restored and
// waits for the intact FIB again before the next set. Which sets, and each failed network, come
// from the pipeline (pipeline/emulate-failures.ts): the emulator takes only contract files.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AssertionModel, FailureModel, NetworkModel, RouteModel } from '../compiler/model.js';
import type { Verdict, VerdictStatus } from '../verifier/verdict.js';
import { judge, packetsAgree, planAssertionProbes, type PacketsVerdict } from './assertions.js';
import type { Lab } from './build.js';
import { compareFib, fibDifferenceText, type FibDifference, type KernelRoute, type KernelTables } from './fib-compare.js';
import { startFrr } from './frr.js';
import { readKernelTables } from './kernel-fib.js';
import type { DevicePlan } from './lab.js';
import { execIn, ipIn, sleep } from './netns.js';
import { stillRunning } from './teardown.js';
import { prepareProbes, type AddedAddresses } from './probe-setup.js';
import { runProbes, type Listeners, type ProbeResult } from './probe.js';

/** One failure set to make in the lab, and the assertions (with their proof under it) to probe there. */
export interface FailureSetPlan {
  /** In the compiled model's interface names. */
  failed: FailureModel[];
  /** The failed elements as reports name them: `link A -- B`, `device D`. */
  names: string[];
  /** The compiled network with these elements failed and routing re-converged (the proof's network). */
  network: NetworkModel;
  assertions: { index: number; verdict: Verdict }[];
}

/** One assertion's packets with a failure set made for real. */
export interface FailureOutcome {
  assertion: AssertionModel;
  /** The proof's verdict with this set failed. */
  proof: VerdictStatus;
  packets: PacketsVerdict;
  agrees: boolean;
  probes: ProbeResult[];
  untested: string[];
}

/** One failure set made in the lab. */
export interface FailureSetReport {
  /** The failed elements as reports name them: `link A -- B`, `device D`. */
  failed: string[];
  /** Whether every surviving device's kernel table reached the failed network's model FIB in time. */
  converged: boolean;
  convergeMillis: number;
  /** Where the kernels still differed from the failed network's FIB when the time limit passed. */
  fibDifferences: FibDifference[];
  /** Whether the lab got back to the intact network's FIB (as it was before the failure) in time. */
  restored: boolean;
  restoreMillis: number;
  /** What restoring could not do, or where the tables still differed. */
  restoreProblems: string[];
  results: FailureOutcome[];
}

/** A failure in the lab's interface names (lab.ts renames some platforms' interfaces). */
export function inLabNames(devices: readonly DevicePlan[], f: FailureModel): FailureModel {
  if (f.kind === 'device') return f;
  const end = (e: { device: string; interface: string }) => ({ device: e.device, interface: devices.find((d) => d.id === e.device)?.renamed[e.interface] ?? e.interface });
  return { kind: 'link', a: end(f.a), b: end(f.b) };
}

/** A kernel table without the routes (or next hops) over a link that is down: they forward nothing. */
function withoutDeadRoutes(t: KernelTables): KernelTables {
  const dead = (flags: unknown): boolean => Array.isArray(flags) && flags.some((f) => f === 'linkdown' || f === 'dead');
  const live = (routes: KernelRoute[]): KernelRoute[] =>
    routes.flatMap((r) => {
      if (dead((r as { flags?: unknown }).flags)) return [];
      if (!r.nexthops) return [r];
      const nexthops = r.nexthops.filter((h) => !dead((h as { flags?: unknown }).flags));
      return nexthops.length > 0 ? [{ ...r, nexthops }] : [];
    });
  return { main4: live(t.main4), main6: live(t.main6), local4: t.local4 };
}

/** Each surviving device's FIB with its namespace, in the lab's interface names. */
type Expected = { id: string; ns: string; fib: RouteModel[] }[];

/** A failed network's FIBs (compiled names) in the lab's names. */
function expectedFibs(lab: Lab, network: NetworkModel): Expected {
  return lab.plan.devices.flatMap((dp) => {
    const d = network.devices.find((x) => x.id === dp.id);
    if (!d) return [];
    const fib = d.fib.map((r) => ({ ...r, nextHops: r.nextHops.map((h) => ({ ...h, interface: dp.renamed[h.interface] ?? h.interface })) }));
    return [{ id: dp.id, ns: dp.ns, fib }];
  });
}

async function differences(expected: Expected): Promise<FibDifference[]> {
  const per = await Promise.all(expected.map(async (e) => compareFib(e.id, e.fib, withoutDeadRoutes(await readKernelTables(e.ns)))));
  return per.flat();
}

/** Polls the kernels until their differences from `expected` are `accepted` (none, or the intact lab's own), at most limitMs. */
async function waitForFib(expected: Expected, limitMs: number, accepted: ReadonlySet<string> = new Set()): Promise<{ converged: boolean; millis: number; differences: FibDifference[] }> {
  const t0 = Date.now();
  for (;;) {
    const now = await differences(expected);
    const texts = now.map(fibDifferenceText);
    if (texts.length === accepted.size && texts.every((t) => accepted.has(t))) return { converged: true, millis: Date.now() - t0, differences: [] };
    if (Date.now() - t0 > limitMs) return { converged: false, millis: Date.now() - t0, differences: now };
    await sleep(500);
  }
}

/** What was taken down, to be brought back. */
interface Downed {
  interfaces: { ns: string; ifname: string }[];
  daemons: string[];
  /** Devices without FRR whose kernel routes went with an interface (setup.sh puts them back). */
  kernelRouted: string[];
}

async function interfaceDown(ns: string, ifname: string): Promise<void> {
  // IPv6 addresses are flushed on link down unless kept: the link comes back with them.
  await execIn(ns, 'sysctl', ['-q', '-w', `net.ipv6.conf.${ifname.replaceAll('.', '/')}.keep_addr_on_down=1`]);
  await ipIn(ns, ['link', 'set', ifname, 'down']);
}

/** Stops an instance's daemons (a failed device), by the pid files in its folder. */
export async function stopDaemons(dir: string, daemons: readonly string[]): Promise<void> {
  const pids = daemons.flatMap((d) => {
    const file = join(dir, `${d}.pid`);
    const pid = existsSync(file) ? Number(readFileSync(file, 'utf8').trim()) : NaN;
    return Number.isInteger(pid) && pid > 0 ? [pid] : [];
  });
  // Ended once a zombie: the init process that reaps a daemon may take a second or two to.
  const alive = (pid: number): boolean => stillRunning(pid);
  for (const pid of pids) if (alive(pid)) process.kill(pid, 'SIGTERM');
  for (let i = 0; i < 50 && pids.some(alive); i++) await sleep(100);
  for (const pid of pids) if (alive(pid)) process.kill(pid, 'SIGKILL');
}

async function fail(lab: Lab, failed: readonly FailureModel[]): Promise<Downed> {
  const downed: Downed = { interfaces: [], daemons: [], kernelRouted: [] };
  const device = (id: string): DevicePlan | undefined => lab.plan.devices.find((d) => d.id === id);
  const down = async (dp: DevicePlan, ifname: string): Promise<void> => {
    if (ifname === 'lo' || downed.interfaces.some((x) => x.ns === dp.ns && x.ifname === ifname)) return;
    await interfaceDown(dp.ns, ifname);
    downed.interfaces.push({ ns: dp.ns, ifname });
    if (!lab.frr.has(dp.id) && !downed.kernelRouted.includes(dp.id)) downed.kernelRouted.push(dp.id);
  };
  for (const f of failed) {
    if (f.kind === 'link') {
      for (const end of [f.a, f.b]) {
        const dp = device(end.device);
        if (dp) await down(dp, end.interface);
      }
      continue;
    }
    const dp = device(f.device);
    if (!dp) continue;
    const inst = lab.frr.get(dp.id);
    if (inst) {
      await stopDaemons(inst.dir, inst.daemons);
      downed.daemons.push(dp.id);
    }
    // The device's interfaces, and the far end of each of its links (gone in the failed model too).
    for (const i of lab.plan.model.devices.find((d) => d.id === dp.id)?.interfaces ?? []) {
      if (i.role === 'loopback') continue;
      await down(dp, i.name);
      const peer = i.peer ? device(i.peer.device) : undefined;
      if (peer && i.peer) await down(peer, i.peer.interface);
    }
  }
  return downed;
}

/** Brings back what `fail` took down; returns what could not be. */
async function restore(lab: Lab, downed: Downed): Promise<string[]> {
  const problems: string[] = [];
  for (const x of downed.interfaces) {
    await ipIn(x.ns, ['link', 'set', x.ifname, 'up']).catch((e: Error) => problems.push(`${x.ns} ${x.ifname} up: ${e.message}`));
  }
  for (const id of downed.daemons) {
    const inst = lab.frr.get(id)!;
    const conf = lab.configs.get(id)?.frrConf ?? '';
    await startFrr(inst.ns, inst.dir, inst.daemons, conf).catch((e: Error) => problems.push(`${id}: FRR did not start again: ${e.message}`));
  }
  // Kernel routes over an interface leave with it: the device's own setup.sh (every command a
  // `replace` or a `set`) puts them back.
  for (const id of downed.kernelRouted) {
    const dp = lab.plan.devices.find((d) => d.id === id)!;
    const script = join(lab.dir, dp.ns, 'setup.sh');
    if (!existsSync(script)) continue;
    const r = await execIn(dp.ns, 'sh', [script], { timeoutMs: 30_000 });
    if (r.code !== 0) problems.push(`${id}: setup.sh again failed (exit ${r.code}): ${r.stderr.trim().slice(0, 500)}`);
  }
  return problems;
}

export interface FailureTestOptions {
  listeners: Listeners;
  added: AddedAddresses;
  convergenceLimitMs: number;
  log?: (line: string) => void;
}

/** Makes each failure set in the lab, probes its assertions, and restores the lab after each. */
export async function testFailureSets(lab: Lab, sets: readonly FailureSetPlan[], opts: FailureTestOptions): Promise<FailureSetReport[]> {
  const intact: Expected = lab.plan.devices.map((dp) => ({ id: dp.id, ns: dp.ns, fib: dp.device.fib }));
  // The intact lab's own differences from the model (reported already) are what restoring returns to.
  const baseline = new Set(lab.fibDifferences.map(fibDifferenceText));
  const reports: FailureSetReport[] = [];
  for (const set of sets) {
    const names = set.names;
    opts.log?.(`failing ${names.join(', ')}`);
    const downed = await fail(lab, set.failed.map((f) => inLabNames(lab.plan.devices, f)));
    const wait = await waitForFib(expectedFibs(lab, set.network), opts.convergenceLimitMs);
    const planned = set.assertions.map((a) => planAssertionProbes(lab.plan, a.index, a.verdict));
    const all = await prepareProbes(planned, opts.listeners, opts.added);
    const byId = new Map((await runProbes(all)).map((r) => [r.spec.id, r]));
    const results = planned.map((p, i): FailureOutcome => {
      const probes = p.probes.map((s) => byId.get(s.id)!);
      const packets = judge(p.assertion, probes, p.vacuous);
      const proof = set.assertions[i]!.verdict.status;
      return { assertion: p.assertion, proof, packets, agrees: packetsAgree(proof, packets), probes, untested: p.untested };
    });
    const problems = await restore(lab, downed);
    const back = await waitForFib(intact, opts.convergenceLimitMs, baseline);
    problems.push(...back.differences.map((d) => `not restored: ${fibDifferenceText(d)}`));
    reports.push({
      failed: names,
      converged: wait.converged,
      convergeMillis: wait.millis,
      fibDifferences: wait.differences,
      restored: back.converged && problems.length === 0,
      restoreMillis: back.millis,
      restoreProblems: problems,
      results,
    });
    opts.log?.(`${names.join(', ')}: ${wait.converged ? 'converged' : 'NOT converged'} in ${wait.millis} ms, restored in ${back.millis} ms`);
  }
  return reports;
}

/** Whether a failure set's test disagrees with the proofs: routing, restoring or packets. */
export function failureSetDisagrees(r: FailureSetReport): boolean {
  return !r.converged || !r.restored || r.results.some((x) => !x.agrees);
}
