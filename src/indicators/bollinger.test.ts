import { BollingerBands as TsBollingerBands } from 'trading-signals';
import { describe, expect, it } from 'vitest';
import { column, expectSeriesClose, expectWarmUp, loadBtc1h, randomWalk, stream } from '../../test/fixtures/indicators/helpers.js';
import { BollingerBands, bollinger } from './bollinger.js';

/** Textbook two-pass definition per window: mean, then population σ of deviations from it. */
function referenceBollinger(closes: readonly number[], period: number, k: number) {
  const n = closes.length;
  const out = {
    upper: new Array<number>(n).fill(Number.NaN),
    middle: new Array<number>(n).fill(Number.NaN),
    lower: new Array<number>(n).fill(Number.NaN),
    percentB: new Array<number>(n).fill(Number.NaN),
    bandwidth: new Array<number>(n).fill(Number.NaN),
  };
  for (let i = period - 1; i < n; i++) {
    const window = closes.slice(i - period + 1, i + 1);
    const mean = window.reduce((a, b) => a + b, 0) / period;
    const sigma = Math.sqrt(window.reduce((a, b) => a + (b - mean) ** 2, 0) / period);
    const upper = mean + k * sigma;
    const lower = mean - k * sigma;
    out.upper[i] = upper;
    out.middle[i] = mean;
    out.lower[i] = lower;
    out.percentB[i] = sigma === 0 ? Number.NaN : (closes[i] - lower) / (upper - lower);
    out.bandwidth[i] = (upper - lower) / mean;
  }
  return out;
}

const btc = loadBtc1h();

