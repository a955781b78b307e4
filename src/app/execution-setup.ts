import type { Config } from '../config/schema.js';
import type { Clock } from '../core/clock.js';
import type { FreshnessThresholds } from '../core/freshness.js';
import type { MarketData } from '../data/port.js';
import { AccountService } from '../execution/account.js';
import { ExecutionService } from '../execution/execution-service.js';
import { guardVenue, isVenueOutage } from '../execution/guarded-venue.js';
import { journalWithEvents } from '../execution/journal-events.js';
import type { AccountMode } from '../execution/mode.js';
import { BreakerRegistry } from '../lib/circuit-breaker.js';
import { RiskGatekeeper } from '../risk/gatekeeper.js';
import type { SessionStore } from '../store/session-store.js';
import type { Venue } from '../venues/port.js';
import type { OrderJournalRepository } from '../store/port.js';
import { paperVenue, unifiedVenue } from './venue-factories.js';

/** An account's one guarded venue without its order methods: the agent's reads and a simulated venue's price feed. */
export type VenueView = Pick<Venue, 'name' | 'positions' | 'fills' | 'getOrderByClientId' | 'equity' | 'advance' | 'processPrices'>;

export interface TradingSetup {
  breakers: BreakerRegistry;
  /** The guarded venue of an account, read-only (orders go through `execution` only). */
  view(mode: AccountMode): VenueView;
  /** The order journal the execution service writes (the monitor reads it and journals venue-side exits). */
  journal: OrderJournalRepository;
  gatekeeper: RiskGatekeeper;
  /** The only holder of venues that can place orders. */
  execution: ExecutionService;
  /** Balances, positions and equity; read-only. */
  account: AccountService;
}

export interface TradingDeps {
  store: SessionStore;
  marketData: MarketData;
  clock: Clock;
  freshness: FreshnessThresholds;
}

/** The breaker of one venue: `venue:paper` for the paper account, `venue:live:<venue>` for each venue live mode routes to. */
export const venueBreakerName = (mode: AccountMode, venue: string): string => (mode === 'paper' ? `venue:${venue}` : `venue:live:${venue}`);

/**
 * Venues are built on first use (the live one may load ccxt) and only ever handed to the
 * execution and account services. Each venue has its own circuit breaker, named for it: in live
 * mode each venue the unified venue routes to is guarded on its own, so an Oanda outage never
 * refuses a Coinbase order, and a call for one pair (`venueFor(mode, pair)`) reaches only the
 * venue that trades it.
 */
export function buildTrading(config: Config, deps: TradingDeps): TradingSetup {
  const { store, marketData, clock } = deps;
  const cb = config.circuit_breaker;
  const breakers = new BreakerRegistry({ failureThreshold: cb.failure_threshold, openMs: cb.open_seconds * 1000, isFailure: isVenueOutage }, clock, store.breakers);
  // Created up front so `ffe status` lists the paper venue's breaker before any venue is built.
  breakers.get(venueBreakerName('paper', 'paper'), { venue: 'paper' });
  const built = new Map<AccountMode, { venue: Venue; forPair(pair: string): Venue }>();
  const accountOf = (mode: AccountMode) => {
    let a = built.get(mode);
    if (!a) {
      const cfg = { ...config, trading: { ...config.trading, mode } };
      const guard = (v: Venue) => guardVenue(v, breakers.get(venueBreakerName(mode, v.name), { venue: v.name }));
      if (mode === 'paper') {
        const paper = guard(paperVenue(cfg, { store, marketData, clock }));
        a = { venue: paper, forPair: () => paper };
      } else {
        const unified = unifiedVenue(cfg, { store, marketData, clock, guard });
        // Over one venue the account is that venue: reconciled and risk-checked whole, as before.
        const single = new Set(Object.values(cfg.venues.routing)).size === 1;
        a = { venue: unified, forPair: (pair) => (single ? unified : unified.venueFor(pair)) };
      }
      built.set(mode, a);
    }
    return a;
  };
  const venueFor = (mode: AccountMode, pair?: string): Venue => (pair === undefined ? accountOf(mode).venue : accountOf(mode).forPair(pair));
  const snapshots = store.equity;
  const gatekeeper = new RiskGatekeeper(config.risk);
  const ex = config.execution;
  // Journal changes that are news (an intent recorded, a fill) are stored with their domain events.
  const journal = journalWithEvents(store);
  const execution = new ExecutionService({
    venueFor,
    tradingMode: config.trading.mode,
    decisions: store.decisions,
    journal,
    snapshots,
    gatekeeper,
    marketData,
    freshness: deps.freshness,
    limits: config.risk,
    timeZone: config.agent.timezone,
    clock,
    allowDegraded: ex.allow_degraded,
    settle: { attempts: ex.settle_attempts, intervalMs: ex.settle_interval_ms, graceMs: ex.unknown_grace_seconds * 1000 },
  });
  const account = new AccountService({ venueFor, tradingMode: config.trading.mode, snapshots, clock });
  const view = (mode: AccountMode): VenueView => {
    const v = venueFor(mode);
    return {
      name: v.name,
      positions: () => v.positions(),
      fills: (since) => v.fills(since),
      getOrderByClientId: (id) => v.getOrderByClientId(id),
      equity: () => v.equity(),
      // Called through `v`: in live mode it is the unified venue (a class), guarding each venue it routes to.
      ...(v.advance ? { advance: (pair: string, bar: Parameters<NonNullable<Venue['advance']>>[1]) => v.advance!(pair, bar) } : {}),
      ...(v.processPrices ? { processPrices: () => v.processPrices!() } : {}),
    };
  };
  return { breakers, view, journal, gatekeeper, execution, account };
}
