import type { Kysely } from 'kysely';
import { autoId, autoIdType } from './column-types.js';

// The domain event outbox (AUTOINCREMENT: a seq is never reused, even after the newest rows are
// pruned, so a subscriber's cursor stays valid) and the named leases (one row per name).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('events')
    .addColumn('seq', autoIdType(db), autoId(db))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('leases')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('holder', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('leases').execute();
  await db.schema.dropTable('events').execute();
}
