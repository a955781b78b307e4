import { fillModelOf } from '../backtest/fill-model.js';
import type { Config } from '../config/schema.js';
import type { Clock } from '../core/clock.js';
import type { MarketData } from '../data/port.js';
import type { SessionStore } from '../store/session-store.js';
import type { AnyVenueAdapter } from '../venues/adapter.js';
import { PaperVenue } from '../venues/paper/venue.js';
import type { Venue } from '../venues/port.js';
import { UnifiedVenue } from '../venues/unified/venue.js';
import { venueAdapters } from './registry.js';

export interface VenueDeps {
  store: SessionStore;
  marketData: MarketData;
  clock: Clock;
  /**
   * Wraps each venue the unified venue routes to (with that venue's circuit breaker), so an
   * outage of one venue never refuses calls to another.
   */
  guard?: (venue: Venue) => Venue;
}

/** Config → adapter options, one function per venue; registered by name in registry.ts. */
export function paperVenue(cfg: Config, d: VenueDeps, accountId = cfg.paper_trading.account_id): PaperVenue {
  const p = cfg.paper_trading;
  return new PaperVenue({
    repo: d.store.paper,
    // The clock's now, so a replay (agent --replay) fills at the replayed price; past a sample's end it is the sample's last price as before.
    priceOf: (pair) => d.marketData.latestQuote(pair, d.clock.now()),
    clock: d.clock,
    settings: {
      accountId,
      initialBalance: p.initial_balance,
      feeRate: cfg.costs.fee,
      slippageRate: cfg.costs.slippage,
      allowShortStocks: p.allow_short_stocks,
      // The backtest's fill model, so a replay fills as a backtest of the same bars.
      fillModel: fillModelOf(cfg.costs),
      volumeImpact: cfg.costs.volume_impact,
    },
  });
}

/**
 * A registered real venue (src/app/registry.ts) built from its own section `venues.<kind>`.
 * Throws a config error naming the missing key when its credentials are not set.
 */
export function realVenue(kind: string, cfg: Config, d: VenueDeps): Venue {
  const a = venueAdapters.find((v) => v.kind === kind) as AnyVenueAdapter | undefined;
  if (!a) throw new Error(`no venue adapter "${kind}" is registered`);
  return a.create(cfg.venues[a.kind as keyof Config['venues']], { now: () => d.clock.now() });
}

// In live mode an asset class left on paper gets its own simulated account, so live reconciliation
// never sees the positions of paper-mode runs.
const routable = (name: string, cfg: Config, d: VenueDeps): Venue => (name === 'paper' ? paperVenue(cfg, d, `${cfg.paper_trading.account_id}-live-routed`) : realVenue(name, cfg, d));

/** Each asset class on the venue `venues.routing` names; each venue built once. */
export function unifiedVenue(cfg: Config, d: VenueDeps): UnifiedVenue {
  const built = new Map<string, Venue>();
  const pick = (name: string) => {
    if (!built.has(name)) {
      const venue = routable(name, cfg, d);
      built.set(name, d.guard ? d.guard(venue) : venue);
    }
    return built.get(name)!;
  };
  const r = cfg.venues.routing;
  return new UnifiedVenue({ crypto: pick(r.crypto), forex: pick(r.forex), stock: pick(r.stock) });
}
