import { TR as TsTR } from 'trading-signals';
import { describe, expect, it } from 'vitest';
import { bars, expectSeriesClose, expectWarmUp, loadBtc1h } from '../../test/fixtures/indicators/helpers.js';
import { trueRange } from './true-range.js';

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

  it('throws on mismatched lengths', () => {
    expect(() => trueRange([1, 2], [1], [1, 2])).toThrow(RangeError);
    expect(() => trueRange([1], [1], [1, 2])).toThrow(/length/);
  });
});
