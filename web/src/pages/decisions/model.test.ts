import { describe, expect, it } from 'vitest';
import { ensembleFacts, filtersFromSearch, filtersToQuery, filtersToSearch, matchesFilters, mergeNewest, NO_FILTERS, pulseRows, regimeOf, voteRows, type Decision, type DecisionSummary } from './model';

const summary = (id: string, created_at: string, over: Partial<DecisionSummary> = {}): DecisionSummary => ({
  id,
  asset_pair: 'BTCUSD',
  timestamp: created_at,
  created_at,
  action: 'BUY',
  confidence: 70,
  reasoning: '',
  entry_price: 100,
  suggested_size_units: 1,
  stop_loss_price: null,
  take_profit_price: null,
  provider: 'ensemble',
  executed: false,
  ...over,
});

describe('history filters → query', () => {
  it('leaves empty filters out, normalises the asset, adds the page', () => {
    expect(filtersToQuery(NO_FILTERS)).toEqual({ limit: 50 });
    expect(filtersToQuery({ asset: ' btcusd ', action: 'SELL', provider: ' ensemble ', executed: 'false' }, { cursor: 'c1', limit: 20 })).toEqual({
      limit: 20,
      asset: 'BTCUSD',
      action: 'SELL',
      provider: 'ensemble',
      executed: 'false',
      cursor: 'c1',
    });
    expect(filtersToQuery({ ...NO_FILTERS, executed: 'true' }, { cursor: null })).toEqual({ limit: 50, executed: 'true' });
  });

  it('round-trips through the address and ignores values the API would refuse', () => {
    const f = { asset: 'ETHUSD', action: 'HOLD' as const, provider: '', executed: 'true' as const };
    expect(filtersToSearch(f)).toBe('?asset=ETHUSD&action=HOLD&executed=true');
    expect(filtersFromSearch(new URLSearchParams(filtersToSearch(f)))).toEqual(f);
    expect(filtersToSearch(NO_FILTERS)).toBe('');
    expect(filtersFromSearch(new URLSearchParams('action=short&executed=maybe&asset=X'))).toEqual({ asset: 'X', action: '', provider: '', executed: '' });
    expect(filtersFromSearch(new URLSearchParams('action=buy')).action).toBe('BUY');
  });

  it('matches a decision the way the server filters', () => {
    const d = { asset_pair: 'BTCUSD', action: 'BUY' as const, provider: 'ensemble', executed: false };
    expect(matchesFilters(d, NO_FILTERS)).toBe(true);
    expect(matchesFilters(d, { ...NO_FILTERS, asset: 'btc-usd' })).toBe(true);
    expect(matchesFilters(d, { ...NO_FILTERS, asset: 'ETHUSD' })).toBe(false);
    expect(matchesFilters(d, { ...NO_FILTERS, action: 'SELL' })).toBe(false);
    expect(matchesFilters(d, { ...NO_FILTERS, executed: 'true' })).toBe(false);
    expect(matchesFilters(d, { ...NO_FILTERS, executed: 'false', provider: 'ensemble' })).toBe(true);
  });

  it('merges the newest page on top without duplicates, newest first, updating changed rows', () => {
    const shown = [summary('b', '2026-01-02T00:00:00Z'), summary('a', '2026-01-01T00:00:00Z')];
    const fresh = [summary('c', '2026-01-03T00:00:00Z'), summary('b', '2026-01-02T00:00:00Z', { executed: true })];
    const merged = mergeNewest(shown, fresh);
    expect(merged.map((d) => d.id)).toEqual(['c', 'b', 'a']);
    expect(merged[1].executed).toBe(true);
    // Same time: the larger id is newer (the server's keyset order).
    expect(mergeNewest([summary('x1', '2026-01-01T00:00:00Z')], [summary('x2', '2026-01-01T00:00:00Z')]).map((d) => d.id)).toEqual(['x2', 'x1']);
  });
});

const ensembleDecision: Pick<Decision, 'provider' | 'action' | 'confidence' | 'signal' | 'metadata'> = {
  provider: 'ensemble',
  action: 'BUY',
  confidence: 64,
  signal: { action: 'BUY', confidence: 64 },
  metadata: {
    ensemble: true,
    providers_used: ['llama', 'rules'],
    providers_failed: [{ provider: 'gpt', code: 'TIMEOUT', reason: 'no answer within 3000 ms' }],
    original_weights: { llama: 0.4, rules: 0.3, gpt: 0.3 },
    adjusted_weights: { llama: 0.571, rules: 0.429 },
    provider_votes: [
      { provider: 'llama', action: 'BUY', confidence: 80, weight: 0.571, local: true },
      { provider: 'rules', action: 'HOLD', confidence: 55, weight: 0.429, local: true },
    ],
    latency_ms: { llama: 812, rules: 3, gpt: 3001 },
    local_providers_answered: 2,
    min_local_providers: 2,
    local_quorum_met: true,
    fallback_tier: 'weighted',
    tiers_skipped: [],
    agreement_score: 0.571,
    original_confidence: 64,
    quorum_penalty_applied: false,
    weights_source: 'adaptive',
  },
};

