// The times `plumb verify` prints: each assertion's line shows its own solver time, and the
// summary shows the run's wall-clock time and the sum of those times, with the workers that
// proved side by side (so that a sum larger than the run's time is explained, not a surprise).

import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../cli/io.js';
import { run } from '../../cli/program.js';
import { summaryLine } from '../../cli/report/verdicts.js';
import type { VerificationReport } from '../../verifier/verdict.js';

function io(): CliIo & { out: string; err: string } {
  const captured = { out: '', err: '', stdout: (s: string) => void (captured.out += s), stderr: (s: string) => void (captured.err += s), isTTY: false, cwd: process.cwd(), env: {} };
  return captured;
}

const seconds = (text: string): number => (text.endsWith(' ms') ? Number(text.slice(0, -3)) : Number(text.slice(0, -2)) * 1000);

describe('verify times', () => {
  it('the summary adds up the assertions\' own times and names the workers', async () => {
    const c = io();
    expect(await run(['verify', 'examples/failover'], c)).toBe(0);
    const own = [...c.out.matchAll(/^proven {3}.* {2}\((\d+(?:\.\d)? (?:ms|s))\) {2}/gm)].map((m) => seconds(m[1]!));
    expect(own.length).toBeGreaterThan(1);
    const summary = /^\d+ assertions: .* in (\d+(?:\.\d)? (?:ms|s)) \(solver (\d+(?:\.\d)? (?:ms|s)) on (\d+) workers\)$/m.exec(c.out);
    expect(summary, c.out).not.toBeNull();
    const solver = seconds(summary![2]!);
    const sum = own.reduce((a, b) => a + b, 0);
    // Each line rounds to 0.1 s above one second.
    expect(Math.abs(solver - sum)).toBeLessThanOrEqual(50 * own.length + 50);
    expect(Number(summary![3])).toBe(2);
  }, 120_000);

  it('says nothing of the solver when no assertion needed it, nor of workers when there was one', () => {
    const report = (millis: number[], workers: number): VerificationReport =>
      ({
        verdicts: millis.map((m) => ({ millis: m })),
        diagnostics: [],
        stats: { assertions: millis.length, proven: millis.length, refuted: 0, unknown: 0, vacuous: 0, queries: 0, startupMillis: 0, totalMillis: 1500, workers, restarts: 0 },
      }) as unknown as VerificationReport;
    expect(summaryLine(report([0, 0], 2))).toBe('2 assertions: 2 proven, 0 refuted, 0 unknown in 1.5 s');
    expect(summaryLine(report([700, 600], 1))).toBe('2 assertions: 2 proven, 0 refuted, 0 unknown in 1.5 s (solver 1.3 s)');
    expect(summaryLine(report([900, 800], 2))).toBe('2 assertions: 2 proven, 0 refuted, 0 unknown in 1.5 s (solver 1.7 s on 2 workers)');
  });
});
