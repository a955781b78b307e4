import type { Kysely } from 'kysely';

// Portable DDL: text ids, ISO text times, JSON in text.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('backtest_job_results')
    .addColumn('run_id', 'text', (c) => c.notNull())
    .addColumn('job_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('worker', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text', (c) => c.notNull())
    .addColumn('result', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('backtest_job_results_pk', ['run_id', 'job_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('backtest_job_results').execute();
}
