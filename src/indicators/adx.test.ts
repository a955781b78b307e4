import { ADX as TsADX } from 'trading-signals';
import { describe, expect, it } from 'vitest';
import { bars, column, expectSeriesClose, expectWarmUp, loadBtc1h, randomWalk, stream } from '../../test/fixtures/indicators/helpers.js';
import { ADX, adx } from './adx.js';

interface Reference {
  adx: number[];
  plusDI: number[];
  minusDI: number[];
}

/**
 * Textbook Wilder ADX, one list per step as in Wilder's worksheet: TR, +DM, -DM from bar 1;
 * 14-sums seeded with the plain sum of bars 1..period then S - S/period + x; DI = 100·DM/TR;
 * DX = 100·|+DI - -DI|/(+DI + -DI); ADX = mean of the first `period` DX, then Wilder.
 * `talibSeed` reproduces TA-Lib's seed instead (sum of bars 1..period-1, then one Wilder step).
 */
function referenceAdx(high: readonly number[], low: readonly number[], close: readonly number[], period: number, talibSeed = false): Reference {
  const n = high.length;
  const tr: number[] = [Number.NaN];
  const plusDM: number[] = [Number.NaN];
  const minusDM: number[] = [Number.NaN];
  for (let i = 1; i < n; i++) {
    tr.push(Math.max(high[i] - low[i], Math.abs(high[i] - close[i - 1]), Math.abs(low[i] - close[i - 1])));
    const upMove = high[i] - high[i - 1];
    const downMove = low[i - 1] - low[i];
    plusDM.push(upMove > downMove && upMove > 0 ? upMove : 0);
    minusDM.push(downMove > upMove && downMove > 0 ? downMove : 0);
  }
  const smooth = (xs: number[]): number[] => {
    const out = new Array<number>(n).fill(Number.NaN);
    const seedBars = talibSeed ? period - 1 : period;
    let s = xs.slice(1, seedBars + 1).reduce((a, b) => a + b, 0);
    if (talibSeed) s = s - s / period + xs[period];
    out[period] = s;
    for (let i = period + 1; i < n; i++) out[i] = out[i - 1] - out[i - 1] / period + xs[i];
    return out;
  };
  const trS = smooth(tr);
  const plusS = smooth(plusDM);
  const minusS = smooth(minusDM);
  const plusDI = trS.map((t, i) => (100 * plusS[i]) / t);
  const minusDI = trS.map((t, i) => (100 * minusS[i]) / t);
  const dx = plusDI.map((p, i) => (100 * Math.abs(p - minusDI[i])) / (p + minusDI[i]));
  const adxOut = new Array<number>(n).fill(Number.NaN);
  const first = 2 * period - 1;
  if (first < n) {
    adxOut[first] = dx.slice(period, first + 1).reduce((a, b) => a + b, 0) / period;
    for (let i = first + 1; i < n; i++) adxOut[i] = (adxOut[i - 1] * (period - 1) + dx[i]) / period;
  }
  return { adx: adxOut, plusDI, minusDI };
}

const btc = loadBtc1h();

