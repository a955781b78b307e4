import { describe, expect, it } from 'vitest';
import { runBacktest } from './engine.js';
import { STRATEGIES } from './strategies/index.js';
import { randomWalk, singlePair } from './synthetic.js';
import type { BacktestData } from './port.js';
import { DEFAULT_SETTINGS, type BacktestSettings } from './types.js';
import { DEFAULT_FILL_MODEL } from './fill-model.js';
import { NotVectorisable, smaCrossRun, smaCrossVectorized } from './vectorized.js';

describe('vectorised sma-cross', () => {
  it('matches the event engine run with the same model (close fills, long/flat, all in, no stops)', async () => {
    const bars = randomWalk(5000, { seed: 9, vol: 0.01 });
    const data = singlePair(bars);
    const ev = await runBacktest(data, STRATEGIES['sma-cross'].create({ fast: 8, slow: 21 }, data), {
      ...DEFAULT_SETTINGS,
      fill: 'close',
      allowShort: false,
      fixedFraction: 1,
      slippageRate: 0,
      volumeImpact: 0,
      stopLoss: 1,
      takeProfit: 1e9,
    });
    const eq = new Float64Array(bars.length);
    const v = smaCrossVectorized(bars.close, 8, 21, DEFAULT_SETTINGS.feeRate, DEFAULT_SETTINGS.initialBalance, eq);
    expect(v.trades).toBe(ev.metrics.tradeCount);
    expect(v.trades).toBeGreaterThan(50);
    expect(v.fees).toBeCloseTo(ev.metrics.feesPaid, 6);
    expect(v.finalEquity).toBeCloseTo(ev.metrics.finalEquity, 6);
    for (let i = 0; i < bars.length - 1; i++) expect(Math.abs(eq[i] - ev.equity[i])).toBeLessThan(1e-6);
  });

  it('fees reduce the final equity by their sum’s compounding effect, never add to it', () => {
    const bars = randomWalk(3000, { seed: 2 });
    const free = smaCrossVectorized(bars.close, 5, 20, 0);
    const paid = smaCrossVectorized(bars.close, 5, 20, 0.001);
    expect(free.fees).toBe(0);
    expect(paid.fees).toBeGreaterThan(0);
    expect(paid.finalEquity).toBeLessThan(free.finalEquity);
  });
});

describe('the vectorised sma-cross run', () => {
  const ev = (data: BacktestData, s: BacktestSettings) => runBacktest(data, STRATEGIES['sma-cross'].create({ fast: 7, slow: 25 }, data), s);
  const settings: [string, Partial<BacktestSettings>][] = [
    ['defaults (next open, shorts, risk sizing, stops and targets, slippage + impact)', {}],
    ['close fills', { fill: 'close' }],
    ['long only', { allowShort: false }],
    ['all in, tight stops and targets', { fixedFraction: 1, stopLoss: 0.004, takeProfit: 0.006, stopRule: 'fixed' }],
    ['capped fixed fraction, heavy impact', { fixedFraction: 0.5, maxNotionalFraction: 0.3, volumeImpact: 5 }],
    ['threshold above any confidence', { decisionThreshold: 1.01 }],
    ['sqrt impact (σ over the bars before each fill), no participation limit', { fillModel: { ...DEFAULT_FILL_MODEL, participation: 1 }, fixedFraction: 1 }],
    ['sqrt impact with close fills', { fillModel: { ...DEFAULT_FILL_MODEL, participation: 1 }, fill: 'close', fixedFraction: 1 }],
    ['stops and targets anchored at the entry fill', { stopAnchor: 'entry', stopLoss: 0.004, takeProfit: 0.006, stopRule: 'fixed', volumeImpact: 5 }],
  ];
  for (const [label, over] of settings) {
    it(`gives the event engine's trades, fills, equity and metrics bit for bit: ${label}`, async () => {
      const bars = randomWalk(4000, { seed: 11, vol: 0.004, price: 30_000 });
      const data = { ...singlePair(bars), pairs: [{ ...singlePair(bars).pairs[0], first: 60 }] };
      const s = { ...DEFAULT_SETTINGS, ...over };
      const a = await ev(data, s);
      const b = smaCrossRun(data, 7, 25, s);
      expect(b.engine).toBe('vectorised');
      expect(b.trades).toEqual(a.trades);
      expect(b.fills).toEqual(a.fills);
      expect(Array.from(b.equity)).toEqual(Array.from(a.equity));
      expect(Array.from(b.times)).toEqual(Array.from(a.times));
      expect(b.metrics).toEqual(a.metrics);
      expect([b.start, b.end, b.cash, b.source]).toEqual([a.start, a.end, a.cash, a.source]);
      if (over.decisionThreshold === undefined) {
        expect(a.trades.length).toBeGreaterThan(20);
        // Signal exits and at least one of stop or target: the intrabar rules are exercised.
        expect(new Set(a.trades.map((t) => t.exitReason)).size).toBeGreaterThan(1);
      }
    });
  }

  it('refuses (NotVectorisable) a run whose entry meets the participation limit, where the event engine fills partially', async () => {
    const bars = randomWalk(4000, { seed: 11, vol: 0.004, price: 30_000 });
    const data = { ...singlePair(bars), pairs: [{ ...singlePair(bars).pairs[0], first: 60 }] };
    const s = { ...DEFAULT_SETTINGS, fixedFraction: 1, initialBalance: 1e12, fillModel: { ...DEFAULT_FILL_MODEL, participation: 0.1 } };
    expect((await ev(data, s)).fills.some((f) => f.partial)).toBe(true);
    expect(() => smaCrossRun(data, 7, 25, s)).toThrow(NotVectorisable);
  });

  it('on a stock: fills at the session open and the last close inside the session, as the event engine', async () => {
    const bars = randomWalk(3000, { seed: 4, vol: 0.003, price: 150, start: Date.UTC(2024, 0, 2) });
    const data = singlePair(bars, 'AAPL');
    const a = await ev(data, DEFAULT_SETTINGS);
    const b = smaCrossRun(data, 7, 25, DEFAULT_SETTINGS);
    expect(a.trades.length).toBeGreaterThan(10);
    expect(b.trades).toEqual(a.trades);
    expect(b.metrics).toEqual(a.metrics);
  });
});
