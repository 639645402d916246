import { defineConfig } from 'vitest/config';

// `npm run test:e2e`: the tests that need Chromium, Jupyter (nbconvert) and the tslab kernel. The global setup
// stops the run with one line naming any missing tool (scripts/e2e-tools.mjs).
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    globalSetup: ['test/e2e/global-setup.ts'],
    // Kernels and browsers: one file at a time on two cores.
    fileParallelism: false,
    testTimeout: 600_000,
    hookTimeout: 300_000,
    pool: 'forks',
  },
});
