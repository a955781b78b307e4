import type { DomainEvent, DomainEventType } from '../core/events.js';

export type EventListener = (e: DomainEvent) => void;

/**
 * In-process publication of domain events, after their transaction committed (they are in the
 * outbox first, with their sequence number). The CLI subscribes and formats; a WebSocket,
 * Telegram or dashboard subscribes the same way. A listener that throws never breaks the
 * publisher or the other listeners.
 */
export class EventBus {
  private readonly listeners = new Set<{ fn: EventListener; types: ReadonlySet<DomainEventType> | null }>();

  /** Every event, or only these types; returns the unsubscribe function. */
  subscribe(fn: EventListener, types?: readonly DomainEventType[]): () => void {
    const entry = { fn, types: types ? new Set(types) : null };
    this.listeners.add(entry);
    return () => void this.listeners.delete(entry);
  }

  publish(events: readonly DomainEvent[]): void {
    for (const e of events) {
      for (const l of this.listeners) {
        if (l.types && !l.types.has(e.type)) continue;
        try {
          l.fn(e);
        } catch {
          // A subscriber's failure is its own: the state change has committed regardless.
        }
      }
    }
  }
}
