import { describe, expect, it } from 'vitest';
import type { Decision } from '../../core/decision.js';
import { context, decision, limits } from '../../../test/support/risk-context.js';
import { dailyAtrFraction, volatilityCheck } from './volatility.js';

describe('volatility / confidence check', () => {
  it('lets a calm market through at ordinary confidence', () => {
    expect(volatilityCheck.run({ decision: decision({ confidence: 65 }, 0.02), ctx: context(), limits: limits() })).toMatchObject({ status: 'pass', value: 0.02 });
  });

  it('requires min_confidence_when_volatile once daily ATR ≥ high_volatility_atr', () => {
    expect(volatilityCheck.run({ decision: decision({ confidence: 79 }, 0.05), ctx: context(), limits: limits() })).toMatchObject({
      status: 'deny',
      code: 'VOLATILITY_CONFIDENCE',
      value: 0.79,
      limit: 0.8,
    });
    expect(volatilityCheck.run({ decision: decision({ confidence: 80 }, 0.05), ctx: context(), limits: limits() }).status).toBe('pass');
  });

  it('scales an intraday ATR to a daily one by √(bars per day) when there is no daily bar', () => {
    const d = decision({}, null);
    d.pulse.timeframes = [{ timeframe: '1h', indicators: { atrFraction: 0.01 } }] as Decision['pulse']['timeframes'];
    expect(dailyAtrFraction(d)!.value).toBeCloseTo(0.01 * Math.sqrt(24), 12);
    expect(volatilityCheck.run({ decision: { ...d, confidence: 70 }, ctx: context(), limits: limits() })).toMatchObject({ status: 'deny', code: 'VOLATILITY_CONFIDENCE' });
  });

  it('denies when no timeframe carries an ATR', () => {
    expect(volatilityCheck.run({ decision: decision({}, null), ctx: context(), limits: limits() })).toMatchObject({ status: 'deny', code: 'VOLATILITY_UNKNOWN' });
  });
});
