import { ATR as TsATR } from 'trading-signals';
import { describe, expect, it } from 'vitest';
import { bars, expectSeriesClose, expectWarmUp, loadBtc1h, randomWalk, stream } from '../../test/fixtures/indicators/helpers.js';
import { ATR, atr } from './atr.js';

/** Textbook Wilder ATR: TR list from bar 1, first ATR = mean of the first `period` TRs, then Wilder. */
function referenceAtr(high: readonly number[], low: readonly number[], close: readonly number[], period: number) {
  const ranges = high.map((h, i) => (i === 0 ? Number.NaN : Math.max(h - low[i], Math.abs(h - close[i - 1]), Math.abs(low[i] - close[i - 1]))));
  const out = new Array<number>(high.length).fill(Number.NaN);
  if (high.length <= period) return out;
  out[period] = ranges.slice(1, period + 1).reduce((a, b) => a + b, 0) / period;
  for (let i = period + 1; i < high.length; i++) out[i] = (out[i - 1] * (period - 1) + ranges[i]) / period;
  return out;
}

const btc = loadBtc1h();

describe('atr', () => {
  it('matches a hand calculation', () => {
    const high = [10, 11, 12, 11.5, 9, 13];
    const low = [8, 9, 10, 7, 8.5, 12];
    const close = [9, 10.5, 11, 8, 8.6, 12.5];
    // TR = [-, 2, 2, 4.5, 1, 4.4]; ATR3 = 8.5/3, then (prev·2 + TR)/3.
    const out = atr(high, low, close, 3);
    expectWarmUp(out, 3);
    expect(out[3]).toBeCloseTo(17 / 6, 12);
    expect(out[4]).toBeCloseTo(20 / 9, 12);
    expect(out[5]).toBeCloseTo(79.6 / 27, 12);
  });

  it.each([1, 14, 50])('matches the textbook definition on real BTC candles to 1e-9 (period %i)', (period) => {
    expectSeriesClose(atr(btc.high, btc.low, btc.close, period), referenceAtr(btc.high, btc.low, btc.close, period), {
      abs: 1e-9,
    });
  });

  it('converges to trading-signals ATR, which also counts bar 0 (high-low) in its seed', () => {
    // Seed gap ≤ a few hundred dollars decays like (13/14)^k: < 1e-15 of ATR after 600 bars,
    // leaving rounding of a contractive recursion, well inside 1e-9.
    const ts = new TsATR(14);
    const theirs = bars(btc).map((bar) => ts.add(bar) ?? Number.NaN);
    const ours = atr(btc.high, btc.low, btc.close, 14);
    expectSeriesClose(ours, theirs, { from: 600, abs: 1e-9 });
    expect(Math.abs(ours[14] - theirs[14])).toBeGreaterThan(1e-3);
  });

  it('is NaN exactly before index `period` and keeps the input length', () => {
    const out = atr(btc.high, btc.low, btc.close);
    expect(out.length).toBe(btc.close.length);
    expectWarmUp(out, 14);
    expectWarmUp(atr([1, 2], [0, 1], [1, 2], 2), 2);
  });

  it('streams exactly the batch numbers', () => {
    const walk = randomWalk(20_000, 19);
    for (const ohlc of [btc, walk]) {
      for (const period of [1, 14]) {
        const a = new ATR(period);
        expectSeriesClose(Float64Array.from(stream(bars(ohlc), (bar) => a.update(bar))), atr(ohlc.high, ohlc.low, ohlc.close, period), { abs: 1e-12 });
      }
    }
  });

  it('rejects bad periods, mismatched lengths and non-finite streaming input', () => {
    expect(() => atr([1], [1], [1], 0)).toThrow(/period/);
    expect(() => atr([1, 2], [1, 2], [1])).toThrow(RangeError);
    const a = new ATR(1);
    a.update({ high: 2, low: 1, close: 1.5 });
    expect(() => a.update({ high: 2, low: Number.NaN, close: 1.5 })).toThrow(/low/);
    expect(a.update({ high: 3, low: 2, close: 2.5 })).toBe(1.5);
  });
});
