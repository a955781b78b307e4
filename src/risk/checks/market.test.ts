import { describe, expect, it } from 'vitest';
import { TIMESTAMP_MS, type Decision } from '../../core/decision.js';
import { context, decision, limits, NOW } from '../../../test/support/risk-context.js';
import { marketHoursCheck, staleDataCheck } from './market.js';

describe('market hours check', () => {
  it('passes an open market and denies a closed one with MARKET_CLOSED', () => {
    expect(marketHoursCheck.run({ decision: null, ctx: context(), limits: limits() }).status).toBe('pass');
    const closed = context({ market: { ...context().market, status: { isOpen: false, session: 'Closed', reason: 'forex is closed at weekends' } } });
    const r = marketHoursCheck.run({ decision: null, ctx: closed, limits: limits() });
    expect(r).toMatchObject({ status: 'deny', code: 'MARKET_CLOSED' });
    expect(r.message).toContain('forex is closed at weekends');
  });
});

describe('stale data check', () => {
  it('denies stale prices with DATA_STALE', () => {
    const ctx = context({ market: { ...context().market, freshness: { isFresh: false, ageText: '20.0 minutes', warning: 'CRITICAL: crypto data is 20.0 minutes old', ageMs: 1_200_000 } } });
    expect(staleDataCheck.run({ decision: null, ctx, limits: limits() })).toMatchObject({ status: 'deny', code: 'DATA_STALE', value: 20 });
  });

  it('denies a decision older than max_decision_age_minutes with DECISION_STALE', () => {
    const old = decision({ timestamp: new Date(NOW - 61 * 60_000).toISOString() });
    expect(staleDataCheck.run({ decision: old, ctx: context(), limits: limits() })).toMatchObject({ status: 'deny', code: 'DECISION_STALE', limit: 60 });
    const recent = decision({ timestamp: new Date(NOW - 59 * 60_000).toISOString() });
    expect(staleDataCheck.run({ decision: recent, ctx: context(), limits: limits() }).status).toBe('pass');
  });

  it('ages a record that knows its time in ms (TIMESTAMP_MS) by that number, without reading the text; a copy by the text', () => {
    class Timed {
      constructor(readonly ms: number) {}
      get timestamp(): string {
        throw new Error('the text was read');
      }
      get [TIMESTAMP_MS]() {
        return this.ms;
      }
    }
    const old = Object.assign(new Timed(NOW - 61 * 60_000), { id: 'D1' }) as unknown as Decision;
    expect(staleDataCheck.run({ decision: old, ctx: context(), limits: limits() })).toMatchObject({ code: 'DECISION_STALE', value: 61 });
    expect(staleDataCheck.run({ decision: new Timed(NOW - 59 * 60_000) as unknown as Decision, ctx: context(), limits: limits() }).status).toBe('pass');
    // A spread copy has no getter of the class: its (changed) text is what counts.
    const copy = { ...decision(), ...{ ...old }, timestamp: new Date(NOW - 90 * 60_000).toISOString() };
    expect(staleDataCheck.run({ decision: copy, ctx: context(), limits: limits() })).toMatchObject({ code: 'DECISION_STALE', value: 90 });
  });
});
