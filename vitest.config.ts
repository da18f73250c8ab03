import { relative } from 'node:path';
import { configDefaults, defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The files that take longest (CI on 2 cores, slowest first: 243, 143, 124, 86, 58, 57, 53, 48,
 * 44, 40, 40, 33 and 33 s). Two workers share the suite: a long file started last leaves one
 * worker idle while it finishes, so these start first. Each runs exactly as elsewhere.
 */
const SLOW_FIRST = [
  'test/emulator/examples.test.ts',
  'test/emulator/random-fib.test.ts',
  'test/docs/quick-start.test.ts',
  'test/emulator/failover-lab.test.ts',
  'test/emulator/lab.test.ts',
  'test/emulator/auth-lab-platforms.test.ts',
  'test/emulator/sweep.test.ts',
  'test/backends/running-read.test.ts',
  'test/emulator/auth-lab.test.ts',
  'test/emulator/frr-reload.test.ts',
  'test/api/api-doc.test.ts',
  'test/emulator/zbf-lab.test.ts',
  'test/backends/frr-daemons.test.ts',
];

/** The long files first, in the order above; the others as vitest orders them (its timing cache). */
class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (f: TestSpecification): number => SLOW_FIRST.indexOf(relative(this.ctx.config.root, f.moduleId));
    return [...sorted.filter((f) => rank(f) >= 0).sort((a, b) => rank(a) - rank(b)), ...sorted.filter((f) => rank(f) < 0)];
  }
}

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The pipeline fuzz job has its own configuration (vitest.fuzz.config.ts, `npm run fuzz`).
    exclude: [...configDefaults.exclude, 'test/fuzz/**/*.fuzz.test.ts'],
    // Z3 and the network tests are CPU-bound on a 2-core machine: keep the pool small and
    // give slow suites room without hiding hangs.
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    sequence: { sequencer: SlowFirstSequencer },
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
