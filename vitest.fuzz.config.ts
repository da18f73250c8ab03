import { defineConfig } from 'vitest/config';

// The pipeline fuzz job (`npm run fuzz`, run by .ci/run after the test suite): thousands of
// generated intents through the whole command line, kept out of `npm test` for its length.
export default defineConfig({
  test: {
    include: ['test/fuzz/**/*.fuzz.test.ts'],
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    testTimeout: 600_000,
    hookTimeout: 120_000,
  },
});
