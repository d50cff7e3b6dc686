import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Real Chromium renders are slow on a 2-core machine; files run in parallel forks, tests inside a
    // file share one browser.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
    // In CI only, a failed test runs once more before the run fails: the suite drives real Chromium,
    // real servers and real disks on two shared cores, where a rare timing flake would otherwise throw
    // away a whole submission. The reporter marks such tests (retry x1), so flakes stay visible; a test
    // that fails twice still fails the run. Locally nothing is retried.
    retry: process.env.CI ? 1 : 0,
  },
});
