import { describe, expect, it } from 'vitest';
import type { DomainEvent, DomainEventType } from '../../core/events.js';
import { metricsFixture } from '../../../test/support/metrics.js';
import { domainEventMetrics } from './event-metrics.js';

let seq = 0;
const ev = (type: DomainEventType, payload: Record<string, unknown>, at = 1_700_000_000_000): DomainEvent => ({ seq: ++seq, type, at, payload });

function setup() {
  const f = metricsFixture();
  return { ...f, m: domainEventMetrics(f.registry, f.bus) };
}

describe('domain event metrics', () => {
  it('counts decisions by pair and action, observes confidence, counts degraded ones', async () => {
    const { registry, bus } = setup();
    bus.publish([
      ev('DecisionMade', { decisionId: '01J0000000000000000000000A', pair: 'BTCUSD', action: 'BUY', confidence: 72, degraded: false, provider: 'ensemble' }),
      ev('DecisionMade', { decisionId: '01J0000000000000000000000B', pair: 'BTCUSD', action: 'BUY', confidence: 55, degraded: true, provider: 'ensemble' }),
      ev('DecisionMade', { decisionId: '01J0000000000000000000000C', pair: 'EURUSD', action: 'HOLD', confidence: 30, degraded: false, provider: 'rules' }),
    ]);
    const text = await registry.metrics();
    expect(text).toContain('ffe_decisions_total{asset_pair="BTCUSD",action="BUY"} 2');
    expect(text).toContain('ffe_decisions_total{asset_pair="EURUSD",action="HOLD"} 1');
    expect(text).toContain('ffe_decisions_degraded_total{asset_pair="BTCUSD"} 1');
    expect(text).toContain('ffe_decision_confidence_bucket{le="60",asset_pair="BTCUSD",action="BUY"} 1');
    expect(text).toContain('ffe_decision_confidence_bucket{le="80",asset_pair="BTCUSD",action="BUY"} 2');
    expect(text).toContain('ffe_decision_confidence_sum{asset_pair="BTCUSD",action="BUY"} 127');
    expect(text).not.toContain('01J0000000000000000000000');
  });

  it('summarises closed-trade P&L by pair and keeps the newest trade time', async () => {
    const { registry, bus } = setup();
    bus.publish([
      ev('PositionClosed', { tradeId: 't1', pair: 'BTCUSD', pnl: 10, closedAt: 1_700_000_100_000 }),
      ev('PositionClosed', { tradeId: 't2', pair: 'BTCUSD', pnl: -4, closedAt: 1_700_000_050_000 }),
      ev('OrderFilled', { clientOrderId: 'c1', venue: 'paper', pair: 'BTCUSD' }, 1_700_000_200_000),
    ]);
    const text = await registry.metrics();
    expect(text).toMatch(/^# TYPE ffe_trade_pnl_dollars_summary summary$/m);
    expect(text).toContain('ffe_trade_pnl_dollars_summary_sum{asset_pair="BTCUSD"} 6');
    expect(text).toContain('ffe_trade_pnl_dollars_summary_count{asset_pair="BTCUSD"} 2');
    expect(text).toContain('ffe_trade_pnl_dollars_summary{quantile="0.5",asset_pair="BTCUSD"}');
    expect(text).toContain('ffe_last_trade_timestamp_seconds 1700000200');
  });

  it('last trade time is 0 until a trade, and a seed older than a seen trade does not win', async () => {
    const { registry, bus, m } = setup();
    expect(await registry.metrics()).toContain('ffe_last_trade_timestamp_seconds 0');
    bus.publish([ev('OrderFilled', { venue: 'paper' }, 2_000_000_000_000)]);
    m.seedLastTrade(1_000_000_000_000);
    expect(await registry.metrics()).toContain('ffe_last_trade_timestamp_seconds 2000000000');
  });

  it('counts orders submitted, filled and rejected by venue', async () => {
    const { registry, bus } = setup();
    bus.publish([
      ev('OrderSubmitted', { clientOrderId: 'x1', venue: 'paper' }),
      ev('OrderSubmitted', { clientOrderId: 'x2', venue: 'paper' }),
      ev('OrderFilled', { clientOrderId: 'x1', venue: 'paper' }),
      ev('OrderRejected', { clientOrderId: 'x2', venue: 'paper', reason: 'no funds' }),
    ]);
    const text = await registry.metrics();
    expect(text).toContain('ffe_orders_total{venue="paper",status="submitted"} 2');
    expect(text).toContain('ffe_orders_total{venue="paper",status="filled"} 1');
    expect(text).toContain('ffe_orders_total{venue="paper",status="rejected"} 1');
  });

  it('counts risk blocks once per reason code; a refusal without codes is NOT_EXECUTABLE; free text never becomes a label', async () => {
    const { registry, bus } = setup();
    bus.publish([
      ev('GateDenied', { kind: 'denied', data: { denials: [{ code: 'VAR_LIMIT' }, { code: 'MAX_POSITIONS' }] } }),
      ev('GateDenied', { kind: 'denied', data: { denials: [{ code: 'VAR_LIMIT' }, { code: 'VAR_LIMIT' }] } }),
      ev('GateDenied', { kind: 'denied', data: { reason: 'no price for BTCUSD at 12:00' } }),
      ev('GateDenied', { kind: 'denied', data: { denials: [{ code: 'a free text reason' }] } }),
    ]);
    const text = await registry.metrics();
    expect(text).toContain('ffe_risk_blocks_total{reason="VAR_LIMIT"} 2');
    expect(text).toContain('ffe_risk_blocks_total{reason="MAX_POSITIONS"} 1');
    expect(text).toContain('ffe_risk_blocks_total{reason="NOT_EXECUTABLE"} 1');
    expect(text).toContain('ffe_risk_blocks_total{reason="OTHER"} 1');
    expect(text).not.toContain('free text');
  });

  it('counts breaker transitions, weight changes and learned trades', async () => {
    const { registry, bus } = setup();
    bus.publish([
      ev('BreakerStateChanged', { breaker: 'venue:paper', from: 'CLOSED', to: 'OPEN', reason: 'ECONNREFUSED' }),
      ev('BreakerStateChanged', { breaker: 'venue:paper', from: 'OPEN', to: 'HALF_OPEN', reason: '' }),
      ev('WeightsChanged', { kind: 'weights' }),
      ev('TradeLearned', { kind: 'learned' }),
      ev('TradeLearned', { kind: 'learned' }),
    ]);
    const text = await registry.metrics();
    expect(text).toContain('ffe_circuit_breaker_transitions_total{service="venue:paper",to="open"} 1');
    expect(text).toContain('ffe_circuit_breaker_transitions_total{service="venue:paper",to="half_open"} 1');
    expect(text).toContain('ffe_ensemble_weight_changes_total 1');
    expect(text).toContain('ffe_trades_learned_total 2');
  });

  it('caps a label family: past 100 distinct pairs, the rest are "other"', async () => {
    const { registry, bus } = setup();
    bus.publish(Array.from({ length: 105 }, (_, i) => ev('DecisionMade', { pair: `P${i}USD`, action: 'HOLD', confidence: 50 })));
    const text = await registry.metrics();
    expect(text).toContain('ffe_decisions_total{asset_pair="P99USD",action="HOLD"} 1');
    expect(text).toContain('ffe_decisions_total{asset_pair="other",action="HOLD"} 5');
    expect(text).not.toContain('P100USD');
  });

  it('stops counting once unsubscribed', async () => {
    const { registry, bus, m } = setup();
    m.unsubscribe();
    bus.publish([ev('TradeLearned', {})]);
    expect(await registry.metrics()).toContain('ffe_trades_learned_total 0');
  });
});
