// Test runner configuration: every test lives in test/, mirroring the source tree.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Call and browser tests start real processes (sipp, baresip, chromium); two cores run two files at once.
    maxWorkers: 2,
    reporters: ['default'],
    globalSetup: ['test/global-teardown.ts'],
  },
});
