import type { Kysely } from 'kysely';

// Portable DDL (text ids, ISO text times, JSON in text) so the same migration can run on PostgreSQL.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('decisions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('asset_pair', 'text', (c) => c.notNull())
    .addColumn('decided_at', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('confidence', 'integer', (c) => c.notNull())
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('executed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('execution', 'text')
    .addColumn('record', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('decisions_pair_created').on('decisions').columns(['asset_pair', 'created_at']).execute();
  await db.schema.createIndex('decisions_created').on('decisions').column('created_at').execute();

  await db.schema
    .createTable('candles')
    .addColumn('pair', 'text', (c) => c.notNull())
    .addColumn('timeframe', 'text', (c) => c.notNull())
    .addColumn('ts', 'bigint', (c) => c.notNull())
    .addColumn('open', 'double precision', (c) => c.notNull())
    .addColumn('high', 'double precision', (c) => c.notNull())
    .addColumn('low', 'double precision', (c) => c.notNull())
    .addColumn('close', 'double precision', (c) => c.notNull())
    .addColumn('volume', 'double precision', (c) => c.notNull())
    .addPrimaryKeyConstraint('candles_pk', ['pair', 'timeframe', 'ts'])
    .execute();

  await db.schema
    .createTable('candle_series')
    .addColumn('pair', 'text', (c) => c.notNull())
    .addColumn('timeframe', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('imported_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('candle_series_pk', ['pair', 'timeframe'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('candle_series').execute();
  await db.schema.dropTable('candles').execute();
  await db.schema.dropTable('decisions').execute();
}
