import type { Config } from '../config/schema.js';
import type { Clock } from '../core/clock.js';
import type { FreshnessThresholds } from '../core/freshness.js';
import type { MarketData } from '../data/port.js';
import { AccountService } from '../execution/account.js';
import { ExecutionService } from '../execution/execution-service.js';
import { guardVenue, isVenueOutage } from '../execution/guarded-venue.js';
import type { AccountMode } from '../execution/mode.js';
import { BreakerRegistry } from '../lib/circuit-breaker.js';
import { RiskGatekeeper } from '../risk/gatekeeper.js';
import { SqliteBreakerStates } from '../store/sqlite/breaker-state-repository.js';
import { SqliteEquitySnapshotRepository } from '../store/sqlite/equity-snapshot-repository.js';
import { SqliteOrderJournal } from '../store/sqlite/order-journal-repository.js';
import type { SqliteStore } from '../store/sqlite/store.js';
import type { Venue } from '../venues/port.js';
import type { OrderJournal } from '../execution/port.js';
import { buildVenue } from './venue-setup.js';

/** An account's one guarded venue without its order methods: the agent's reads and a simulated venue's price feed. */
export type VenueView = Pick<Venue, 'name' | 'positions' | 'fills' | 'getOrderByClientId' | 'equity' | 'advance' | 'processPrices'>;

export interface TradingSetup {
  breakers: BreakerRegistry;
  /** The guarded venue of an account, read-only (orders go through `execution` only). */
  view(mode: AccountMode): VenueView;
  /** The order journal the execution service writes (the monitor reads it and journals venue-side exits). */
  journal: OrderJournal;
  gatekeeper: RiskGatekeeper;
  /** The only holder of venues that can place orders. */
  execution: ExecutionService;
  /** Balances, positions and equity; read-only. */
  account: AccountService;
}

export interface TradingDeps {
  store: SqliteStore;
  marketData: MarketData;
  clock: Clock;
  freshness: FreshnessThresholds;
}

/**
 * Venues are built on first use (the live one may load ccxt) and only ever handed to the
 * execution and account services, each call guarded by the venue's circuit breaker.
 */
export function buildTrading(config: Config, deps: TradingDeps): TradingSetup {
  const { store, marketData, clock } = deps;
  const cb = config.circuit_breaker;
  const breakers = new BreakerRegistry({ failureThreshold: cb.failure_threshold, openMs: cb.open_seconds * 1000, isFailure: isVenueOutage }, clock, new SqliteBreakerStates(store.sqlite));
  // Created up front so `ffe status` lists the paper venue's breaker before any venue is built.
  breakers.get('venue:paper');
  const built = new Map<AccountMode, Venue>();
  const venueFor = (mode: AccountMode): Venue => {
    let v = built.get(mode);
    if (!v) {
      const raw = buildVenue({ ...config, trading: { ...config.trading, mode } }, { store, marketData, clock });
      v = guardVenue(raw, breakers.get(mode === 'paper' ? 'venue:paper' : `venue:live:${raw.name}`));
      built.set(mode, v);
    }
    return v;
  };
  const snapshots = new SqliteEquitySnapshotRepository(store.sqlite);
  const gatekeeper = new RiskGatekeeper(config.risk);
  const ex = config.execution;
  const journal = new SqliteOrderJournal(store.sqlite);
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
      ...(v.advance ? { advance: v.advance } : {}),
      ...(v.processPrices ? { processPrices: v.processPrices } : {}),
    };
  };
  return { breakers, view, journal, gatekeeper, execution, account };
}
