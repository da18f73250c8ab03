// The emulation report's lab part, shared by a lab of one intent (index.ts) and a lab of both
// parties of a contract (joint-run.ts): the report before anything is built, and what the built
// lab tells it; and the run around a lab's work: its listeners, its teardown on success, failure
// and signals.

import type { Lab } from './build.js';
import type { DeviceReport, EmulationReport } from './index.js';
import { Listeners } from './listeners.js';
import { teardownOnSignal, teardownRunAsync } from './teardown.js';

/** A report before the lab is built: nothing probed, nothing converged yet. */
export function startReport(runId: string, network: string, namespaces: string[], devices: DeviceReport[], cleanedStale: string[], kept: boolean): EmulationReport {
  return {
    runId,
    network,
    namespaces,
    devices,
    buildMillis: 0,
    convergeMillis: 0,
    converged: false,
    notConverged: [],
    fibDifferences: [],
    probeMillis: 0,
    teardownMillis: 0,
    fixes: [],
    importChecks: [],
    exportChecks: [],
    results: [],
    cleanedStale,
    kept,
  };
}

/** What the built lab tells the report: its devices, build and convergence, FIB comparison, fixes and import checks. */
export function recordLab(report: EmulationReport, lab: Lab, devices: DeviceReport[]): void {
  report.devices = devices;
  report.buildMillis = lab.buildMillis;
  report.convergeMillis = lab.convergeMillis;
  report.converged = lab.converged;
  report.notConverged = lab.missing;
  report.fibDifferences = lab.fibDifferences;
  report.fixes = lab.fixes;
  report.importChecks = lab.importChecks;
  report.exportChecks = lab.exportChecks;
}

/**
 * Runs a lab's work (build, probes) for the report: a lab that could not be built (LabError) is
 * the report's `error`, anything else is thrown; either way the listeners stop and the run is
 * torn down unless kept.
 */
export async function runInLab(report: EmulationReport, keep: boolean, work: (listeners: Listeners) => Promise<void>): Promise<EmulationReport> {
  const removeHandlers = teardownOnSignal(report.runId, () => keep);
  const listeners = new Listeners();
  try {
    await work(listeners);
  } catch (err) {
    report.error = err instanceof Error ? err.message : String(err);
    if (!(err instanceof Error && err.name === 'LabError')) throw err;
  } finally {
    listeners.stop();
    const t1 = Date.now();
    // The signal handlers stay until the lab is gone: a Ctrl-C meanwhile tears down what is left.
    if (!keep) await teardownRunAsync(report.runId);
    removeHandlers();
    report.teardownMillis = Date.now() - t1;
  }
  return report;
}
