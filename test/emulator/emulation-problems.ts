// Why an emulation is not a pass, section by section, for a test's failure message: `plumb
// emulate` exits 1 for any of them (api/emulate.ts emulationOk), and its exit code alone does not
// say which. A failure in CI must be diagnosable from the log, with no second run.

import type { EmulationReport } from '../../emulator/index.js';
import { fibDifferenceText } from '../../emulator/fib-compare.js';
import { sweepProbeText } from '../../emulator/sweep.js';

/** Lines listed per section before the rest are counted only. */
const SHOWN = 20;

function firstOf(lines: string[]): string[] {
  return lines.length > SHOWN ? [...lines.slice(0, SHOWN), `and ${lines.length - SHOWN} more`] : lines;
}

function section(title: string, lines: string[]): string[] {
  return lines.length === 0 ? [] : [title, ...firstOf(lines).map((l) => `  ${l}`)];
}

/** Every assertion whose packets do not say what its proof says, with each probe's detail. */
export function describeDisagreements(r: EmulationReport): string[] {
  return r.results
    .filter((x) => !x.agrees)
    .map(
      (x) =>
        `${x.assertion.text}: proof ${x.proof}, packets ${x.packets}; ` +
        x.probes
          .map(
            (p) =>
              `${p.spec.kind} ${p.spec.packet.source} -> ${p.spec.packet.destination} proto ${p.spec.packet.protocol}: ${p.detail}`,
          )
          .join('; '),
    );
}

/**
 * Each section of the report that is not a pass, with what it holds, and the lab's phases: the
 * lab's error (a lab not built, a sweep prober past its time limit), routing not converged, the
 * kernels' FIB against the model's, the BGP exports and imports, the sweep, the assertions.
 * Empty when the report passes every one.
 */
export function emulationProblems(r: EmulationReport): string[] {
  const exports = (r.exportChecks ?? [])
    .filter((c) => c.missing.length > 0 || c.extra.length > 0)
    .map((c) => `${c.device} -> ${c.external} (${c.session}): missing ${c.missing.join(', ') || 'none'}; extra ${c.extra.join(', ') || 'none'}`);
  const imports = r.importChecks.filter((c) => !c.rejected).map((c) => `${c.device} <- ${c.external}: ${c.prefix} accepted`);
  const sweep = (r.sweep?.devices ?? []).flatMap((d) =>
    d.disagreements.map((x) => `${x.open ? 'opened, the model closes' : 'closed, the model opens'}: ${sweepProbeText(x.probe)}`),
  );
  const problems = [
    ...(r.error !== undefined ? [`lab error: ${r.error}`] : []),
    ...(r.converged ? [] : [`routing NOT converged after ${r.convergeMillis} ms${r.notConverged.length === 0 ? '' : ':'}`]),
    ...firstOf(r.notConverged).map((l) => `  ${l}`),
    ...section("the kernels' routing tables differ from the model's FIB:", (r.fibDifferences ?? []).map(fibDifferenceText)),
    ...section("BGP speakers' tables differ from the model's exports:", exports),
    ...section('import filters accepted:', imports),
    ...section('the device exposure sweep disagrees:', sweep),
    ...section('assertions whose packets disagree with the proof:', describeDisagreements(r)),
  ];
  if (problems.length === 0) return [];
  return [
    ...problems,
    `phases: build ${r.buildMillis} ms, convergence ${r.convergeMillis} ms, probes ${r.probeMillis} ms, ` +
      `sweep ${r.sweep ? `${r.sweep.probes} connections in ${r.sweep.millis} ms` : 'not run'}, teardown ${r.teardownMillis} ms`,
  ];
}
