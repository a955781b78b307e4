/**
 * Named, time-limited locks held by one holder at a time (the runtime's trading lease; across
 * instances when they share a database). A lease is one row per name; times are ms on the
 * caller's clock, which every holder of a name must share (wall clock across processes).
 */
export interface LeaseRepository {
  /** Takes the lease when it is free, expired (`expiresAt ≤ now`) or already ours; it then runs to now + ttlMs. */
  tryAcquire(name: string, holder: string, ttlMs: number, now: number): Promise<boolean>;
  /**
   * Extends our lease to now + ttlMs. False when the row is no longer ours (someone acquired it
   * after it expired, or it was released); true while nobody else took it, even past expiry.
   */
  renew(name: string, holder: string, ttlMs: number, now: number): Promise<boolean>;
  /** Gives the lease up if we hold it; no-op otherwise. */
  release(name: string, holder: string): Promise<void>;
  /** The current, unexpired holder, or null. */
  holder(name: string, now: number): Promise<{ holder: string; expiresAt: number } | null>;
}
