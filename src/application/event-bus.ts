import type { DomainEvent, DomainEventType } from '../core/events.js';

export type EventListener = (e: DomainEvent) => void;

export interface SubscribeOptions {
  /**
   * Every instance's events (default false: this process's only). Views of shared state (WebSocket
   * clients, cached status) want them; whoever acts once per event (the audit log, notifications,
   * this process's metrics) must not, or each instance would act on every event. While an event
   * relay runs (`ffe serve`: cluster/event-relay.ts), these subscribers get every event, this
   * process's too, from the relay in strict seq order; otherwise from the commit, like the others.
   */
  everyInstance?: boolean;
}

/**
 * In-process publication of domain events, after their transaction committed (they are in the
 * outbox first, with their sequence number). The CLI subscribes and formats; a WebSocket,
 * Telegram or dashboard subscribes the same way. A listener that throws never breaks the
 * publisher or the other listeners.
 */
export class EventBus {
  private readonly listeners = new Set<{ fn: EventListener; types: ReadonlySet<DomainEventType> | null; everyInstance: boolean }>();
  /** Set by the event relay while it runs: it then feeds the every-instance subscribers. */
  relayed = false;

  /** Every event, or only these types; returns the unsubscribe function. */
  subscribe(fn: EventListener, types?: readonly DomainEventType[] | null, opts: SubscribeOptions = {}): () => void {
    const entry = { fn, types: types ? new Set(types) : null, everyInstance: opts.everyInstance === true };
    this.listeners.add(entry);
    return () => void this.listeners.delete(entry);
  }

  /** `local`: committed by this process, as it commits. `relay`: any instance's, in seq order, from the relay. */
  publish(events: readonly DomainEvent[], from: 'local' | 'relay' = 'local'): void {
    for (const e of events) {
      for (const l of this.listeners) {
        if (l.types && !l.types.has(e.type)) continue;
        if (from === 'relay' ? !l.everyInstance : l.everyInstance && this.relayed) continue;
        try {
          l.fn(e);
        } catch {
          // A subscriber's failure is its own: the state change has committed regardless.
        }
      }
    }
  }
}
