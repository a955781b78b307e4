import { describe, expect, it } from 'vitest';
import { context, exposure, limits, series } from '../../../test/support/risk-context.js';
import { historicalVar } from '../stats.js';
import { portfolioReturns, sortedTail, varCheck, type ReturnSeriesWithTail } from './var.js';

// Alternating ±2 %: the 95 % tail of 60 such days is a 2 % loss of the asset.
const swing = series(60, (i) => (i % 2 ? 0.02 : -0.02));

describe('VaR check', () => {
  it('weights asset returns by signed notional / equity after the trade', () => {
    const ctx = context({ returns: { BTCUSD: swing, ETHUSD: swing }, positions: [exposure('ETHUSD', -1, 2_000)], trade: { units: 0.1 } });
    // BTC +5 000 (w 0.5), ETH short −2 000 (w −0.2): each day 0.3 × ±2 %.
    const { returns } = portfolioReturns(ctx, 60);
    expect(returns).toHaveLength(60);
    expect(Math.abs(returns[0])).toBeCloseTo(0.006, 12);
  });

  it('passes a small position and denies one whose 95 % VaR exceeds var_limit with VAR_LIMIT', () => {
    const small = varCheck.run({ decision: null, ctx: context({ returns: { BTCUSD: swing } }), limits: limits() });
    expect(small.status).toBe('pass');
    expect(small.value).toBeCloseTo(0.001, 12); // 500 / 10 000 × 2 %
    const big = varCheck.run({ decision: null, ctx: context({ returns: { BTCUSD: series(60, (i) => (i % 2 ? 0.1 : -0.1)) }, trade: { units: 0.12 } }), limits: limits() });
    expect(big).toMatchObject({ status: 'deny', code: 'VAR_LIMIT', limit: 0.05 });
    expect(big.value).toBeCloseTo(0.06, 12);
  });

  it('gives a single long or short holding the VaR of its weighted returns, bit for bit', () => {
    let x = 7;
    const noisy = series(90, () => ((x = (x * 48_271) % 2_147_483_647) / 2_147_483_647 - 0.5) * 0.08);
    for (const side of ['buy', 'sell'] as const) {
      for (const units of [0.013, 0.1, 0.19]) {
        const ctx = context({ returns: { BTCUSD: noisy }, trade: { side, units } });
        const expected = Math.max(0, historicalVar(portfolioReturns(ctx, 60).returns, 0.95));
        const r = varCheck.run({ decision: null, ctx, limits: limits({ var_limit: 1 }) });
        expect(r.value).toBe(expected);
        expect(r.message).toContain('(60 days)');
      }
    }
  });

  it('refuses rather than guesses without enough history', () => {
    expect(varCheck.run({ decision: null, ctx: context({ returns: { BTCUSD: series(12, () => 0.01) } }), limits: limits() })).toMatchObject({
      status: 'deny',
      code: 'VAR_HISTORY_INSUFFICIENT',
      value: 12,
    });
    expect(varCheck.run({ decision: null, ctx: context({ returns: {} }), limits: limits() })).toMatchObject({ status: 'deny', code: 'VAR_HISTORY_MISSING' });
  });

  it('says when the days were resampled from finer bars (a pair without daily history of its own)', () => {
    const short = { ...series(12, () => 0.01), basis: '1m bars resampled to daily' };
    const r = varCheck.run({ decision: null, ctx: context({ returns: { BTCUSD: short } }), limits: limits() });
    expect(r).toMatchObject({ status: 'deny', code: 'VAR_HISTORY_INSUFFICIENT', value: 12 });
    expect(r.message).toContain('only 12 common daily returns for the portfolio (need 30; days from BTCUSD 1m bars resampled to daily)');
    const enough = varCheck.run({ decision: null, ctx: context({ returns: { BTCUSD: { ...swing, basis: '1m bars resampled to daily' } } }), limits: limits() });
    expect(enough.status).toBe('pass');
    expect(enough.message).toContain('(60 days; days from BTCUSD 1m bars resampled to daily)');
    // Daily bars of its own: the reason is as before.
    expect(varCheck.run({ decision: null, ctx: context({ returns: { BTCUSD: { ...swing, basis: '1d bars' } } }), limits: limits() }).message).toContain('(60 days)');
  });

  it("takes a series' carried sorted tail for its own values and lookback only", () => {
    const noisy = series(60, (i) => Math.sin(i) / 50);
    const fresh = sortedTail({ ...noisy }, 60);
    // A carried tail is believed (here a wrong one, so that its use shows) for these values and this lookback.
    const wrong = Array.from({ length: 60 }, (_, i) => (i - 30) / 100);
    const carried: ReturnSeriesWithTail = { ...noisy, sortedTail: { of: noisy.values, lookback: 60, sorted: wrong } };
    expect(sortedTail(carried, 60)).toBe(wrong);
    expect(Array.from(sortedTail(carried, 30)!)).toEqual(Array.from(Float64Array.from(noisy.values.slice(-30)).sort()));
    expect(sortedTail({ ...carried, values: [...noisy.values] }, 60)).toEqual(fresh);
    const ctx = context({ returns: { BTCUSD: carried }, trade: { units: 0.1 } });
    // 5 000 long on 10 000: w = 0.5; the 95 % quantile of 60 days is the 4th lowest, the carried −0.27.
    expect(varCheck.run({ decision: null, ctx, limits: limits({ var_limit: 1 }) }).value).toBe(-(0.5 * wrong[3]));
  });
});
