// The emulation report's lab part, shared by a lab of one intent (index.ts) and a lab of both
// parties of a contract (joint-run.ts): the report before anything is built, and what the built
// lab tells it.

import type { Lab } from './build.js';
import type { DeviceReport, EmulationReport } from './index.js';

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
}
