import { describe, expect, it } from 'vitest';
import { context, limits } from '../../../test/support/risk-context.js';
import { dailyLossCheck } from './daily-loss.js';

describe('daily loss check', () => {
  it('passes a loss within the limit and a gain', () => {
    expect(dailyLossCheck.run({ decision: null, ctx: context({ dayStartEquity: 10_000, equity: 9_750 }), limits: limits() })).toMatchObject({ status: 'pass', value: 0.025 });
    expect(dailyLossCheck.run({ decision: null, ctx: context({ dayStartEquity: 10_000, equity: 10_400 }), limits: limits() })).toMatchObject({ status: 'pass', value: 0 });
  });

  it('denies with DAILY_LOSS_LIMIT past max_daily_loss', () => {
    const r = dailyLossCheck.run({ decision: null, ctx: context({ dayStartEquity: 10_000, equity: 9_650 }), limits: limits({ max_daily_loss: 0.03 }) });
    expect(r).toMatchObject({ status: 'deny', code: 'DAILY_LOSS_LIMIT', limit: 0.03 });
    expect(r.value).toBeCloseTo(0.035, 12);
  });
});
