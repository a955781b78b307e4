import { describe, expect, it } from 'vitest';
import { context, exposure, series } from '../../test/support/risk-context.js';
import { exposuresAfter, resampledBasis } from './types.js';

describe('exposuresAfter', () => {
  it('merges holdings of one pair at the place of its first, the trade last unless its pair is held', () => {
    const ctx = context({
      positions: [exposure('ETHUSD', 1, 2_000), exposure('SOLUSD', 10, 100), exposure('ETHUSD', 0.5, 2_100)],
      trade: { pair: 'XRPUSD', side: 'sell', units: 50, price: 0.5 },
    });
    expect(exposuresAfter(ctx)).toEqual([{ pair: 'ETHUSD', assetClass: 'crypto', units: 1.5, price: 2_000 }, exposure('SOLUSD', 10, 100), { pair: 'XRPUSD', assetClass: 'crypto', price: 0.5, units: -50 }]);
    // A held pair's trade takes the holding's place, priced at the trade.
    const held = context({ positions: [exposure('ETHUSD', 1, 2_000), exposure('BTCUSD', 0.1, 49_000), exposure('SOLUSD', 10, 100)], trade: { units: 0.05 } });
    expect(exposuresAfter(held).map((e) => [e.pair, e.units, e.price])).toEqual([
      ['ETHUSD', 1, 2_000],
      ['BTCUSD', 0.1 + 0.05, 50_000],
      ['SOLUSD', 10, 100],
    ]);
  });

  it('drops what a full close leaves as float residue, keeps the rest in order', () => {
    const ctx = context({ positions: [exposure('ETHUSD', 0.3, 2_000), exposure('SOLUSD', 1, 100), exposure('ETHUSD', -0.1, 2_000)], trade: { pair: 'ETHUSD', side: 'sell', units: 0.2 } });
    const after = exposuresAfter(ctx);
    expect(after.map((e) => e.pair)).toEqual(['SOLUSD']);
    expect(exposuresAfter(context({ trade: { units: 0 } }))).toEqual([]);
    // The holdings' own objects are not handed out (a copy each).
    const own = exposure('SOLUSD', 1, 100);
    expect(exposuresAfter(context({ positions: [own] }))[0]).not.toBe(own);
  });
});

describe('resampledBasis', () => {
  const daily = { ...series(3, () => 0), basis: '1d bars' };
  const fine = (b: string) => ({ ...series(3, () => 0), basis: b });

  it("lists every pair of the returns in Object.keys' order when no pairs are given", () => {
    const returns = { ZEC: fine('1m bars resampled to daily'), ETH: daily, 10: fine('1h bars resampled to daily'), BTC: series(3, () => 0) };
    expect(Object.keys(returns)[0]).toBe('10');
    expect(resampledBasis(returns)).toBe('; days from 10 1h bars resampled to daily, ZEC 1m bars resampled to daily');
    expect(resampledBasis(returns)).toBe(resampledBasis(returns, Object.keys(returns)));
    expect(resampledBasis(returns, ['BTC', 'ZEC', 'NONE'])).toBe('; days from ZEC 1m bars resampled to daily');
    expect(resampledBasis({ ETH: daily, BTC: series(3, () => 0) })).toBe('');
    // Only own keys count, as Object.keys lists them.
    const inherited = Object.create({ ZEC: fine('1m bars resampled to daily') }) as Record<string, ReturnType<typeof fine>>;
    inherited.ETH = daily;
    expect(resampledBasis(inherited)).toBe('');
  });
});
