import type { Reporter, TestModule } from 'vitest/node';

/**
 * Prints the plain closing line CI reads: `Tests: N passed, N failed, N skipped`.
 * Vitest's own summary wraps the counts in colour codes and extra words.
 */
export default class SummaryReporter implements Reporter {
  async onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>): Promise<void> {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const mod of testModules) {
      for (const test of mod.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
        else skipped++;
      }
      // A module that failed to load has no tests but is a failure.
      if (mod.state() === 'failed' && [...mod.children.allTests()].length === 0) failed++;
    }
    if (unhandledErrors.length > 0) failed += unhandledErrors.length;
    // Reporters run side by side; wait a turn so the default reporter's summary is printed first.
    await new Promise((r) => setTimeout(r, 50));
    process.stdout.write(`\nTests: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
