// Test runner configuration: every test lives in test/, mirroring the source tree.
import { defineConfig } from 'vitest/config';

/** Suites that connect to one running drachtio-server (IVR_DRACHTIO): it spreads INVITEs over every application. */
const DRACHTIO = 'test/media/freeswitch/**/*.test.ts';

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Call and browser tests start real processes (sipp, baresip, chromium); two cores run two files at once.
    maxWorkers: 2,
    reporters: ['default'],
    globalSetup: ['test/global-teardown.ts'],
    projects: [
      {
        extends: true,
        test: { name: 'all', include: ['test/**/*.test.ts', 'test/**/*.test.tsx'], exclude: [DRACHTIO] },
      },
      // One file at a time: two engines connected at once would each get half of the other's calls.
      { extends: true, test: { name: 'drachtio', include: [DRACHTIO], fileParallelism: false } },
    ],
  },
});
