// The model's FIB equals the kernels' FIB, on seeded random intents (test/compiler/random-intents.ts:
// 3-6 devices of every platform, static or OSPF routing, IPv4-only, IPv6-only and dual-stack
// segments, eBGP partners and static gateways of either family). Each intent is compiled, its
// backends' files run in network namespaces (real FRR, real kernels), and once routing has
// converged every device's `ip -4/-6 route` is compared with its model `fib` entry by entry
// (emulator/fib-compare.ts). The examples get the same comparison in examples.test.ts.
//
// The labs run at once, two building at a time (the wait for OSPF is idle time), those with the
// most devices running OSPF first. Outside CI, a machine without root or the tools skips these
// loudly; in CI they must run.

import { afterAll, describe, expect, it } from 'vitest';
import { buildLab, type Lab } from '../../emulator/build.js';
import { backendConfigs } from '../../emulator/configs.js';
import { fibDifferenceText } from '../../emulator/fib-compare.js';
import { missingPrerequisites, newRunId } from '../../emulator/index.js';
import { planLab } from '../../emulator/lab.js';
import { teardownOnSignal, teardownRunAsync } from '../../emulator/teardown.js';
import type { NetworkModel } from '../../compiler/model.js';
import { compileIntent } from '../../pipeline/compile.js';
import { randomIntent } from '../compiler/random-intents.js';
import { atMost } from '../at-most.js';

const missing = missingPrerequisites();
const canRun = missing.length === 0;
if (!canRun && !process.env.CI) {
  console.warn(
    `\n*** SKIPPING the random model-versus-kernel FIB labs: missing ${missing.join(', ')} (they run in CI as root) ***\n`,
  );
}
const labIt = canRun || process.env.CI ? it : it.skip;

/** Seeds per run: PLUMB_FIB_SEEDS=N runs seeds 1..N (at least the 20 CI runs). */
const SEEDS = Math.max(20, Number(process.env.PLUMB_FIB_SEEDS ?? 20) || 20);

/**
 * Labs being built at once. A lab is mostly its wait for OSPF (about 21 s from its configs' load,
 * whatever else runs), its build busy with processes: so each lab starts building as soon as
 * fewer than this many are building, and waits for routing beside every other lab. vitest's own
 * bound on concurrent tests (five) made four rounds of build and wait for the twenty seeds.
 */
const BUILDING_AT_ONCE = 2;
const buildSlot = atMost(BUILDING_AT_ONCE);

const timings: string[] = [];
let entries = 0;

interface SeedLab {
  text: string;
  fibDifferences: string[];
  missing: string[];
  /** buildLab said it was built before its wait for routing (what frees the build slot). */
  builtBeforeRouting: boolean;
}

/** Seed `seed`'s intent and its model (undefined when it did not compile: its lab says why). */
interface SeedIntent {
  seed: number;
  text: string;
  model?: NetworkModel;
  error?: string;
}

function seedIntent(seed: number): SeedIntent {
  const { text } = randomIntent(seed);
  const compiled = compileIntent([{ path: `random${seed}.plumb`, text }]);
  if (compiled.model) return { seed, text, model: compiled.model };
  return { seed, text, error: `seed ${seed} did not compile:\n${compiled.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n')}` };
}

/**
 * The order the labs start building: most devices running OSPF first, then by seed. Routing in a
 * lab with OSPF waits for its adjacencies (20-40 s from the configs' load under a load of 20),
 * one without converges in 6-16 s (its BGP session and static routes), and the builds take turns
 * (BUILDING_AT_ONCE): the file ends at the last lab built plus its wait, so the labs that wait
 * least are built last. In seed order, a 3-device OSPF seed built last held the file 20 s.
 */
function buildOrder(intents: readonly { seed: number; ospfDevices: number }[]): number[] {
  return [...intents].sort((a, b) => b.ospfDevices - a.ospfDevices || a.seed - b.seed).map((i) => i.seed);
}

/** The seeds in the order their builds started (each takes its build slot in the order asked). */
const buildsStarted: number[] = [];

