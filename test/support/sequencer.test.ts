import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KNOWN_SECONDS, rank } from './sequencer.js';

const ROOT = resolve(import.meta.dirname, '../..');

describe('test sequencer: longest files first', () => {
  it('names only test files that exist (a renamed or split file would otherwise fall back to the end)', () => {
    const missing = Object.keys(KNOWN_SECONDS).filter((f) => !existsSync(join(ROOT, f)) || !f.endsWith('.test.ts'));
    expect(missing).toEqual([]);
  });

  it('orders known files by their seconds, then the other e2e files, then the rest', () => {
    const files = ['/r/src/lib/ttl-cache.test.ts', '/r/test/e2e/exit-codes.test.ts', '/r/test/e2e/serve.test.ts', '/r/test/contract/postgres.store.contract.test.ts', '/r/test/e2e/readme-tour.test.ts'];
    expect([...files].sort((a, b) => rank(a) - rank(b))).toEqual([
      '/r/test/e2e/readme-tour.test.ts',
      '/r/test/contract/postgres.store.contract.test.ts',
      '/r/test/e2e/serve.test.ts',
      '/r/test/e2e/exit-codes.test.ts',
      '/r/src/lib/ttl-cache.test.ts',
    ]);
    // A path that merely ends like a known file's name is not that file.
    expect(rank('/r/test/e2e/not-serve.test.ts')).toBe(1);
    expect(rank('C:\\r\\test\\e2e\\serve.test.ts')).toBe(-KNOWN_SECONDS['test/e2e/serve.test.ts']!);
  });
});
