import { describe, expect, it } from 'vitest';
import { calibration, performance, providerStats, statsBy } from './statistics.js';
import { streak } from './summary.js';
import { outcome, vote } from './test-outcomes.js';

describe('statistics', () => {
  it('computes hit rate, mean, per-trade Sharpe and Sortino', () => {
    const p = performance([0.02, -0.01, 0.03, -0.02]);
    expect(p.n).toBe(4);
    expect(p.hitRate).toBe(0.5);
    expect(p.avgReturn).toBeCloseTo(0.005, 12);
    const sd = Math.sqrt((0.015 ** 2 + 0.015 ** 2 + 0.025 ** 2 + 0.025 ** 2) / 3);
    expect(p.sharpe).toBeCloseTo(0.005 / sd, 10);
    expect(p.sortino).toBeCloseTo(0.005 / Math.sqrt((0.01 ** 2 + 0.02 ** 2) / 4), 10);
    expect(performance([0.01]).sharpe).toBeNull();
    expect(performance([0.01, 0.02]).sortino).toBeNull();
  });

  it('buckets stated confidence against the realised hit rate', () => {
    const c = calibration([
      { ret: 0.01, confidence: 85 },
      { ret: -0.01, confidence: 82 },
      { ret: 0.01, confidence: 55 },
      { ret: 0.01, confidence: null },
    ]);
    expect(c.buckets).toEqual([
      { from: 50, to: 60, n: 1, stated: 0.55, realised: 1 },
      { from: 80, to: 90, n: 2, stated: expect.closeTo(0.835, 10), realised: 0.5 },
    ]);
    expect(c.brier).toBeCloseTo(((0.85 - 1) ** 2 + 0.82 ** 2 + (0.55 - 1) ** 2) / 3, 10);
  });

  it('judges each provider by its own call, per asset and per regime', () => {
    const os = [outcome(0.02, [vote('a', 'BUY'), vote('b', 'SELL')], { pair: 'ETHUSD', regime: 'TRENDING_UP' }), outcome(-0.01, [vote('a', 'SELL'), vote('b', 'HOLD')], { regime: 'RANGING' })];
    const ps = providerStats(os);
    expect(ps.map((s) => [s.key, s.n, s.hitRate])).toEqual([
      ['a', 2, 1],
      ['b', 1, 0],
    ]);
    expect(statsBy(os, (o) => o.pair).map((s) => s.key)).toEqual(['BTCUSD', 'ETHUSD']);
    expect(statsBy(os, (o) => o.regime).find((s) => s.key === 'TRENDING_UP')!.avgReturn).toBeCloseTo(0.02, 12);
  });

  it('counts the current streak from the most recent trade', () => {
    const w = () => outcome(0.01, []);
    const l = () => outcome(-0.01, []);
    expect(streak([l(), w(), w(), w()])).toBe(3);
    expect(streak([w(), l(), l()])).toBe(-2);
    expect(streak([])).toBe(0);
  });
});
