import { describe, expect, it } from 'vitest';
import type { CandleColumns } from '../core/candle.js';
import { fromColumns } from '../core/candle.js';
import { TIMEFRAME_MS } from '../core/timeframe.js';
import { runBacktest } from './engine.js';
import { DEFAULT_FILL_MODEL, describeFillModel, fillable, impact, LEGACY_FILL_MODEL, MAX_IMPACT, rangeSigma, rangeVariance, slippage, type FillModel } from './fill-model.js';
import type { SignalSource } from './port.js';
import { SimVenue } from './sim-venue.js';
import { singlePair } from './synthetic.js';
import { DEFAULT_SETTINGS, type BacktestSettings } from './types.js';

const SQRT: FillModel = { ...DEFAULT_FILL_MODEL, impact: 'sqrt', sqrtK: 1 };
const LINEAR: FillModel = { ...DEFAULT_FILL_MODEL, impact: 'linear' };

describe('impact, by hand', () => {
  it('linear: coefficient × units / volume, plus the fixed slippage, capped at 5 %', () => {
    // 0.01 × 50 / 1000 = 0.0005; + fixed 0.0001 = 0.0006.
    expect(slippage(0.0001, LINEAR, 0.01, 50, 1000, 0)).toBeCloseTo(0.0006, 15);
    // Sign of the order does not matter: 0.01 × |−50| / 1000.
    expect(impact(LINEAR, 0.01, -50, 1000, 0)).toBeCloseTo(0.0005, 15);
    // 5 × 100 / 1000 = 0.5, capped at 0.05.
    expect(impact(LINEAR, 5, 100, 1000, 0)).toBe(MAX_IMPACT);
  });

  it('sqrt: k × σ × √(units / volume)', () => {
    // k 1, σ 0.02, 40 / 1000 = 0.04, √0.04 = 0.2: 1 × 0.02 × 0.2 = 0.004.
    expect(impact(SQRT, 0.01, 40, 1000, 0.02)).toBeCloseTo(0.004, 15);
    // k 0.5, σ 0.01, 250 / 1000 = 0.25, √0.25 = 0.5: 0.5 × 0.01 × 0.5 = 0.0025.
    expect(impact({ ...SQRT, sqrtK: 0.5 }, 0.01, 250, 1000, 0.01)).toBeCloseTo(0.0025, 15);
    // Four times the size, twice the impact: 0.02 × √(160 / 1000) = 0.02 × 0.4 = 0.008.
    expect(impact(SQRT, 0, 160, 1000, 0.02)).toBeCloseTo(0.008, 15);
    // k 10, σ 0.1, √1 = 1: 1, capped at 0.05.
    expect(impact({ ...SQRT, sqrtK: 10 }, 0, 1000, 1000, 0.1)).toBe(MAX_IMPACT);
  });

  it('a bar without volume (forex) has no impact and no limit', () => {
    expect(impact(SQRT, 0.01, 1e6, 0, 0.02)).toBe(0);
    expect(impact(LINEAR, 0.01, 1e6, 0, 0)).toBe(0);
    expect(fillable(DEFAULT_FILL_MODEL, 1e6, 0, 0, 0)).toBe(1e6);
  });
});

describe('σ: Parkinson range volatility', () => {
  it('one bar: ln(high / low)² / (4 ln 2)', () => {
    // ln(110 / 100) = 0.0953102; squared 0.00908403; 4 ln 2 = 2.7725887: 0.00327637.
    expect(rangeVariance(110, 100)).toBeCloseTo(0.0032763714, 9);
    expect(rangeVariance(100, 100)).toBe(0);
    expect(rangeVariance(NaN, 100)).toBe(0);
  });

  it('the root mean variance of the bars before the fill', () => {
    const high = [110, 105, 999];
    const low = [100, 100, 1];
    // (0.00908403 + ln(1.05)² = 0.00238048) / 2 / 2.7725887 = 0.00206747; √ = 0.0454695.
    expect(rangeSigma(high, low, 0, 2)).toBeCloseTo(0.0454694849, 9);
    // A window reaching before the data starts uses the bars there are: bar 0 alone, √0.00327637 = 0.0572396.
    expect(rangeSigma(high, low, -19, 1)).toBeCloseTo(0.0572395964, 9);
    expect(rangeSigma(high, low, -20, 0)).toBe(0);
  });
});

