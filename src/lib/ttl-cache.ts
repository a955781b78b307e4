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

interface InFlight<V> {
  promise: Promise<V>;
  controller: AbortController;
  /** Callers still waiting; a caller without a signal can never leave, so it pins the load. */
  waiters: number;
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
  private readonly inFlight = new Map<string, InFlight<V>>();

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

  /**
   * The cached value, or the result of `load`. Concurrent callers of one key share a single load;
   * a caller whose `signal` aborts stops waiting at once, and the load itself is aborted (through
   * the signal it was given) only when every caller waiting for it has gone.
   */
  getOrLoad(key: string, load: (signal: AbortSignal) => Promise<V>, signal?: AbortSignal): Promise<V> {
    const hit = this.get(key);
    if (hit !== undefined) return Promise.resolve(hit);
    if (signal?.aborted) return Promise.reject(signal.reason);
    let flight = this.inFlight.get(key);
    if (!flight) {
      const f: InFlight<V> = { controller: new AbortController(), waiters: 0, promise: Promise.resolve() as Promise<V> };
      f.promise = (async () => {
        try {
          const value = await load(f.controller.signal);
          if (!f.controller.signal.aborted) this.set(key, value);
          return value;
        } finally {
          if (this.inFlight.get(key) === f) this.inFlight.delete(key);
        }
      })();
      // Callers attach their own handlers; this one only keeps a load nobody awaits any more
      // from surfacing as an unhandled rejection.
      f.promise.catch(() => undefined);
      this.inFlight.set(key, f);
      flight = f;
    }
    const f = flight;
    f.waiters++;
    if (!signal) return f.promise;
    return new Promise<V>((resolve, reject) => {
      const onAbort = () => {
        f.waiters--;
        if (f.waiters === 0) {
          if (this.inFlight.get(key) === f) this.inFlight.delete(key);
          f.controller.abort(signal.reason);
        }
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      f.promise.then(
        (v) => {
          signal.removeEventListener('abort', onAbort);
          resolve(v);
        },
        (e) => {
          signal.removeEventListener('abort', onAbort);
          reject(e);
        },
      );
    });
  }
}
