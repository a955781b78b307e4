import type { Decimal, Fill, PositionSide, VenueOrder } from '../../core/order.js';

/** Persistent records of a paper account. Decimals are strings, times ms. */
export interface PaperAccountRecord {
  id: string;
  currency: string;
  cash: Decimal;
  initialCash: Decimal;
  createdAt: number;
}

export interface PaperOrderRecord extends VenueOrder {
  stopLossPrice: Decimal | null;
  takeProfitPrice: Decimal | null;
  reduceOnly: boolean;
  updatedAt: number;
}

export interface PaperPositionRecord {
  pair: string;
  side: PositionSide;
  units: Decimal;
  entryPrice: Decimal;
  openedAt: number;
  stopLossPrice: Decimal | null;
  takeProfitPrice: Decimal | null;
  /** Last price seen for the pair (fill or price update), the fallback mark. */
  markPrice: Decimal | null;
}

export interface PaperFillRecord extends Fill {
  /** P&L the fill realised: price P&L of the units it closed minus its own fee. */
  realizedPnl: Decimal;
}

/** One account's book inside a transaction. */
export interface PaperBook {
  account(): PaperAccountRecord;
  setCash(cash: Decimal): void;
  position(pair: string): PaperPositionRecord | null;
  positions(): PaperPositionRecord[];
  /** Writes the position of `pair`, or deletes it when null. */
  savePosition(pair: string, p: PaperPositionRecord | null): void;
  setMark(pair: string, price: Decimal): void;
  order(venueOrderId: string): PaperOrderRecord | null;
  orderByClientId(clientOrderId: string): PaperOrderRecord | null;
  /** Resting orders, oldest first. */
  openOrders(pair?: string): PaperOrderRecord[];
  /** Inserts or updates by venue order id; a second order with an existing client order id violates a unique constraint. */
  saveOrder(o: PaperOrderRecord): void;
  addFill(f: PaperFillRecord): void;
  /** Oldest first. */
  fills(since?: number): PaperFillRecord[];
}

/**
 * Storage of paper accounts. `transact` runs `fn` synchronously in one database transaction:
 * every write lands or none does, and no other work interleaves, so a check ("is this client
 * order id new? is there cash?") and the writes it allows are atomic, even across processes.
 */
export interface PaperRepository {
  transact<T>(accountId: string, opening: { currency: string; cash: Decimal; now: number }, fn: (book: PaperBook) => T): T;
}
