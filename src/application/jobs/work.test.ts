import { describe, expect, it } from 'vitest';
import { CURVE_POINTS, downsampleCurve } from './work.js';

describe('downsampleCurve', () => {
  it('keeps a short curve whole', () => {
    expect(downsampleCurve([1, 2, 3], [10, 11, 9])).toEqual([
      [1, 10],
      [2, 11],
      [3, 9],
    ]);
  });

  it('keeps at most CURVE_POINTS points of a long one, in time order, with its first, last, highest and lowest', () => {
    const n = 50_000;
    const times = Array.from({ length: n }, (_, i) => i * 60_000);
    const values = Array.from({ length: n }, (_, i) => 10_000 + 500 * Math.sin(i / 700) + (i === 31_337 ? -3000 : 0) + (i === 777 ? 4000 : 0));
    const out = downsampleCurve(times, values);
    expect(out.length).toBeLessThanOrEqual(CURVE_POINTS);
    expect(out.length).toBeGreaterThan(CURVE_POINTS / 2);
    for (let i = 1; i < out.length; i++) expect(out[i][0]).toBeGreaterThan(out[i - 1][0]);
    expect(out[0]).toEqual([0, values[0]]);
    expect(out[out.length - 1]).toEqual([times[n - 1], values[n - 1]]);
    expect(Math.min(...out.map((p) => p[1]))).toBe(Math.min(...values));
    expect(Math.max(...out.map((p) => p[1]))).toBe(Math.max(...values));
  });
});
