import type { Kysely } from 'kysely';
import { isPostgres } from './column-types.js';

// Paper orders and fills of one instant are listed in the order they were written: SQLite has
// its rowid for that; PostgreSQL gets an identity column. Nothing to do on SQLite.
export async function up(db: Kysely<unknown>): Promise<void> {
  if (!isPostgres(db)) return;
  for (const table of ['paper_orders', 'paper_fills'])
    await db.schema
      .alterTable(table)
      .addColumn('ins_seq', 'bigint', (c) => c.generatedByDefaultAsIdentity())
      .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (!isPostgres(db)) return;
  for (const table of ['paper_orders', 'paper_fills']) await db.schema.alterTable(table).dropColumn('ins_seq').execute();
}
