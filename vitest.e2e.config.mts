import { defineConfig } from 'vitest/config';

// Browser tests (real Chromium through playwright-core): `npm run test:e2e`. Not part of `npm test`.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: 'forks',
  },
});
