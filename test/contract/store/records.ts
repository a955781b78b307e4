import type { FundamentalKind, FundamentalRecord } from '../../../src/core/fundamentals.js';
import type { Approval } from '../../../src/agent/types.js';
import type { Candle } from '../../../src/core/candle.js';
import type { Decision } from '../../../src/core/decision.js';
import type { NewDomainEvent } from '../../../src/core/events.js';
import type { NewIntent, PositionAdjustment } from '../../../src/execution/intents.js';
import type { BreakerMemory } from '../../../src/lib/circuit-breaker.js';
import type { TradeOutcome, WeightChange } from '../../../src/memory/types.js';
import type { TrackedPosition, TradeMetrics } from '../../../src/monitor/types.js';
import type { EquitySnapshot } from '../../../src/risk/types.js';
import type { CassetteEntry, PaperFillRecord, PaperOrderRecord, PaperPositionRecord } from '../../../src/store/port.js';

/** Records the store suite writes: complete values of the domain types, varied by what each test sets. */

export const ev = (at: number, type: NewDomainEvent['type'] = 'DecisionMade', payload: Record<string, unknown> = { at }): NewDomainEvent => ({ type, at, payload });

const HOUR = 3_600_000;
export const T0 = Date.UTC(2024, 0, 1);

export const decision = (id: string, o: { pair?: string; createdAt?: number; action?: Decision['action'] } = {}): Decision => {
  const at = new Date(o.createdAt ?? T0).toISOString();
  return {
    id,
    assetPair: o.pair ?? 'BTCUSD',
    assetClass: 'crypto',
    timestamp: at,
    createdAt: at,
    action: o.action ?? 'BUY',
    confidence: 72,
    reasoning: 'trend up; "quoted" and ünïcode reasoning',
    entryPrice: 42_000.5,
    suggestedSizeUnits: 0.01,
    suggestedSizeQuote: 420.005,
    stopLossPrice: 41_000,
    takeProfitPrice: 44_000,
    stopLossFraction: 0.02,
    takeProfitFraction: 0.04,
    riskFraction: 0.01,
    signal: { action: o.action ?? 'BUY', confidence: 72 },
    gates: [],
    market: { price: 42_000.5, barTime: T0, timeframe: '1h', open: 1, high: 2, low: 0.5, close: 1.5, volume: 10, priceChangePct: 1.2, rangeFraction: 0.03, source: 'bundled', offlineSample: null },
    pulse: {} as Decision['pulse'],
    regime: { regime: 'TRENDING_UP' } as unknown as Decision['regime'],
    freshness: {} as Decision['freshness'],
    marketStatus: {} as Decision['marketStatus'],
    provider: 'rules',
    model: null,
    executed: false,
    metadata: { votes: [{ provider: 'rules', action: 'BUY' }] },
  };
};

/** Hourly bars from `start` (ms), prices from `base`; each bar is sane (low ≤ open, close ≤ high). */
export const bars = (start: number, n: number, base = 100): Candle[] =>
  Array.from({ length: n }, (_, i) => ({ timestamp: start + i * HOUR, open: base + i, high: base + i + 2, low: base + i - 1, close: base + i + 1, volume: 10 + i }));

export const snapshot = (at: number, equity: string, account = 'paper'): EquitySnapshot => ({ account, at, equity, currency: 'USD', source: 'execution' });

export const intent = (clientOrderId: string, o: Partial<NewIntent> = {}): NewIntent => ({
  clientOrderId,
  account: 'paper',
  venue: 'paper',
  decisionId: 'D1',
  leg: 'open',
  positionId: null,
  pair: 'BTCUSD',
  side: 'buy',
  type: 'market',
  units: '0.5',
  limitPrice: null,
  stopLossPrice: '41000',
  takeProfitPrice: '44000',
  reduceOnly: false,
  ...o,
});

export const adjustment = (id: string, o: Partial<PositionAdjustment> = {}): PositionAdjustment => ({ id, account: 'paper', pair: 'BTCUSD', units: '0.1', reason: 'venue holds more', createdAt: T0, ...o });

export const paperOrder = (venueOrderId: string, o: Partial<PaperOrderRecord> = {}): PaperOrderRecord => ({
  venueOrderId,
  clientOrderId: `c-${venueOrderId}`,
  pair: 'BTCUSD',
  side: 'buy',
  type: 'limit',
  units: '1',
  filledUnits: '0',
  averagePrice: null,
  limitPrice: '40000',
  status: 'open',
  createdAt: T0,
  fees: '0',
  stopLossPrice: null,
  takeProfitPrice: null,
  reduceOnly: false,
  updatedAt: T0,
  ...o,
});

export const paperPosition = (pair: string, o: Partial<PaperPositionRecord> = {}): PaperPositionRecord => ({
  pair,
  side: 'long',
  units: '0.25',
  entryPrice: '42000.5',
  openedAt: T0,
  stopLossPrice: '41000',
  takeProfitPrice: null,
  markPrice: null,
  ...o,
});

