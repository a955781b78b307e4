import type { DomainEvent, NewDomainEvent } from '../../core/events.js';
import type { Store } from '../port.js';

/** Gets events once they committed, in seq order (the runtime's event bus publishes them). */
export type CommittedListener = (events: readonly DomainEvent[]) => void;

/**
 * Gets the events a store transaction appended, in seq order, just before it commits, with the
 * transaction's store: what it writes there commits with them, atomically (a rejection fails
 * the transaction, so a listener catches what it can live without).
 */
export type CommittingListener = (events: readonly DomainEvent[], tx: Store) => Promise<void>;

/**
 * The domain event outbox. Append inside the same store transaction as the state change the
 * event reports (`store.transaction(async (tx) => { ...; await tx.events.append(e) })`); the
 * store reports what a transaction appended to its `onCommitted` listeners once it committed
 * (never when it rolled back), so whoever appends never publishes.
 */
export interface EventOutbox {
  /** Stores the event and returns its seq: greater than every seq committed before it. */
  append(e: NewDomainEvent): Promise<number>;
  /** Committed events with seq > afterSeq, ascending; at most `limit` when given. */
  since(afterSeq: number, limit?: number): Promise<DomainEvent[]>;
  /** Highest committed seq, 0 when empty. */
  latestSeq(): Promise<number>;
  /**
   * Calls `listener` with the events of each transaction after it committed (an append outside
   * any transaction: after its own write), for appends through this store or any of its
   * transactions; not for other processes' appends (they read `since`). A listener that throws
   * is ignored. Returns the unsubscribe function.
   */
  onCommitted(listener: CommittedListener): () => void;
  /**
   * Optional: calls `listener` with the events of each store transaction (appended through it or
   * its savepoints, those of rolled-back savepoints left out) before it commits; appends outside
   * any transaction are not reported here. Returns the unsubscribe function.
   */
  onCommitting?(listener: CommittingListener): () => void;
}
