import { sql } from 'kysely';
import type { Session } from '../session.js';
import { SessionStore } from '../session-store.js';
import { openPostgres, type OpenedPostgres } from './database.js';
import { classifyPgError } from './errors.js';

/** The store in a PostgreSQL database (`database.url: postgres://...`); see ./transaction.ts for how writers are serialised. */
export class PostgresStore extends SessionStore {
  static async open(url: string, opts: { migrate?: boolean } = {}): Promise<PostgresStore> {
    return new PostgresStore(await openPostgres(url, opts));
  }

  private get pg(): OpenedPostgres {
    return this.session as OpenedPostgres;
  }

  protected override within(tx: Session): PostgresStore {
    return new PostgresStore(tx, this.candles, this.events);
  }

  override async ping(): Promise<void> {
    try {
      await sql`select 1`.execute(this.session.db);
    } catch (e) {
      throw classifyPgError(e, this.pg.url ?? this.location, false);
    }
  }
}
