import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Browser tests run with `npm run test:e2e` (vitest.e2e.config.mts).
    exclude: ['test/e2e/**', '**/node_modules/**'],
    // Training tests are CPU-bound; two cores are all we have.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
