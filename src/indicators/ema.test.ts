import { EMA as TsEMA } from 'trading-signals';
import { describe, expect, it } from 'vitest';
import { expectSeriesClose, expectWarmUp, loadBtc1h, randomWalk, stream } from '../../test/fixtures/indicators/helpers.js';
import { MOVING_AVERAGE_CLOSES, PUBLISHED_EMA_10, expectPublished } from '../../test/fixtures/indicators/stockcharts.js';
import { EMA, ema } from './ema.js';

/** Textbook definition: seed = SMA of the first `period` values, then α·x + (1-α)·previous. */
function referenceEma(values: readonly number[], period: number): number[] {
  const alpha = 2 / (period + 1);
  const out: number[] = [];
  let previous = Number.NaN;
  values.forEach((value, i) => {
    if (i === period - 1) {
      previous = values.slice(0, period).reduce((a, b) => a + b, 0) / period;
    } else if (i >= period) {
      previous = alpha * value + (1 - alpha) * previous;
    }
    out.push(previous);
  });
  return out;
}

const btc = loadBtc1h();

describe('ema', () => {
  it('matches the StockCharts 10-day EMA worked example to its published 2 decimals', () => {
    const out = ema(MOVING_AVERAGE_CLOSES, 10);
    expectWarmUp(out, 9);
    expectPublished(out, 9, PUBLISHED_EMA_10);
  });

  it.each([1, 12, 26, 200])('matches the textbook recursion on real BTC closes (period %i)', (period) => {
    // Same recursion written differently (α·x + (1-α)·prev vs prev + α·(x-prev)): the filter is
    // contractive, so rounding differences stay at a few ulps instead of accumulating.
    expectSeriesClose(ema(btc.close, period), referenceEma(btc.close, period), { rel: 1e-12 });
  });

  it('converges to trading-signals EMA, which seeds with the first price instead of an SMA', () => {
    // The seed gap (at most the price range, ~20%) decays like (1-α)^k = (19/21)^k: < 1e-18
    // after 400 bars, so from there on only rounding (≈ ε, contractive) separates the two.
    const ts = new TsEMA(20);
    const theirs = btc.close.map((c) => ts.add(c) ?? Number.NaN);
    const ours = ema(btc.close, 20);
    expectSeriesClose(ours, theirs, { from: 400, rel: 1e-12 });
    // ... and the early bars really do differ, so the skip above is needed, not decoration.
    expect(Math.abs(ours[19] - theirs[19])).toBeGreaterThan(1);
  });

  it('is NaN exactly during warm-up and keeps the input length', () => {
    const out = ema(btc.close, 26);
    expect(out.length).toBe(btc.close.length);
    expectWarmUp(out, 25);
    expectWarmUp(ema([1, 2], 3), 2);
  });

  it('streams exactly the batch numbers', () => {
    const walk = randomWalk(20_000, 5).close;
    for (const values of [btc.close, walk]) {
      for (const period of [1, 9, 50]) {
        const e = new EMA(period);
        expectSeriesClose(Float64Array.from(stream(values, (v) => e.update(v))), ema(values, period), { abs: 1e-12 });
      }
    }
  });

  it('rejects bad periods and non-finite streaming input', () => {
    expect(() => ema([1], 0)).toThrow(/period/);
    expect(() => new EMA(2.5)).toThrow(RangeError);
    const e = new EMA(1);
    expect(() => e.update(Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(e.update(4)).toBe(4);
  });
});