describe('adx', () => {
  it('is 100 with +DI 50 and -DI 0 in a perfectly steady uptrend', () => {
    // Every bar: +DM = 1, -DM = 0, TR = high-low = 2, so +DI = 100·1/2 and DX = 100.
    const high = Array.from({ length: 40 }, (_, i) => 10 + i);
    const low = high.map((h) => h - 2);
    const close = high.map((h) => h - 0.5);
    const out = adx(high, low, close, 5);
    for (let i = 5; i < 40; i++) {
      expect(out.plusDI[i]).toBeCloseTo(50, 12);
      expect(out.minusDI[i]).toBe(0);
    }
    for (let i = 9; i < 40; i++) expect(out.adx[i]).toBeCloseTo(100, 12);
  });

  it.each([2, 14, 30])('matches the textbook definition on real BTC candles to 1e-9 (period %i)', (period) => {
    const ours = adx(btc.high, btc.low, btc.close, period);
    const ref = referenceAdx(btc.high, btc.low, btc.close, period);
    expectSeriesClose(ours.plusDI, ref.plusDI, { abs: 1e-9 });
    expectSeriesClose(ours.minusDI, ref.minusDI, { abs: 1e-9 });
    expectSeriesClose(ours.adx, ref.adx, { abs: 1e-9 });
  });

  it('matches the textbook definition on an integer-tick series, where tied moves are common', () => {
    // An outside bar whose high and low extend by the same amount counts for neither side.
    const walk = randomWalk(3000, 29, 100, 3);
    const round = (xs: number[]) => xs.map(Math.round);
    const [high, low, close] = [round(walk.high), round(walk.low), round(walk.close)];
    const ties = high.filter((h, i) => i > 0 && h - high[i - 1] > 0 && h - high[i - 1] === low[i - 1] - low[i]);
    expect(ties.length).toBeGreaterThan(20);
    const ours = adx(high, low, close, 14);
    const ref = referenceAdx(high, low, close, 14);
    expectSeriesClose(ours.plusDI, ref.plusDI, { abs: 1e-9 });
    expectSeriesClose(ours.minusDI, ref.minusDI, { abs: 1e-9 });
    expectSeriesClose(ours.adx, ref.adx, { abs: 1e-9 });
  });

  it('converges to TA-Lib-seeded values as documented', () => {
    const ours = adx(btc.high, btc.low, btc.close, 14);
    const talib = referenceAdx(btc.high, btc.low, btc.close, 14, true);
    expect(Math.abs(ours.adx[27] - talib.adx[27])).toBeGreaterThan(1e-3);
    expectSeriesClose(ours.adx, talib.adx, { from: 27 + 300, rel: 1e-9 });
    expectSeriesClose(ours.plusDI, talib.plusDI, { from: 14 + 300, rel: 1e-9 });
  });

  it('converges to trading-signals ADX, whose smoothing also starts at bar 0', () => {
    // Its seeds include bar 0 (TR = high-low, DM = 0), so DX starts one bar early. The gap
    // decays like k·(13/14)^k through the two Wilder stages and is under 1e-9 from about bar
    // 330; bar 600 leaves margin. trading-signals reports DI as fractions, hence ×100.
    const ts = new TsADX(14);
    const theirs = bars(btc).map((bar) => ({
      adx: ts.add(bar) ?? Number.NaN,
      plusDI: 100 * (ts.pdi ?? Number.NaN),
      minusDI: 100 * (ts.mdi ?? Number.NaN),
    }));
    const ours = adx(btc.high, btc.low, btc.close, 14);
    expectSeriesClose(
      ours.adx,
      column(theirs, (r) => r.adx),
      { from: 600, abs: 1e-9 },
    );
    expectSeriesClose(
      ours.plusDI,
      column(theirs, (r) => r.plusDI),
      { from: 600, abs: 1e-9 },
    );
    expectSeriesClose(
      ours.minusDI,
      column(theirs, (r) => r.minusDI),
      { from: 600, abs: 1e-9 },
    );
  });

  it('has the documented warm-up: DI from index period, ADX from 2·period-1', () => {
    const out = adx(btc.high, btc.low, btc.close);
    for (const series of Object.values(out)) expect(series.length).toBe(btc.close.length);
    expectWarmUp(out.plusDI, 14);
    expectWarmUp(out.minusDI, 14);
    expectWarmUp(out.adx, 27);
    const short = adx(btc.high.slice(0, 20), btc.low.slice(0, 20), btc.close.slice(0, 20));
    expectWarmUp(short.adx, 20);
    expectWarmUp(short.plusDI, 14);
  });

  it('reports 0, not NaN, when there is no range or no direction', () => {
    const flat = new Array<number>(40).fill(5);
    const out = adx(flat, flat, flat, 5);
    expect(out.plusDI[5]).toBe(0);
    expect(out.minusDI[5]).toBe(0);
    expect(out.adx[9]).toBe(0);
  });

  it('streams exactly the batch numbers', () => {
    const walk = randomWalk(20_000, 23);
    for (const ohlc of [btc, walk]) {
      for (const period of [1, 14]) {
        const a = new ADX(period);
        const results = stream(bars(ohlc), (bar) => a.update(bar));
        const batch = adx(ohlc.high, ohlc.low, ohlc.close, period);
        expectSeriesClose(
          column(results, (r) => r.adx),
          batch.adx,
          { abs: 1e-12 },
        );
        expectSeriesClose(
          column(results, (r) => r.plusDI),
          batch.plusDI,
          { abs: 1e-12 },
        );
        expectSeriesClose(
          column(results, (r) => r.minusDI),
          batch.minusDI,
          { abs: 1e-12 },
        );
        expect(a.value).toEqual(results.at(-1));
      }
    }
  });

  it('rejects bad periods, mismatched lengths and non-finite streaming input', () => {
    expect(() => adx([1], [1], [1], 1.5)).toThrow(/period/);
    expect(() => new ADX(0)).toThrow(RangeError);
    expect(() => adx([1, 2, 3], [1, 2], [1, 2, 3])).toThrow(/length/);
    expect(() => new ADX().update({ high: Number.POSITIVE_INFINITY, low: 1, close: 1 })).toThrow(/high/);
  });
});
