import type { Candle } from '../core/candle.js';
import type { Decision } from '../core/decision.js';
import type { Timeframe } from '../core/timeframe.js';
import type { EventOutbox } from './ports/events.js';
import type { LeaseRepository } from './ports/leases.js';

export type { EventOutbox } from './ports/events.js';
export type { LeaseRepository } from './ports/leases.js';

/**
 * Storage ports. Engines depend on these interfaces; src/store/<engine>/ implements them.
 * Later capabilities add their own repository ports beside their code and implement them
 * in the same engine folder.
 */
export interface DecisionQuery {
  assetPair?: string;
  limit?: number;
}

export interface DecisionRepository {
  save(d: Decision): Promise<void>;
  get(id: string): Promise<Decision | null>;
  /** Newest first. */
  list(q?: DecisionQuery): Promise<Decision[]>;
  /** Records that a decision was acted on (idempotent), with what happened. */
  markExecuted(id: string, execution: Record<string, unknown>): Promise<void>;
}

export interface StoredSeries {
  pair: string;
  timeframe: Timeframe;
  source: string;
  first: number;
  last: number;
  bars: number;
  importedAt: string;
}

export interface CandleRepository {
  /**
   * Replaces the stored bars of (pair, timeframe) in the covered range with `candles`, in one
   * transaction: either all rows land or none do.
   */
  importSeries(pair: string, timeframe: Timeframe, candles: readonly Candle[], source: string): Promise<{ inserted: number }>;
  /** Bars with open time in [from, to), oldest first; `limit` keeps the most recent. */
  range(pair: string, timeframe: Timeframe, q: { from?: number; to?: number; limit?: number }): Promise<Candle[]>;
  series(): Promise<StoredSeries[]>;
}

export interface Store {
  readonly engine: string;
  readonly location: string;
  readonly decisions: DecisionRepository;
  readonly candles: CandleRepository;
  readonly events: EventOutbox;
  readonly leases: LeaseRepository;
  /**
   * Unit of work: every repository used through `tx` writes inside one database transaction,
   * committed when `fn` resolves and rolled back when it throws. The write lock is taken at the
   * start, so a read-check-write inside `fn` is atomic against other transactions, in this
   * process and in others sharing the database. Inside `fn`, use `tx` only: the outer store
   * waits until the transaction ends (so calling it from `fn` would wait on itself). Keep `fn`
   * short and free of network calls: other writers queue behind it. `tx.transaction` nests (a
   * savepoint: an inner failure undoes only the inner writes).
   */
  transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T>;
  /** Closes the root store; a transaction's `tx` cannot be closed. */
  close(): Promise<void>;
}
