import type { Kysely } from 'kysely';

// Portable DDL: text ids, ms times as bigint, decimals as text, JSON in text.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('position_trackers')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('pair', 'text', (c) => c.notNull())
    .addColumn('tracked', 'integer', (c) => c.notNull())
    .addColumn('opened_at', 'bigint', (c) => c.notNull())
    .addColumn('record', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('trade_metrics')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('trade_id', 'text', (c) => c.notNull().unique())
    .addColumn('decision_id', 'text')
    .addColumn('pair', 'text', (c) => c.notNull())
    .addColumn('side', 'text', (c) => c.notNull())
    .addColumn('exit_reason', 'text', (c) => c.notNull())
    .addColumn('opened_at', 'bigint', (c) => c.notNull())
    .addColumn('closed_at', 'bigint', (c) => c.notNull())
    .addColumn('pnl', 'text', (c) => c.notNull())
    .addColumn('learned', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('record', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('trade_metrics_closed').on('trade_metrics').columns(['closed_at', 'id']).execute();
  await db.schema.createIndex('trade_metrics_learned').on('trade_metrics').column('learned').execute();

  await db.schema
    .createTable('close_reasons')
    .addColumn('client_order_id', 'text', (c) => c.primaryKey())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('close_reasons').execute();
  await db.schema.dropTable('trade_metrics').execute();
  await db.schema.dropTable('position_trackers').execute();
}
