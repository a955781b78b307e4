import { describe, expect, it } from 'vitest';
import { alignReturns, dailyReturns, historicalVar, pearson } from './stats.js';

const DAY = 86_400_000;

describe('dailyReturns', () => {
  it('computes close-to-close returns dated by the later bar', () => {
    const bar = (d: number, close: number) => ({ timestamp: d * DAY, open: close, high: close, low: close, close, volume: 1 });
    const r = dailyReturns([bar(10, 100), bar(11, 110), bar(12, 99)]);
    expect(r.dates).toEqual([11 * DAY, 12 * DAY]);
    expect(r.values[0]).toBeCloseTo(0.1, 12);
    expect(r.values[1]).toBeCloseTo(-0.1, 12);
  });
});

describe('alignReturns', () => {
  it('keeps only the days every series has, the most recent `limit`', () => {
    const a = { dates: [1, 2, 3, 4, 5], values: [0.1, 0.2, 0.3, 0.4, 0.5] };
    const b = { dates: [2, 3, 5], values: [-2, -3, -5] };
    expect(alignReturns([a, b], 2)).toEqual({
      dates: [3, 5],
      values: [
        [0.3, 0.5],
        [-3, -5],
      ],
    });
  });
});

describe('pearson', () => {
  it('is 1 for a perfect linear relation, −1 for its mirror, and matches a hand computation', () => {
    const x = [1, 2, 3, 4, 5];
    expect(
      pearson(
        x,
        x.map((v) => 2 * v + 1),
      ),
    ).toBeCloseTo(1, 12);
    expect(
      pearson(
        x,
        x.map((v) => -v),
      ),
    ).toBeCloseTo(-1, 12);
    // x̄=3, ȳ=3.4; Σdxdy=3, Σdx²=10, Σdy²=5.2 → 3/√52 ≈ 0.416.
    expect(pearson(x, [2, 4, 3, 5, 3])).toBeCloseTo(3 / Math.sqrt(10 * 5.2), 10);
  });

  it('returns null without variance or with too few points', () => {
    expect(pearson([1, 1, 1, 1], [1, 2, 3, 4])).toBeNull();
    expect(pearson([1, 2], [2, 1])).toBeNull();
  });
});

describe('historicalVar', () => {
  it('takes the loss at index ⌊n·(1−c)⌋ of the ascending returns', () => {
    // 60 returns −0.060, −0.059, … ; ⌊60 × 0.05⌋ = 3 → the 4th worst, −0.057.
    const r = Array.from({ length: 60 }, (_, i) => -0.06 + i * 0.001);
    expect(historicalVar(r.reverse(), 0.95)).toBeCloseTo(0.057, 12);
  });

  it('is 0 when even the tail return is a gain', () => {
    expect(historicalVar([0.01, 0.02, 0.03], 0.95)).toBe(0);
  });
});
