import type { Store } from '../../../src/store/port.js';

/** One store under test, empty, fresh per test. */
export interface StoreHarness {
  store: Store;
  /** A second, independent handle on the same database (another process or instance would hold one). */
  reopen?(): Promise<Store>;
  close(): Promise<void>;
}

/** What each area's suite gets from the entry (test/contract/store.contract.ts). */
export interface StoreContext {
  /** A fresh, empty store for this test (closed after it). */
  open(): Promise<Store>;
  /** A second handle on the store `open` returned, or null when the engine has none (in-memory). Closed after the test. */
  other(): Promise<Store | null>;
}

/** Lets other async work run a few turns (so a concurrent flow gets to start). */
export const turns = async (n = 5) => {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
};

/** A promise with its resolver: a transaction held open until the test lets it go. */
export function gate(): { wait: Promise<void>; open(): void } {
  let open = () => {};
  const wait = new Promise<void>((r) => (open = r));
  return { wait, open };
}
