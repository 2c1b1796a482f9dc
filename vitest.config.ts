import { defineConfig } from 'vitest/config';

/**
 * Default suite: runs on any machine. Tests that need `../shared/` skip with a message when it is
 * absent; slow tests run only with EDGETRACK_SLOW=1 (`npm run test:slow`).
 */
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
