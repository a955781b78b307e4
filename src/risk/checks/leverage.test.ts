import { describe, expect, it } from 'vitest';
import { context, exposure, limits } from '../../../test/support/risk-context.js';
import { leverageCheck } from './leverage.js';

describe('leverage check', () => {
  const held = [exposure('ETHUSD', 2, 3_000), exposure('EURUSD', -1_000, 1.1, 'forex')];

  it('adds gross exposure of every holding and the trade', () => {
    // 6 000 + 1 100 + 500 = 7 600 → 0.76×.
    const r = leverageCheck.run({ decision: null, ctx: context({ positions: held }), limits: limits() });
    expect(r.status).toBe('pass');
    expect(r.value).toBeCloseTo(0.76, 12);
  });

  it('denies with LEVERAGE_LIMIT beyond max_leverage (1× by default) and allows it when configured', () => {
    const ctx = context({ positions: held, trade: { units: 0.1 } });
    expect(leverageCheck.run({ decision: null, ctx, limits: limits() })).toMatchObject({ status: 'deny', code: 'LEVERAGE_LIMIT', limit: 1 });
    expect(leverageCheck.run({ decision: null, ctx, limits: limits({ max_leverage: 2 }) }).status).toBe('pass');
  });
});
