import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';
import LongFirstSequencer from './test/support/sequencer.js';

// Lines/statements % of src/: 91.8 % on the full suite after Prettier (2026-12-05, clean-clone CI); the floor sits just under it.
const COVERAGE_FLOOR = 91;

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'web/src/**/*.test.{ts,tsx}'],
    // Suites start real servers (HTTP fakes, Redis, child processes); give them room but keep CI bounded.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // A data home of the run's own: a test that forgets its FFE_HOME must never read or migrate the
    // machine's ~/.local/share/ffe (tests that need a home of their own still pass FFE_HOME).
    // The same for the columnar candle cache: the run builds its own, never the machine's ~/.cache/ffe.
    env: { FFE_HOME: mkdtempSync(join(tmpdir(), 'ffe-test-home-')), FFE_CACHE_DIR: mkdtempSync(join(tmpdir(), 'ffe-test-cache-')) },
    // Vitest's default is one worker fewer than the cores: one on a 2-core CI machine. Most slow
    // files wait on child processes and servers, so two workers halve the wall time there.
    maxWorkers: 2,
    // The minutes-long files start first, so none of them is the run's tail (test/support/sequencer.ts).
    sequence: { sequencer: LongFirstSequencer },
    // build-once: e2e tests spawn dist/; services: Redis (and later services) provisioned for the run.
    globalSetup: ['./test/support/build-once.ts', './test/support/services.ts'],
    reporters: ['default', './test/support/summary-reporter.ts'],
    // `npm test` reports coverage of src/ (in-process code; CLI children spawned by e2e tests are not
    // counted) and fails below the floor: today's figure, to be raised, never lowered.
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      exclude: ['src/**/*.test.ts'],
      reporter: ['text-summary'],
      thresholds: { lines: COVERAGE_FLOOR, statements: COVERAGE_FLOOR },
    },
  },
});
