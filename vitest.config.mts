import { availableParallelism } from 'node:os';
import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Tests that need Chromium or Jupyter run with `npm run test:e2e` (vitest.e2e.config.mts).
    exclude: [...configDefaults.exclude, 'test/e2e/**'],
    // Training tests are CPU-bound; two cores are all we have.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // vitest's default is cores − 1 files at once: one on two cores. One per core measured 163 s against 221 s
    // here (many files spend their time waiting on child processes and sockets).
    maxWorkers: availableParallelism(),
  },
});