describe('participation limit, by hand', () => {
  const m = { ...DEFAULT_FILL_MODEL, participation: 0.1 };
  it('fills at most participation × bar volume, less what the bar already gave', () => {
    // 10 % of 1000 = 100 of the 250 wanted.
    expect(fillable(m, 250, 1000, 0, 8)).toBe(100);
    // 30 already taken in this bar: 100 − 30 = 70.
    expect(fillable(m, 250, 1000, 30, 8)).toBe(70);
    expect(fillable(m, 250, 1000, 120, 8)).toBe(0);
    // Under the limit: all of it.
    expect(fillable(m, 80, 1000, 0, 8)).toBe(80);
    // Cut to the order's unit step: 10 % of 1234 = 123.4 → 123 whole units (forex), 123.4 at 2 decimals.
    expect(fillable(m, 250, 1234, 0, 0)).toBe(123);
    expect(fillable(m, 250, 1234, 0, 2)).toBe(123.4);
    // participation 1: no limit.
    expect(fillable({ ...m, participation: 1 }, 5000, 1000, 0, 8)).toBe(5000);
  });

  it('is printed with the result', () => {
    expect(describeFillModel(DEFAULT_FILL_MODEL, 0.01)).toBe('fill model: sqrt impact k=1 (σ: Parkinson over 20 bars) (capped at 5 %), participation ≤ 10 % of bar volume, remainder carried to later bars');
    expect(describeFillModel(LEGACY_FILL_MODEL, 0.01)).toBe('fill model: linear impact 0.01 × units/volume (capped at 5 %), no participation limit');
  });
});

const H = TIMEFRAME_MS['1h'];
/** Flat-range bars: open o, high o + 1, low o − 1, close o, volume 1000. */
function flat(opens: number[]): CandleColumns {
  const n = opens.length;
  const o = Float64Array.from(opens);
  return {
    length: n,
    timestamp: Float64Array.from(opens, (_, i) => Date.UTC(2024, 0, 1) + i * H),
    open: o,
    high: o.map((x) => x + 1),
    low: o.map((x) => x - 1),
    close: Float64Array.from(o),
    volume: new Float64Array(n).fill(1000),
  };
}
const buyAt0: SignalSource = {
  name: 'buy once',
  onBar(_p, i, out) {
    if (i === 0) Object.assign(out, { action: 1, confidence: 100 });
  },
};
// All in, no costs, far stops: 100 000 cash at 100 buys 1000 units, ten times the 10 % of a 1000-unit bar.
const S = (m: Partial<FillModel>): BacktestSettings => ({
  ...DEFAULT_SETTINGS,
  initialBalance: 100_000,
  fixedFraction: 1,
  feeRate: 0,
  slippageRate: 0,
  volumeImpact: 0,
  stopLoss: 0.9,
  takeProfit: 100,
  fillModel: { ...DEFAULT_FILL_MODEL, impact: 'linear', ...m },
});

describe('partial fills in the event engine', () => {
  const opens = [100, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112];

  it('carry: an order of 10 bars’ allowance fills 100 units at each of the next ten opens, at their volume-weighted price', async () => {
    const r = await runBacktest(singlePair(flat(opens)), buyAt0, S({ participation: 0.1, remainder: 'carry' }));
    const entries = r.fills.filter((f) => f.reason === 'entry');
    expect(entries.map((f) => f.units)).toEqual(Array(10).fill(100));
    expect(entries.map((f) => f.price)).toEqual(opens.slice(1, 11));
    // Every fill but the last took less than what was left of the order.
    expect(entries.map((f) => f.partial === true)).toEqual([...Array(9).fill(true), false]);
    // One trade of 1000 units; entry (100 + 101 + … + 109) × 100 / 1000 = 104.5; out at the last close 112.
    expect(r.trades).toHaveLength(1);
    expect(r.trades[0].units).toBe(1000);
    expect(r.trades[0].entryPrice).toBeCloseTo(104.5, 12);
    expect(r.trades[0].pnl).toBeCloseTo((112 - 104.5) * 1000, 9);
  });

  it('cancel: only the first bar’s 100 units fill', async () => {
    const r = await runBacktest(singlePair(flat(opens)), buyAt0, S({ participation: 0.1, remainder: 'cancel' }));
    expect(r.fills.filter((f) => f.reason === 'entry').map((f) => [f.units, f.price, f.partial])).toEqual([[100, 100, true]]);
    expect(r.trades[0].pnl).toBeCloseTo((112 - 100) * 100, 9);
  });

  it('sqrt impact on each part: 100 of 1000 at σ of the bars before the fill', async () => {
    const r = await runBacktest(singlePair(flat(opens)), buyAt0, S({ impact: 'sqrt', sqrtK: 1, volatilityBars: 20, participation: 0.1, remainder: 'cancel' }));
    // Fill at bar 1's open 100; σ from bar 0 alone: ln(101 / 99)² / (4 ln 2), √ → 0.0120117; × √0.1 = 0.0037984.
    const sigma = Math.sqrt(Math.log(101 / 99) ** 2 / (4 * Math.log(2)));
    expect(sigma).toBeCloseTo(0.0120117, 6);
    expect(r.fills[0].price).toBeCloseTo(100 * (1 + sigma * Math.sqrt(0.1)), 10);
  });

  it('an exit fills whole and drops what was left of the entry', async () => {
    // Sell signal at bar 3's close: 300 units bought at opens 1–3, the rest (700) dropped, 300 sold at bar 4's open.
    const src: SignalSource = {
      name: 'in and out',
      onBar(_p, i, out) {
        if (i === 0) Object.assign(out, { action: 1, confidence: 100 });
        if (i === 3) Object.assign(out, { action: -1, confidence: 100 });
      },
    };
    const r = await runBacktest(singlePair(flat(opens)), src, { ...S({ participation: 0.1, remainder: 'carry' }), allowShort: false });
    expect(r.fills.map((f) => [f.reason, f.units, f.price])).toEqual([
      ['entry', 100, 100],
      ['entry', 100, 101],
      ['entry', 100, 102],
      ['signal', -300, 103],
    ]);
  });
});

