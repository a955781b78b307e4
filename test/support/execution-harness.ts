import { inputError } from '../../src/core/errors.js';
import { DEFAULT_FRESHNESS } from '../../src/core/freshness.js';
import type { Candle } from '../../src/core/candle.js';
import type { Decision } from '../../src/core/decision.js';
import type { MarketData } from '../../src/data/port.js';
import { ExecutionService } from '../../src/execution/execution-service.js';
import { guardVenue, isVenueOutage } from '../../src/execution/guarded-venue.js';
import { BreakerRegistry } from '../../src/lib/circuit-breaker.js';
import { RiskGatekeeper } from '../../src/risk/gatekeeper.js';
import type { RiskConfig } from '../../src/risk/types.js';
import type { Venue } from '../../src/venues/port.js';
import { openPaperVenue } from '../fakes/paper-venue.js';
import { decision, limits, NOW } from './risk-context.js';
import type { NewIntent } from '../../src/execution/intents.js';

const DAY = 86_400_000;

/** Market data from a price map: quotes at the clock, 1d bars swinging ±1 % around the price. */
export function priceMarketData(prices: Map<string, number>, now: () => number): MarketData {
  return {
    name: 'test-prices',
    async candles(q) {
      const p = prices.get(q.pair);
      if (p === undefined) throw inputError('PAIR_NOT_AVAILABLE', `no test price for ${q.pair}`);
      const last = (q.end ?? now()) - ((q.end ?? now()) % DAY) - DAY;
      const n = q.limit ?? 300;
      return Array.from({ length: n }, (_, i): Candle => {
        const close = p * (i % 2 ? 1.01 : 0.99);
        return { timestamp: last - (n - 1 - i) * DAY, open: close, high: close, low: close, close, volume: 1 };
      });
    },
    async latestQuote(pair, at) {
      const price = prices.get(pair);
      if (price === undefined) throw new Error(`no test price for ${pair}`);
      return { pair, price, timestamp: at ?? now(), source: 'test' };
    },
    list: async () => [],
    sampleInfo: async () => null,
  };
}

export interface HarnessOptions {
  risk?: Partial<RiskConfig>;
  /** Wraps the paper venue (to count calls or inject failures) before the breaker guards it. */
  wrap?: (v: Venue) => Venue;
  allowDegraded?: boolean;
  graceMs?: number;
}

/**
 * An ExecutionService wired as the composition root wires it, on a real PaperVenue with an
 * in-memory store. `restart()` builds a fresh service on the same store and venue, as a new
 * process would.
 */
export async function executionHarness(opts: HarnessOptions = {}) {
  const paper = await openPaperVenue({ now: NOW, prices: { BTCUSD: 50_000, ETHUSD: 3_000, EURUSD: 1.1 } });
  const marketData = priceMarketData(paper.prices, () => paper.clock.now());
  const journal = paper.store.orders;
  const snapshots = paper.store.equity;
  const risk = limits(opts.risk);
  const build = () => {
    const breakers = new BreakerRegistry({ failureThreshold: 3, openMs: 60_000, isFailure: isVenueOutage }, paper.clock);
    const venue = guardVenue(opts.wrap ? opts.wrap(paper.venue) : paper.venue, breakers.get('venue:paper'));
    const service = new ExecutionService({
      venueFor: () => venue,
      tradingMode: 'paper',
      decisions: paper.store.decisions,
      journal,
      snapshots,
      gatekeeper: new RiskGatekeeper(risk),
      marketData,
      freshness: DEFAULT_FRESHNESS,
      limits: risk,
      clock: paper.clock,
      allowDegraded: opts.allowDegraded ?? false,
      settle: { attempts: 2, intervalMs: 10, graceMs: opts.graceMs ?? 30_000 },
    });
    return { service, breakers };
  };
  let current = build();
  /** Stores a BUY/SELL decision sized `units` at the current price. */
  const save = async (over: Partial<Decision> = {}): Promise<Decision> => {
    const pair = over.assetPair ?? 'BTCUSD';
    const price = paper.prices.get(pair)!;
    const d = decision({
      id: `D${Math.random().toString(36).slice(2, 10)}`,
      timestamp: new Date(paper.clock.now()).toISOString(),
      createdAt: new Date(paper.clock.now()).toISOString(),
      entryPrice: price,
      suggestedSizeUnits: 0.01,
      suggestedSizeQuote: 0.01 * price,
      stopLossPrice: over.action === 'SELL' ? price * 1.02 : price * 0.98,
      takeProfitPrice: over.action === 'SELL' ? price * 0.95 : price * 1.05,
      executed: false,
      ...over,
    });
    await paper.store.decisions.save(d);
    return d;
  };
  return {
    ...paper,
    journal,
    snapshots,
    get service() {
      return current.service;
    },
    get breakers() {
      return current.breakers;
    },
    restart: () => {
      current = build();
      return current.service;
    },
    save,
  };
}

/**
 * A plain-object copy of a venue (spreadable, unlike a class instance) whose order placements run
 * `beforePlace`/`afterPlace`, to count them or fail them on demand.
 */
export function countingVenue(inner: Venue, behaviour: { beforePlace?: () => void; afterPlace?: () => void } = {}) {
  const venue: Venue = {
    name: inner.name,
    capabilities: inner.capabilities,
    balances: () => inner.balances(),
    equity: () => inner.equity(),
    positions: () => inner.positions(),
    openOrders: () => inner.openOrders(),
    cancelOrder: (id) => inner.cancelOrder(id),
    getOrderByClientId: (id) => inner.getOrderByClientId(id),
    fills: (since) => inner.fills(since),
    placeOrder: async (req) => {
      behaviour.beforePlace?.();
      const o = await inner.placeOrder(req);
      behaviour.afterPlace?.();
      return o;
    },
    closePosition: async (id, cid) => {
      behaviour.beforePlace?.();
      const o = await inner.closePosition(id, cid);
      behaviour.afterPlace?.();
      return o;
    },
  };
  return { venue };
}

/** A journal intent for a 0.1 BTCUSD market buy of decision D1, with overrides. */
export const newIntent = (clientOrderId: string, over: Partial<NewIntent> = {}): NewIntent => ({
  clientOrderId,
  account: 'paper',
  venue: 'paper',
  decisionId: 'D1',
  leg: 'open',
  positionId: null,
  pair: 'BTCUSD',
  side: 'buy',
  type: 'market',
  units: '0.1',
  limitPrice: null,
  stopLossPrice: null,
  takeProfitPrice: null,
  reduceOnly: false,
  ...over,
});
