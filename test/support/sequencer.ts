import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The suite's longest files, in seconds: the fresh-clone CI run on 2 cores at b4c4a8a (tour, dashboard,
 * kill-restart, PostgreSQL store contract, failover) and, for the others, a full run's figures on a
 * loaded machine scaled down to it (÷3.7, the ratio of the five CI ones). Only their order matters.
 * The failover pair is the old one-file figure (38 s) split by engine.
 */
export const KNOWN_SECONDS: Readonly<Record<string, number>> = {
  'test/e2e/readme-tour.test.ts': 80,
  'test/e2e/dashboard.browser.test.ts': 79,
  'test/e2e/kill-restart.test.ts': 78,
  'test/contract/postgres.store.contract.test.ts': 48,
  'test/e2e/serve.test.ts': 38,
  'test/e2e/backup.test.ts': 27,
  'src/interfaces/http/fuzz.test.ts': 26,
  'test/e2e/cli-foundation.test.ts': 22,
  'test/e2e/failover.postgres.test.ts': 21,
  'test/e2e/numbers-output.test.ts': 20,
  'test/e2e/failover.sqlite.test.ts': 17,
  'test/e2e/gdpr.test.ts': 16,
  'test/e2e/ensemble-analyze.test.ts': 15,
  'test/e2e/execute-paper.test.ts': 14,
  'test/e2e/agent-restart.test.ts': 13,
  'test/e2e/backtest-provider-search.test.ts': 12,
  'test/e2e/backtest-cli.test.ts': 12,
  'test/e2e/prometheus-live.test.ts': 11,
  'test/e2e/auth-cli.test.ts': 11,
  'test/e2e/agent-cli.test.ts': 11,
  'test/e2e/backtest-distributed.test.ts': 10,
  'test/e2e/audit-cli.test.ts': 10,
  'test/e2e/ffe-ctl-serve.test.ts': 9,
  'test/e2e/db-copy.test.ts': 9,
  'test/e2e/data-quality.test.ts': 9,
  'test/e2e/metrics.test.ts': 8,
  'test/e2e/package-targets.test.ts': 7,
  'test/e2e/recommendations-cli.test.ts': 7,
  'test/e2e/ml-cli.test.ts': 7,
  'test/e2e/ml-provider.test.ts': 6,
  'test/e2e/telegram-serve.test.ts': 6,
  'src/app/backtest-inputs.test.ts': 6,
  'test/e2e/fundamentals-cli.test.ts': 6,
  'src/interfaces/cli/startup-imports.test.ts': 6,
  'test/deploy/compose.test.ts': 6,
  'src/store/sqlite/store.test.ts': 5,
  'test/e2e/tracing.test.ts': 5,
  'src/backtest/monte-carlo.test.ts': 5,
  'src/interfaces/telegram/bot.test.ts': 5,
};

/** Where a file goes: its known seconds, else e2e files (child processes, servers) before the rest. */
export function rank(path: string): number {
  const p = path.replaceAll('\\', '/');
  const known = Object.keys(KNOWN_SECONDS).find((k) => p.endsWith(`/${k}`) || p === k);
  if (known) return -KNOWN_SECONDS[known]!;
  return p.includes('test/e2e/') ? 1 : 2;
}

/**
 * Longest first for two workers (LPT bin packing): a file that starts last should be a short one,
 * or the run waits for it alone. Vitest's own order is "longest first" only when its results cache
 * remembers a run; without one (a fresh clone, CI) it runs larger files first, which put the
 * minutes-long files (the README tour, the PostgreSQL store contract: a short file over a shared
 * contract) anywhere. So: the known long files by their seconds, then the other e2e files, then the
 * rest, each group in Vitest's own order (cached durations, else size).
 */
export default class LongFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    // Array.prototype.sort is stable: within a rank Vitest's order stands.
    return sorted.sort((a, b) => rank(a.moduleId) - rank(b.moduleId));
  }
}
