// Compiler throughput: compile a generated intent of about 400 devices in 100 sites, 4,000
// segments and 20,000 rules, and one a tenth of that size; time, live heap of the model, peak
// resident set, and the growth ratio.
//
// The model holds every device's forwarding table, Θ(devices × prefixes): ten times the intent
// is about a hundred times the output, so the whole compile cannot grow like n log n in the
// intent. The suite therefore checks growth against the output (FIB entries + filter rules):
// time per output element at full size may be at most log(N)/log(N/10) · 1.5 times the tenth's.

import { compile } from '../compiler/index.js';
import type { NetworkModel } from '../compiler/model.js';
import { hasErrors } from '../language/diagnostic.js';
import { checkIntent } from '../pipeline/compile.js';
import { generateIntent, type GenerateOptions } from './generate.js';
import type { BenchResult, BenchRow, BenchSuite } from './index.js';

export const COMPILER_CASES: { name: string; options: GenerateOptions; repeats: number }[] = [
  { name: 'tenth (40 devices)', options: { sites: 10, devicesPerSite: 4, segments: 400, rules: 2000, assertions: 50, seed: 1 }, repeats: 3 },
  { name: 'full (400 devices)', options: { sites: 100, devicesPerSite: 4, segments: 4000, rules: 20000, assertions: 200, seed: 1 }, repeats: 1 },
];

const collect = (): void => (globalThis as { gc?: () => void }).gc?.();
const mib = (bytes: number): number => bytes / 1024 / 1024;

export interface CompilerMeasurement {
  devices: number;
  fibEntries: number;
  filterRules: number;
  compileMs: number;
  liveHeapMiB: number;
  maxRssMiB: number;
}

export function outputSize(model: NetworkModel): { fibEntries: number; filterRules: number } {
  let fibEntries = 0;
  let filterRules = 0;
  for (const d of model.devices) {
    fibEntries += d.fib.length;
    filterRules += d.securityRules.length;
    for (const f of d.filters) filterRules += f.rules.length;
  }
  return { fibEntries, filterRules };
}

export function measureCompiler(options: GenerateOptions, repeats: number): CompilerMeasurement {
  // Checked outside the timer: the suite times compile() alone, on the checked intent.
  const checked = checkIntent([{ path: 'bench.plumb', text: generateIntent(options) }]);
  if (!checked.intent) {
    throw new Error(`the generated intent is not clean: ${checked.diagnostics[0]?.message ?? 'no intent'}`);
  }
  const intent = checked.intent;
  let best = Infinity;
  let live = 0;
  let size = { fibEntries: 0, filterRules: 0 };
  let devices = 0;
  for (let i = 0; i < repeats; i++) {
    collect();
    const base = process.memoryUsage().heapUsed;
    const t0 = performance.now();
    const { model, diagnostics } = compile(intent);
    const ms = performance.now() - t0;
    if (hasErrors(diagnostics)) throw new Error(`compile errors: ${diagnostics[0]!.message}`);
    collect();
    live = Math.max(live, mib(process.memoryUsage().heapUsed - base));
    best = Math.min(best, ms);
    size = outputSize(model);
    devices = model.devices.length;
  }
  return { devices, ...size, compileMs: best, liveHeapMiB: live, maxRssMiB: process.resourceUsage().maxRSS / 1024 };
}

function run(): BenchResult {
  measureCompiler({ ...COMPILER_CASES[0]!.options, seed: 7 }, 1); // warm the JIT
  const rows: BenchRow[] = [];
  const ms: CompilerMeasurement[] = [];
  for (const c of COMPILER_CASES) {
    const m = measureCompiler(c.options, c.repeats);
    ms.push(m);
    const out = m.fibEntries + m.filterRules;
    rows.push({
      case: c.name,
      devices: m.devices,
      'FIB entries': m.fibEntries,
      'filter rules': m.filterRules,
      'compile ms': Math.round(m.compileMs),
      'µs/output': (1000 * m.compileMs / out).toFixed(2),
      'live heap MiB': Math.round(m.liveHeapMiB),
      'peak RSS MiB': Math.round(m.maxRssMiB),
    });
  }
  const [small, big] = ms as [CompilerMeasurement, CompilerMeasurement];
  const timeRatio = big.compileMs / small.compileMs;
  const outSmall = small.fibEntries + small.filterRules;
  const outBig = big.fibEntries + big.filterRules;
  const perOutputRatio = big.compileMs / outBig / (small.compileMs / outSmall);
  const limit = (Math.log(outBig) / Math.log(outSmall)) * 1.5;
  // For comparison: n log n in the intent's size (segments + rules), ten times larger.
  const nBig = COMPILER_CASES[1]!.options.segments + COMPILER_CASES[1]!.options.rules;
  const intentBound = (10 * Math.log(nBig)) / Math.log(nBig / 10);
  const ok = perOutputRatio <= limit;
  return {
    rows,
    notes: [
      `time ratio full/tenth: ${timeRatio.toFixed(1)} for ${(outBig / outSmall).toFixed(1)} times the output (FIB entries + filter rules); n log n in the intent would be ${intentBound.toFixed(1)}.`,
      `time per output element grows ${perOutputRatio.toFixed(2)}x (limit ${limit.toFixed(2)}: n log n in the output) — ${ok ? 'ok' : 'TOO SLOW'}.`,
    ],
    ok,
  };
}

export const compilerSuite: BenchSuite = {
  name: 'compiler',
  description: 'compile generated intents (400 devices, 4,000 segments, 20,000 rules, and a tenth of that)',
  run,
};