/** Seed `seed`'s intent built in a lab of its own, compared and torn down. */
async function seedLab(intent: SeedIntent): Promise<SeedLab> {
  const { seed, text } = intent;
  // Thrown, not asserted: this runs beside other seeds' tests, and its own test reports it.
  if (!intent.model) throw new Error(intent.error);
  const model = intent.model;
  const runId = newRunId();
  const remove = teardownOnSignal(runId, () => false);
  const t0 = Date.now();
  try {
    const plan = planLab(model, { runId });
    // The build slot is held from the start of the build until it is built (or failed).
    let building!: Promise<Lab>;
    let builtAt = 0;
    await buildSlot(
      () =>
        new Promise<void>((built) => {
          const onBuilt = (): void => {
            builtAt = Date.now();
            built();
          };
          buildsStarted.push(seed);
          building = buildLab(plan, { configs: backendConfigs, convergenceLimitMs: 60_000, onBuilt });
          building.then(() => built(), () => built());
        }),
    );
    const lab = await building;
    const builtBeforeRouting = builtAt > 0 && Date.now() - builtAt >= lab.convergeMillis;
    const count = model.devices.reduce((n, d) => n + d.fib.length, 0);
    entries += count;
    timings.push(
      `seed ${seed}: ${model.devices.length} devices (${model.devices.filter((d) => d.ospf).length} with OSPF), ${count} model entries, ` +
        `built ${lab.buildMillis} ms, ${lab.converged ? 'converged' : 'NOT converged'} after ${lab.convergeMillis} ms, ` +
        `${lab.fibDifferences.length} differences, ${Date.now() - t0} ms in all`,
    );
    return { text, fibDifferences: lab.fibDifferences.map(fibDifferenceText), missing: lab.missing, builtBeforeRouting };
  } finally {
    // Without blocking the event loop: the other labs of this file go on meanwhile.
    await teardownRunAsync(runId);
    remove();
  }
}

/** Every seed's intent, compiled once. */
let intents: SeedIntent[] = [];
/** The seeds in the order their labs were started (buildOrder). */
let started: number[] = [];
/** Every seed's lab, started once (BUILDING_AT_ONCE building at a time, in buildOrder) by the first test that asks. */
const labs = new Map<number, Promise<SeedLab>>();
function labOf(seed: number): Promise<SeedLab> {
  if (labs.size === 0) {
    intents = Array.from({ length: SEEDS }, (_, i) => seedIntent(i + 1));
    started = buildOrder(intents.map((i) => ({ seed: i.seed, ospfDevices: i.model?.devices.filter((d) => d.ospf).length ?? 0 })));
    for (const s of started) {
      const lab = seedLab(intents[s - 1]!);
      // Its own test awaits it; until then a failure must not count as unhandled.
      lab.catch(() => undefined);
      labs.set(s, lab);
    }
  }
  return labs.get(seed)!;
}

describe('random intents: the model FIB is the kernel FIB', () => {
  afterAll(async () => {
    await Promise.allSettled(labs.values());
    if (timings.length > 0)
      console.log(`random FIB labs (${entries} entries compared):\n  ${timings.join('\n  ')}`);
  });

  for (let seed = 1; seed <= SEEDS; seed++) {
    labIt(
      `seed ${seed}`,
      async () => {
        const lab = await labOf(seed);
        expect(lab.fibDifferences, `seed ${seed}\n${lab.text}`).toEqual([]);
        expect(lab.missing, `seed ${seed}`).toEqual([]);
        expect(lab.builtBeforeRouting, `seed ${seed}: the build slot freed before routing`).toBe(true);
      },
      // Only a hang detector (routing has its own 60 s limit): a lab on a 2-core machine under a
      // load average of 20 took past 180 s.
      300_000,
    );
  }

  it('builds the labs with the most devices running OSPF first, then by seed', () => {
    const intents = [
      { seed: 1, ospfDevices: 0 },
      { seed: 2, ospfDevices: 4 },
      { seed: 3, ospfDevices: 2 },
      { seed: 4, ospfDevices: 4 },
      { seed: 5, ospfDevices: 0 },
    ];
    expect(buildOrder(intents)).toEqual([2, 4, 3, 1, 5]);
  });

  labIt('the labs took their build slots in that order', async () => {
    await labOf(1);
    await Promise.allSettled(labs.values());
    expect(buildsStarted).toEqual(started);
    expect([...started].sort((a, b) => a - b)).toEqual(Array.from({ length: SEEDS }, (_, i) => i + 1));
    const ospf = buildsStarted.map((s) => intents[s - 1]!.model?.devices.filter((d) => d.ospf).length ?? 0);
    expect(ospf, `OSPF devices per lab, in build order (seeds ${buildsStarted.join(', ')})`).toEqual([...ospf].sort((a, b) => b - a));
  }, 300_000);
});
