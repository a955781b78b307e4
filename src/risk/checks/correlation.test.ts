import { describe, expect, it } from 'vitest';
import { context, exposure, limits, series } from '../../../test/support/risk-context.js';
import { correlationCheck } from './correlation.js';

const wave = (i: number) => Math.sin(i) * 0.02;
const returns = {
  BTCUSD: series(60, wave),
  ETHUSD: series(60, (i) => wave(i) * 1.5 + 0.001),
  SOLUSD: series(60, (i) => -wave(i)),
  EURUSD: series(60, (i) => Math.cos(i * 7) * 0.004),
};

describe('correlation check', () => {
  it('passes when the trade is the only position', () => {
    expect(correlationCheck.run({ decision: null, ctx: context({ returns }), limits: limits() })).toMatchObject({ status: 'pass', value: 1 });
  });

  it('allows up to max_correlated_positions mutually correlated holdings (default 2)', () => {
    const ctx = context({ returns, positions: [exposure('ETHUSD', 1, 3_000), exposure('EURUSD', 100, 1.1, 'forex')] });
    const r = correlationCheck.run({ decision: null, ctx, limits: limits() });
    expect(r).toMatchObject({ status: 'pass', value: 2 });
    expect(r.message).toMatch(/ETHUSD ρ=1\.00/);
  });

  it('denies a third correlated position with CORRELATION_LIMIT, counting negative ρ by |ρ|', () => {
    const ctx = context({ returns, positions: [exposure('ETHUSD', 1, 3_000), exposure('SOLUSD', 10, 150)] });
    expect(correlationCheck.run({ decision: null, ctx, limits: limits() })).toMatchObject({ status: 'deny', code: 'CORRELATION_LIMIT', value: 3, limit: 2 });
  });

  it('refuses when the pair history is too short to judge', () => {
    const ctx = context({ returns: { ...returns, ETHUSD: series(5, wave) }, positions: [exposure('ETHUSD', 1, 3_000)] });
    expect(correlationCheck.run({ decision: null, ctx, limits: limits() })).toMatchObject({ status: 'deny', code: 'CORRELATION_HISTORY_INSUFFICIENT' });
  });
});
