import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The README tour replays a year and backtests it: minutes on its own, one test in one small file.
 * Vitest's default order is "longest first" only when its results cache remembers the last run;
 * without one (a fresh clone, CI) it runs larger files first, which put the tour near the end,
 * where the whole run waited for it alone. Started first, it overlaps everything else.
 */
const FIRST = ['test/e2e/readme-tour.test.ts'];

/**
 * Longest-first bin packing for two workers: the tour, then the e2e files (child processes,
 * servers, replays), then the rest, each group in Vitest's own order (cached durations, else size).
 */
export default class LongFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const path = (f: TestSpecification) => f.moduleId.replaceAll('\\', '/');
    const rank = (f: TestSpecification) => {
      const first = FIRST.findIndex((p) => path(f).endsWith(p));
      if (first >= 0) return first;
      return path(f).includes('/test/e2e/') ? FIRST.length : FIRST.length + 1;
    };
    // Array.prototype.sort is stable: within a rank Vitest's order stands.
    return sorted.sort((a, b) => rank(a) - rank(b));
  }
}