describe('partial fills at the simulated venue', () => {
  it('fills like the event engine: 100 units per open, the rest carried, an exit cancels the rest', async () => {
    const cols = flat([100, 100, 101, 102, 103]);
    const v = new SimVenue({ initialBalance: 100_000, feeRate: 0, slippageRate: 0, volumeImpact: 0, allowShort: true, fillModel: { ...DEFAULT_FILL_MODEL, impact: 'linear' } });
    const bars = fromColumns(cols);
    v.open('BTCUSD', bars[0]);
    v.bar('BTCUSD', bars[0]);
    v.open('BTCUSD', bars[1]);
    const o = await v.placeOrder({ clientOrderId: 'in', pair: 'BTCUSD', side: 'buy', type: 'market', units: '1000' });
    expect([o.status, o.filledUnits]).toEqual(['partially_filled', '100']);
    v.bar('BTCUSD', bars[1]);
    v.open('BTCUSD', bars[2]);
    v.bar('BTCUSD', bars[2]);
    v.open('BTCUSD', bars[3]);
    expect((await v.positions())[0]).toMatchObject({ units: '300', entryPrice: '101' });
    expect((await v.getOrderByClientId('in'))!.averagePrice).toBe('101');
    await v.closePosition('BTCUSD', 'out');
    expect((await v.getOrderByClientId('in'))!.status).toBe('cancelled');
    expect((await v.fills()).map((f) => [f.side, f.units, f.price])).toEqual([
      ['buy', '100', '100'],
      ['buy', '100', '101'],
      ['buy', '100', '102'],
      ['sell', '300', '102'],
    ]);
    v.bar('BTCUSD', bars[3]);
    v.open('BTCUSD', bars[4]);
    expect(await v.positions()).toEqual([]);
  });
});

describe('stop and target in one bar, settled by 1m bars', () => {
  // Bar 0 signals; bar 1 opens at 100 (entry), stop 98 / target 105 from the signal close 100; bar 2 reaches both (99 → 106 → 97).
  const cols = flat([100, 100, 100, 100]);
  cols.high[2] = 106;
  cols.low[2] = 97;
  const t2 = cols.timestamp[2];
  const M = 60_000;
  // Its minutes: the target at minute 1, the stop at minute 2.
  const finer = {
    length: 3,
    timestamp: Float64Array.from([t2, t2 + M, t2 + 2 * M]),
    open: Float64Array.from([100, 101, 104]),
    high: Float64Array.from([101, 105.5, 104]),
    low: Float64Array.from([99.5, 100, 97]),
    close: Float64Array.from([101, 104, 99]),
    volume: new Float64Array(3).fill(1e9),
  };
  const s = { ...S({ participation: 1 }), stopLoss: 0.02, takeProfit: 0.05 };

  it('without them the stop counts; with them the target, in the engine and at the venue alike', async () => {
    const coarse = await runBacktest(singlePair(cols), buyAt0, s);
    expect(coarse.trades.map((t) => [t.exitReason, t.exitPrice])).toEqual([['stop_loss', 98]]);
    const data = singlePair(cols);
    data.pairs[0].finer = finer;
    const fine = await runBacktest(data, buyAt0, s);
    expect(fine.trades.map((t) => [t.exitReason, t.exitPrice])).toEqual([['take_profit', 105]]);
    expect(fine.notes).toEqual(['1 bars reached both stop and target: 1 resolved from 1m bars, 0 counted as stopped']);

    const v = new SimVenue({ initialBalance: 100_000, feeRate: 0, slippageRate: 0, volumeImpact: 0, allowShort: true, finer: { spanMs: H, bars: new Map([['BTCUSD', finer]]) } });
    const bars = fromColumns(cols);
    v.open('BTCUSD', bars[1]);
    await v.placeOrder({ clientOrderId: 'in', pair: 'BTCUSD', side: 'buy', type: 'market', units: '1000', stopLossPrice: '98', takeProfitPrice: '105' });
    v.bar('BTCUSD', bars[1]);
    v.open('BTCUSD', bars[2]);
    v.bar('BTCUSD', bars[2]);
    expect((await v.fills()).map((f) => [f.side, f.price])).toEqual([
      ['buy', '100'],
      ['sell', '105'],
    ]);
  });
});
