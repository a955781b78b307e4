import type Database from 'better-sqlite3';

/**
 * Writes that may wait for the next transaction on their connection instead of committing on
 * their own: a commit (WAL append) cost more than everything else an idle replay bar did. Each
 * is keyed: a later write with the same key replaces the pending one (only the last value of a
 * row matters). The top-level transaction runs them first, before its own work, so anything it
 * writes lands after them; a transaction that rolls back puts back those not replaced since.
 * The store runs what is left when it closes. A write must be safe to apply late: it checks,
 * in its SQL, what it relies on (see SqlitePaperRepository.markIdle). A write may carry the
 * value it writes, for reads that must see it before it lands (`deferredValue`).
 */
interface Deferred {
  write: () => void;
  value?: string;
}
const pending = new WeakMap<Database.Database, Map<string, Deferred>>();

export function deferWrite(raw: Database.Database, key: string, write: () => void, value?: string): void {
  let m = pending.get(raw);
  if (!m) pending.set(raw, (m = new Map()));
  m.delete(key);
  m.set(key, value === undefined ? { write } : { write, value });
}

/** Drops the write waiting under `key`, if any: a newer value of the row is being written now. */
export function cancelDeferred(raw: Database.Database, key: string): void {
  pending.get(raw)?.delete(key);
}

/** The value the write waiting under `key` writes, when it said (undefined when none waits, or it did not). */
export const deferredValue = (raw: Database.Database, key: string): string | undefined => pending.get(raw)?.get(key)?.value;

/** Runs, on `raw` inside a write transaction, the writes waiting for it; returns them (for `restoreDeferred`), or null when none waited. */
export function runDeferred(raw: Database.Database): Map<string, Deferred> | null {
  const m = pending.get(raw);
  if (!m || m.size === 0) return null;
  pending.delete(raw);
  for (const d of m.values()) d.write();
  return m;
}

/** After a rollback: the writes `runDeferred` took wait again, unless a newer one of the same key came meanwhile. */
export function restoreDeferred(raw: Database.Database, taken: Map<string, Deferred> | null): void {
  if (!taken) return;
  const now = pending.get(raw);
  if (now) for (const [k, w] of now) taken.set(k, w);
  pending.set(raw, taken);
}

/** Whether writes wait on `raw`. */
export const hasDeferred = (raw: Database.Database): boolean => (pending.get(raw)?.size ?? 0) > 0;
