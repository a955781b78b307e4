import { isFfeError } from '../core/errors.js';
import type { Store } from '../store/port.js';
import type { RuntimeObservers } from './observers.js';

/** The Store port's repositories: their asynchronous methods are what gets timed. */
const REPOSITORIES: ReadonlySet<string> = new Set<keyof Store>([
  'decisions',
  'candles',
  'events',
  'leases',
  'equity',
  'orders',
  'paper',
  'memory',
  'monitor',
  'closeReasons',
  'approvals',
  'agentState',
  'cassettes',
  'providerUsage',
  'backtestResults',
  'breakers',
  'auth',
  'audit',
  'jobs',
  'idempotency',
  'fundamentals',
]);

/** A storage failure, not a domain refusal raised while a repository checked something (LAST_ADMIN, …). */
const storageFailure = (e: unknown) => !isFfeError(e) || e.code.startsWith('STORE_');

/**
 * The store as the runtime uses it, each asynchronous repository method and each transaction
 * reported to `observers` (`<repository>.<method>`, time, whether storage failed); repositories
 * used inside a transaction through its `tx` are reported too. Synchronous methods (listeners)
 * and plain fields pass through. With no store listener, calls are not timed at all.
 */
export function observedStore<S extends Store>(store: S, observers: RuntimeObservers): S {
  const repos = new Map<string, object>();
  return new Proxy(store, {
    get(target, prop) {
      const v = Reflect.get(target, prop, target) as unknown;
      if (typeof prop !== 'string') return v;
      if (prop === 'transaction') {
        return <T>(fn: (tx: Store) => Promise<T>) => timed(observers, 'transaction', () => target.transaction((tx) => fn(observedStore(tx, observers))));
      }
      if (typeof v === 'function') return (v as (...a: unknown[]) => unknown).bind(target);
      if (!REPOSITORIES.has(prop) || v === null || typeof v !== 'object') return v;
      let r = repos.get(prop);
      if (!r) {
        r = observedRepository(v, prop, observers);
        repos.set(prop, r);
      }
      return r;
    },
  });
}

function observedRepository(repo: object, name: string, observers: RuntimeObservers): object {
  const methods = new Map<string, unknown>();
  return new Proxy(repo, {
    get(target, prop) {
      const v = Reflect.get(target, prop, target) as unknown;
      if (typeof prop !== 'string' || typeof v !== 'function') return v;
      let m = methods.get(prop);
      if (!m) {
        const fn = v as (...a: unknown[]) => unknown;
        const operation = `${name}.${prop}`;
        // Unwatched (a replay, a CLI command), a call costs the bare call: no closure per call.
        m = (...args: unknown[]) => (observers.watchingStore ? timed(observers, operation, () => fn.apply(target, args)) : fn.apply(target, args));
        methods.set(prop, m);
      }
      return m;
    },
  });
}

/** Runs `call`; a promise it returns is timed to its settling. A synchronous result is passed on untimed. */
function timed<T>(observers: RuntimeObservers, operation: string, call: () => T): T {
  if (!observers.watchingStore) return call();
  const started = performance.now();
  const out = call();
  if (!(out instanceof Promise)) return out;
  return out.then(
    (v: unknown) => {
      observers.storeCall({ operation, ms: performance.now() - started, ok: true });
      return v;
    },
    (e: unknown) => {
      observers.storeCall({ operation, ms: performance.now() - started, ok: !storageFailure(e) });
      throw e;
    },
  ) as T;
}
