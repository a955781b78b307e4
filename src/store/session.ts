import type { Kysely, KyselyPlugin } from 'kysely';
import type { DomainEvent } from '../core/events.js';
import { FfeError } from '../core/errors.js';
import type { FoundationTables } from './tables.js';

export type StoreDb = Kysely<FoundationTables>;
export type Dialect = 'sqlite' | 'postgres';

/** What a transaction's session carries: whether it is still open, its savepoint depth, what to run once the outermost transaction committed. */
export interface TxState {
  open: boolean;
  depth: number;
  afterCommit: (() => void)[];
  /** The domain events appended in the transaction so far (a rolled-back savepoint drops its own), for the outbox's committing listeners. */
  events: DomainEvent[];
}

/**
 * One database connection as the repositories see it, whatever the engine: the root session or
 * a transaction's. Repositories are written once against this (Kysely queries); SQLite's
 * synchronous fast paths are reached through `sqliteFast` (src/store/sqlite/database.ts).
 */
export interface Session {
  db: StoreDb;
  dialect: Dialect;
  /** Where the data lives, safe to print (a PostgreSQL URL has its password masked). */
  path: string;
  /** Present in a transaction's session. `afterCommit`: run once the outermost transaction committed (never after a rollback). */
  readonly tx?: TxState;
  /** A unit of work on this session: a fresh transaction on a root session, a savepoint inside an open one. */
  transaction<T>(fn: (tx: Session) => Promise<T>): Promise<T>;
}

export const closedTx = () => new FfeError('runtime', 'STORE_TX_CLOSED', 'a store transaction was used after it ended (keep using the store itself)');

/** A transaction's Kysely handle: bound to the held connection, refusing work once the transaction ended. */
export function guardedTx(conn: StoreDb): { db: StoreDb; tx: TxState } {
  const tx: TxState = { open: true, depth: 0, afterCommit: [], events: [] };
  const guard: KyselyPlugin = {
    transformQuery: (a) => {
      if (!tx.open) throw closedTx();
      return a.node;
    },
    transformResult: async (a) => a.result,
  };
  return { db: conn.withPlugin(guard), tx };
}
