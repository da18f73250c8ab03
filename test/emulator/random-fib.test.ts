// The model's FIB equals the kernels' FIB, on seeded random intents (test/compiler/random-intents.ts:
// 3-6 devices of every platform, static or OSPF routing, IPv4-only, IPv6-only and dual-stack
// segments, eBGP partners and static gateways of either family). Each intent is compiled, its
// backends' files run in network namespaces (real FRR, real kernels), and once routing has
// converged every device's `ip -4/-6 route` is compared with its model `fib` entry by entry
// (emulator/fib-compare.ts). The examples get the same comparison in examples.test.ts.
//
// Several labs are built at once (the wait for OSPF is idle time). Outside CI, a machine without
// root or the tools skips these loudly; in CI they must run.

import { afterAll, describe, expect, it } from 'vitest';
import { buildLab } from '../../emulator/build.js';
import { backendConfigs } from '../../emulator/configs.js';
import { fibDifferenceText } from '../../emulator/fib-compare.js';
import { missingPrerequisites, newRunId } from '../../emulator/index.js';
import { planLab } from '../../emulator/lab.js';
import { teardownOnSignal, teardownRunAsync } from '../../emulator/teardown.js';
import { compileIntent } from '../../pipeline/compile.js';
import { randomIntent } from '../compiler/random-intents.js';

const missing = missingPrerequisites();
const canRun = missing.length === 0;
if (!canRun && !process.env.CI) {
  console.warn(
    `\n*** SKIPPING the random model-versus-kernel FIB labs: missing ${missing.join(', ')} (they run in CI as root) ***\n`,
  );
}
const labIt = canRun || process.env.CI ? it.concurrent : it.skip;

/** Seeds per run: PLUMB_FIB_SEEDS=N runs seeds 1..N (at least the 20 CI runs). */
const SEEDS = Math.max(20, Number(process.env.PLUMB_FIB_SEEDS ?? 20) || 20);

const timings: string[] = [];
let entries = 0;

describe('random intents: the model FIB is the kernel FIB', () => {
  afterAll(() => {
    if (timings.length > 0)
      console.log(`random FIB labs (${entries} entries compared):\n  ${timings.join('\n  ')}`);
  });

  for (let seed = 1; seed <= SEEDS; seed++) {
    labIt(
      `seed ${seed}`,
      async () => {
        const { text } = randomIntent(seed);
        const compiled = compileIntent([{ path: `random${seed}.plumb`, text }]);
        expect(compiled.model, compiled.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n')).toBeDefined();
        const model = compiled.model!;
        const runId = newRunId();
        const remove = teardownOnSignal(runId, () => false);
        const t0 = Date.now();
        try {
          const plan = planLab(model, { runId });
          const lab = await buildLab(plan, { configs: backendConfigs, convergenceLimitMs: 60_000 });
          const count = model.devices.reduce((n, d) => n + d.fib.length, 0);
          entries += count;
          timings.push(
            `seed ${seed}: ${model.devices.length} devices, ${count} model entries, ` +
              `built ${lab.buildMillis} ms, ${lab.converged ? 'converged' : 'NOT converged'} after ${lab.convergeMillis} ms, ` +
              `${lab.fibDifferences.length} differences, ${Date.now() - t0} ms in all`,
          );
          expect(lab.fibDifferences.map(fibDifferenceText), `seed ${seed}\n${text}`).toEqual([]);
          expect(lab.missing, `seed ${seed}`).toEqual([]);
        } finally {
          // Without blocking the event loop: the other labs of this file go on meanwhile.
          await teardownRunAsync(runId);
          remove();
        }
      },
      // Only a hang detector (routing has its own 60 s limit): five labs at once on a 2-core
      // machine under a load average of 20 took past 180 s.
      300_000,
    );
  }
});
