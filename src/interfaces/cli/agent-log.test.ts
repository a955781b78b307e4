import { describe, expect, it } from 'vitest';
import { agentEventLine } from './agent-log.js';

const at = Date.UTC(2024, 2, 1, 12, 0);
const denial = {
  at,
  kind: 'denied',
  state: 'RISK_CHECK',
  message: 'BTCUSD: BUY denied by the risk gate: daily loss 2.31% ≥ 2.00% [DAILY_LOSS_LIMIT]',
  data: { decisionId: 'd1', pair: 'BTCUSD', action: 'BUY', denials: [{ code: 'DAILY_LOSS_LIMIT', check: 'daily_loss', message: 'daily loss limit 2.00% reached (-2.31%)', value: -0.0231, limit: 0.02 }] },
};

describe('agentEventLine', () => {
  it('a risk denial is one readable line: time, pair, action, why, the code; no JSON', () => {
    const line = agentEventLine(denial);
    expect(line).toBe('2024-03-01 12:00 BTCUSD BUY denied: daily loss limit 2.00% reached (-2.31%) [DAILY_LOSS_LIMIT]');
    expect(line).not.toMatch(/[{}"]/);
  });

  it('-v adds the data as JSON on the next line', () => {
    const [line, json] = agentEventLine(denial, true).split('\n');
    expect(line).toMatch(/^2024-03-01 12:00 BTCUSD BUY denied/);
    expect(JSON.parse(json.trim())).toEqual(denial.data);
  });

  it('a fill shows units and price to the pair precision and the fee to the cent', () => {
    const e = {
      at,
      kind: 'executed',
      state: 'EXECUTION',
      message: 'x',
      data: { pair: 'EURUSD', action: 'SELL', status: 'filled', orders: [{ side: 'sell', units: '1963', price: '1.2100234567', fees: '2.37476249584661538' }] },
    };
    expect(agentEventLine(e)).toBe('2024-03-01 12:00 EURUSD SELL filled: sell 1,963 @ 1.21002 (fee 2.37)');
  });

  it('a learned trade shows its P&L to the cent; a missing P&L is a dash, not NaN', () => {
    const e = { at, kind: 'learned', state: 'LEARNING', message: 'x', data: { pair: 'ETHUSD', side: 'short', exitReason: 'stop_loss', pnl: -52.6712345 } };
    expect(agentEventLine(e)).toBe('2024-03-01 12:00 ETHUSD short closed (stop_loss): P&L -52.67, recorded in memory');
    expect(agentEventLine({ ...e, data: { pair: 'ETHUSD', side: 'long', exitReason: 'signal' } })).toMatch(/P&L -, recorded/);
  });

  it('events without structured data print their message', () => {
    expect(agentEventLine({ at, kind: 'day', state: 'PERCEPTION', message: 'new trading day 2024-03-01 (UTC)' })).toBe('2024-03-01 12:00 day: new trading day 2024-03-01 (UTC)');
  });
});
