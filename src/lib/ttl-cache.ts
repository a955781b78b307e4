import { FfeError } from '../core/errors.js';

export interface TtlCacheOptions {
  ttlMs: number;
  /** Oldest entries are evicted beyond this many (default 256). */
  maxEntries?: number;
  now?: () => number;
}

interface Entry<V> {
  value: V;
  expiresAt: number;
}

/**
 * A small time-to-live cache. `getOrLoad` shares one in-flight load between concurrent callers
 * of the same key and stores only successes, so a failure is retried by the next caller.
 */
export class TtlCache<V> {
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;
  private readonly entries = new Map<string, Entry<V>>();
  private readonly inFlight = new Map<string, Promise<V>>();

  constructor(opts: TtlCacheOptions) {
    if (!(opts.ttlMs >= 0) || !Number.isFinite(opts.ttlMs)) {
      throw new FfeError('config', 'TTL_CACHE_INVALID', `cache TTL must be a number of ms ≥ 0 (got ${opts.ttlMs})`);
    }
    this.ttlMs = opts.ttlMs;
    this.maxEntries = Math.max(1, opts.maxEntries ?? 256);
    this.now = opts.now ?? Date.now;
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: string): V | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (this.now() >= e.expiresAt) {
      this.entries.delete(key);
      return undefined;
    }
    return e.value;
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  set(key: string, value: V): void {
    if (this.ttlMs === 0) return;
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt: this.now() + this.ttlMs });
    // Map iteration order is insertion order, so the first key is the oldest write.
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }

  async getOrLoad(key: string, load: () => Promise<V>): Promise<V> {
    const hit = this.get(key);
    if (hit !== undefined) return hit;
    const pending = this.inFlight.get(key);
    if (pending) return pending;
    const p = (async () => {
      try {
        const value = await load();
        this.set(key, value);
        return value;
      } finally {
        this.inFlight.delete(key);
      }
    })();
    this.inFlight.set(key, p);
    return p;
  }
}
