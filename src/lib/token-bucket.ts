import { systemClock, type Clock } from '../core/clock.js';
import { FfeError } from '../core/errors.js';

export interface TokenBucketOptions {
  /** Most tokens held at once: how many calls may go out back to back after a quiet spell. */
  capacity: number;
  /** Tokens added per minute. */
  refillPerMinute: number;
  /** Time source; tests pass a ManualClock so waiting advances virtual time instead of the wall clock. */
  clock?: Clock;
}

/**
 * A token bucket whose callers queue for a token (first come, first served) instead of failing.
 * It starts full, so the first `capacity` calls go out at once.
 */
export class TokenBucket {
  readonly capacity: number;
  private readonly perMs: number;
  private readonly clock: Clock;
  private tokens: number;
  private updatedAt: number;
  // Waiters are chained so a late caller can never overtake one that is already sleeping.
  private tail: Promise<void> = Promise.resolve();

  constructor(opts: TokenBucketOptions) {
    if (!(opts.capacity >= 1) || !Number.isFinite(opts.capacity)) {
      throw new FfeError('config', 'TOKEN_BUCKET_INVALID', `token bucket capacity must be a number ≥ 1 (got ${opts.capacity})`);
    }
    if (!(opts.refillPerMinute > 0) || !Number.isFinite(opts.refillPerMinute)) {
      throw new FfeError('config', 'TOKEN_BUCKET_INVALID', `token bucket refill must be a positive number per minute (got ${opts.refillPerMinute})`);
    }
    this.capacity = opts.capacity;
    this.perMs = opts.refillPerMinute / 60_000;
    this.clock = opts.clock ?? systemClock;
    this.tokens = this.capacity;
    this.updatedAt = this.clock.now();
  }

  /** Tokens available right now (fractional while refilling). */
  available(): number {
    this.refill();
    return this.tokens;
  }

  /** Takes a token if one is available now, without waiting. */
  tryTake(): boolean {
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Resolves once a token was taken; rejects with the signal's reason if aborted while queued. */
  take(signal?: AbortSignal): Promise<void> {
    const turn = this.tail.then(() => this.acquire(signal));
    this.tail = turn.catch(() => undefined);
    return turn;
  }

  /** Empties the bucket, e.g. after the server said we are over its limit. */
  drain(): void {
    this.refill();
    this.tokens = Math.min(this.tokens, 0);
  }

  private async acquire(signal?: AbortSignal): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      if (this.tryTake()) return;
      await this.clock.sleep(Math.max(1, Math.ceil((1 - this.tokens) / this.perMs)), signal);
    }
  }

  private refill(): void {
    const now = this.clock.now();
    if (now > this.updatedAt) {
      this.tokens = Math.min(this.capacity, this.tokens + (now - this.updatedAt) * this.perMs);
    }
    this.updatedAt = now;
  }
}
