// `emulate`: build the lab for a NetworkModel, wait for routing, send every assertion's
// packets, compare with the verifier's verdicts, make the failure sets of the proofs under
// failures for real (failures.ts), and tear everything down (also on failure and on Ctrl-C)
// unless asked to keep it.

import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { AssertionModel, NetworkModel } from '../compiler/model.js';
import type { Verdict, VerdictStatus } from '../verifier/verdict.js';
import { judge, packetsAgree, planAssertionProbes, type AssertionProbes, type PacketsVerdict } from './assertions.js';
import { buildLab, type Lab } from './build.js';
import { backendConfigs, type ConfigSource } from './configs.js';
import { planLab, type LabPlan } from './lab.js';
import { FRR_DIR } from './frr.js';
import type { FibDifference } from './fib-compare.js';
import { testFailureSets, type FailureSetPlan, type FailureSetReport } from './failures.js';
import { haveTool } from './netns.js';
import { prepareProbes, type AddedAddresses } from './probe-setup.js';
import { PYTHON } from './python.js';
import { runProbes, type ProbeResult } from './probe.js';
import { cleanStaleRuns } from './teardown.js';
import { recordLab, runInLab, startReport } from './lab-report.js';
import { awaitedAfterBuild } from './proofs-after-build.js';
import { runSweep, type SweepOpens, type SweepReport } from './sweep.js';
import type { JointReport } from './joint-run.js';

export { emulateJoint, type InterconnectSession, type JointPartyInput, type JointReport, type ProbeContext } from './joint-run.js';

export interface EmulateOptions {
  /**
   * The verifier's verdicts, one per assertion of the model, in the same order. A promise when
   * they are still being proven: the lab is built and routing waited for meanwhile (they only
   * need the model), and the probes wait for them. If it rejects, the lab is torn down (unless
   * kept) and `emulate` rejects with its reason.
   */
  verdicts: Verdict[] | Promise<Verdict[]>;
  /** Leave the lab running (its namespaces are printed) instead of tearing it down. */
  keep?: boolean;
  /** Where each device's configuration comes from (default: the backends). */
  configs?: ConfigSource;
  /** Extra prefixes that externals with `asn` announce (tests of the import filters). */
  extraAnnouncements?: Record<string, string[]>;
  convergenceLimitMs?: number;
  /**
   * The failure sets of the proofs under failures (pipeline/emulate-failures.ts): after the
   * intact network's probes, each is made for real (failures.ts). `verdicts` stay those of the
   * intact network. A promise as `verdicts` may be.
   */
  failureSets?: FailureSetPlan[] | Promise<FailureSetPlan[]>;
  /** Skip the device exposure sweep (sweep.ts). */
  noSweep?: boolean;
  /** The model's answer for each sweep connection (pipeline/sweep-model.ts); without it, no sweep. */
  sweepOpens?: SweepOpens;
  /** Most connections the exposure sweep tries (default MAX_SWEEP); the model's open ones always. */
  sweepLimit?: number;
  runId?: string;
  log?: (line: string) => void;
}

export interface AssertionOutcome {
  assertion: AssertionModel;
  proof: VerdictStatus | 'none';
  packets: PacketsVerdict;
  /** True when the packets say what the proof says; false otherwise (unknown/untested included). */
  agrees: boolean;
  probes: ProbeResult[];
  untested: string[];
  /** In a lab of both parties of a contract (joint-run.ts): the party whose assertion it is. */
  party?: string;
  /** What the reader needs to read the packets' verdict right (a joint lab's). */
  notes?: string[];
}

export interface DeviceReport {
  id: string;
  platform: string;
  emulatedAs: string;
  native: boolean;
  filters: string;
  configSource: string;
  renamed: Record<string, string>;
}

export interface EmulationReport {
  runId: string;
  network: string;
  namespaces: string[];
  devices: DeviceReport[];
  buildMillis: number;
  convergeMillis: number;
  converged: boolean;
  /** What routing had not reached when the time limit passed. */
  notConverged: string[];
  /** Each device's kernel tables against the model's FIB, entry by entry (empty: equal; absent: not compared). */
  fibDifferences?: FibDifference[];
  probeMillis: number;
  teardownMillis: number;
  fixes: string[];
  importChecks: Lab['importChecks'];
  /**
   * Each session to an external's BGP speaker: the prefixes it lacks that the model exports to
   * it, and those it holds that the model does not (both empty: they agree). A disagreement is
   * also a line of `notConverged`: routing never reached what the model says. Absent: not
   * checked (no lab was built).
   */
  exportChecks?: Lab['exportChecks'];
  results: AssertionOutcome[];
  /** Each failure set made for real: what was failed, routing, and its assertions' packets. */
  failureSets?: FailureSetReport[];
  failureMillis?: number;
  /** The device exposure sweep: connections to every device's own addresses against the model. */
  sweep?: SweepReport;
  /**
   * The contracts the intent implements, whose guarantees this lab does not probe: it holds this
   * party's network only (`plumb verify` proves them; docs/federation.md). Absent without one.
   */
  contractsNotProbed?: { contract: string; party: string; guarantees: number }[];
  /** A lab of both parties of a contract (joint-run.ts): the parties and the interconnect's sessions. */
  joint?: JointReport;
  /** Stale labs of killed runs removed before this one. */
  cleanedStale: string[];
  kept: boolean;
  /** Set when the lab could not be built; no assertion was probed. */
  error?: string;
}

