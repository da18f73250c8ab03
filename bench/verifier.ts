// Verifier throughput: every assertion of a large generated intent (1,000 assertions over 400
// devices and 20,000 rules), compiled, then proven or refuted with Z3 in worker threads.
// Reports the total time, assertions per second, the Z3 start-up cost and peak memory, for one
// and for two workers. The requirement: the whole run under a minute.

import { compileIntent } from '../pipeline/compile.js';
import { proveModel } from '../pipeline/prove.js';
import { generateIntent, type GenerateOptions } from './generate.js';
import type { BenchResult, BenchRow, BenchSuite } from './index.js';

export const VERIFIER_CASE: GenerateOptions = { sites: 100, devicesPerSite: 4, segments: 2000, rules: 20_000, assertions: 1000, seed: 1 };
export const LIMIT_MS = 60_000;

const mib = (bytes: number): number => Math.round(bytes / 1024 / 1024);

export async function runVerifierBench(workers: readonly number[] = [2, 1]): Promise<BenchResult> {
  const rows: BenchRow[] = [];
  const notes: string[] = [];
  let ok = true;
  const t0 = performance.now();
  const text = generateIntent(VERIFIER_CASE);
  const compiled = compileIntent([{ path: 'bench.plumb', text }]);
  if (!compiled.model) throw new Error(`bench: the generated intent has errors (stopped at ${compiled.stage})`);
  const model = compiled.model;
  const rules = model.devices.reduce((n, d) => n + d.securityRules.length + d.filters.reduce((m, f) => m + f.rules.length, 0), 0);
  notes.push(
    `intent: ${model.devices.length} devices, ${model.policy.length} policy rules, ${rules} compiled filter rules, ${model.assertions.length} assertions; generate + analyze + compile ${Math.round(performance.now() - t0)} ms`,
  );
  for (const n of workers) {
    let peakRss = process.memoryUsage().rss;
    const timer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
    const { report } = await proveModel({ diagnostics: [], model }, { workers: n, timeoutMs: 30_000 });
    if (!report) throw new Error('bench: nothing was proven');
    clearInterval(timer);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    const s = report.stats;
    rows.push({
      case: `${n} worker${n === 1 ? '' : 's'}`,
      assertions: s.assertions,
      proven: s.proven,
      refuted: s.refuted,
      unknown: s.unknown,
      'total s': (s.totalMillis / 1000).toFixed(1),
      'assertions/s': Math.round((s.assertions / s.totalMillis) * 1000),
      'z3 start-up ms': s.startupMillis,
      'Z3 calls': s.queries,
      'peak RSS MiB': mib(peakRss),
    });
    if (s.totalMillis > LIMIT_MS) {
      ok = false;
      notes.push(`${n} worker(s): ${(s.totalMillis / 1000).toFixed(1)} s is over the ${LIMIT_MS / 1000} s limit`);
    }
    if (s.unknown > 0) notes.push(`${n} worker(s): ${s.unknown} unknown verdicts, e.g. ${report.verdicts.find((v) => v.status === 'unknown')?.reason}`);
  }
  notes.push('peak RSS includes the main thread and the Z3 workers (one process).');
  return { rows, notes, ok };
}

export const verifierSuite: BenchSuite = {
  name: 'verifier',
  description: 'prove all assertions of a 400-device, 20,000-rule intent with Z3',
  run: () => runVerifierBench(),
};
