import { describe, expect, it } from 'vitest';
import { classifyPair } from '../core/pair.js';
import { computeMetrics, drawdown, returnStats, TradeTally } from './metrics.js';
import type { BacktestData } from './port.js';
import { randomWalk } from './synthetic.js';
import { DEFAULT_SETTINGS, type Trade } from './types.js';

const trade = (pnl: number, fees = 1): Trade => ({ pair: 'BTCUSD', side: 'long', entryTime: 0, exitTime: 1, entryPrice: 100, exitPrice: 100, units: 1, pnl, fees, returnFraction: pnl / 100, exitReason: 'signal' });

describe('metrics', () => {
  it('drawdown: depth and longest peak-to-recovery duration', () => {
    const eq = [100, 110, 99, 105, 111, 100, 112];
    const t = eq.map((_, i) => i * 1000);
    const d = drawdown(eq, t);
    expect(d.maxDrawdown).toBeCloseTo(11 / 110, 12);
    expect(d.durationBars).toBe(2);
    expect(d.durationMs).toBe(2000);
  });

  it('Sharpe and Sortino annualise per-bar returns by the timeframe', () => {
    const eq = [101, 100.5, 102, 101, 103];
    const s = returnStats(eq, 8760, 0, 100);
    const r = [0.01, 100.5 / 101 - 1, 102 / 100.5 - 1, 101 / 102 - 1, 103 / 101 - 1];
    const m = r.reduce((a, b) => a + b, 0) / 5;
    const sd = Math.sqrt(r.reduce((a, b) => a + (b - m) ** 2, 0) / 4);
    expect(s.volatility).toBeCloseTo(sd * Math.sqrt(8760), 10);
    expect(s.sharpe).toBeCloseTo((m * 8760) / (sd * Math.sqrt(8760)), 8);
    const down = Math.sqrt(r.reduce((a, b) => a + Math.min(0, b) ** 2, 0) / 5) * Math.sqrt(8760);
    expect(s.sortino).toBeCloseTo((m * 8760) / down, 8);
  });

  it('trade statistics, annualisation and buy-and-hold', () => {
    const bars = randomWalk(8760, { seed: 1 });
    const data: BacktestData = { timeframe: '1h', pairs: [{ pair: classifyPair('BTCUSD'), bars, first: 0 }] };
    const equity = new Float64Array(8760).fill(10_000);
    equity[8759] = 12_100;
    const m = computeMetrics({ equity, times: bars.timestamp, trades: TradeTally.of([trade(300), trade(-100), trade(-50), trade(1950)]), data, settings: DEFAULT_SETTINGS, inMarketBars: 876 });
    expect(m.totalReturn).toBeCloseTo(0.21, 12);
    // One year of hourly bars: annualised equals total.
    expect(m.annualizedReturn).toBeCloseTo(0.21, 9);
    expect(m.periodsPerYear).toBe(8760);
    expect(m.winRate).toBe(0.5);
    expect(m.profitFactor).toBeCloseTo(2250 / 150, 12);
    expect(m.expectancy).toBeCloseTo(2100 / 4, 12);
    expect(m.feesPaid).toBe(4);
    expect(m.exposure).toBeCloseTo(0.1, 12);
    // The benchmark pays the strategy's costs: fee 0.1 % and slippage 0.01 % each way.
    const { feeRate: f, slippageRate: s } = DEFAULT_SETTINGS;
    expect(m.buyAndHoldReturn).toBeCloseTo((bars.close[8759] * (1 - s) * (1 - f)) / (bars.open[0] * (1 + s) * (1 + f)) - 1, 12);
    expect(m.buyAndHoldReturn).toBeLessThan(bars.close[8759] / bars.open[0] - 1);
    const daily: BacktestData = { ...data, timeframe: '1d', pairs: [{ ...data.pairs[0], pair: classifyPair('SPY') }] };
    expect(computeMetrics({ equity, times: bars.timestamp, trades: new TradeTally(), data: daily, settings: DEFAULT_SETTINGS, inMarketBars: 0 }).periodsPerYear).toBe(252);
  });
});