/** What this machine lacks to run a lab (root, the tools); empty when it can. */
export function missingPrerequisites(): string[] {
  const missing: string[] = [];
  if (typeof process.getuid === 'function' && process.getuid() !== 0)
    missing.push('root (network namespaces)');
  for (const tool of ['ip', 'nft', 'vtysh', 'socat', 'ping', 'sysctl', PYTHON])
    if (!haveTool(tool)) missing.push(tool);
  for (const d of ['zebra', 'staticd', 'bgpd', 'ospfd', 'ospf6d']) {
    if (!existsSync(join(FRR_DIR, d))) missing.push(join(FRR_DIR, d));
  }
  return missing;
}

export function newRunId(): string {
  return `pl${randomBytes(3).toString('hex')}`;
}

function deviceReports(plan: LabPlan, lab: Lab | undefined): DeviceReport[] {
  return plan.devices.map((d) => ({
    id: d.id,
    platform: d.platform,
    emulatedAs: d.emulatedAs,
    native: d.native,
    filters: d.filters,
    configSource: lab?.configs.get(d.id)?.source ?? '',
    renamed: d.renamed,
  }));
}

export async function emulate(model: NetworkModel, opts: EmulateOptions): Promise<EmulationReport> {
  // First: from here on a rejected proof is handled, whatever fails before the probes.
  const proofs = awaitedAfterBuild(opts.verdicts, opts.failureSets ?? []);
  const cleanedStale = cleanStaleRuns();
  const runId = opts.runId ?? newRunId();
  const plan = planLab(model, {
    runId,
    ...(opts.extraAnnouncements ? { extraAnnouncements: opts.extraAnnouncements } : {}),
  });
  const keep = Boolean(opts.keep);
  const report = startReport(runId, model.name, plan.namespaces.map((n) => n.name), deviceReports(plan, undefined), cleanedStale, keep);
  return runInLab(report, keep, async (listeners) => {
    const lab = await buildLab(plan, {
      configs: opts.configs ?? backendConfigs,
      ...(opts.convergenceLimitMs !== undefined ? { convergenceLimitMs: opts.convergenceLimitMs } : {}),
      ...(opts.log ? { log: opts.log } : {}),
    });
    recordLab(report, lab, deviceReports(plan, lab));
    const [verdicts, failureSets] = await proofs;

    const t0 = Date.now();
    const planned: AssertionProbes[] = model.assertions.map((_, i) =>
      planAssertionProbes(plan, i, verdicts[i]),
    );
    const added: AddedAddresses = new Map();
    const all = await prepareProbes(planned, listeners, added);
    const results = await runProbes(all);
    const byId = new Map(results.map((r) => [r.spec.id, r]));
    for (const p of planned) {
      const probes = p.probes.map((s) => byId.get(s.id)!);
      const packets = judge(p.assertion, probes, p.vacuous);
      const proof = verdicts[p.index]?.status ?? 'none';
      const agrees = packetsAgree(proof, packets);
      report.results.push({ assertion: p.assertion, proof, packets, agrees, probes, untested: p.untested });
    }
    report.probeMillis = Date.now() - t0;
    if (!opts.noSweep && opts.sweepOpens) {
      report.sweep = await runSweep(plan, listeners, opts.sweepOpens, opts.sweepLimit);
      opts.log?.(`sweep: ${report.sweep.probes} connections in ${report.sweep.millis} ms`);
    }
    if (failureSets.length > 0) {
      const t2 = Date.now();
      report.failureSets = await testFailureSets(lab, failureSets, {
        listeners,
        added,
        convergenceLimitMs: opts.convergenceLimitMs ?? 90_000,
        ...(opts.log ? { log: opts.log } : {}),
      });
      report.failureMillis = Date.now() - t2;
    }
  });
}

