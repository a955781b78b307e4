import type { Kysely } from 'kysely';
import { autoId, autoIdType, realType } from './column-types.js';

// The investor platform: watchlists, daily recommendation runs, recommendations with their
// feedback and measured outcome, and consent records. Owners are principal labels (`user:alice`).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('watchlists')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('pairs', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('watchlists_owner_name', ['owner', 'name'])
    .execute();
  await db.schema
    .createTable('recommendation_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // The cron slot (ms) a scheduled run is for, unique: two instances cannot both run one slot; null for a run asked by hand.
    .addColumn('slot', 'bigint', (c) => c.unique())
    .addColumn('trigger', 'text', (c) => c.notNull())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('finished_at', 'bigint')
    .addColumn('pairs', 'integer', (c) => c.notNull())
    .addColumn('recommendations', 'integer', (c) => c.notNull())
    .addColumn('errors', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('recommendations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('run_id', 'text', (c) => c.notNull())
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('pair', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('confidence', 'integer', (c) => c.notNull())
    .addColumn('horizon_days', 'integer', (c) => c.notNull())
    .addColumn('horizon_ends_at', 'bigint', (c) => c.notNull())
    .addColumn('bar_time', 'bigint', (c) => c.notNull())
    .addColumn('entry', realType(db), (c) => c.notNull())
    .addColumn('stop', realType(db))
    .addColumn('target', realType(db))
    .addColumn('reasoning', 'text', (c) => c.notNull())
    .addColumn('votes', 'text', (c) => c.notNull())
    .addColumn('disclosure', 'text', (c) => c.notNull())
    .addColumn('decision_id', 'text')
    .addColumn('outcome_status', 'text', (c) => c.notNull())
    .addColumn('exit_price', realType(db))
    .addColumn('return_after_costs', realType(db))
    .addColumn('correct', 'integer')
    .addColumn('measured_at', 'bigint')
    .addColumn('feedback_useful', 'integer')
    .addColumn('feedback_acted', 'integer')
    .addColumn('feedback_note', 'text')
    .addColumn('feedback_at', 'bigint')
    .execute();
  await db.schema.createIndex('recommendations_owner').on('recommendations').columns(['owner', 'created_at', 'id']).execute();
  await db.schema.createIndex('recommendations_run').on('recommendations').columns(['run_id']).execute();
  await db.schema.createIndex('recommendations_pending').on('recommendations').columns(['outcome_status', 'created_at']).execute();
  await db.schema
    .createTable('consents')
    .addColumn('seq', autoIdType(db), autoId(db))
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('granted', 'integer', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('consents_owner').on('consents').columns(['owner', 'purpose', 'seq']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['consents', 'recommendations', 'recommendation_runs', 'watchlists']) await db.schema.dropTable(t).execute();
}
