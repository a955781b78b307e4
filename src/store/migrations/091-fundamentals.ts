import type { Kysely } from 'kysely';

// Company fundamentals (earnings, income statements, overview snapshots), point in time: each row
// carries the instant from which a decision may see it. One row per symbol, kind and period end.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('fundamentals')
    .addColumn('symbol', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('period_end', 'text', (c) => c.notNull())
    .addColumn('reported_date', 'text')
    .addColumn('visible_from', 'bigint', (c) => c.notNull())
    .addColumn('fetched_at', 'bigint', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('fundamentals_pk', ['symbol', 'kind', 'period_end'])
    .execute();
  // The one query at decision time: a symbol's rows visible at an instant.
  await db.schema.createIndex('fundamentals_visible').on('fundamentals').columns(['symbol', 'visible_from']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('fundamentals').execute();
}
