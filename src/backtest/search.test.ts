import { describe, expect, it } from 'vitest';
import { lowerBound, lowerBoundFrom } from './search.js';

describe('lowerBoundFrom', () => {
  it("gives lowerBound's index over the first n entries from any starting hint", () => {
    // Runs of equal values, so that the first of equal entries is what is asked.
    const a = Float64Array.from({ length: 300 }, (_, i) => Math.floor(i / 3));
    for (const n of [0, 1, 2, 150, 300]) {
      const head = a.subarray(0, n);
      for (let x = -1; x <= 101; x += 0.5) {
        const expected = lowerBound(head, x);
        for (const from of [0, 1, 2, 5, 64, 149, 150, 151, 299, 300, 301, expected, expected + 1]) expect(lowerBoundFrom(a, n, x, from)).toBe(expected);
      }
    }
  });
});