describe('provider vote table', () => {
  it('one row per voter with weight, base weight and latency, then failed members with their error', () => {
    const rows = voteRows(ensembleDecision);
    expect(rows.map((r) => [r.provider, r.action, r.confidence, r.weight, r.baseWeight, r.latencyMs, r.agrees])).toEqual([
      ['llama', 'BUY', 80, 0.571, 0.4, 812, true],
      ['rules', 'HOLD', 55, 0.429, 0.3, 3, false],
      ['gpt', null, null, 0, 0.3, 3001, false],
    ]);
    expect(rows[2].failure).toBe('TIMEOUT: no answer within 3000 ms');
    expect(rows[0].local).toBe(true);
  });

  it('a single-provider decision is one row; a failed provider with a fallback shows both; no metadata at all still works', () => {
    expect(voteRows({ provider: 'rules', action: 'HOLD', confidence: 40, signal: { action: 'SELL', confidence: 40 }, metadata: { latency_ms: { rules: 5 } } })).toEqual([
      { provider: 'rules', action: 'SELL', confidence: 40, weight: 1, baseWeight: null, latencyMs: 5, local: null, failure: null, agrees: false },
    ]);
    const fb = voteRows({ provider: 'rules', action: 'HOLD', confidence: 30, signal: null, metadata: { provider_failure: { provider: 'ensemble', code: 'ERROR', reason: 'all failed' }, fallback_used: 'rules' } });
    expect(fb.map((r) => [r.provider, r.action, r.failure])).toEqual([
      ['ensemble', null, 'ERROR: all failed'],
      ['rules', 'HOLD', null],
    ]);
    expect(voteRows({ provider: 'old', action: 'BUY', confidence: 70, metadata: undefined }).map((r) => [r.provider, r.action, r.latencyMs])).toEqual([['old', 'BUY', null]]);
  });

  it('ensemble facts: tier, quorum with its penalty, agreement; empty for a single provider', () => {
    expect(ensembleFacts(ensembleDecision)).toMatchObject({ ensemble: true, tier: 'weighted', quorum: { answered: 2, required: 2, met: true, penaltyFactor: null }, agreement: 0.571, weightsSource: 'adaptive' });
    const penalised = ensembleFacts({ metadata: { ...ensembleDecision.metadata, local_providers_answered: 0, local_quorum_met: false, confidence_adjustment_factor: 0.7, tiers_skipped: ['weighted: tie'] } });
    expect(penalised.quorum).toEqual({ answered: 0, required: 2, met: false, penaltyFactor: 0.7 });
    expect(penalised.tiersSkipped).toEqual(['weighted: tie']);
    expect(ensembleFacts({ metadata: null })).toMatchObject({ ensemble: false, tier: null, quorum: null, agreement: null, degraded: false });
  });
});

describe('pulse and regime', () => {
  it('the six timeframes in order, missing ones shown as unavailable; none for a decision without a pulse', () => {
    const rows = pulseRows({
      pulse: {
        timeframes: [
          { timeframe: '1d', status: 'ok', trend: 'UPTREND', strength: 61.4, indicators: { rsi: 58.25, adx: { adx: 27.1 } }, note: '' },
          { timeframe: '1m', status: 'insufficient', trend: null, strength: null, indicators: null, note: 'too few bars' },
        ],
      },
    });
    expect(rows.map((r) => [r.timeframe, r.status, r.trend, r.rsi, r.adx])).toEqual([
      ['1m', 'insufficient', null, null, null],
      ['5m', 'unavailable', null, null, null],
      ['15m', 'unavailable', null, null, null],
      ['1h', 'unavailable', null, null, null],
      ['4h', 'unavailable', null, null, null],
      ['1d', 'ok', 'UPTREND', 58.25, 27.1],
    ]);
    expect(pulseRows({ pulse: null })).toEqual([]);
    expect(pulseRows({})).toEqual([]);
  });

  it('reads the regime from the full record or the summary name', () => {
    expect(regimeOf({ regime: { regime: 'RANGING', timeframe: '4h', adx: 14, reason: 'ADX under 20' } })).toEqual({ regime: 'RANGING', reason: 'ADX under 20', timeframe: '4h', adx: 14 });
    expect(regimeOf({ regime: 'VOLATILE' })).toEqual({ regime: 'VOLATILE', reason: null, timeframe: null, adx: null });
    expect(regimeOf({ regime: null })).toBeNull();
  });
});
