import type { Kysely } from 'kysely';
import type { PersonalRecordsRepository } from '../port.js';
import type { PersonalColumn } from '../personal-columns.js';
import type { Session } from '../session.js';

type AnyDb = Kysely<Record<string, Record<string, unknown>>>;

/** Times (bigint columns PostgreSQL answers as strings) come back as numbers. */
const normalise = (row: Record<string, unknown>) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'string' && /_at$/.test(k) && /^\d+$/.test(v) ? Number(v) : v]));

/** Table and column names come from the fixed list in personal-columns.ts, never from input. */
export class SqlitePersonalRecords implements PersonalRecordsRepository {
  private readonly db: AnyDb;

  constructor(session: Session) {
    this.db = session.db as unknown as AnyDb;
  }

  async rows(c: PersonalColumn, value: string): Promise<Record<string, unknown>[]> {
    const rows = await this.db.selectFrom(c.table).select(c.export).where(c.column, '=', value).orderBy(c.export[0]).execute();
    return rows.map(normalise);
  }

  async erase(c: PersonalColumn, value: string, replacement: string): Promise<number> {
    if (c.erase === 'delete') return Number((await this.db.deleteFrom(c.table).where(c.column, '=', value).executeTakeFirst()).numDeletedRows);
    return Number(
      (
        await this.db
          .updateTable(c.table)
          .set({ [c.column]: replacement })
          .where(c.column, '=', value)
          .executeTakeFirst()
      ).numUpdatedRows,
    );
  }
}
