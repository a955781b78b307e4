/** One decision-provider call: who answered (or failed) for which pair, how long it took and how it ended. */
export interface ProviderCall {
  provider: string;
  pair: string;
  ms: number;
  /** `ok`, or the provider's failure code in lower case (`timeout`, `http`, …). */
  status: string;
}

/** One store operation through the Store port: `<repository>.<method>` or `transaction`. */
export interface StoreCall {
  operation: string;
  ms: number;
  /** False when it threw a storage failure (not a domain refusal). */
  ok: boolean;
}

type Listener<T> = (x: T) => void;

/**
 * Hooks for what the domain does not report as events: provider calls and store operations.
 * The composition root feeds them; the application's metrics listen. A listener that throws is
 * ignored: observing never changes the outcome of the call it observes.
 */
export class RuntimeObservers {
  private readonly provider = new Set<Listener<ProviderCall>>();
  private readonly store = new Set<Listener<StoreCall>>();

  onProviderCall(fn: Listener<ProviderCall>): () => void {
    this.provider.add(fn);
    return () => void this.provider.delete(fn);
  }

  onStoreCall(fn: Listener<StoreCall>): () => void {
    this.store.add(fn);
    return () => void this.store.delete(fn);
  }

  /** Whether anything listens to store calls (the store decorator skips timing otherwise). */
  get watchingStore(): boolean {
    return this.store.size > 0;
  }

  providerCall(c: ProviderCall): void {
    notify(this.provider, c);
  }

  storeCall(c: StoreCall): void {
    notify(this.store, c);
  }
}

function notify<T>(listeners: Set<Listener<T>>, x: T): void {
  for (const l of listeners) {
    try {
      l(x);
    } catch {
      // An observer's failure is not the call's.
    }
  }
}
