import type { Balance, Fill, OrderRequest, Position, VenueOrder } from '../core/order.js';

export interface VenueCapabilities {
  market: boolean;
  limit: boolean;
  /** Stop-loss / take-profit can be attached to the entry order. */
  attachedStops: boolean;
  short: boolean;
  /** Orders can be looked up by our client order id (needed for exactly-once settlement). */
  queryByClientId: boolean;
  /** Asset classes this venue trades. */
  assetClasses: ('crypto' | 'forex' | 'stock')[];
  /** Simulated venue (paper, backtest): no real money. */
  simulated: boolean;
}

/** One bar of a pair, as a simulated venue acts on it (`advance`). */
export interface BarPrices {
  /** The bar's first trade: a bar opening through a stop or target fills it there (core's fill rule). Absent: levels fill at their price. */
  open?: number;
  high: number;
  low: number;
  close: number;
  /** ms; the time fills triggered by this bar are stamped with. */
  timestamp: number;
  /** Units traded in the bar (a simulated venue's fill model works against it); absent: unknown. */
  volume?: number;
}

/**
 * The Venue port. Adapters live in src/venues/<name>/ and pass test/contract/venue.contract.ts.
 * `placeOrder` is NOT retried blindly by callers: an unknown outcome (timeout, crash) is settled
 * with `getOrderByClientId`.
 */
export interface Venue {
  readonly name: string;
  readonly capabilities: VenueCapabilities;
  balances(): Promise<Balance[]>;
  /** Total account value in the account currency (cash + positions at mark). */
  equity(): Promise<{ currency: string; value: string }>;
  positions(): Promise<Position[]>;
  openOrders(): Promise<VenueOrder[]>;
  placeOrder(req: OrderRequest): Promise<VenueOrder>;
  cancelOrder(venueOrderId: string): Promise<VenueOrder>;
  /** The order with this client id, or null when the venue never received it. */
  getOrderByClientId(clientOrderId: string): Promise<VenueOrder | null>;
  /** Fills since `since` (ms), oldest first. */
  fills(since?: number): Promise<Fill[]>;
  /** Closes (flattens) a position with a market order carrying `clientOrderId`. */
  closePosition(positionId: string, clientOrderId: string): Promise<VenueOrder>;
  /**
   * Simulated venues only: applies current prices to resting limit orders and attached
   * stop-loss / take-profit, returning the orders that filled. Real venues do this themselves.
   */
  processPrices?(): Promise<VenueOrder[]>;
  /**
   * Simulated venues only: processes resting orders and attached stop-loss / take-profit of
   * `pair` at one bar (a replay's feed), returning the orders that filled. Wrappers forward it, so
   * the one guarded venue of an account serves the replay too.
   */
  advance?(pair: string, bar: BarPrices): Promise<VenueOrder[]>;
}
