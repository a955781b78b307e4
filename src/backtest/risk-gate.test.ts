import { describe, expect, it } from 'vitest';
import { configSchema } from '../config/schema.js';
import { fromColumns, type CandleColumns } from '../core/candle.js';
import { DEFAULT_FRESHNESS } from '../core/freshness.js';
import { classifyPair } from '../core/pair.js';
import { sortedTail } from '../risk/checks/var.js';
import { RiskGatekeeper } from '../risk/gatekeeper.js';
import type { PortfolioContext } from '../risk/types.js';
import { runBacktest } from './engine.js';
import type { BacktestData, BookView, SignalSource } from './port.js';
import { GatekeeperRiskGate } from './risk-gate.js';
import { randomWalk } from './synthetic.js';
import { DEFAULT_SETTINGS } from './types.js';

const limits = configSchema.parse({}).risk;
const buyAt = (bar: number): SignalSource => ({
  name: 'buy',
  onBar(_p, i, out) {
    if (i === bar) {
      out.action = 1;
      out.confidence = 100;
    }
  },
});

/** Three daily series: B is A with tiny independent noise (ρ ≈ 1), C is unrelated. */
function threePairs(): BacktestData {
  const a = randomWalk(200, { seed: 1, timeframe: '1d', vol: 0.02 });
  const noise = randomWalk(200, { seed: 2, timeframe: '1d', vol: 0.001, price: 1 });
  const b: CandleColumns = {
    ...a,
    open: a.open.map((x, i) => x * noise.open[i]),
    high: a.high.map((x, i) => x * noise.high[i]),
    low: a.low.map((x, i) => x * noise.low[i]),
    close: a.close.map((x, i) => x * noise.close[i]),
  };
  const c = randomWalk(200, { seed: 3, timeframe: '1d', vol: 0.02 });
  return { timeframe: '1d', pairs: ['BTCUSD', 'ETHUSD', 'SOLUSD'].map((s, k) => ({ pair: classifyPair(s), bars: [a, b, c][k], first: 0 })) };
}

const gate = (data: BacktestData, over: Partial<typeof limits> = {}) => {
  const l = { ...limits, ...over };
  return new GatekeeperRiskGate(
    new RiskGatekeeper(l),
    l,
    data,
    data.pairs.map((p) => fromColumns(p.bars)),
    DEFAULT_FRESHNESS,
  );
};

describe('the live RiskGatekeeper in backtests', () => {
  it('correlation: a second position moving with an open one is refused, an unrelated one is taken', async () => {
    const data = threePairs();
    const r = await runBacktest(
      data,
      buyAt(100),
      { ...DEFAULT_SETTINGS, timeframe: '1d', maxNotionalFraction: 0.2, stopLoss: 0.5, takeProfit: 5 },
      { risk: gate(data, { max_correlated_positions: 1, max_drawdown: 1, max_daily_loss: 1, var_limit: 1 }) },
    );
    const entered = new Set(r.fills.filter((f) => f.reason === 'entry').map((f) => f.pair));
    expect(entered.has('BTCUSD')).toBe(true);
    expect(entered.has('ETHUSD')).toBe(false);
    expect(entered.has('SOLUSD')).toBe(true);
    expect(r.rejections.map((x) => x.pair)).toEqual(['ETHUSD']);
    expect(r.rejections[0].reason).toMatch(/CORREL/);
  });

  it('concentration: an entry over the share-of-equity limit is refused', async () => {
    const data = { ...threePairs(), pairs: threePairs().pairs.slice(2) };
    const r = await runBacktest(data, buyAt(100), { ...DEFAULT_SETTINGS, timeframe: '1d', fixedFraction: 0.5 }, { risk: gate(data, { max_drawdown: 1, max_daily_loss: 1, var_limit: 1 }) });
    expect(r.trades).toHaveLength(0);
    expect(r.rejections[0].reason).toMatch(/CONCENTRATION_LIMIT/);
    const ok = await runBacktest(data, buyAt(100), { ...DEFAULT_SETTINGS, timeframe: '1d', fixedFraction: 0.2 }, { risk: gate(data, { max_drawdown: 1, max_daily_loss: 1, var_limit: 1 }) });
    expect(ok.rejections).toHaveLength(0);
    expect(ok.trades).toHaveLength(1);
  });

  it('drawdown: entries stop once equity falls more than the limit below its lookback peak', async () => {
    // Price halves steadily; a long held through it drags equity down, later entries are refused.
    const n = 120;
    const close = Float64Array.from({ length: n }, (_, i) => 100 * Math.pow(0.99, i));
    const bars: CandleColumns = {
      length: n,
      timestamp: Float64Array.from({ length: n }, (_, i) => Date.UTC(2024, 0, 1) + i * 86_400_000),
      open: close.map((c) => c / 0.99),
      high: close.map((c) => c / 0.99),
      low: close,
      close,
      volume: new Float64Array(n).fill(1e9),
    };
    const data: BacktestData = { timeframe: '1d', pairs: [{ pair: classifyPair('BTCUSD'), bars, first: 0 }] };
    const every: SignalSource = { name: 'always', onBar: (_p, i, out) => void (i > 40 && ((out.action = 1), (out.confidence = 100))) };
    const r = await runBacktest(
      data,
      every,
      { ...DEFAULT_SETTINGS, timeframe: '1d', fixedFraction: 0.2, stopLoss: 0.015, takeProfit: 1 },
      { risk: gate(data, { max_drawdown: 0.01, max_concentration: 1, var_limit: 1, max_daily_loss: 1 }) },
    );
    expect(r.trades.length).toBeGreaterThan(0);
    expect(r.rejections.some((x) => /MAX_DRAWDOWN/.test(x.reason))).toBe(true);
  });
});

