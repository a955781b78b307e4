import { isFfeError } from '../core/errors.js';
import type { CircuitBreaker } from '../lib/circuit-breaker.js';
import type { Venue } from '../venues/port.js';

/**
 * Whether a venue error says the venue is unhealthy (and may not have acted). Rejections,
 * missing funds or unknown orders are answers from a working venue and never open the circuit.
 */
export function isVenueOutage(e: unknown): boolean {
  if (!isFfeError(e)) return true;
  if (e.details?.outcome === 'unknown') return true;
  return ['VENUE_TIMEOUT', 'VENUE_UNAVAILABLE', 'VENUE_BAD_RESPONSE'].includes(e.code);
}

/** The venue with every call passing through its circuit breaker (one breaker per venue: see app/execution-setup.ts). */
export function guardVenue(venue: Venue, breaker: CircuitBreaker): Venue {
  const run = <T>(fn: () => Promise<T>) => breaker.run(fn);
  return {
    name: venue.name,
    capabilities: venue.capabilities,
    balances: () => run(() => venue.balances()),
    equity: () => run(() => venue.equity()),
    positions: () => run(() => venue.positions()),
    openOrders: () => run(() => venue.openOrders()),
    placeOrder: (req) => run(() => venue.placeOrder(req)),
    cancelOrder: (id) => run(() => venue.cancelOrder(id)),
    getOrderByClientId: (id) => run(() => venue.getOrderByClientId(id)),
    fills: (since) => run(() => venue.fills(since)),
    closePosition: (id, cid) => run(() => venue.closePosition(id, cid)),
    // Simulated venues' price processing goes through the same breaker, so the agent's replay feed
    // and the monitor loop use this one guarded venue rather than a second handle.
    ...(venue.processPrices ? { processPrices: () => run(() => venue.processPrices!()) } : {}),
    ...(venue.advance ? { advance: (pair: string, bar: Parameters<NonNullable<Venue['advance']>>[1]) => run(() => venue.advance!(pair, bar)) } : {}),
  };
}
