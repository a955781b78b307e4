import { RSI as TsRSI } from 'trading-signals';
import { describe, expect, it } from 'vitest';
import { expectSeriesClose, expectWarmUp, loadBtc1h, randomWalk, stream } from '../../test/fixtures/indicators/helpers.js';
import { PUBLISHED_RSI_14, RSI_CLOSES, expectPublished } from '../../test/fixtures/indicators/stockcharts.js';
import { RSI, rsi } from './rsi.js';

/**
 * Textbook Wilder RSI, written from the definition with explicit gain/loss lists:
 * RS = avgGain/avgLoss, RSI = 100 - 100/(1+RS), first averages simple, then Wilder-smoothed.
 */
function referenceRsi(closes: readonly number[], period: number): number[] {
  const gains: number[] = [];
  const losses: number[] = [];
  for (let i = 1; i < closes.length; i++) {
    const change = closes[i] - closes[i - 1];
    gains.push(Math.max(change, 0));
    losses.push(Math.max(-change, 0));
  }
  const out: number[] = new Array(Math.min(period, closes.length)).fill(Number.NaN);
  let avgGain = 0;
  let avgLoss = 0;
  for (let k = 0; k < gains.length; k++) {
    if (k < period) {
      avgGain += gains[k] / period;
      avgLoss += losses[k] / period;
      if (k < period - 1) continue;
    } else {
      avgGain = (avgGain * (period - 1) + gains[k]) / period;
      avgLoss = (avgLoss * (period - 1) + losses[k]) / period;
    }
    out.push(avgLoss === 0 ? 100 : 100 - 100 / (1 + avgGain / avgLoss));
  }
  return out;
}

const btc = loadBtc1h();

describe('rsi', () => {
  it('reproduces the published StockCharts 14-period RSI values to their 2 decimals', () => {
    const out = rsi(RSI_CLOSES, 14);
    expectWarmUp(out, 14);
    expectPublished(out, 14, PUBLISHED_RSI_14);
  });

  it('matches the hand calculation on the closes as the table prints them (2 decimals)', () => {
    const closes = RSI_CLOSES.map((c) => Math.round(c * 100) / 100);
    // Gains over the first 14 changes sum to 3.34 and losses to 1.40, so RS = 3.34/1.40.
    expect(rsi(closes, 14)[14]).toBeCloseTo(100 - 100 / (1 + 3.34 / 1.4), 9);
  });

  it.each([2, 14, 50])('matches the textbook definition on real BTC closes to 1e-9 (period %i)', (period) => {
    expectSeriesClose(rsi(btc.close, period), referenceRsi(btc.close, period), { abs: 1e-9 });
  });

  it('agrees with trading-signals RSI (Wilder smoothing, same seed) from the first value on', () => {
    // Same seed and recursion, differently associated: RSI ∈ [0, 100] and Wilder smoothing is
    // contractive, so rounding stays ~1e-13 absolute; 1e-9 is the brief's accuracy bar.
    const ts = new TsRSI(14);
    const theirs = btc.close.map((c) => ts.add(c) ?? Number.NaN);
    expectSeriesClose(rsi(btc.close, 14), theirs, { abs: 1e-9 });
  });

  it('is 100 with no losses, 0 with no gains and 50 on a flat window', () => {
    const up = Array.from({ length: 30 }, (_, i) => 100 + i);
    const down = up.slice().reverse();
    expect(rsi(up, 14).at(-1)).toBe(100);
    expect(rsi(down, 14).at(-1)).toBe(0);
    expect(rsi(new Array(30).fill(42), 14).at(-1)).toBe(50);
  });

  it('is NaN exactly before index `period` and keeps the input length', () => {
    const out = rsi(btc.close);
    expect(out.length).toBe(btc.close.length);
    expectWarmUp(out, 14);
    expectWarmUp(rsi([1, 2, 3], 3), 3);
    expectWarmUp(rsi([1, 2, 3, 4], 3), 3);
  });

  it('streams exactly the batch numbers', () => {
    const walk = randomWalk(20_000, 11).close;
    for (const values of [btc.close, walk]) {
      for (const period of [1, 14, 30]) {
        const r = new RSI(period);
        expectSeriesClose(Float64Array.from(stream(values, (v) => r.update(v))), rsi(values, period), { abs: 1e-12 });
      }
    }
  });

  it('rejects bad periods and non-finite streaming input', () => {
    expect(() => rsi([1, 2], 0)).toThrow(/period/);
    expect(() => new RSI(-3)).toThrow(RangeError);
    const r = new RSI(1);
    r.update(1);
    expect(() => r.update(Number.NaN)).toThrow(RangeError);
    expect(r.update(2)).toBe(100);
  });
});
