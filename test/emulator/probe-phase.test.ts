// The bound on the probe phases of one process's labs (emulator/probe-phase.ts): at most n at
// once, the others in the order they asked, a place freed by a failure too; the assertions'
// probes and the exposure sweep both wait for a place; no bound, no wait.

import { afterEach, describe, expect, it } from 'vitest';
import { limitProbePhases, probePhase } from '../../emulator/probe-phase.js';
import { runProbes } from '../../emulator/probe.js';
import { runSweep } from '../../emulator/sweep.js';
import type { LabPlan } from '../../emulator/lab.js';
import type { Listeners } from '../../emulator/probe.js';

const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 5));

/** A phase that runs until `end()` is called, recording when it started. */
function heldPhase(started: number[], i: number): { done: Promise<number>; end: () => void } {
  let end!: () => void;
  const ended = new Promise<void>((resolve) => (end = resolve));
  const done = probePhase(async () => {
    started.push(i);
    await ended;
    return i;
  });
  return { done, end };
}

afterEach(() => limitProbePhases(undefined));

describe('probe phases at once', () => {
  it('runs at most n at once, the others in the order they asked', async () => {
    limitProbePhases(2);
    const started: number[] = [];
    const phases = [0, 1, 2, 3].map((i) => heldPhase(started, i));
    await tick();
    expect(started).toEqual([0, 1]);
    phases[1]!.end();
    await tick();
    expect(started).toEqual([0, 1, 2]);
    phases[0]!.end();
    await tick();
    expect(started).toEqual([0, 1, 2, 3]);
    phases[2]!.end();
    phases[3]!.end();
    expect(await Promise.all(phases.map((p) => p.done))).toEqual([0, 1, 2, 3]);
  });

  it('frees a place when a phase fails, and the failure reaches its caller', async () => {
    limitProbePhases(1);
    const failing = probePhase(async () => {
      await tick();
      throw new Error('no namespace');
    });
    const next = probePhase(async () => 'ran');
    await expect(failing).rejects.toThrow('no namespace');
    expect(await next).toBe('ran');
  });

  it('without a bound, every phase starts at once', async () => {
    const started: number[] = [];
    const phases = [0, 1, 2, 3, 4].map((i) => heldPhase(started, i));
    await tick();
    expect(started).toEqual([0, 1, 2, 3, 4]);
    for (const p of phases) p.end();
    await Promise.all(phases.map((p) => p.done));
  });

  it('lifting the bound starts the phases waiting for it', async () => {
    limitProbePhases(1);
    const started: number[] = [];
    const phases = [0, 1, 2].map((i) => heldPhase(started, i));
    await tick();
    expect(started).toEqual([0]);
    limitProbePhases(undefined);
    await tick();
    expect(started).toEqual([0, 1, 2]);
    for (const p of phases) p.end();
    await Promise.all(phases.map((p) => p.done));
  });

  it("the assertions' probes and the sweep each wait for a place", async () => {
    limitProbePhases(1);
    const held = heldPhase([], 0);
    // Inputs that fail at once once they run (no lab): while the place is held, they must not run.
    let probesEnded = false;
    let sweepEnded = false;
    const probes = runProbes(undefined as never).then(
      () => (probesEnded = true),
      () => (probesEnded = true),
    );
    const sweep = runSweep({} as LabPlan, {} as Listeners, () => false).then(
      () => (sweepEnded = true),
      () => (sweepEnded = true),
    );
    await tick();
    expect({ probesEnded, sweepEnded }).toEqual({ probesEnded: false, sweepEnded: false });
    held.end();
    await Promise.all([held.done, probes, sweep]);
    expect({ probesEnded, sweepEnded }).toEqual({ probesEnded: true, sweepEnded: true });
  });
});
