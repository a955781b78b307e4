import { describe, expect, it } from 'vitest';
import { runBacktest } from './engine.js';
import { STRATEGIES } from './strategies/index.js';
import { randomWalk, singlePair } from './synthetic.js';
import { DEFAULT_SETTINGS } from './types.js';
import { smaCrossVectorized } from './vectorized.js';

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
