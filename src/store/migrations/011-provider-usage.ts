import type { Kysely } from 'kysely';

// One row per provider and UTC day; counters are incremented in place.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('provider_usage')
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('calls', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('prompt_tokens', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('completion_tokens', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('latency_ms_total', 'double precision', (c) => c.notNull().defaultTo(0))
    .addColumn('last_failure', 'text')
    .addPrimaryKeyConstraint('provider_usage_pk', ['provider', 'day'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('provider_usage').execute();
}
