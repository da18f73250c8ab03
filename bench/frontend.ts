// Front-end throughput: parse and check generated intents of about 10,000 and 100,000 lines, in
// lines per second, with memory, and the growth ratio (the 100,000-line run may take at most 12
// times the 10,000-line one).

import { analyzeParsed } from '../language/analyze.js';
import { hasErrors } from '../language/diagnostic.js';
import { parse } from '../language/parser.js';
import { generateIntent, type GenerateOptions } from './generate.js';
import type { BenchResult, BenchRow, BenchSuite } from './index.js';

export const FRONTEND_CASES: { name: string; options: GenerateOptions; repeats: number }[] = [
  { name: '10k lines', options: { sites: 20, devicesPerSite: 4, segments: 1200, rules: 7800, assertions: 500, seed: 1 }, repeats: 5 },
  { name: '100k lines', options: { sites: 200, devicesPerSite: 4, segments: 12000, rules: 79000, assertions: 5000, seed: 1 }, repeats: 3 },
];

export const MAX_GROWTH = 12;

export interface FrontendMeasurement {
  lines: number;
  parseMs: number;
  checkMs: number;
  /** Heap still live after a collection while the parse and the analysis are held (MiB). */
  liveHeapMiB: number;
  /** The process's peak resident set so far (MiB): includes every earlier case. */
  maxRssMiB: number;
}

const collect = (): void => (globalThis as { gc?: () => void }).gc?.();
const mib = (bytes: number): number => bytes / 1024 / 1024;

/** Parses and checks `text` `repeats` times; returns the fastest run's times. */
export function measureFrontend(text: string, repeats: number): FrontendMeasurement {
  const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
  let best: { parseMs: number; checkMs: number } | undefined;
  let liveHeapMiB = 0;
  for (let i = 0; i < repeats; i++) {
    collect();
    const base = process.memoryUsage().heapUsed;
    const t0 = performance.now();
    const parsed = parse(text, 'bench.plumb');
    const t1 = performance.now();
    const analysis = analyzeParsed([parsed]);
    const t2 = performance.now();
    if (hasErrors(analysis.diagnostics) || !analysis.intent) {
      throw new Error(`the generated intent is not clean: ${analysis.diagnostics[0]?.message ?? 'no intent'}`);
    }
    collect();
    liveHeapMiB = Math.max(liveHeapMiB, mib(process.memoryUsage().heapUsed - base));
    if (!best || t2 - t0 < best.parseMs + best.checkMs) best = { parseMs: t1 - t0, checkMs: t2 - t1 };
    // Keep both alive until the heap was measured.
    if (parsed.file.declarations.length === 0 || analysis.symbols.definitions.length === 0) throw new Error('empty');
  }
  return { lines, ...best!, liveHeapMiB, maxRssMiB: process.resourceUsage().maxRSS / 1024 };
}

function run(): BenchResult {
  // Warm the JIT so that the small case is not measured cold.
  measureFrontend(generateIntent({ ...FRONTEND_CASES[0]!.options, seed: 7 }), 2);
  const rows: BenchRow[] = [];
  const totals: number[] = [];
  for (const c of FRONTEND_CASES) {
    const m = measureFrontend(generateIntent(c.options), c.repeats);
    const total = m.parseMs + m.checkMs;
    totals.push(total);
    rows.push({
      case: c.name,
      lines: m.lines,
      'parse ms': m.parseMs.toFixed(0),
      'parse lines/s': Math.round((m.lines / m.parseMs) * 1000),
      'check ms': m.checkMs.toFixed(0),
      'check lines/s': Math.round((m.lines / m.checkMs) * 1000),
      'total lines/s': Math.round((m.lines / total) * 1000),
      'live heap MiB': m.liveHeapMiB.toFixed(1),
      'max RSS MiB': m.maxRssMiB.toFixed(0),
    });
  }
  const ratio = totals[1]! / totals[0]!;
  const ok = ratio <= MAX_GROWTH;
  const notes = [
    `growth: the 100k-line run takes ${ratio.toFixed(2)}x the 10k-line one (limit ${MAX_GROWTH}x): ${ok ? 'ok' : 'TOO SLOW'}`,
  ];
  if (!(globalThis as { gc?: () => void }).gc) notes.push('run node with --expose-gc for meaningful heap numbers');
  return { rows, notes, ok };
}

export const frontendSuite: BenchSuite = {
  name: 'frontend',
  description: 'parse and check generated intents of 10,000 and 100,000 lines',
  run,
};
