import { EMA as TsEMA, MACD as TsMACD } from 'trading-signals';
import { describe, expect, it } from 'vitest';
import { expectSeriesClose, expectWarmUp, loadBtc1h, randomWalk, stream, column } from '../../test/fixtures/indicators/helpers.js';
import { MACD, macd } from './macd.js';

/** Textbook EMA over the defined (non-NaN) tail of a series: SMA seed, then α·x + (1-α)·prev. */
function referenceEma(values: readonly number[], period: number): number[] {
  const start = values.findIndex((v) => !Number.isNaN(v));
  const alpha = 2 / (period + 1);
  let prev = Number.NaN;
  return values.map((v, i) => {
    const k = i - start;
    if (start < 0 || k < period - 1) return Number.NaN;
    if (k === period - 1) {
      prev = values.slice(start, i + 1).reduce((a, b) => a + b, 0) / period;
    } else {
      prev = alpha * v + (1 - alpha) * prev;
    }
    return prev;
  });
}

function referenceMacd(closes: readonly number[], fast: number, slow: number, signal: number) {
  const fastEma = referenceEma(closes, fast);
  const slowEma = referenceEma(closes, slow);
  const line = closes.map((_, i) => fastEma[i] - slowEma[i]);
  const sig = referenceEma(line, signal);
  return { macd: line, signal: sig, histogram: line.map((m, i) => m - sig[i]) };
}

const btc = loadBtc1h();

describe('macd', () => {
  it('matches EMA(fast) - EMA(slow) and its EMA(signal) on real BTC closes', () => {
    // MACD is a difference of two ~6e4 prices: ulp(6e4) ≈ 7e-12, so 1e-9 absolute is ~100 ulps.
    for (const [fast, slow, signal] of [
      [12, 26, 9],
      [5, 35, 5],
      [1, 2, 1],
    ]) {
      const ours = macd(btc.close, fast, slow, signal);
      const ref = referenceMacd(btc.close, fast, slow, signal);
      expectSeriesClose(ours.macd, ref.macd, { abs: 1e-9 });
      expectSeriesClose(ours.signal, ref.signal, { abs: 1e-9 });
      expectSeriesClose(ours.histogram, ref.histogram, { abs: 1e-9 });
    }
  });

  it('has the documented warm-up: MACD from slow-1, signal and histogram from slow+signal-2', () => {
    const out = macd(btc.close);
    for (const series of [out.macd, out.signal, out.histogram]) expect(series.length).toBe(btc.close.length);
    expectWarmUp(out.macd, 25);
    expectWarmUp(out.signal, 33);
    expectWarmUp(out.histogram, 33);
    const short = macd(btc.close.slice(0, 30));
    expectWarmUp(short.macd, 25);
    expectWarmUp(short.signal, 30);
  });

  it('converges to trading-signals MACD, whose EMAs seed with the first value', () => {
    // Seed gaps decay like (25/27)^k for the slow EMA: < 1e-16 of the price after 500 bars, so
    // what is left is rounding of a difference of ~6e4 prices (1e-9 absolute, as above).
    const ts = new TsMACD(new TsEMA(12), new TsEMA(26), new TsEMA(9));
    const theirs = btc.close.map((c) => ts.add(c));
    const ours = macd(btc.close);
    expectSeriesClose(
      ours.macd,
      column(theirs, (r) => r?.macd ?? Number.NaN),
      { from: 500, abs: 1e-9 },
    );
    expectSeriesClose(
      ours.signal,
      column(theirs, (r) => r?.signal ?? Number.NaN),
      { from: 500, abs: 1e-9 },
    );
    expectSeriesClose(
      ours.histogram,
      column(theirs, (r) => r?.histogram ?? Number.NaN),
      { from: 500, abs: 1e-9 },
    );
  });

  it('converges to TA-Lib-style seeding (fast EMA seeded on the closes ending at slow-1) within ~170 bars', () => {
    const fast = 12;
    const slow = 26;
    const alpha = 2 / (fast + 1);
    let taFast = btc.close.slice(slow - fast, slow).reduce((a, b) => a + b, 0) / fast;
    const ours = macd(btc.close, fast, slow, 9);
    const slowEma = referenceEma(btc.close, slow);
    for (let i = slow; i < 400; i++) {
      taFast = alpha * btc.close[i] + (1 - alpha) * taFast;
      const gap = Math.abs(ours.macd[i] - (taFast - slowEma[i])) / btc.close[i];
      if (i === slow) expect(gap).toBeGreaterThan(1e-6);
      if (i >= slow + 170) expect(gap).toBeLessThan(1e-12);
    }
  });

  it('streams exactly the batch numbers', () => {
    const walk = randomWalk(20_000, 13).close;
    for (const values of [btc.close, walk]) {
      const m = new MACD();
      const results = stream(values, (v) => m.update(v));
      const batch = macd(values);
      expectSeriesClose(
        column(results, (r) => r.macd),
        batch.macd,
        { abs: 1e-12 },
      );
      expectSeriesClose(
        column(results, (r) => r.signal),
        batch.signal,
        { abs: 1e-12 },
      );
      expectSeriesClose(
        column(results, (r) => r.histogram),
        batch.histogram,
        { abs: 1e-12 },
      );
      expect(m.value).toEqual(results.at(-1));
    }
  });

  it('rejects bad periods, naming the parameter', () => {
    expect(() => macd([1, 2, 3], 0)).toThrow(/fast/);
    expect(() => macd([1, 2, 3], 12, 26.5)).toThrow(/slow/);
    expect(() => new MACD(12, 26, -1)).toThrow(/signal/);
    expect(() => macd([1, 2, 3], 26, 12)).toThrow(RangeError);
    expect(() => new MACD().update(Number.NaN)).toThrow(RangeError);
  });
});
