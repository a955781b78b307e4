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
  account(): Promise<PaperAccountRecord>;
  setCash(cash: Decimal): Promise<void>;
  position(pair: string): Promise<PaperPositionRecord | null>;
  /** By pair. */
  positions(): Promise<PaperPositionRecord[]>;
  /** Writes the position of `pair`, or deletes it when null. */
  savePosition(pair: string, p: PaperPositionRecord | null): Promise<void>;
  setMark(pair: string, price: Decimal): Promise<void>;
  order(venueOrderId: string): Promise<PaperOrderRecord | null>;
  orderByClientId(clientOrderId: string): Promise<PaperOrderRecord | null>;
  /** Resting orders, oldest first. */
  openOrders(pair?: string): Promise<PaperOrderRecord[]>;
  /** Inserts or updates by venue order id; a second order with an existing client order id violates a unique constraint. */
  saveOrder(o: PaperOrderRecord): Promise<void>;
  /** Records a fill of an order already saved in this account (`f.venueOrderId`). */
  addFill(f: PaperFillRecord): Promise<void>;
  /** Oldest first. */
  fills(since?: number): Promise<PaperFillRecord[]>;
}

/**
 * Storage of paper accounts. `transact` runs `fn` in one database transaction (a nested one
 * when the repository belongs to a store transaction): every write lands or none does, and no
 * other writer interleaves, so a check ("is this client order id new? is there cash?") and the
 * writes it allows are atomic, even across processes. Use the book only inside `fn`, and keep
 * `fn` to the book (no network calls: other writers wait for it).
 */
export interface PaperRepository {
  transact<T>(accountId: string, opening: { currency: string; cash: Decimal; now: number }, fn: (book: PaperBook) => Promise<T>): Promise<T>;
  /**
   * Optional: `fn` only reads the book (one consistent snapshot), without taking the write lock.
   * Engines without it are read through `transact`.
   */
  view?<T>(accountId: string, opening: { currency: string; cash: Decimal; now: number }, fn: (book: PaperBook) => Promise<T>): Promise<T>;
  /**
   * Optional: the mark of `pair` for a price with nothing to act on — the account exists (a
   * transaction of this repository opened it) and has neither a position nor a resting order in
   * `pair`, so all a transaction would do is set the mark. True when so: the mark is set, or
   * waits for the next transaction on the store's connection (SQLite: no commit of its own; it is
   * then written only if the pair is still idle, so it never overwrites the mark of a position
   * opened meanwhile). False: nothing written; apply the price in a transaction.
   */
  markIdle?(accountId: string, pair: string, price: Decimal): Promise<boolean>;
  /**
   * Optional: the mark of `pair` for a bar its caller found, on a read of the book, to act on
   * nothing else (no resting order in `pair`, the position's stop and target not reached): the
   * write a transaction would make of that bar. The store may hold it for its next transaction
   * on the same connection (SQLite: no commit of its own), its reads of positions answering with
   * it meanwhile. For a sole writer that checks and marks with nothing in between (a replay's feed).
   */
  markQuiet?(accountId: string, pair: string, price: Decimal): Promise<void>;
}
