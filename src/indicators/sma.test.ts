import { SMA as TsSMA } from 'trading-signals';
import { describe, expect, it } from 'vitest';
import { expectSeriesClose, expectWarmUp, loadBtc1h, randomWalk, stream } from '../../test/fixtures/indicators/helpers.js';
import { MOVING_AVERAGE_CLOSES, PUBLISHED_SMA_10, expectPublished } from '../../test/fixtures/indicators/stockcharts.js';
import { SMA, sma } from './sma.js';

/** Textbook definition: the mean of each full window, summed afresh every time. */
function referenceSma(values: readonly number[], period: number): number[] {
  return values.map((_, i) => {
    if (i < period - 1) return Number.NaN;
    let total = 0;
    for (const v of values.slice(i - period + 1, i + 1)) total += v;
    return total / period;
  });
}

const btc = loadBtc1h();

describe('sma', () => {
  it('matches the StockCharts 10-day SMA worked example to its published 2 decimals', () => {
    const out = sma(MOVING_AVERAGE_CLOSES, 10);
    expectWarmUp(out, 9);
    expectPublished(out, 9, PUBLISHED_SMA_10);
  });

  it.each([1, 7, 20, 200])('matches the textbook window mean on real BTC closes (period %i)', (period) => {
    // Running sum + periodic exact re-sum: error ~ period·ε relative, far inside 1e-12.
    expectSeriesClose(sma(btc.close, period), referenceSma(btc.close, period), { rel: 1e-12 });
  });

  it('agrees with trading-signals SMA (which re-averages each window) to 1e-12 relative', () => {
    const ts = new TsSMA(20);
    const theirs = btc.close.map((c) => ts.add(c) ?? Number.NaN);
    expectSeriesClose(sma(btc.close, 20), theirs, { rel: 1e-12 });
  });

  it('does not drift over a long series far from zero', () => {
    const walk = randomWalk(200_000, 7, 1e6, 0.01).close;
    const out = sma(walk, 50);
    const ref = referenceSma(walk.slice(-1000), 50);
    expectSeriesClose(out.subarray(-951), ref.slice(49), { rel: 1e-14 });
  });

  it('returns a same-length Float64Array, NaN only during warm-up, for both input types', () => {
    const a = sma(btc.close, 20);
    const b = sma(Float64Array.from(btc.close), 20);
    expect(a).toBeInstanceOf(Float64Array);
    expect(a.length).toBe(btc.close.length);
    expectWarmUp(a, 19);
    expect(b).toEqual(a);
    expectWarmUp(sma([1, 2, 3], 5), 3);
    expect(sma([], 3).length).toBe(0);
  });

  it('recovers from a NaN input at the first exact re-sum after it has left the window', () => {
    const values = btc.close.slice();
    values[50] = Number.NaN;
    const out = sma(values, 10);
    expect(Number.isNaN(out[55])).toBe(true);
    // Re-sums happen every 1024 bars from index 9, so index 1033 is the first clean one.
    expect(Number.isNaN(out[1032])).toBe(true);
    expectSeriesClose(out, referenceSma(values, 10), { from: 1033, rel: 1e-12 });
  });

  it('streams exactly the batch numbers', () => {
    const walk = randomWalk(20_000, 3).close;
    for (const values of [btc.close, walk]) {
      for (const period of [1, 3, 20, 2000]) {
        const s = new SMA(period);
        expectSeriesClose(Float64Array.from(stream(values, (v) => s.update(v))), sma(values, period), { abs: 1e-12 });
        expect(s.value).toBe(sma(values, period).at(-1));
      }
    }
  });

  it('rejects bad periods and non-finite streaming input', () => {
    for (const bad of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => sma([1, 2, 3], bad)).toThrow(RangeError);
      expect(() => new SMA(bad)).toThrow(/period/);
    }
    const s = new SMA(2);
    s.update(1);
    expect(() => s.update(Number.NaN)).toThrow(RangeError);
    expect(s.update(3)).toBe(2);
  });
});