describe('bollinger', () => {
  it('matches the two-pass textbook definition on real BTC closes', () => {
    for (const [period, k] of [
      [20, 2],
      [5, 1.5],
      [100, 3],
    ]) {
      const ours = bollinger(btc.close, period, k);
      const ref = referenceBollinger(btc.close, period, k);
      // Bands are ~6e4 with σ ~ 1e2: 1e-12 relative is ~10 ulps of the band.
      expectSeriesClose(ours.upper, ref.upper, { rel: 1e-12 });
      expectSeriesClose(ours.middle, ref.middle, { rel: 1e-12 });
      expectSeriesClose(ours.lower, ref.lower, { rel: 1e-12 });
      // %B divides by the band width, which costs ~log10(6e4/σ) digits in both implementations.
      expectSeriesClose(ours.percentB, ref.percentB, { abs: 1e-9 });
      expectSeriesClose(ours.bandwidth, ref.bandwidth, { rel: 1e-9 });
    }
  });

  /** Bands to ~1 ulp of the price: what the shifted sums keep and raw sums of squares cannot. */
  function expectBandsExact(closes: number[]): void {
    const ours = bollinger(closes, 20, 2);
    const ref = referenceBollinger(closes, 20, 2);
    expectSeriesClose(ours.upper, ref.upper, { rel: 1e-14 });
    expectSeriesClose(ours.lower, ref.lower, { rel: 1e-14 });
    expectSeriesClose(ours.percentB, ref.percentB, { abs: 1e-6 });
  }

  it('stays accurate where E[x²]-E[x]² cancels catastrophically (price 6e4, σ ≈ 0.01)', () => {
    // Sums of raw squares lose every digit of σ here (the naive formula is off by 200%+), so
    // this fails unless the variance is built from shifted values and re-summed.
    expectBandsExact(randomWalk(300_000, 21, 60_000, 0.01).close);
  });

  it('stays accurate when a jump leaves the window and a quiet market remains', () => {
    // While the window holds both levels s2 peaks near 5·1000²; once the old level has left, the
    // true s2 is ~1e-5, far below the ~1e-9 rounding residue the subtractions leave behind.
    // Index 205 is between scheduled re-sums, so only the s2-drop guard can catch this.
    expectBandsExact(Array.from({ length: 400 }, (_, i) => (i < 205 ? 60_000 : 61_000) + 1e-3 * Math.sin(i * 1.7)));
  });

  it('agrees with trading-signals BollingerBands (population σ) to 1e-12 relative', () => {
    const ts = new TsBollingerBands(20, 2);
    const theirs = btc.close.map((c) => ts.add(c));
    const ours = bollinger(btc.close);
    expectSeriesClose(
      ours.upper,
      column(theirs, (r) => r?.upper ?? Number.NaN),
      { rel: 1e-12 },
    );
    expectSeriesClose(
      ours.middle,
      column(theirs, (r) => r?.middle ?? Number.NaN),
      { rel: 1e-12 },
    );
    expectSeriesClose(
      ours.lower,
      column(theirs, (r) => r?.lower ?? Number.NaN),
      { rel: 1e-12 },
    );
  });

  it('collapses exactly on a flat stretch (%B NaN, bandwidth 0) and recovers after it', () => {
    const walk = randomWalk(200, 4).close;
    // The stretch starts between two scheduled re-sums (every 20 bars from index 19), so the
    // window turns flat while the running sums still carry rounding residue from older values.
    const closes = [...walk.slice(0, 65), ...new Array<number>(50).fill(123.45), ...walk.slice(65)];
    const out = bollinger(closes, 20, 2);
    for (let i = 84; i < 115; i++) {
      expect(out.upper[i]).toBe(123.45);
      expect(out.lower[i]).toBe(123.45);
      expect(out.middle[i]).toBe(123.45);
      expect(out.percentB[i]).toBeNaN();
      expect(out.bandwidth[i]).toBe(0);
    }
    const ref = referenceBollinger(closes, 20, 2);
    expectSeriesClose(out.upper, ref.upper, { rel: 1e-12 });
    expectSeriesClose(out.percentB, ref.percentB, { abs: 1e-9 });
  });

  it('recovers from a NaN input as soon as it has left the window', () => {
    const closes = btc.close.slice(0, 300);
    closes[100] = Number.NaN;
    const out = bollinger(closes, 20, 2);
    expect(out.middle[119]).toBeNaN();
    expectSeriesClose(out.upper, referenceBollinger(closes, 20, 2).upper, { from: 120, rel: 1e-12 });
  });

  it('is NaN exactly before index period-1 in every output and keeps the input length', () => {
    const out = bollinger(btc.close, 20);
    for (const series of Object.values(out)) {
      expect(series.length).toBe(btc.close.length);
      expectWarmUp(series, 19);
    }
    for (const series of Object.values(bollinger([1, 2, 3], 5))) expectWarmUp(series, 3);
  });

  it('streams exactly the batch numbers', () => {
    const walk = randomWalk(20_000, 17, 60_000, 0.05).close;
    for (const values of [btc.close, walk]) {
      for (const [period, k] of [
        [1, 2],
        [20, 2],
        [7, 0.5],
      ]) {
        const b = new BollingerBands(period, k);
        const results = stream(values, (v) => b.update(v));
        const batch = bollinger(values, period, k);
        for (const key of ['upper', 'middle', 'lower', 'percentB', 'bandwidth'] as const) {
          expectSeriesClose(
            column(results, (r) => r[key]),
            batch[key],
            { abs: 1e-12 },
          );
        }
        expect(b.value).toEqual(results.at(-1));
      }
    }
  });

  it('rejects bad parameters and non-finite streaming input', () => {
    expect(() => bollinger([1, 2, 3], 0)).toThrow(/period/);
    expect(() => bollinger([1, 2, 3], 2, -1)).toThrow(/stdDev/);
    expect(() => new BollingerBands(20, Number.NaN)).toThrow(/stdDev/);
    const b = new BollingerBands(2, 2);
    b.update(1);
    expect(() => b.update(Number.NaN)).toThrow(RangeError);
    expect(b.update(3)).toEqual({ upper: 4, middle: 2, lower: 0, percentB: 0.75, bandwidth: 2 });
  });
});
