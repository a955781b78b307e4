import type { Kysely } from 'kysely';

// One row per circuit breaker, so consecutive CLI commands share its state and `ffe status` shows it.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('breaker_states')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('memory', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('breaker_states').execute();
}
