import type { DomainEvent, NewDomainEvent } from '../../core/events.js';

/**
 * The domain event outbox. Append inside the same store transaction as the state change the
 * event reports (`store.transaction(async (tx) => { ...; await tx.events.append(e) })`).
 */
export interface EventOutbox {
  /** Stores the event and returns its seq: greater than every seq committed before it. */
  append(e: NewDomainEvent): Promise<number>;
  /** Committed events with seq > afterSeq, ascending; at most `limit` when given. */
  since(afterSeq: number, limit?: number): Promise<DomainEvent[]>;
  /** Highest committed seq, 0 when empty. */
  latestSeq(): Promise<number>;
}
