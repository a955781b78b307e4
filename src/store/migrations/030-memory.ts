import type { Kysely } from 'kysely';

// Portable DDL: text ids, ISO text times, decimals as text, JSON in text.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('trade_outcomes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('trade_id', 'text', (c) => c.notNull().unique())
    .addColumn('decision_id', 'text')
    .addColumn('pair', 'text', (c) => c.notNull())
    .addColumn('side', 'text', (c) => c.notNull())
    .addColumn('regime', 'text', (c) => c.notNull())
    .addColumn('exit_reason', 'text', (c) => c.notNull())
    .addColumn('closed_at', 'text', (c) => c.notNull())
    .addColumn('pnl', 'text', (c) => c.notNull())
    .addColumn('return_fraction', 'text', (c) => c.notNull())
    .addColumn('record', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('trade_outcomes_closed').on('trade_outcomes').columns(['closed_at', 'id']).execute();
  await db.schema.createIndex('trade_outcomes_regime').on('trade_outcomes').columns(['regime', 'closed_at']).execute();

  await db.schema
    .createTable('outcome_votes')
    .addColumn('outcome_id', 'text', (c) => c.notNull().references('trade_outcomes.id').onDelete('cascade'))
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('confidence', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('outcome_votes_pk', ['outcome_id', 'provider'])
    .execute();

  await db.schema
    .createTable('weight_changes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // Insertion order: replays move the clock backwards between runs, so neither time nor ULID orders changes.
    .addColumn('seq', 'integer', (c) => c.notNull().unique())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('outcomes', 'integer', (c) => c.notNull())
    .addColumn('previous', 'text', (c) => c.notNull())
    .addColumn('weights', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('weight_changes_scope').on('weight_changes').columns(['scope', 'seq']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('weight_changes').execute();
  await db.schema.dropTable('outcome_votes').execute();
  await db.schema.dropTable('trade_outcomes').execute();
}
