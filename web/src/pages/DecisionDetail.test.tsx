// @vitest-environment jsdom
import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { DecisionDetail } from './DecisionDetail';
import { harness, parse } from './decisions/test-support';

afterEach(cleanup);

const decision = {
  id: 'd1',
  asset_pair: 'BTCUSD',
  timestamp: '2026-12-06T10:00:00.000Z',
  created_at: '2026-12-06T10:00:01.000Z',
  action: 'BUY',
  confidence: 64,
  reasoning: 'Ensemble (weighted tier) → BUY',
  entry_price: 100,
  suggested_size_units: 0.5,
  stop_loss_price: 95,
  take_profit_price: 110,
  signal: { action: 'BUY', confidence: 64 },
  gates: [],
  regime: { regime: 'TRENDING_UP', timeframe: '4h', adx: 31, atr_fraction: 0.02, reason: 'ADX 31 with +DI over −DI' },
  pulse: { timeframes: [{ timeframe: '1h', status: 'ok', trend: 'UPTREND', strength: 70, indicators: { rsi: 61, adx: { adx: 25 } }, note: '' }], confluence: { direction: 'UPTREND', strength: 66 } },
  provider: 'ensemble',
  model: null,
  executed: false,
  metadata: {
    ensemble: true,
    provider_votes: [{ provider: 'llama', action: 'BUY', confidence: 80, weight: 0.6, local: true }],
    providers_failed: [{ provider: 'gpt', code: 'TIMEOUT', reason: 'slow' }],
    latency_ms: { llama: 812, gpt: 3001 },
    local_providers_answered: 1,
    min_local_providers: 2,
    local_quorum_met: false,
    confidence_adjustment_factor: 0.8,
    fallback_tier: 'weighted',
  },
};

describe('DecisionDetail', () => {
  it('shows the votes with weight and latency, tier and quorum, the pulse, the risk denial codes and the pending approval with its buttons', async () => {
    const h = harness('trader', (c) => {
      const { path } = parse(c);
      if (path === '/api/v1/decisions/d1') return { body: decision };
      return {
        body: {
          decision_id: 'd1',
          approval: { id: 'a1', decision_id: 'd1', pair: 'BTCUSD', action: 'BUY', confidence: 64, summary: 's', status: 'pending', created_at: Date.now(), expires_at: Date.now() + 90_000, decided_at: null, note: null },
          risk: { status: 'denied', at: Date.now(), message: 'denied', denials: [{ code: 'VAR_LIMIT', check: 'var', message: 'VaR over limit', value: 0.07, limit: 0.05 }] },
          execution: null,
        },
      };
    });
    render(<DecisionDetail id="d1" />, { wrapper: h.wrap });
    expect(await screen.findByRole('heading', { level: 1, name: 'Decision: BUY BTCUSD' })).toBeTruthy();
    const votes = screen.getAllByTestId('vote-row');
    expect(votes.map((r) => r.textContent)).toEqual([expect.stringMatching(/llama.*BUY.*80 %.*60\.0 %.*812 ms/), expect.stringMatching(/gpt.*failed: TIMEOUT: slow.*3001 ms/)]);
    expect(screen.getByText(/1 of 2 local providers answered/)).toBeTruthy();
    expect(screen.getByText('not met')).toBeTruthy();
    expect(screen.getByText('weighted')).toBeTruthy();
    expect(screen.getAllByTestId('pulse-row')).toHaveLength(6);
    expect(screen.getByText('TRENDING_UP')).toBeTruthy();
    expect(within(await screen.findByTestId('denial-row')).getByText('VAR_LIMIT')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Approve' })).toBeTruthy();
    expect(h.calls.map((c) => parse(c).path).sort()).toEqual(['/api/v1/decisions/d1', '/api/v1/insight/decisions/d1']);
  });

  it('an unknown id says so clearly; an older decision without pulse, votes or outcome still renders', async () => {
    const missing = harness('viewer', () => ({ status: 404, body: { error: { code: 'DECISION_NOT_FOUND', message: 'no decision "nope"' } } }));
    render(<DecisionDetail id="nope" />, { wrapper: missing.wrap });
    expect(await screen.findByRole('heading', { level: 1, name: 'Decision not found' })).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toContain('nope');
    cleanup();
    const old = { id: 'old', asset_pair: 'ETHUSD', timestamp: '2025-01-01T00:00:00Z', created_at: '2025-01-01T00:00:00Z', action: 'HOLD', confidence: 40, reasoning: '', provider: 'rules', executed: false };
    const h = harness('viewer', (c) =>
      parse(c).path === '/api/v1/decisions/old' ? { body: old } : { body: { decision_id: 'old', approval: null, risk: { status: 'unknown', at: null, message: null, denials: [] }, execution: null } },
    );
    render(<DecisionDetail id="old" />, { wrapper: h.wrap });
    expect(await screen.findByText(/no multi-timeframe pulse/)).toBeTruthy();
    expect(screen.getAllByTestId('vote-row')).toHaveLength(1);
    expect(await screen.findByText('No approval was asked for this decision.')).toBeTruthy();
    expect(screen.getByText(/No risk verdict recorded/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Approve' })).toBeNull();
  });
});
