import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Suites start real servers (HTTP fakes, Redis, child processes); give them room but keep CI bounded.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // build-once: e2e tests spawn dist/; services: Redis (and later services) provisioned for the run.
    globalSetup: ['./test/support/build-once.ts', './test/support/services.ts'],
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
