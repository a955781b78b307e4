import { classifyStoreError } from '../app/store-errors.js';
import type { Runtime } from './runtime.js';

/** A storage failure (read-only, full disk, locked, damaged) as one clear error naming the store; anything else unchanged. */
export const storeFailure = (rt: Runtime, e: unknown): unknown => classifyStoreError(e, rt.app.store.location);

/**
 * A group of use cases whose storage failures, whenever they happen during a call (not only while
 * the store opens), reach every interface as one classified error naming the store, so neither
 * the CLI nor the API reports SQLite's raw "attempt to write a readonly database".
 */
export function classifyingStoreFailures<T extends object>(group: T, rt: Runtime): T {
  return new Proxy(group, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver) as unknown;
      // Nested groups (trading.approvals) are use cases too.
      if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) return classifyingStoreFailures(v, rt);
      if (typeof v !== 'function') return v;
      return (...args: unknown[]) => {
        let out: unknown;
        try {
          out = (v as (...a: unknown[]) => unknown).apply(target, args);
        } catch (e) {
          throw storeFailure(rt, e);
        }
        return out instanceof Promise ? out.catch((e: unknown) => Promise.reject(storeFailure(rt, e))) : out;
      };
    },
  });
}
