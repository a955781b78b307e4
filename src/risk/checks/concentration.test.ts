import { describe, expect, it } from 'vitest';
import { context, exposure, limits } from '../../../test/support/risk-context.js';
import { concentrationCheck } from './concentration.js';

describe('concentration check', () => {
  it('counts what is already held in the asset plus the trade, at the current price', () => {
    // 0.03 BTC held + 0.01 bought at 50 000 = 2 000 USD = 20 % of 10 000.
    const ctx = context({ positions: [exposure('BTCUSD', 0.03, 49_000)] });
    expect(concentrationCheck.run({ decision: null, ctx, limits: limits() })).toMatchObject({ status: 'pass', value: 0.2 });
  });

  it('denies with CONCENTRATION_LIMIT above max_concentration', () => {
    const ctx = context({ trade: { units: 0.06 } });
    expect(concentrationCheck.run({ decision: null, ctx, limits: limits() })).toMatchObject({ status: 'deny', code: 'CONCENTRATION_LIMIT', value: 0.3, limit: 0.25 });
  });

  it('measures shorts by their absolute size', () => {
    const ctx = context({ trade: { side: 'sell', units: 0.06 } });
    expect(concentrationCheck.run({ decision: null, ctx, limits: limits() })).toMatchObject({ status: 'deny', value: 0.3 });
  });
});
