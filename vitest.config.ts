import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The pipeline fuzz job has its own configuration (vitest.fuzz.config.ts, `npm run fuzz`).
    exclude: [...configDefaults.exclude, 'test/fuzz/**/*.fuzz.test.ts'],
    // Z3 and the network tests are CPU-bound on a 2-core machine: keep the pool small and
    // give slow suites room without hiding hangs.
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
