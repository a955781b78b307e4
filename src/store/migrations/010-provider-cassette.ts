import type { Kysely } from 'kysely';

// Portable DDL: text key (sha-256 hex), ISO text time, JSON in text.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('provider_cassette')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('model', 'text')
    .addColumn('parameters', 'text', (c) => c.notNull())
    .addColumn('prompt', 'text', (c) => c.notNull())
    .addColumn('result', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('provider_cassette_provider').on('provider_cassette').column('provider').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('provider_cassette').execute();
}
