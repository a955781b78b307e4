import type { Session } from '../session.js';
import { SessionStore } from '../session-store.js';
import { openSqlite, type OpenedSqlite } from './database.js';
import { hasDeferred } from './deferred-writes.js';

/** The store in one SQLite file (or in memory). */
export class SqliteStore extends SessionStore {
  get sqlite(): OpenedSqlite {
    return this.session as OpenedSqlite;
  }

  static async open(path: string): Promise<SqliteStore> {
    return new SqliteStore(await openSqlite(path));
  }

  protected override within(tx: Session): SqliteStore {
    return new SqliteStore(tx, this.candles, this.events);
  }

  override transaction<T>(fn: (tx: SqliteStore) => Promise<T>): Promise<T> {
    return this.session.transaction((tx) => this.run(tx, fn));
  }

  /** Writes still waiting for a transaction (deferred-writes.ts) land before the file closes. */
  override async close(): Promise<void> {
    if (!this.session.tx && hasDeferred(this.sqlite.raw)) await this.session.transaction(async () => undefined);
    await super.close();
  }
}
