import type { Kysely } from 'kysely';
import { realType } from './column-types.js';

// Backtest jobs submitted through the API: portable DDL (text ids, ms integers, JSON in text).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('backtest_jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('progress', realType(db), (c) => c.notNull())
    .addColumn('params', 'text', (c) => c.notNull())
    .addColumn('result', 'text')
    .addColumn('error_code', 'text')
    .addColumn('error_message', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('started_at', 'bigint')
    .addColumn('finished_at', 'bigint')
    .addColumn('cancel_requested', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('backtest_jobs_status').on('backtest_jobs').columns(['status', 'created_at']).execute();
  await db.schema.createIndex('backtest_jobs_created').on('backtest_jobs').columns(['created_at', 'id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('backtest_jobs').execute();
}
