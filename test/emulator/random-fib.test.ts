// The model's FIB equals the kernels' FIB, on seeded random intents (test/compiler/random-intents.ts:
// 3-6 devices of every platform, static or OSPF routing, IPv4-only, IPv6-only and dual-stack
// segments, eBGP partners and static gateways of either family). Each intent is compiled, its
// backends' files run in network namespaces (real FRR, real kernels), and once routing has
// converged every device's `ip -4/-6 route` is compared with its model `fib` entry by entry
// (emulator/fib-compare.ts). The examples get the same comparison in examples.test.ts.
//
// The labs run at once, two building at a time (the wait for OSPF is idle time). Outside CI, a machine without
// root or the tools skips these loudly; in CI they must run.

import { afterAll, describe, expect, it } from 'vitest';
import { buildLab, type Lab } from '../../emulator/build.js';
import { backendConfigs } from '../../emulator/configs.js';
import { fibDifferenceText } from '../../emulator/fib-compare.js';
import { missingPrerequisites, newRunId } from '../../emulator/index.js';
import { planLab } from '../../emulator/lab.js';
import { teardownOnSignal, teardownRunAsync } from '../../emulator/teardown.js';
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

/** Seed `seed`'s intent compiled, built in a lab of its own, compared and torn down. */
async function seedLab(seed: number): Promise<SeedLab> {
  const { text } = randomIntent(seed);
  const compiled = compileIntent([{ path: `random${seed}.plumb`, text }]);
  // Thrown, not asserted: this runs beside other seeds' tests, and its own test reports it.
  if (!compiled.model) throw new Error(`seed ${seed} did not compile:\n${compiled.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n')}`);
  const model = compiled.model;
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
          building = buildLab(plan, { configs: backendConfigs, convergenceLimitMs: 60_000, onBuilt });
          building.then(() => built(), () => built());
        }),
    );
    const lab = await building;
    const builtBeforeRouting = builtAt > 0 && Date.now() - builtAt >= lab.convergeMillis;
    const count = model.devices.reduce((n, d) => n + d.fib.length, 0);
    entries += count;
    timings.push(
      `seed ${seed}: ${model.devices.length} devices, ${count} model entries, ` +
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

/** Every seed's lab, started once (BUILDING_AT_ONCE building at a time) by the first test that asks. */
const labs = new Map<number, Promise<SeedLab>>();
function labOf(seed: number): Promise<SeedLab> {
  if (labs.size === 0) {
    for (let s = 1; s <= SEEDS; s++) {
      const lab = seedLab(s);
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
});
