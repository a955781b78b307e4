import type { EventOutbox } from '../../store/port.js';
import type { EventBus } from '../event-bus.js';

/** A prompt nudge between instances (Redis pub/sub): "I committed events up to seq N". Optional: without it the relay polls. */
export interface EventNudge {
  announce(seq: number): Promise<void>;
  /** Calls `on` when another instance announced; resolves once listening. */
  listen(on: () => void): Promise<void>;
  close(): Promise<void>;
}

export interface EventRelayOptions {
  outbox: Pick<EventOutbox, 'since' | 'latestSeq'>;
  bus: EventBus;
  /** How often the outbox is read when no nudge came (the fallback, and the only path without Redis). */
  pollMs: number;
  nudge?: EventNudge | null;
  /** A failed read or nudge (the store or Redis away): logged, retried on the next poll. */
  log?(message: string): void;
}

const PAGE = 500;

/**
 * Feeds the every-instance subscribers (WebSocket clients, cached status) with every committed
 * event, whichever process committed it, in strict seq order: the outbox in the shared store is
 * the source, so nothing is lost or reordered whatever Redis does. A commit here reads at once; a
 * commit elsewhere is seen at the next poll, or at once when the other instance's Redis nudge
 * says so. (Publishing our own events at commit and the others' later would interleave them out
 * of order, and a client resuming by seq would skip some.)
 *
 * Writers are serialised (one store transaction at a time on SQLite and PostgreSQL alike), so
 * seqs commit in order and the cursor never passes an event still to commit.
 */
export class EventRelay {
  private cursor = 0;
  private timer: NodeJS.Timeout | null = null;
  private draining: Promise<void> | null = null;
  private again = false;
  private unsubscribe: (() => void) | null = null;
  private closed = false;

  constructor(private readonly o: EventRelayOptions) {}

  /** Starts from the newest committed event (earlier ones are history: clients ask for them with ?after=seq). */
  async start(): Promise<void> {
    this.cursor = await this.o.outbox.latestSeq();
    this.o.bus.relayed = true;
    this.unsubscribe = this.o.bus.subscribe((e) => {
      void this.drain();
      this.o.nudge?.announce(e.seq).catch((err: unknown) => this.o.log?.(`event relay: announce failed: ${(err as Error).message}`));
    });
    await this.o.nudge?.listen(() => void this.drain());
    this.timer = setInterval(() => void this.drain(), this.o.pollMs);
    this.timer.unref();
  }

  /** Reads what committed since the cursor and publishes it; concurrent calls coalesce into one more pass. */
  drain(): Promise<void> {
    if (this.draining) {
      this.again = true;
      return this.draining;
    }
    this.draining = (async () => {
      try {
        do {
          this.again = false;
          await this.pass();
        } while (this.again && !this.closed);
      } catch (e) {
        this.o.log?.(`event relay: ${(e as Error).message}`);
      } finally {
        this.draining = null;
      }
    })();
    return this.draining;
  }

  private async pass(): Promise<void> {
    for (;;) {
      const page = await this.o.outbox.since(this.cursor, PAGE);
      if (page.length === 0 || this.closed) return;
      this.cursor = page[page.length - 1]!.seq;
      this.o.bus.publish(page, 'relay');
      if (page.length < PAGE) return;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.unsubscribe?.();
    await this.draining;
    this.o.bus.relayed = false;
    await this.o.nudge?.close();
  }
}
