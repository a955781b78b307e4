import { TR as TsTR } from 'trading-signals';
import { describe, expect, it } from 'vitest';
import { bars, expectSeriesClose, expectWarmUp, loadBtc1h } from '../../test/fixtures/indicators/helpers.js';
import { mulberry32 } from '../../test/fixtures/indicators/random.js';
import { trueRange, trueRangeOf } from './true-range.js';

const btc = loadBtc1h();

describe('trueRange', () => {
  it('is the largest of high-low, |high-prevClose| and |low-prevClose|', () => {
    const high = [10, 11, 12, 11.5, 9, 13, 10];
    const low = [8, 9, 10, 7, 8.5, 12, 9.5];
    const close = [9, 10.5, 11, 8, 8.6, 12.5, 9.8];
    // Bar 3 is a wide-range bar (high-low wins); bars 4 and 5 open above the previous close
    // (|high-prevClose| wins); bar 6 gaps down (|low-prevClose| wins).
    expect(Array.from(trueRange(high, low, close))).toEqual([Number.NaN, 2, 2, 4.5, 1, 13 - 8.6, 12.5 - 9.5]);
  });

  it('matches trading-signals TR on real BTC candles from index 1 (index 0 has no previous close)', () => {
    const ts = new TsTR();
    const theirs = bars(btc).map((bar) => ts.add(bar) ?? Number.NaN);
    const ours = trueRange(btc.high, btc.low, btc.close);
    expectWarmUp(ours, 1);
    expect(ours.length).toBe(btc.close.length);
    expectSeriesClose(ours, theirs, { from: 1, abs: 0 });
  });

  it('is bit for bit the textbook maximum on gappy bars, in the unrolled loop and the short one before it', () => {
    // Every previous close lands below, inside or above the next bar's range; 1,003 bars so ten
    // bars go through the short loop before the sixteen-bar one.
    const rand = mulberry32(5);
    const n = 1003;
    const high: number[] = [];
    const low: number[] = [];
    const close: number[] = [];
    let price = 100;
    for (let i = 0; i < n; i++) {
      price *= 1 + (rand() - 0.5) * 0.2;
      const width = price * rand() * 0.05;
      low.push(price - width);
      high.push(price + width);
      close.push(price - width + 3 * width * (rand() - 1 / 3));
    }
    const ours = trueRange(high, low, close);
    let gaps = 0;
    for (let i = 1; i < n; i++) {
      const textbook = Math.max(high[i] - low[i], Math.abs(high[i] - close[i - 1]), Math.abs(low[i] - close[i - 1]));
      if (ours[i] !== textbook) expect.fail(`bar ${i}: ${ours[i]} != ${textbook}`);
      if (close[i - 1] > high[i] || close[i - 1] < low[i]) gaps++;
    }
    expect(gaps).toBeGreaterThan(n / 4);
  });

  it('stays within a few ulps when the previous close is more than twice the high or under half the low', () => {
    for (const [high, low, prevClose] of [
      [1.1, 0.7, 3.3],
      [0.3, 0.1, 0.0300001],
      [1e-8, 9e-9, 7.77],
    ]) {
      const textbook = Math.max(high - low, Math.abs(high - prevClose), Math.abs(low - prevClose));
      expect(Math.abs(trueRangeOf(high, low, prevClose) - textbook)).toBeLessThanOrEqual(4 * Number.EPSILON * textbook);
    }
  });

  it('throws on mismatched lengths', () => {
    expect(() => trueRange([1, 2], [1], [1, 2])).toThrow(RangeError);
    expect(() => trueRange([1], [1], [1, 2])).toThrow(/length/);
  });
});
