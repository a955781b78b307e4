import { Counter, Gauge, Histogram, Summary, type Registry } from 'prom-client';
import type { DomainEvent, DomainEventType } from '../../core/events.js';
import type { EventBus } from '../event-bus.js';
import { LabelCap, reasonCode } from './labels.js';

const BREAKER_TO: Record<string, string> = { CLOSED: 'closed', HALF_OPEN: 'half_open', OPEN: 'open' };
const ACTIONS = new Set(['BUY', 'SELL', 'HOLD']);

const num = (v: unknown): number | null => {
  const n = typeof v === 'string' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) ? n : null;
};

/**
 * The metrics fed by domain events (docs/metrics.md): decisions and their confidence, closed
 * trades' P&L, orders, risk refusals, breaker transitions, learning. Each event costs O(1).
 * Returns the unsubscribe function and `seedLastTrade` (the newest trade the store knew at start).
 */
export function domainEventMetrics(registry: Registry, events: Pick<EventBus, 'subscribe'>) {
  const registers = [registry];
  const pairs = new LabelCap();
  const venues = new LabelCap();
  const services = new LabelCap();
  const decisions = new Counter({ name: 'ffe_decisions_total', help: 'Decisions stored (DecisionMade), by pair and action', labelNames: ['asset_pair', 'action'], registers });
  const degraded = new Counter({ name: 'ffe_decisions_degraded_total', help: 'Decisions made in degraded mode (ensemble members failed or a fallback answered)', labelNames: ['asset_pair'], registers });
  const confidence = new Histogram({
    name: 'ffe_decision_confidence',
    help: 'Confidence (percent, 0-100) of each stored decision',
    labelNames: ['asset_pair', 'action'],
    buckets: [10, 20, 30, 40, 50, 60, 70, 80, 90, 100],
    registers,
  });
  const pnl = new Summary({
    name: 'ffe_trade_pnl_dollars_summary',
    help: 'Realised P&L after fees of each closed position (quote currency); quantiles over a sliding 1 h window',
    labelNames: ['asset_pair'],
    percentiles: [0.05, 0.5, 0.95],
    maxAgeSeconds: 3600,
    ageBuckets: 5,
    registers,
  });
  const lastTrade = new Gauge({ name: 'ffe_last_trade_timestamp_seconds', help: 'Unix time of the newest order fill or position close (0: none known)', registers });
  const orders = new Counter({ name: 'ffe_orders_total', help: 'Orders recorded in the journal: submitted, filled, rejected', labelNames: ['venue', 'status'], registers });
  const blocks = new Counter({ name: 'ffe_risk_blocks_total', help: 'Trades the risk gate refused, one count per reason code', labelNames: ['reason'], registers });
  const transitions = new Counter({ name: 'ffe_circuit_breaker_transitions_total', help: 'Circuit breaker transitions by breaker and new state', labelNames: ['service', 'to'], registers });
  const weightChanges = new Counter({ name: 'ffe_ensemble_weight_changes_total', help: 'Ensemble weight updates learned from closed trades', registers });
  const learned = new Counter({ name: 'ffe_trades_learned_total', help: 'Closed trades fed back into memory', registers });

  let newest = 0;
  const traded = (ms: unknown) => {
    const at = num(ms);
    if (at !== null && at > newest) {
      newest = at;
      lastTrade.set(at / 1000);
    }
  };

  const handlers: Partial<Record<DomainEventType, (p: Record<string, unknown>, e: DomainEvent) => void>> = {
    DecisionMade: (p) => {
      const labels = { asset_pair: pairs.of(p.pair), action: ACTIONS.has(String(p.action)) ? String(p.action) : 'other' };
      decisions.inc(labels);
      const c = num(p.confidence);
      if (c !== null) confidence.observe(labels, c);
      if (p.degraded === true) degraded.inc({ asset_pair: labels.asset_pair });
    },
    PositionClosed: (p, e) => {
      const v = num(p.pnl);
      if (v !== null) pnl.observe({ asset_pair: pairs.of(p.pair) }, v);
      traded(p.closedAt ?? e.at);
    },
    OrderSubmitted: (p) => orders.inc({ venue: venues.of(p.venue), status: 'submitted' }),
    OrderFilled: (p, e) => {
      orders.inc({ venue: venues.of(p.venue), status: 'filled' });
      traded(e.at);
    },
    OrderRejected: (p) => orders.inc({ venue: venues.of(p.venue), status: 'rejected' }),
    GateDenied: (p) => {
      const data = (p.data ?? {}) as { denials?: { code?: unknown }[] };
      const codes = Array.isArray(data.denials) && data.denials.length ? new Set(data.denials.map((d) => reasonCode(d?.code))) : new Set(['NOT_EXECUTABLE']);
      for (const reason of codes) blocks.inc({ reason });
    },
    BreakerStateChanged: (p) => transitions.inc({ service: services.of(p.breaker), to: BREAKER_TO[String(p.to)] ?? 'other' }),
    WeightsChanged: () => weightChanges.inc(),
    TradeLearned: () => learned.inc(),
  };
  lastTrade.set(0);
  const unsubscribe = events.subscribe((e) => handlers[e.type]?.(e.payload, e), Object.keys(handlers) as DomainEventType[]);
  return { unsubscribe, seedLastTrade: traded };
}