export const paperFill = (fillId: string, o: Partial<PaperFillRecord> = {}): PaperFillRecord => ({
  fillId,
  venueOrderId: 'o1',
  clientOrderId: 'c-o1',
  pair: 'BTCUSD',
  side: 'buy',
  units: '0.25',
  price: '42000.5',
  fee: '1.05',
  feeCurrency: 'USD',
  timestamp: T0,
  realizedPnl: '-1.05',
  ...o,
});

export const outcome = (tradeId: string, o: Partial<TradeOutcome> = {}): TradeOutcome => ({
  id: `out-${tradeId}`,
  tradeId,
  decisionId: 'D1',
  pair: 'BTCUSD',
  side: 'long',
  units: 0.5,
  entryPrice: 100,
  exitPrice: 110,
  openedAt: T0,
  closedAt: T0 + HOUR,
  fees: 0.2,
  pnl: 4.8,
  returnFraction: 0.096,
  rMultiple: 1.6,
  holdingMs: HOUR,
  regime: 'TRENDING_UP',
  exitReason: 'take_profit',
  confidence: 70,
  votes: [
    { provider: 'rules', action: 'BUY', confidence: 70 },
    { provider: 'llama', action: 'HOLD', confidence: 55 },
  ],
  ...o,
});

export const weightChange = (id: string, o: Partial<WeightChange> = {}): WeightChange => ({
  id,
  at: T0,
  scope: 'all',
  previous: { rules: 0.5, llama: 0.5 },
  weights: { rules: 0.6, llama: 0.4 },
  outcomes: 12,
  reason: 'rules won more often',
  ...o,
});

export const tracker = (key: string, o: Partial<TrackedPosition> = {}): TrackedPosition => ({
  key,
  positionId: 'BTCUSD',
  venue: 'paper',
  pair: 'BTCUSD',
  side: 'long',
  units: 0.5,
  entryPrice: 100,
  openedAt: T0,
  stopLossPrice: 95,
  takeProfitPrice: 110,
  lastPrice: 103,
  unrealizedPnl: 1.5,
  mfe: 0.04,
  mae: -0.01,
  updatedAt: T0 + 1000,
  tracked: true,
  ...o,
});

export const metrics = (tradeId: string, o: Partial<TradeMetrics> = {}): TradeMetrics => ({
  id: `m-${tradeId}`,
  tradeId,
  decisionId: 'D1',
  pair: 'BTCUSD',
  side: 'long',
  units: 0.5,
  entryPrice: 100,
  exitPrice: 110,
  openedAt: T0,
  closedAt: T0 + HOUR,
  fees: 0.2,
  exitReason: 'take_profit',
  stopLossPrice: 95,
  venue: 'paper',
  pnl: 4.8,
  returnFraction: 0.096,
  holdingMs: HOUR,
  mfe: 0.12,
  mae: -0.01,
  closingOrderId: 'close-1',
  exitDetail: 'take-profit at 110',
  ...o,
});

export const approval = (id: string, o: Partial<Approval> = {}): Approval => ({
  id,
  decisionId: `D-${id}`,
  pair: 'BTCUSD',
  action: 'BUY',
  confidence: 80,
  summary: 'BUY 0.01 BTCUSD at 42000',
  status: 'pending',
  createdAt: T0,
  expiresAt: T0 + HOUR,
  decidedAt: null,
  note: null,
  ...o,
});

export const cassette = (key: string, o: Partial<CassetteEntry> = {}): CassetteEntry => ({
  key,
  provider: 'llama',
  model: 'llama3.1:8b',
  parameters: { temperature: 0, nested: { a: [1, 2] } },
  prompt: 'Decide BTCUSD. Answer JSON.',
  result: { ok: true, signal: { action: 'BUY', confidence: 70, reasoning: 'up' }, latencyMs: 120, usage: { promptTokens: 10, completionTokens: 5 } },
  recordedAt: new Date(T0).toISOString(),
  ...o,
});

export const breakerMemory = (name: string, o: Partial<BreakerMemory> = {}): BreakerMemory => ({
  name,
  state: 'OPEN',
  consecutiveFailures: 3,
  openedAt: T0,
  changedAt: T0,
  counters: { calls: 3, successes: 0, failures: 3, rejected: 0, opens: 1 },
  lastError: 'HTTP 503',
  venue: 'paper',
  ...o,
});

/** A fundamentals record; visible from the period end + 30 days unless told. */
export const fundamental = (symbol: string, kind: FundamentalKind, periodEnd: string, o: Partial<FundamentalRecord> = {}): FundamentalRecord => ({
  symbol,
  kind,
  periodEnd,
  reportedDate: null,
  visibleFrom: Date.parse(`${periodEnd.slice(0, 10)}T00:00:00Z`) + 30 * 86_400_000,
  fetchedAt: T0,
  source: 'alpha-vantage',
  values: { reportedEps: 2.3, estimatedEps: 2.23, note: 'ünïcode "quoted"', missing: null },
  ...o,
});
