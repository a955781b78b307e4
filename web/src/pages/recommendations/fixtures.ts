/** Recommendations as the contract's API answers them, for the page and panel tests. */
import type { Recommendation } from '../../lib/investor';

export const DISCLOSURE = 'Not investment advice. Generated automatically; past accuracy does not predict future results.';

export const rec = (id: string, over: Partial<Recommendation> = {}): Recommendation => ({
  id,
  run_id: 'run1',
  pair: 'BTCUSD',
  created_at: '2026-12-06T06:00:00Z',
  action: 'BUY',
  confidence: 72,
  horizon: '5d',
  horizon_ends_at: '2026-12-11T06:00:00Z',
  entry: 97_000,
  stop: 94_000,
  target: 103_500,
  reasoning: 'Trend up on the daily; both providers agree.',
  votes: [
    { provider: 'llama', action: 'BUY', confidence: 70 },
    { provider: 'rules', action: 'HOLD', confidence: 55 },
  ],
  disclosure: DISCLOSURE,
  decision_id: null,
  feedback: null,
  outcome: { status: 'pending', exit_price: null, return_after_costs: null, correct: null, measured_at: null },
  ...over,
});
