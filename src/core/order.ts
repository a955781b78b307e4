/**
 * Orders, fills, positions and balances. Quantities and money are decimal strings
 * (e.g. "0.015", "1423.50"): exact, and portable to PostgreSQL NUMERIC. Convert with
 * Number() only for analytics, never for bookkeeping.
 */
export type Decimal = string;
export type OrderSide = 'buy' | 'sell';
export type OrderType = 'market' | 'limit';
export type OrderStatus = 'open' | 'partially_filled' | 'filled' | 'cancelled' | 'rejected' | 'expired';
export type PositionSide = 'long' | 'short';

export interface OrderRequest {
  /** Deterministic, idempotent id chosen by us (derived from the decision), sent to the venue. */
  clientOrderId: string;
  pair: string;
  side: OrderSide;
  type: OrderType;
  /** Base-asset units (shares, coins, currency units). */
  units: Decimal;
  limitPrice?: Decimal;
  /** Attached protective orders, where the venue supports them (capabilities.attachedStops). */
  stopLossPrice?: Decimal;
  takeProfitPrice?: Decimal;
  /** Only reduce an existing position, never open or flip one. */
  reduceOnly?: boolean;
}

export interface VenueOrder {
  venueOrderId: string;
  clientOrderId: string;
  pair: string;
  side: OrderSide;
  type: OrderType;
  units: Decimal;
  filledUnits: Decimal;
  /** Volume-weighted fill price, null until something filled. */
  averagePrice: Decimal | null;
  limitPrice: Decimal | null;
  status: OrderStatus;
  /** ms. */
  createdAt: number;
  fees: Decimal;
  /** Venue's reason for a rejection, when given. */
  reason?: string;
}

export interface Fill {
  fillId: string;
  venueOrderId: string;
  clientOrderId: string;
  pair: string;
  side: OrderSide;
  units: Decimal;
  price: Decimal;
  fee: Decimal;
  feeCurrency: string;
  /** ms. */
  timestamp: number;
  /** Set when the venue's own stop-loss or take-profit, attached to an earlier order, made this fill. */
  exit?: 'stop-loss' | 'take-profit';
}

export interface Position {
  /** Stable id at the venue (or pair for netting venues). */
  id: string;
  venue: string;
  pair: string;
  side: PositionSide;
  units: Decimal;
  entryPrice: Decimal;
  markPrice: Decimal | null;
  unrealizedPnl: Decimal;
  /** ms, when known. */
  openedAt: number | null;
  stopLossPrice: Decimal | null;
  takeProfitPrice: Decimal | null;
}

export interface Balance {
  currency: string;
  total: Decimal;
  available: Decimal;
}
