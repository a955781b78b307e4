import { describe, expect, it } from 'vitest';
import { chunk } from './jobs.js';

describe('chunk', () => {
  it('cuts guided chunks: large first, single items at the end, every item once in order', () => {
    const items = Array.from({ length: 32 }, (_, i) => i);
    const parts = chunk(items, 2);
    expect(parts.map((p) => p.length)).toEqual([8, 6, 5, 4, 3, 2, 1, 1, 1, 1]);
    expect(parts.flat()).toEqual(items);
    expect(chunk(items, 1).map((p) => p.length)).toEqual([16, 8, 4, 2, 1, 1]);
    // The last `workers` chunks are single items, so the tail is at most one item per worker.
    expect(
      chunk(
        Array.from({ length: 200 }, (_, i) => i),
        4,
      )
        .slice(-4)
        .map((p) => p.length),
    ).toEqual([1, 1, 1, 1]);
    expect(chunk([], 2)).toEqual([]);
    expect(chunk([7], 0)).toEqual([[7]]);
  });
});