describe('market hours in backtests', () => {
  it('daily stock bars close at midnight UTC but trade in the next session; intraday bars at night are refused', async () => {
    const series = (tf: '1d' | '1h') => {
      const bars = randomWalk(200, { seed: 5, timeframe: tf, start: Date.UTC(2019, 0, 7) });
      return { timeframe: tf, pairs: [{ pair: classifyPair('SPY'), bars, first: 0 }] } as BacktestData;
    };
    const daily = series('1d');
    const ok = await runBacktest(daily, buyAt(100), { ...DEFAULT_SETTINGS, timeframe: '1d', fixedFraction: 0.2 }, { risk: gate(daily, { max_drawdown: 1, max_daily_loss: 1, var_limit: 1 }) });
    expect(ok.rejections).toEqual([]);
    expect(ok.trades).toHaveLength(1);
    const hourly = series('1h');
    // Bar 100 of the hourly series closes at 05:00 UTC, midnight in New York.
    const night = await runBacktest(hourly, buyAt(100), { ...DEFAULT_SETTINGS, timeframe: '1h', fixedFraction: 0.2 }, { risk: gate(hourly, { max_drawdown: 1, max_daily_loss: 1, var_limit: 1 }) });
    expect(night.rejections[0].reason).toMatch(/MARKET_CLOSED/);
  });
});

describe("the gate's VaR windows", () => {
  it('carry the sorted tail the VaR check would compute for them, window after window, bit for bit', () => {
    const n = 400;
    const bars = randomWalk(n, { seed: 9, timeframe: '1d', vol: 0.02 });
    const daily = fromColumns(bars);
    // Ties and zero returns (a repeated close), a non-finite return, a day listed twice.
    for (let i = 50; i < 60; i++) daily[i] = { ...daily[i], close: daily[40].close };
    daily[200] = { ...daily[200], close: Infinity };
    daily[300] = { ...daily[300], timestamp: daily[299].timestamp };
    const data: BacktestData = { timeframe: '1d', pairs: [{ pair: classifyPair('BTCUSD'), bars, first: 0 }] };
    const seen: PortfolioContext[] = [];
    const spy = {
      refusal: (_d: unknown, ctx: PortfolioContext) => {
        seen.push(ctx);
        return null;
      },
    } as unknown as RiskGatekeeper;
    const l = { ...limits, var_lookback_days: 20 };
    const g = new GatekeeperRiskGate(spy, l, data, [daily], DEFAULT_FRESHNESS);
    const book: BookView = { units: new Float64Array(1), entryPrice: new Float64Array(1), entryTime: new Float64Array(1), lastClose: Float64Array.of(100), equity: () => 10_000, projectedUnits: () => 0 };
    // Day by day, then jumps forward (by less and more than the lookback) and back.
    const days = [...Array.from({ length: 380 }, (_, i) => i + 1), 30, 45, 44, 70, 75, 120, 119, 399, 5, 6];
    let checked = 0;
    for (const d of days) {
      g.check({ pairIndex: 0, direction: 1, units: 0.01, price: 100, time: bars.timestamp[d] + 3_600_000, decision: null }, book, data);
      const w = seen[seen.length - 1].returns.BTCUSD;
      if (w.values.length === 0) continue;
      const kept = sortedTail(w, 20);
      const fresh = sortedTail({ dates: w.dates, values: w.values }, 20);
      expect(kept === null ? null : Array.from(kept, (x) => (Object.is(x, -0) ? '-0' : x))).toEqual(fresh === null ? null : Array.from(fresh, (x) => (Object.is(x, -0) ? '-0' : x)));
      checked++;
    }
    expect(checked).toBeGreaterThan(380);
    // Both kinds of null and a sorted tail were met.
    expect(seen.some((c) => sortedTail(c.returns.BTCUSD, 20) === null && c.returns.BTCUSD.values.some((v) => !Number.isFinite(v)))).toBe(true);
    expect(seen.some((c) => sortedTail(c.returns.BTCUSD, 20) === null && c.returns.BTCUSD.values.every(Number.isFinite))).toBe(true);
  });
});
