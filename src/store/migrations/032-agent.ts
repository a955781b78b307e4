import type { Kysely } from 'kysely';
import { autoId, autoIdType } from './column-types.js';

// Portable DDL: text ids, ms times as bigint, JSON in text.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('approvals')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('decision_id', 'text', (c) => c.notNull().unique())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('decided_at', 'bigint')
    .addColumn('note', 'text')
    .addColumn('record', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('approvals_status').on('approvals').columns(['status', 'created_at']).execute();

  await db.schema
    .createTable('agent_state')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('agent_events')
    .addColumn('seq', autoIdType(db), autoId(db))
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('data', 'text')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('agent_events').execute();
  await db.schema.dropTable('agent_state').execute();
  await db.schema.dropTable('approvals').execute();
}
