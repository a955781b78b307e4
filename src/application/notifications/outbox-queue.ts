/** What a send attempt reports: done, or retry (after `retryAfterMs` when the far end said so), or give up. */
export type SendOutcome = { ok: true } | { ok: false; retryAfterMs?: number; permanent?: boolean };

export interface QueueOptions {
  /** Messages kept; the oldest is dropped (and counted) when one more arrives. */
  max: number;
  /** Tries per message before it is dropped. */
  maxAttempts: number;
  /** Delay before the n-th retry (n ≥ 1) when the far end gave none. */
  backoffMs?: (n: number) => number;
  /** Longest wait honoured from a retry_after (a far end asking for an hour does not stall us for an hour). */
  maxWaitMs?: number;
  /** Timer hook (tests use the real one; kept injectable so stop() can cancel it). */
  sleep?: (ms: number) => Promise<void>;
}

export interface QueueStats {
  queued: number;
  sent: number;
  dropped: number;
  /** Messages that ran out of attempts. */
  failed: number;
  retries: number;
}

const defaultBackoff = (n: number) => Math.min(30_000, 500 * 2 ** (n - 1)) * (1 + Math.random() * 0.1);

/**
 * A bounded outgoing queue with one sender: it never blocks its callers (trading pushes and
 * moves on), keeps at most `max` messages (dropping the oldest, counted), sends them in order,
 * retries a failure with exponential backoff, and waits as long as the far end asks
 * (Telegram's 429 `retry_after`) before the next try.
 */
export class OutgoingQueue<T> {
  private readonly items: { msg: T; attempts: number }[] = [];
  private running = false;
  private stopped = false;
  private wake: (() => void) | null = null;
  private idleWaiters: (() => void)[] = [];
  readonly stats: QueueStats = { queued: 0, sent: 0, dropped: 0, failed: 0, retries: 0 };

  constructor(
    private readonly send: (msg: T) => Promise<SendOutcome>,
    private readonly o: QueueOptions,
    private readonly onDrop: (why: 'overflow' | 'attempts', msg: T) => void = () => undefined,
  ) {}

  push(msg: T): void {
    if (this.stopped) return;
    if (this.items.length >= this.o.max) {
      const old = this.items.shift()!;
      this.stats.dropped++;
      this.onDrop('overflow', old.msg);
    }
    this.items.push({ msg, attempts: 0 });
    this.stats.queued = this.items.length;
    void this.drain();
  }

  get size(): number {
    return this.items.length;
  }

  /** Resolves once the queue is empty (tests, graceful stop). */
  idle(): Promise<void> {
    if (!this.items.length && !this.running) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  /** Stops sending; what is left is dropped. */
  stop(): void {
    this.stopped = true;
    this.wake?.();
  }

  private wait(ms: number): Promise<void> {
    if (this.o.sleep) return this.o.sleep(ms);
    return new Promise((r) => {
      const t = setTimeout(r, ms);
      this.wake = () => {
        clearTimeout(t);
        r();
      };
    });
  }

  private async drain(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (this.items.length && !this.stopped) {
        const head = this.items[0];
        head.attempts++;
        let out: SendOutcome;
        try {
          out = await this.send(head.msg);
        } catch {
          out = { ok: false };
        }
        if (out.ok || out.permanent || head.attempts >= this.o.maxAttempts) {
          // The head may already have been dropped for overflow while it was in flight.
          if (this.items[0] === head) this.items.shift();
          if (out.ok) this.stats.sent++;
          else {
            this.stats.failed++;
            this.onDrop('attempts', head.msg);
          }
          this.stats.queued = this.items.length;
          continue;
        }
        this.stats.retries++;
        const ms = out.retryAfterMs ?? (this.o.backoffMs ?? defaultBackoff)(head.attempts);
        await this.wait(Math.min(ms, this.o.maxWaitMs ?? 300_000));
      }
    } finally {
      this.running = false;
      if (this.stopped) this.items.length = 0;
      if (!this.items.length) for (const r of this.idleWaiters.splice(0)) r();
    }
  }
}
