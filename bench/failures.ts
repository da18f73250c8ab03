// Proofs under failures, whole-process: `plumb verify --failures 1` and `--failures 2` on the
// generated networks of 40 and 400 devices (bench/generate.ts: sites of five devices in a ring of
// border routers with chords), plain `verify` beside them, wall time, CPU and peak RSS of the
// built CLI in a fresh process each (bench/process.ts). The failed networks and proofs come from
// the run's own JSON report (`--json FILE`). A run still going after CEILING_SECONDS is stopped
// and reported with its figures up to then: the cost grows as the number of relevant links and
// devices to the power N (docs/architecture.md, "Proofs under failures"), and at 400 devices two
// failures are not meant to finish.

import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateIntent, type GenerateOptions } from './generate.js';
import type { BenchOptions, BenchResult, BenchRow, BenchSuite } from './index.js';
import { machineLine, measureCli } from './process.js';

/** The longest one command may run before it is stopped and reported as not finished. */
export const CEILING_SECONDS = 600;

/** A generated network of `devices` devices (5 a site), 10 segments, 50 rules and 1.25 assertions a device. */
export function failureNetworkOptions(devices: number): GenerateOptions {
  return { sites: Math.max(1, Math.round(devices / 5)), devicesPerSite: 5, segments: devices * 10, rules: devices * 50, assertions: Math.round(devices * 1.25), seed: 1 };
}

/** The links of a generated intent: every `link` statement, in its sites and between them. */
export function linkCount(text: string): number {
  return text.split('\n').filter((l) => /^\s*link /.test(l)).length;
}

interface FailureFigures {
  failedNetworks?: number;
  proofs?: number;
  survived?: string;
}

/** The failed networks, proofs and survivors of one run, from its JSON report (absent when it was stopped). */
function figures(jsonFile: string): FailureFigures {
  if (!existsSync(jsonFile)) return {};
  const r = JSON.parse(readFileSync(jsonFile, 'utf8')) as {
    verdicts: { failureSets?: number }[];
    stats: { failedNetworks?: number; failures?: { survived: number; assertions: number }[] };
  };
  const proofs = r.verdicts.reduce((n, v) => n + (v.failureSets ?? 0), 0);
  const f = r.stats.failures ?? [];
  return {
    ...(r.stats.failedNetworks !== undefined ? { failedNetworks: r.stats.failedNetworks } : {}),
    ...(f.length > 0 ? { proofs, survived: f.map((x) => `${x.survived}/${x.assertions}`).join(' ') } : {}),
  };
}

export async function runFailureBench(options: BenchOptions): Promise<BenchResult> {
  const sizes = options.quick ? [40] : [40, 400];
  const budgets = options.quick ? [0, 1] : [0, 1, 2];
  const rows: BenchRow[] = [];
  const notes = [machineLine()];
  const dir = mkdtempSync(join(tmpdir(), 'plumb-bench-failures-'));
  const wallOf = new Map<string, number>();
  try {
    for (const devices of sizes) {
      const text = generateIntent(failureNetworkOptions(devices));
      const links = linkCount(text);
      const file = join(dir, `net-${devices}.plumb`);
      writeFileSync(file, text);
      for (const n of budgets) {
        const json = join(dir, `report-${devices}-${n}.json`);
        const args = ['verify', file, '--json', json, ...(n > 0 ? ['--failures', String(n)] : [])];
        const cost = measureCli(args, undefined, CEILING_SECONDS);
        // Exit 1 is a refuted assertion (a site hangs off the backbone by one device): a result.
        if (!cost.timedOut && cost.exitCode !== 0 && cost.exitCode !== 1) throw new Error(`verify ${devices} devices --failures ${n} exited with ${cost.exitCode}:\n${cost.stderrTail}`);
        const f = cost.timedOut ? {} : figures(json);
        const name = n === 0 ? 'verify' : `verify --failures ${n}`;
        if (!cost.timedOut) wallOf.set(`${devices} ${n}`, cost.wallSeconds);
        rows.push({
          case: `${name}, ${devices} devices`,
          links,
          'wall s': cost.timedOut ? `>${CEILING_SECONDS} (stopped)` : cost.wallSeconds.toFixed(1),
          'CPU s': cost.cpuSeconds.toFixed(1),
          'peak RSS MiB': Math.round(cost.peakRssMiB),
          'failed networks': f.failedNetworks ?? (n === 0 ? 0 : ''),
          proofs: f.proofs ?? '',
          survived: f.survived ?? '',
        });
        if (process.stderr.isTTY) process.stderr.write(`  ${rows.at(-1)!.case}: ${rows.at(-1)!['wall s']} s wall\n`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  // Wall time stretches with the load (other work's share of the two cores): the load at the end too.
  notes.push(`at the end: ${machineLine()}`);
  // Growth against links: the wall time of each budget at 400 devices over that at 40.
  if (sizes.length === 2) {
    const [small, large] = sizes.map((d) => linkCount(generateIntent(failureNetworkOptions(d))));
    for (const n of budgets) {
      const a = wallOf.get(`${sizes[0]} ${n}`);
      const b = wallOf.get(`${sizes[1]} ${n}`);
      const what = n === 0 ? 'verify' : `--failures ${n}`;
      if (a !== undefined && b !== undefined) {
        notes.push(`${what}: ${small} -> ${large} links, wall x${(b / a).toFixed(1)}: links^${(Math.log(b / a) / Math.log(large! / small!)).toFixed(2)}`);
      } else if (a !== undefined) {
        notes.push(`${what}: ${small} -> ${large} links, wall > x${(CEILING_SECONDS / a).toFixed(1)} (stopped at ${CEILING_SECONDS} s): links^>${(Math.log(CEILING_SECONDS / a) / Math.log(large! / small!)).toFixed(2)}`);
      }
    }
  }
  return { rows, notes, ok: true };
}

export const failuresSuite: BenchSuite = {
  name: 'failures',
  description: 'plumb verify --failures 1 and 2 on generated networks of 40 and 400 devices (whole process)',
  run: runFailureBench,
};
