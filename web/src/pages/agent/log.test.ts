import { describe, expect, it } from 'vitest';
import { agentEventText, entryOfAgentEvent, entryOfLiveEvent, logTime, mergeLog } from './log';

const at = '2026-03-01T14:00:00.000Z';

describe('agent event lines', () => {
  it('say denials, executions and learned trades from their data, like `ffe agent`', () => {
    expect(agentEventText({ at, kind: 'denied', state: 'DECISION', message: 'x', data: { pair: 'ETHUSD', action: 'SELL', denials: [{ code: 'DAILY_LOSS_LIMIT', message: 'daily loss 2.31% ≥ 2.00%' }] } })).toBe(
      'ETHUSD SELL denied: daily loss 2.31% ≥ 2.00% [DAILY_LOSS_LIMIT]',
    );
    expect(agentEventText({ at, kind: 'denied', state: 'DECISION', message: 'm', data: { pair: 'BTCUSD', action: 'BUY', reason: 'stale quote' } })).toBe('BTCUSD BUY denied: stale quote');
    expect(agentEventText({ at, kind: 'executed', state: 'ACTION', message: 'm', data: { pair: 'EURUSD', action: 'SELL', status: 'filled', orders: [{ side: 'sell', units: '1963', price: 1.21002, fees: 2.37 }] } })).toBe(
      'EURUSD SELL filled: sell 1,963 @ 1.21002 (fee 2.37)',
    );
    expect(agentEventText({ at, kind: 'learned', state: 'LEARNING', message: 'm', data: { pair: 'ETHUSD', side: 'short', exit_reason: 'stop_loss', pnl: -52.666 } })).toBe(
      'ETHUSD short closed (stop_loss): P&L -52.67, recorded in memory',
    );
    expect(agentEventText({ at, kind: 'transition', state: 'ORIENT', message: 'OBSERVE → ORIENT' })).toBe('transition (ORIENT): OBSERVE → ORIENT');
    expect(agentEventText({ at, kind: 'day', state: 'PERCEPTION', message: 'new trading day', data: null })).toBe('day: new trading day');
  });
});

describe('live events', () => {
  it('format decisions, fills, rejections, closes and breakers; agent events keep the key of their stored twin', () => {
    expect(entryOfLiveEvent({ seq: 1, type: 'DecisionMade', at, payload: { pair: 'BTCUSD', action: 'BUY', confidence: 72, provider: 'ensemble' } })).toMatchObject({
      key: 'live|1',
      text: 'BTCUSD decision BUY (confidence 72 %, ensemble)',
      tone: 'info',
    });
    expect(entryOfLiveEvent({ seq: 2, type: 'OrderFilled', at, payload: { pair: 'BTCUSD', side: 'buy', units: '0.5', price: '50000', fee: 1.25 } })?.text).toBe('BTCUSD order filled: buy 0.5 @ 50,000 (fee 1.25)');
    expect(entryOfLiveEvent({ seq: 3, type: 'OrderRejected', at, payload: { pair: 'BTCUSD', side: 'sell', units: 1, reason: 'no funds' } })).toMatchObject({
      text: 'BTCUSD order rejected: sell 1 (no funds)',
      tone: 'bad',
    });
    expect(entryOfLiveEvent({ seq: 4, type: 'PositionClosed', at, payload: { pair: 'ETHUSD', side: 'long', exit_reason: 'take_profit', pnl: 12.5 } })).toMatchObject({
      text: 'ETHUSD long closed (take_profit): P&L +12.50',
      tone: 'ok',
    });
    expect(entryOfLiveEvent({ seq: 5, type: 'BreakerStateChanged', at, payload: { breaker: 'venue:coinbase', from: 'CLOSED', to: 'OPEN', reason: 'timeouts' } })).toMatchObject({
      text: 'breaker venue:coinbase: CLOSED → OPEN (timeouts)',
      tone: 'bad',
    });
    expect(entryOfLiveEvent({ seq: 6, type: 'BacktestProgress', at, payload: {} })).toBeNull();
    const live = entryOfLiveEvent({ seq: 7, type: 'AgentStateChanged', at, payload: { kind: 'transition', state: 'ORIENT', message: 'OBSERVE → ORIENT' } });
    const stored = entryOfAgentEvent({ at, kind: 'transition', state: 'ORIENT', message: 'OBSERVE → ORIENT', data: null });
    expect(live).toEqual(stored);
  });

  it('merge newest first, each event once, capped', () => {
    const e = (key: string, t: number) => ({ key, at: new Date(Date.UTC(2026, 0, 1, 0, t)).toISOString(), kind: 'k', state: '', text: key, tone: 'muted' as const });
    const merged = mergeLog([e('c', 3), e('b', 2)], [e('b', 2), e('a', 1), e('d', 4)]);
    expect(merged.map((x) => x.key)).toEqual(['d', 'c', 'b', 'a']);
    expect(mergeLog([e('c', 3), e('b', 2)], [e('a', 1)], 2).map((x) => x.key)).toEqual(['c', 'b']);
  });

  it('log times: the time today, the date before', () => {
    expect(logTime(at, '2026-03-01')).toBe('14:00:00');
    expect(logTime(at, '2026-03-02')).toBe('2026-03-01 14:00:00');
    expect(logTime('nope')).toBe('—');
  });
});
